#!/usr/bin/env bash
# scripts/prometheus.sh — a Prometheus server for tests and local checks, from Debian's
# `prometheus` package, without installing anything on the system: the .deb is fetched
# with `apt-get download` (apt verifies it against the signed package lists) and unpacked
# with `dpkg-deb -x` into a cache directory. No dpkg -i, no maintainer scripts, no service.
#
# Outputs (idempotent; an already unpacked version is reused without any network access):
#   $CACHE_ROOT/prometheus/<deb-version>/root/usr/bin/{prometheus,promtool}
#   $CACHE_ROOT/prometheus/env   shell-sourceable KEY=value lines, also printed on stdout:
#     PROMETHEUS, PROMTOOL           absolute paths of the binaries
#     PROMETHEUS_VERSION             upstream version the binary reports (e.g. 2.42.0)
#     PROMETHEUS_DEB_VERSION         Debian package version (e.g. 2.42.0+ds-5+deb12u1)
#     PROMETHEUS_WEB_ASSETS          pass as --web.local-assets (the built-in default is
#                                    /usr/share/prometheus/web/, absent without the package)
# CACHE_ROOT defaults to ~/.cache/fedmllm. Progress goes to stderr, so
#   eval "$(scripts/prometheus.sh)"   or   scripts/prometheus.sh >/dev/null && . ~/.cache/fedmllm/prometheus/env
#
# The version is apt's candidate for `prometheus` (apt-cache policy, from the local package
# lists). `apt-get update` is run (as root only) when the lists do not know the package or
# the download fails because they are stale. Debian's binary is a cgo build linked against
# libc.so.6 only (ldd); that is checked on every fresh unpack, and the script stops with the
# missing libraries named if any does not resolve. The web UI's JavaScript comes from other
# packages (libjs-*) and is not fetched: the HTTP API (/api/v1/...) and /metrics work, the
# classic UI pages may lack scripts.
#
# Usage: scripts/prometheus.sh [--force]     (--force: download and unpack again)
# Needs: a Debian-based system (apt-get, apt-cache, dpkg-deb), coreutils, flock.
#
# Measured on the project machine (Debian 12, 2 cores shared), prometheus 2.42.0+ds-5+deb12u1:
#   cold (empty cache dir, lists present): 2.0-3.7 s (download of the 19.3 MB .deb ~1 s,
#     unpack + checks ~1 s)
#   cached: ~0.05 s (~0.7 s once the package lists changed: apt-cache policy is consulted)
#   unpacked: 95 MiB (prometheus 48 MiB, promtool 46 MiB); the .deb is not kept.
set -euo pipefail

PKG=prometheus
CACHE_ROOT=${CACHE_ROOT:-"$HOME/.cache/fedmllm"}
PROM_DIR="$CACHE_ROOT/prometheus"
ENV_FILE="$PROM_DIR/env"
APT_OPTS=(-q -o Acquire::http::Timeout=30 -o Acquire::https::Timeout=30 -o Acquire::Retries=2)
UPDATE_TIMEOUT=300    # seconds, apt-get update
DOWNLOAD_TIMEOUT=600  # seconds, apt-get download (19 MB)

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "prometheus.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[prometheus.sh %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { printf '[prometheus.sh] ERROR: %s\n' "$*" >&2; exit 1; }

for c in apt-get apt-cache dpkg-deb flock timeout sha256sum; do
  command -v "$c" >/dev/null || die "$c not found: this script needs a Debian-based system (apt, dpkg) and coreutils"
done
export LC_ALL=C

mkdir -p "$PROM_DIR"
exec 9>"$PROM_DIR/.lock"
flock -w 900 9 || die "timed out waiting for another prometheus.sh run to finish (lock $PROM_DIR/.lock)"

TMP_DIRS=()
cleanup() { local d; for d in "${TMP_DIRS[@]}"; do rm -rf "$d"; done; }
trap cleanup EXIT

candidate() { # apt's candidate version of $PKG, empty if none
  local v
  v=$(apt-cache policy "$PKG" 2>/dev/null | awk '$1 == "Candidate:" { print $2 }')
  [[ "$v" == "(none)" ]] && v=""
  echo "$v"
}

