# shellcheck shell=bash
# Sourced by the scripts that build a Go peer (.ci/otelcol.sh, .ci/temporal.sh): `go_peer OUT BUILD`
# prints OUT when it already runs (`OUT --version`); otherwise it checks for go, points GOCACHE at
# the shared cache, runs the function BUILD (its stdout goes to stderr), and prints OUT. Only OUT
# ever reaches stdout. Needs CACHE set; log lines name the calling script.

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }

go_peer() {
  local out="$1" build="$2" started
  if [ -x "$out" ] && "$out" --version >/dev/null 2>&1; then
    echo "$out"
    return 0
  fi
  command -v go >/dev/null 2>&1 || { log "go is not installed"; return 1; }
  export GOCACHE="${CACHE}/go-build"
  started=$(date +%s)
  mkdir -p "$(dirname "$out")"
  "$build" >&2
  log "built $("$out" --version | head -1) in $(($(date +%s) - started)) s"
  echo "$out"
}
