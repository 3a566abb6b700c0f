#!/usr/bin/env bash
# A Docker engine and offline stand-ins of the public base images the Dockerfile names, for the
# container tests (tests/shipping/docker_test.ts), and kustomize for the Kubernetes example test
# (tests/examples/kubernetes_test.ts). `deno task docker:base` runs it; so does .ci/run.
#
# 1. Installs Debian's docker.io and debootstrap when missing.
# 2. Starts dockerd when no engine answers (log: $CACHE/dockerd.log).
# 3. When the image is missing, builds `denoland/deno:$DENO_VERSION`: a debootstrapped Debian
#    bookworm (minbase) with the Deno binary npm ships (@deno/linux-<arch>-glibc), user `deno`
#    (uid 1993) and DENO_DIR=/deno-dir as in the public image. There is no image registry here.
# 4. Builds kustomize $KUSTOMIZE_VERSION from the Go module proxy when missing (cached binary).
# The debootstrap tree, the Deno binary and kustomize are cached outside the clone.
#
# Env: PGACTIVE_TOOLS_CACHE (default /var/cache/pgactive-tools), DENO_VERSION (default 2.9.6).
# Exit 0 when the engine answers, the base image exists and kustomize runs; else 1 with the reason.
set -euo pipefail

DENO_VERSION="${DENO_VERSION:-2.9.6}"
TOP="${PGACTIVE_TOOLS_CACHE:-/var/cache/pgactive-tools}"
CACHE="$TOP/docker"
# v5.8.3 needs Go 1.27; this machine has 1.26. tests/examples/kubernetes_test.ts names this path.
KUSTOMIZE_VERSION=v5.8.2
KUSTOMIZE="$TOP/kustomize/$KUSTOMIZE_VERSION/kustomize"
SUITE=bookworm
IMAGE="denoland/deno:${DENO_VERSION}"

log() { printf '[docker.sh] %s\n' "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
mkdir -p "$CACHE"

# 1. Packages.
need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ "${#need[@]}" -gt 0 ]; then
  log "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null 2>&1 || true
  apt-get install -y -qq --no-install-recommends "${need[@]}" >"$CACHE/apt.log" 2>&1 ||
    die "apt-get install ${need[*]} (see $CACHE/apt.log)"
fi

# 2. Engine.
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd (log: $CACHE/dockerd.log)"
  nohup dockerd >"$CACHE/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || die "dockerd did not answer in 60 s: $(tail -3 "$CACHE/dockerd.log")"
fi
log "engine $(docker version --format '{{.Server.Version}}' 2>/dev/null)"

# 4 (first: step 3 ends the script). kustomize, built once through the Go module proxy.
if ! "$KUSTOMIZE" version >/dev/null 2>&1; then
  command -v go >/dev/null 2>&1 || die "go is not installed (needed to build kustomize)"
  log "go install sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION} (first time only)"
  k_started=$(date +%s)
  GOCACHE="$TOP/go-build" GOFLAGS=-buildvcs=false GOBIN="$(dirname "$KUSTOMIZE")" \
    go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION}" \
    >"$TOP/kustomize.log" 2>&1 || die "kustomize build (see $TOP/kustomize.log)"
  log "built kustomize $("$KUSTOMIZE" version) in $(($(date +%s) - k_started)) s"
fi

# 3. Stand-in of denoland/deno:<version>.
if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  log "$IMAGE present"
  exit 0
fi
started=$(date +%s)
case "$(uname -m)" in
  x86_64) pkg="@deno/linux-x64-glibc" ;;
  aarch64) pkg="@deno/linux-arm64-glibc" ;;
  *) die "no npm Deno package for $(uname -m)" ;;
esac
deno_bin="$CACHE/deno-${DENO_VERSION}/deno"
if [ ! -x "$deno_bin" ]; then
  log "npm pack ${pkg}@${DENO_VERSION}"
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "${pkg}@${DENO_VERSION}" >/dev/null) || die "npm pack ${pkg}@${DENO_VERSION}"
  tar -xzf "$work"/*.tgz -C "$work"
  mkdir -p "$(dirname "$deno_bin")"
  install -m 0755 "$work/package/deno" "$deno_bin"
  rm -rf "$work"
fi
"$deno_bin" --version | grep -q "deno ${DENO_VERSION} " || die "$deno_bin is not Deno ${DENO_VERSION}"

rootfs_tar="$CACHE/debian-${SUITE}-minbase.tar"
if [ ! -s "$rootfs_tar" ]; then
  log "debootstrap --variant=minbase ${SUITE} (first time only)"
  tree="$(mktemp -d)"
  debootstrap --variant=minbase "$SUITE" "$tree" http://deb.debian.org/debian >"$CACHE/debootstrap.log" 2>&1 ||
    die "debootstrap (see $CACHE/debootstrap.log)"
  rm -rf "$tree"/var/cache/apt/archives/*.deb "$tree"/var/lib/apt/lists/*
  tar -C "$tree" -cf "$rootfs_tar.tmp" . && mv "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$tree"
fi

tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
tar -C "$tree" -xf "$rootfs_tar"
install -m 0755 "$deno_bin" "$tree/usr/bin/deno"
echo "deno:x:1993:" >>"$tree/etc/group"
echo "deno:x:1993:1993::/home/deno:/bin/sh" >>"$tree/etc/passwd"
mkdir -p "$tree/deno-dir" "$tree/home/deno"
chown 1993:1993 "$tree/deno-dir" "$tree/home/deno"
# This machine reaches the npm registry through a TLS-intercepting egress proxy: the build stage's
# `deno bundle` must trust the host's CA bundle. Only the build stage sees it (the final image
# copies the Deno binary and its libraries, nothing from /etc/ssl).
cert_env=()
if [ -s /etc/ssl/certs/ca-certificates.crt ]; then
  mkdir -p "$tree/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$tree/etc/ssl/certs/ca-certificates.crt"
  cert_env=(--change 'ENV DENO_CERT=/etc/ssl/certs/ca-certificates.crt')
fi
tar -C "$tree" -c . | docker import "${cert_env[@]}" \
  --change 'ENV DENO_DIR=/deno-dir/' \
  --change 'ENV DENO_INSTALL_ROOT=/usr/local' \
  --change 'CMD ["/usr/bin/deno", "--version"]' \
  --change 'LABEL org.opencontainers.image.description="Offline stand-in of denoland/deno, built by .ci/docker.sh"' \
  - "$IMAGE" >/dev/null || die "docker import $IMAGE"
log "built $IMAGE in $(($(date +%s) - started)) s ($(docker image inspect -f '{{.Size}}' "$IMAGE") bytes)"