UPDATED=0
apt_update() { # why
  ((UPDATED == 0)) || return 1
  UPDATED=1
  if ((EUID != 0)); then
    log "$1; apt-get update needs root, not running it"
    return 1
  fi
  log "$1; running apt-get update (timeout ${UPDATE_TIMEOUT}s)"
  local out
  if ! out=$(timeout "$UPDATE_TIMEOUT" apt-get "${APT_OPTS[@]}" update 2>&1); then
    tail -n 10 <<<"$out" >&2
    log "apt-get update failed or hit its ${UPDATE_TIMEOUT}s timeout (is a Debian mirror reachable?)"
    return 1
  fi
}

# write_env <version dir>: check the unpacked binary runs, then write and print the env file.
write_env() {
  local root="$1/root" bin out ver
  bin="$root/usr/bin/prometheus"
  out=$(timeout 30 "$bin" --version 2>&1) || die "$bin --version failed: $out"
  # "prometheus, version 2.42.0+ds (branch: debian/sid, revision: 2.42.0+ds-5+deb12u1)"
  ver=$(sed -n '1s/^prometheus, version \([^ ]*\).*/\1/p' <<<"$out")
  ver=${ver%%+*}
  [[ -n "$ver" ]] || die "cannot read the version from '$bin --version': $out"
  cat >"$ENV_FILE.tmp" <<EOF
PROMETHEUS=$bin
PROMTOOL=$root/usr/bin/promtool
PROMETHEUS_VERSION=$ver
PROMETHEUS_DEB_VERSION=$(cat "$1/.complete")
PROMETHEUS_WEB_ASSETS=$root/usr/share/prometheus/web/
EOF
  mv -f "$ENV_FILE.tmp" "$ENV_FILE"
  cat "$ENV_FILE"
}

# ---------------------------------------------------------------- which version
# Fast path, without apt-cache (0.5 s here): the version unpacked (or confirmed) last is
# still apt's candidate if the package lists did not change since. apt renames every list
# it fetches into $LISTS, which sets the directory's mtime (the files keep the server's).
LISTS=/var/lib/apt/lists
if [[ $FORCE == 0 && -f "$ENV_FILE" && -d "$LISTS" ]] \
    && prev=$(sed -n 's/^PROMETHEUS_DEB_VERSION=//p' "$ENV_FILE") && [[ -n "$prev" ]] \
    && [[ -f "$PROM_DIR/${prev//:/_}/.complete" && -x "$PROM_DIR/${prev//:/_}/root/usr/bin/prometheus" ]] \
    && ! [[ "$LISTS" -nt "$PROM_DIR/${prev//:/_}/.complete" ]]; then
  log "$PKG $prev: cached in $PROM_DIR/${prev//:/_} (package lists unchanged since)"
  write_env "$PROM_DIR/${prev//:/_}"
  exit 0
fi

VERSION=$(candidate)
if [[ -z "$VERSION" ]]; then
  apt_update "apt's package lists do not know '$PKG'" || true
  VERSION=$(candidate)
fi
if [[ -z "$VERSION" ]]; then
  # Offline or without root: a previously unpacked version is still good to use.
  if [[ -f "$ENV_FILE" ]] && prev=$(sed -n 's/^PROMETHEUS_DEB_VERSION=//p' "$ENV_FILE") \
      && [[ -n "$prev" && -f "$PROM_DIR/${prev//:/_}/.complete" ]]; then
    log "no candidate for '$PKG' in apt's lists; using the cached $prev"
    write_env "$PROM_DIR/${prev//:/_}"
    exit 0
  fi
  die "apt has no candidate for package '$PKG' (run 'apt-get update' as root; the package is in Debian main)"
fi
VDIR="$PROM_DIR/${VERSION//:/_}"

if [[ $FORCE == 0 && -f "$VDIR/.complete" && -x "$VDIR/root/usr/bin/prometheus" ]]; then
  log "$PKG $VERSION: cached in $VDIR"
  touch "$VDIR/.complete"   # confirmed against the current lists: fast path again next time
  write_env "$VDIR"
  exit 0
