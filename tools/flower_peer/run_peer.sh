#!/usr/bin/env bash
# Flower's deployment runtime on the protocol benchmark's work, loopback only: flower-superlink, CLIENTS
# flower-supernode processes and `flwr run`; FedAvg over ADAPTER_BYTES of float32 arrays (16 tensors), each client
# returns the arrays plus a constant, ROUNDS rounds, no evaluation. Prints one line per round
# ("flower round N SECONDS") and the median; every process it started is killed at the end (also on failure).
# Usage: run_peer.sh [ROUNDS=5] [CLIENTS=10] [ADAPTER_BYTES=8000000]   (the venv: setup_venv.sh)
set -euo pipefail
rounds="${1:-5}"
clients="${2:-10}"
adapter_bytes="${3:-8000000}"
timeout_s="${FLOWER_PEER_TIMEOUT:-900}"
here="$(cd "$(dirname "$0")" && pwd)"
venv="${FEDMLLM_FLWR_VENV:-$HOME/.cache/fedmllm/venv-flwr}"
[ -x "$venv/bin/flwr" ] || { echo "flower peer: no venv at $venv (run $here/setup_venv.sh)" >&2; exit 2; }
export PATH="$venv/bin:$PATH"  # the SuperLink and SuperNodes start flower-superexec and the apps from the venv
work="$(mktemp -d /tmp/fedmllm-flower-peer.XXXXXX)"
pids=()
cleanup() {
  # Each process below was started with setsid, so it leads a process group of its own that also holds what it
  # starts (flower-superexec, ServerApp and ClientApp processes): signal those groups, by their ids, until empty.
  local p round
  for round in 1 2 3; do
    for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
    sleep 1
    for p in "${pids[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  done
  if [ "${keep:-0}" = 1 ]; then echo "flower peer: logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
free_port() { "$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
export FLWR_HOME="$work/flwr-home"
mkdir -p "$FLWR_HOME"
link_port="$(free_port)"
cat > "$FLWR_HOME/config.toml" <<TOML
[superlink]
default = "bench"

[superlink.bench]
address = "127.0.0.1:$link_port"
insecure = true
TOML
setsid "$venv/bin/flower-superlink" --insecure --host 127.0.0.1 --port "$link_port" --disable-runtime-dependency-installation \
  > "$work/superlink.log" 2>&1 &
pids+=($!)
disown "$!"  # killed by cleanup by its group id; no job notice
for i in $(seq 0 $((clients - 1))); do
  FLWR_HOME="$work/node-$i" setsid "$venv/bin/flower-supernode" --insecure --superlink "127.0.0.1:$link_port" \
    --host 127.0.0.1 --port "$(free_port)" --node-config "partition-id=$i" > "$work/supernode-$i.log" 2>&1 &
  pids+=($!)
  disown "$!"
done
result="$work/rounds.txt"
: > "$result"
cp -r "$here/pyproject.toml" "$here/flower_peer" "$work/"
deadline=$((SECONDS + timeout_s))
# flwr run retries until the SuperLink answers; the strategy waits for all supernodes (min_available_nodes).
until (cd "$work" && "$venv/bin/flwr" run . bench --run-config "num-server-rounds=$rounds clients=$clients adapter-bytes=$adapter_bytes result-file=\"$result\"" > "$work/run.log" 2>&1); do
  if (( SECONDS > deadline )); then echo "flower peer: flwr run did not submit within ${timeout_s} s" >&2; cat "$work/run.log" >&2; keep=1; exit 1; fi
  sleep 1
done
while (( $(wc -l < "$result") < rounds )); do
  if (( SECONDS > deadline )); then
    echo "flower peer: $(wc -l < "$result") of $rounds rounds within ${timeout_s} s" >&2
    tail -20 "$work/superlink.log" >&2
    keep=1
    exit 1
  fi
  sleep 0.5
done
awk '{printf "flower round %d %s s (replies %s, errors %s%s)\n", $2 - 1, $3, $5, $7, $8 == "-" ? "" : ": " $8}' "$result"
if awk '$7 != 0 || $5 != '"$clients"' {bad=1} END {exit !bad}' "$result"; then
  echo "flower peer: a round had errors or missing replies" >&2; keep=1; exit 1
fi
sort -n -k3 "$result" | awk '{v[NR]=$3} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "flower median round %.3f s\n", m}'
