#!/usr/bin/env bash
# Builds the Temporal CLI (its `server start-dev` is a real single-process Temporal server) from
# source through the Go module proxy, once, into a cache outside the clone, and prints its path.
# Later runs only print the path. Usage: bash .ci/temporal.sh  ->  /var/cache/.../temporal
# Env: TEMPORAL_CLI_VERSION (default below), PGACTIVE_TOOLS_CACHE (default /var/cache/pgactive-tools).
set -euo pipefail

VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}" # the module proxy serves v1.1.1, v1.5.1 and v1.9.1
CACHE="${PGACTIVE_TOOLS_CACHE:-/var/cache/pgactive-tools}"
OUT="${CACHE}/temporal/${VERSION}/temporal"

# shellcheck source=.ci/go_peer.sh
source "$(dirname "${BASH_SOURCE[0]}")/go_peer.sh"

# v1.9.1's go.mod replaces its `cliext` module by a folder its module zip lacks (and the proxy does
# not serve cliext): it cannot be built from the proxy. v1.5.1 (server v1.29.1) has no replace.
build() {
  export GOFLAGS="-buildvcs=false"
  log "building github.com/temporalio/cli@${VERSION} (first time only; minutes on 2 cores)"
  GOBIN="$(dirname "$OUT")" go install -trimpath \
    -ldflags "-s -w -X github.com/temporalio/cli/temporalcli.Version=${VERSION#v}" \
    "github.com/temporalio/cli/cmd/temporal@${VERSION}"
}

go_peer "$OUT" build