fi

# ---------------------------------------------------------------- download
# Into a fresh directory apt's sandbox user can write to, so apt does not warn that it
# downloads "unsandboxed as root".
dl=$(mktemp -d "${TMPDIR:-/tmp}/prometheus-deb.XXXXXX"); TMP_DIRS+=("$dl")
if ((EUID == 0)) && id -u _apt >/dev/null 2>&1; then chown _apt "$dl"; fi
download() {
  (cd "$dl" && timeout "$DOWNLOAD_TIMEOUT" apt-get "${APT_OPTS[@]}" download "$PKG=$VERSION") >"$dl.log" 2>&1
}
TMP_DIRS+=("$dl.log")
log "$PKG $VERSION: apt-get download (timeout ${DOWNLOAD_TIMEOUT}s)"
t0=$SECONDS
if ! download; then
  # The lists may name a version the mirror has since replaced (e.g. a security update).
  if apt_update "download failed: $(tail -n 1 "$dl.log")"; then
    NEW=$(candidate)
    [[ -n "$NEW" ]] || die "after apt-get update apt has no candidate for '$PKG'"
    if [[ "$NEW" != "$VERSION" ]]; then
      log "candidate is now $NEW"
      VERSION=$NEW; VDIR="$PROM_DIR/${VERSION//:/_}"
    fi
    if [[ $FORCE == 0 && -f "$VDIR/.complete" ]]; then write_env "$VDIR"; exit 0; fi
    download || { tail -n 10 "$dl.log" >&2; die "apt-get download $PKG=$VERSION failed or hit its ${DOWNLOAD_TIMEOUT}s timeout (Debian mirror reachable?)"; }
  else
    tail -n 10 "$dl.log" >&2
    die "apt-get download $PKG=$VERSION failed or hit its ${DOWNLOAD_TIMEOUT}s timeout (Debian mirror reachable?)"
  fi
fi
debs=("$dl"/*.deb)
[[ ${#debs[@]} == 1 && -f "${debs[0]}" ]] || die "apt-get download left no single .deb in $dl"
deb=${debs[0]}
[[ "$(dpkg-deb -f "$deb" Package)" == "$PKG" && "$(dpkg-deb -f "$deb" Version)" == "$VERSION" ]] \
  || die "$deb is not $PKG $VERSION"
log "$PKG $VERSION: downloaded $(stat -c %s "$deb") bytes in $((SECONDS - t0))s"

# ---------------------------------------------------------------- unpack and check
stage=$(mktemp -d "$PROM_DIR/.unpack.XXXXXX"); TMP_DIRS+=("$stage")
chmod 755 "$stage"
dpkg-deb -x "$deb" "$stage/root" || die "dpkg-deb -x $deb failed"
bin="$stage/root/usr/bin/prometheus"
[[ -x "$bin" ]] || die "$PKG $VERSION has no usr/bin/prometheus"

# Shared libraries: Debian builds it with cgo (libc only); anything unresolved is fatal.
if command -v ldd >/dev/null; then
  libs=$(ldd "$bin" 2>&1 || true)
  if grep -q 'not a dynamic executable\|statically linked' <<<"$libs"; then
    log "$PKG binary is statically linked"
  else
    missing=$(grep -E 'not found' <<<"$libs" || true)
    [[ -z "$missing" ]] || die "$bin needs shared libraries this system lacks (install the packages providing them):
$missing"
    log "$PKG binary links: $(awk '$1 !~ /^linux-vdso/ { printf "%s ", $1 }' <<<"$libs")(all resolved)"
  fi
else
  log "ldd not found; shared libraries not checked (--version below still has to run)"
fi

sha256sum "$deb" | cut -d' ' -f1 >"$stage/.deb.sha256"
echo "$VERSION" >"$stage/.complete"
rm -rf "$VDIR"
mv "$stage" "$VDIR"
log "$PKG $VERSION: unpacked into $VDIR ($(du -sh "$VDIR" | cut -f1)) in $((SECONDS - t0))s"
write_env "$VDIR"
