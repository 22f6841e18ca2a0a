#!/usr/bin/env bash
# scripts/images.sh — build the project's container images without Docker or a registry, cached by content:
#
#   base      a Debian bookworm root with OpenJDK 17 JRE (mmdebstrap --variant=minbase), imported with podman as
#             localhost/fedmllm-base:<key>; stands in for eclipse-temurin:17-jre / ubi9 openjdk-17-runtime
#   trainer   trainer-image/Dockerfile (CPU flavor) built with buildah on that base: ghcr.io/fedmllm/trainer:0.1.0
#   operator  operator/src/main/docker/Dockerfile.jvm (Quarkus JVM layout) on the same base:
#             ghcr.io/fedmllm/fedmllm-operator:<chart appVersion>
#
# The trainer and operator images are also saved as OCI archives (podman save --format oci-archive), which
# `ctr -n k8s.io images import` or `podman load` read. The jar and its lib/ (trainer-image/target) and
# operator/target/quarkus-app must have been built by Maven first (`mvn -pl trainer-image,operator -am package`);
# this script compiles nothing.
#
# Cache (idempotent): $CACHE_ROOT/images/ (CACHE_ROOT defaults to ~/.cache/fedmllm, as in the other scripts)
#   base-<key>.tar                    the mmdebstrap tarball;  key = sha256 of the recipe below (suite, mirrors,
#                                     packages, dpkg options, hook) — package versions are "current bookworm"
#                                     when it is built, and recorded in base-<key>.packages
#   trainer-<key>.oci.tar             key = sha256 of base key + Dockerfile + content of the jar and every lib/ jar
#   operator-<key>.oci.tar            key = sha256 of base key + Dockerfile.jvm + content of quarkus-app/
#   storage/                          the containers/storage of these images (podman/buildah --root), kept apart
#                                     from any other podman use of the machine; run state in
#                                     /run/fedmllm-images/<hash of the cache path>
#   containers.conf, storage.conf     what podman/buildah need here; point CONTAINERS_CONF and
#                                     CONTAINERS_STORAGE_CONF at them to use the images (the env file says so)
#   env                               shell-sourceable KEY=value lines, also printed on stdout
# Jar content is hashed per entry (name + bytes), not per file, so a re-packaged but unchanged jar (new timestamps)
# keeps its key (jars of 16 MiB and more, all from Maven Central, by their bytes). An image whose key is unchanged is not rebuilt; one whose archive exists but whose storage copy is
# gone is loaded back from the archive. Older keys' archives and images are removed when a new one is built.
#
# Debian packages it needs and installs itself (apt-get, non-interactive, only those missing; root only):
#   mmdebstrap podman buildah runc   (crun 1.8 in bookworm cannot run here: "cgroups in hybrid mode not supported")
# Every build runs with --network none (no CNI bridge or iptables chain is created) and the runtime runc, the
# cgroupfs cgroup manager and explicit rlimits (root here lacks CAP_SYS_RESOURCE: nofile 20000, nproc 32768).
#
# Usage: scripts/images.sh [--force]      (--force: rebuild the base and both images)
# Environment: CACHE_ROOT, FEDMLLM_BUILD_DIR (Maven's build directory, default target),
#   FEDMLLM_DEBIAN_MIRROR (default http://deb.debian.org/debian), FEDMLLM_DEBIAN_SECURITY_MIRROR
#   (default http://deb.debian.org/debian-security).
# Progress goes to stderr; stdout carries only the env file.
#
# Measured on the project machine (2 cores shared with CI and other builds, load average 20-38 at the time; Debian
# 12, podman 4.3.1, buildah 1.28.2, runc 1.1.5, mmdebstrap 1.3.5), 2026-12-03:
#   Debian packages (the four above + 14 dependencies)         32 s
#   base: mmdebstrap 62-173 s, 336 MiB tarball; podman import 9-15 s
#   trainer: buildah bud 200-331 s (nearly all the build-time pre-train), image 534 MB, archive 509 MiB
#   operator: buildah bud 3-13 s, image 403 MB, archive 385 MiB
#   podman save (uncompressed) 3-19 s per image (84 s once, with the disk busy)
#   whole script from an empty cache (packages installed): 8 min 38 s at load 10-16 (9.5 min before the archives
#   were uncompressed); hashing the jars the first time 23-44 s
#   cached: about 1 s. The operator's key changes whenever Maven re-augments the Quarkus app (its
#   generated-bytecode.jar is not reproducible), so after a rebuild of operator/ it costs 10-90 s more.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
CACHE_ROOT=${CACHE_ROOT:-"$HOME/.cache/fedmllm"}
IMG_DIR="$CACHE_ROOT/images"
BUILD_DIR=${FEDMLLM_BUILD_DIR:-target}
MIRROR=${FEDMLLM_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${FEDMLLM_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
# podman/buildah run state of this storage (one per cache directory: two storages must not share one)
RUNROOT=/run/fedmllm-images/$(printf %s "$IMG_DIR" | sha256sum | cut -c1-12)
ENV_FILE="$IMG_DIR/env"

SUITE=bookworm
BASE_PACKAGES=openjdk-17-jre-headless,ca-certificates,passwd   # passwd: groupadd/useradd for the trainer image
TOOLS=(mmdebstrap podman buildah runc)
RUNC=/usr/sbin/runc
ULIMITS=(--ulimit nofile=20000:20000 --ulimit nproc=32768:32768)
BASE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
JAVA_HOME_IN_BASE=/usr/lib/jvm/java-17-openjdk-amd64

TRAINER_CTX="$REPO/trainer-image"
TRAINER_DOCKERFILE="$TRAINER_CTX/Dockerfile"
TRAINER_REF=ghcr.io/fedmllm/trainer:0.1.0          # OperatorConfig's default trainer and aggregator image
OPERATOR_CTX="$REPO/operator"
OPERATOR_DOCKERFILE="$OPERATOR_CTX/src/main/docker/Dockerfile.jvm"
OPERATOR_VERSION=$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$REPO/charts/fedmllm-operator/Chart.yaml")
OPERATOR_REF=ghcr.io/fedmllm/fedmllm-operator:${OPERATOR_VERSION}   # the chart's image.repository:appVersion

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "images.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[images.sh %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { printf '[images.sh] ERROR: %s\n' "$*" >&2; exit 1; }
human() { numfmt --to=iec-i --suffix=B "$1" 2>/dev/null || echo "${1}B"; }
export LC_ALL=C

# ---------------------------------------------------------------- preconditions
[[ "$(uname -s)/$(uname -m)" == Linux/x86_64 ]] || die "only linux/amd64 is supported (got $(uname -s)/$(uname -m))"
[[ -n "$OPERATOR_VERSION" ]] || die "no appVersion in $REPO/charts/fedmllm-operator/Chart.yaml"
for f in "$TRAINER_DOCKERFILE" "$OPERATOR_DOCKERFILE"; do [[ -f "$f" ]] || die "$f is missing"; done
command -v python3 >/dev/null || die "python3 not found (hashes the jars' content)"

mkdir -p "$IMG_DIR"
exec 9>"$IMG_DIR/.lock"
flock -w 3600 9 || die "timed out waiting for another images.sh run to finish (lock $IMG_DIR/.lock)"

# ---------------------------------------------------------------- Debian packages
missing=()
for p in "${TOOLS[@]}"; do
  dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null | grep -q '^ii' || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  ((EUID == 0)) || die "Debian packages missing: ${missing[*]} (install them as root: apt-get install ${missing[*]})"
  APT=(apt-get -q -y -o Acquire::http::Timeout=30 -o Acquire::Retries=2 -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300
       -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  apt_install() { DEBIAN_FRONTEND=noninteractive timeout 900 "${APT[@]}" install --no-install-recommends "${missing[@]}"; }
  log "installing Debian packages: ${missing[*]} (log: $IMG_DIR/apt.log)"
  t0=$SECONDS
  if ! apt_install >"$IMG_DIR/apt.log" 2>&1; then
    log "apt-get install failed; running apt-get update and retrying"
    DEBIAN_FRONTEND=noninteractive timeout 300 "${APT[@]}" update >>"$IMG_DIR/apt.log" 2>&1 \
      || { tail -n 10 "$IMG_DIR/apt.log" >&2; die "apt-get update failed (Debian mirror reachable?)"; }
    apt_install >>"$IMG_DIR/apt.log" 2>&1 || { tail -n 15 "$IMG_DIR/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
  fi
  log "installed ${missing[*]} in $((SECONDS - t0))s"
fi
[[ -x "$RUNC" ]] || die "$RUNC not found although runc is installed"

# ---------------------------------------------------------------- podman/buildah configuration
# Our own storage and configuration: nothing of the machine's podman setup is read or changed.
mkdir -p "$IMG_DIR/storage" "$RUNROOT"
cat >"$IMG_DIR/storage.conf.tmp" <<EOF
# Written by scripts/images.sh: the storage of FedMLLM's locally built images.
[storage]
driver = "overlay"
graphroot = "$IMG_DIR/storage"
runroot = "$RUNROOT"
[storage.options.overlay]
# Do not bind-mount the storage directory onto itself (no mount outlives a command).
skip_mount_home = "true"
EOF
cat >"$IMG_DIR/containers.conf.tmp" <<EOF
# Written by scripts/images.sh.
[containers]
netns = "none"
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[network]
# Never used (netns none): keeps podman from creating CNI configuration on the machine.
network_config_dir = "$IMG_DIR/cni"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$RUNROOT/events.log"
runtime = "runc"
[engine.runtimes]
runc = ["$RUNC"]
EOF
for f in storage.conf containers.conf; do
  cmp -s "$IMG_DIR/$f.tmp" "$IMG_DIR/$f" && rm -f "$IMG_DIR/$f.tmp" || mv -f "$IMG_DIR/$f.tmp" "$IMG_DIR/$f"
done
export CONTAINERS_STORAGE_CONF="$IMG_DIR/storage.conf" CONTAINERS_CONF="$IMG_DIR/containers.conf"
PODMAN=(timeout 1800 podman --runtime "$RUNC" --cgroup-manager cgroupfs)

NICE=(nice -n 19)
command -v ionice >/dev/null && NICE=(ionice -c 3 nice -n 19)

# content_hash <paths...>: sha256 over the files under the paths, jars under 16 MiB (ours among them) by entry (name +
# bytes: timestamps and compression do not count), other files by bytes; paths relative to their argument. Each
# file's digest is memoised in $IMG_DIR/.digests.json by path, size and mtime.
content_hash() {
  python3 - "$IMG_DIR/.digests.json" "$@" <<'EOF'
import hashlib, json, os, sys, zipfile
memo_path = sys.argv[1]
# Jars this large are Maven Central's (pytorch-native-cpu, tokenizers), copied byte for byte from ~/.m2: their bytes
# are stable, and reading their entries costs 30-40 s on a loaded machine.
BY_BYTES = 16 << 20
try:
    with open(memo_path) as f:
        memo = json.load(f)
except (OSError, ValueError):
    memo = {}
def digest(path):
    st = os.stat(path)
    stamp = "%d:%d" % (st.st_size, st.st_mtime_ns)
    hit = memo.get(path)
    if hit and hit[0] == stamp:
        return bytes.fromhex(hit[1])
    d = hashlib.sha256()
    if path.endswith(".jar") and st.st_size < BY_BYTES:
        with zipfile.ZipFile(path) as z:
            for info in sorted(z.infolist(), key=lambda i: i.filename):
                if info.is_dir():
                    continue
                e = hashlib.sha256()
                with z.open(info) as src:
                    for chunk in iter(lambda: src.read(1 << 20), b""):
                        e.update(chunk)
                d.update(info.filename.encode() + b"\0" + e.digest())
    else:
        with open(path, "rb") as src:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                d.update(chunk)
    memo[path] = [stamp, d.hexdigest()]
    return d.digest()
h = hashlib.sha256()
for root in sys.argv[2:]:
    files = [root] if os.path.isfile(root) else sorted(
        os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)
    for path in files:
        rel = os.path.relpath(path, os.path.dirname(root) if os.path.isfile(root) else root)
        h.update(b"F" + rel.encode() + b"\0" + digest(path))
with open(memo_path + ".tmp", "w") as f:
    json.dump(memo, f)
os.replace(memo_path + ".tmp", memo_path)
print(h.hexdigest()[:16])
EOF
}

image_exists() { "${PODMAN[@]}" image exists "$1" 2>/dev/null; }

# remove_stale <prefix> <current key> <ref...>: archives of other keys, and images tagged with other keys.
remove_stale() {
  local prefix=$1 key=$2 f old
  for f in "$IMG_DIR/$prefix"-*; do
    [[ -e "$f" && "$f" != "$IMG_DIR/$prefix-$key".* ]] || continue
    log "removing stale $f"; rm -f "$f"
  done
  # (podman's reference filter lists every tag of a matching image, so the names are matched here)
  while read -r old; do
    [[ "$old" == "localhost/fedmllm-$prefix:"* && "$old" != "localhost/fedmllm-$prefix:$key" ]] || continue
    log "removing stale image $old"; "${PODMAN[@]}" rmi -f "$old" >/dev/null 2>&1 || true
  done < <("${PODMAN[@]}" images --format '{{.Repository}}:{{.Tag}}' 2>/dev/null)
}

# ---------------------------------------------------------------- (a) the base
HOOK='mkdir -p "$1/usr/share/man/man1"'   # openjdk's postinst registers man pages with update-alternatives
DPKG_OPTS=(--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*'
           --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*')
SOURCES="deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY_MIRROR $SUITE-security main"
BASE_KEY=$(printf '%s\n' "$SUITE" "$BASE_PACKAGES" "$SOURCES" "${DPKG_OPTS[*]}" "$HOOK" "$BASE_PATH" \
  "$JAVA_HOME_IN_BASE" minbase | sha256sum | cut -c1-16)
BASE_TAR="$IMG_DIR/base-$BASE_KEY.tar"
BASE_REF="localhost/fedmllm-base:$BASE_KEY"

if [[ $FORCE == 1 || ! -f "$BASE_TAR" ]]; then
  log "base $BASE_KEY: mmdebstrap --variant=minbase $SUITE ($BASE_PACKAGES) (log: $IMG_DIR/base.log)"
  t0=$SECONDS
  rm -f "$BASE_TAR.tmp"
  # The sources go in on stdin, one per line; the tarball is the root of the image.
  if ! printf '%s\n' "$SOURCES" | "${NICE[@]}" timeout 1800 mmdebstrap --variant=minbase --mode=root \
      --format=tar --include="$BASE_PACKAGES" "${DPKG_OPTS[@]}" --essential-hook="$HOOK" \
      "$SUITE" "$BASE_TAR.tmp" - >"$IMG_DIR/base.log" 2>&1; then
    tail -n 20 "$IMG_DIR/base.log" >&2; rm -f "$BASE_TAR.tmp"
    die "mmdebstrap failed (full log: $IMG_DIR/base.log)"
  fi
  tar -xOf "$BASE_TAR.tmp" ./var/lib/dpkg/status \
    | awk '/^Package:/ {p=$2} /^Version:/ {print p, $2}' >"$BASE_TAR.packages.tmp" \
    || die "cannot read var/lib/dpkg/status from the base tarball"
  grep -q '^openjdk-17-jre-headless ' "$BASE_TAR.packages.tmp" || die "the base tarball has no openjdk-17-jre-headless"
  mv -f "$BASE_TAR.packages.tmp" "$IMG_DIR/base-$BASE_KEY.packages"
  mv -f "$BASE_TAR.tmp" "$BASE_TAR"
  "${PODMAN[@]}" rmi -f "$BASE_REF" >/dev/null 2>&1 || true
  log "base $BASE_KEY: built in $((SECONDS - t0))s, $(human "$(stat -c %s "$BASE_TAR")"), openjdk-17-jre-headless $(awk '$1 == "openjdk-17-jre-headless" {print $2}' "$IMG_DIR/base-$BASE_KEY.packages")"
else
  log "base $BASE_KEY: cached ($BASE_TAR)"
fi
if ! image_exists "$BASE_REF"; then
  log "base $BASE_KEY: podman import as $BASE_REF"
  "${PODMAN[@]}" import --quiet --change "ENV PATH=$BASE_PATH" --change "ENV JAVA_HOME=$JAVA_HOME_IN_BASE" \
    --change "ENV LANG=C.UTF-8" --change 'CMD ["/bin/bash"]' "$BASE_TAR" "$BASE_REF" >/dev/null \
    || die "podman import $BASE_TAR failed"
fi
remove_stale base "$BASE_KEY"

# ---------------------------------------------------------------- (b), (c) the images
# build_image <name> <context> <dockerfile> <ref> <key> [buildah args...]: buildah bud unless the archive for
# <key> exists.
build_image() {
  local name=$1 ctx=$2 dockerfile=$3 ref=$4 key=$5; shift 5
  local archive="$IMG_DIR/$name-$key.oci.tar" local_ref="localhost/fedmllm-$name:$key"
  if [[ $FORCE == 0 && -f "$archive" ]]; then
    if image_exists "$local_ref"; then
      "${PODMAN[@]}" tag "$local_ref" "$ref" || die "podman tag $local_ref $ref failed"
      log "$name $key: cached ($archive, $(human "$(stat -c %s "$archive")"))"
    else
      log "$name $key: loading $archive into the image storage"
      "${PODMAN[@]}" load -q -i "$archive" >/dev/null || die "podman load -i $archive failed"
      "${PODMAN[@]}" tag "$ref" "$local_ref" || die "$archive holds no image $ref"
    fi
  else
    log "$name $key: buildah bud $dockerfile (log: $IMG_DIR/$name.build.log)"
    local t0=$SECONDS
    # --network none: no CNI network (bridge, iptables chains) is set up for the RUN steps.
    if ! "${NICE[@]}" timeout 1800 buildah bud --runtime "$RUNC" --network none --pull=never --layers=false \
        "${ULIMITS[@]}" --build-arg "BASE_IMAGE=$BASE_REF" --build-arg "BUILD_DIR=$BUILD_DIR" \
        "$@" -f "$dockerfile" -t "$local_ref" -t "$ref" "$ctx" >"$IMG_DIR/$name.build.log" 2>&1; then
      tail -n 25 "$IMG_DIR/$name.build.log" >&2
      die "buildah bud $dockerfile failed (full log: $IMG_DIR/$name.build.log)"
    fi
    local built=$((SECONDS - t0))
    rm -f "$archive.tmp"
    # Uncompressed layers: gzip of the 336 MiB base took 56-68 s per image on the loaded CI machine, the plain copy
    # about 19 s; containerd and podman import either.
    "${PODMAN[@]}" save --quiet --uncompressed --format oci-archive -o "$archive.tmp" "$ref" || die "podman save $ref failed"
    mv -f "$archive.tmp" "$archive"
    log "$name $key: built in ${built}s, saved in $((SECONDS - t0 - built))s: $archive ($(human "$(stat -c %s "$archive")"))"
  fi
  remove_stale "$name" "$key"
}

[[ -f "$TRAINER_CTX/$BUILD_DIR/fedmllm-trainer.jar" && -d "$TRAINER_CTX/$BUILD_DIR/lib" ]] \
  || die "$TRAINER_CTX/$BUILD_DIR/fedmllm-trainer.jar or lib/ is missing: run mvn -pl trainer-image -am package first"
[[ -f "$OPERATOR_CTX/$BUILD_DIR/quarkus-app/quarkus-run.jar" ]] \
  || die "$OPERATOR_CTX/$BUILD_DIR/quarkus-app/quarkus-run.jar is missing: run mvn -pl operator -am package first"
log "hashing the trainer's jars and the operator's quarkus-app"
t0=$SECONDS
TRAINER_KEY=$( { echo "$BASE_KEY"; cat "$TRAINER_DOCKERFILE";
  content_hash "$TRAINER_CTX/$BUILD_DIR/fedmllm-trainer.jar" "$TRAINER_CTX/$BUILD_DIR/lib"; } | sha256sum | cut -c1-16)
OPERATOR_KEY=$( { echo "$BASE_KEY"; cat "$OPERATOR_DOCKERFILE";
  content_hash "$OPERATOR_CTX/$BUILD_DIR/quarkus-app"; } | sha256sum | cut -c1-16)
log "content hashes in $((SECONDS - t0))s: trainer $TRAINER_KEY, operator $OPERATOR_KEY"

# --target cpu: buildah 1.28 does not see that the last stage, FROM ${FLAVOR}, needs the cpu stage and would skip
# it as unused; the cpu stage is what FLAVOR=cpu selects.
build_image trainer "$TRAINER_CTX" "$TRAINER_DOCKERFILE" "$TRAINER_REF" "$TRAINER_KEY" --target cpu
build_image operator "$OPERATOR_CTX" "$OPERATOR_DOCKERFILE" "$OPERATOR_REF" "$OPERATOR_KEY"

# buildah 1.28 leaves the working container of a stage behind after the trainer's multi-stage build (and a failed
# build may leave one too); in this storage only this script runs buildah, so every buildah container is ours.
leftover=$(buildah containers -q 2>/dev/null || true)
if [[ -n "$leftover" ]]; then
  log "removing buildah working containers left behind: $(tr '\n' ' ' <<<"$leftover")"
  buildah rm $leftover >/dev/null 2>&1 || true
fi

cat >"$ENV_FILE.tmp" <<EOF
CONTAINERS_CONF=$IMG_DIR/containers.conf
CONTAINERS_STORAGE_CONF=$IMG_DIR/storage.conf
PODMAN_RUNTIME=$RUNC
BASE_IMAGE=$BASE_REF
BASE_TAR=$BASE_TAR
BASE_PACKAGES=$IMG_DIR/base-$BASE_KEY.packages
TRAINER_IMAGE=$TRAINER_REF
TRAINER_IMAGE_LOCAL=localhost/fedmllm-trainer:$TRAINER_KEY
TRAINER_ARCHIVE=$IMG_DIR/trainer-$TRAINER_KEY.oci.tar
OPERATOR_IMAGE=$OPERATOR_REF
OPERATOR_IMAGE_LOCAL=localhost/fedmllm-operator:$OPERATOR_KEY
OPERATOR_ARCHIVE=$IMG_DIR/operator-$OPERATOR_KEY.oci.tar
EOF
mv -f "$ENV_FILE.tmp" "$ENV_FILE"
cat "$ENV_FILE"
