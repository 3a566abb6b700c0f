#!/usr/bin/env bash
# Installs schemathesis (PyPI) once, into a virtualenv in a cache outside the clone, and prints the
# path of its `st` command. Later runs only print the path. Usage: bash .ci/schemathesis.sh
# Env: SCHEMATHESIS_VERSION (default below), PGACTIVE_TOOLS_CACHE (default /var/cache/pgactive-tools).
set -euo pipefail

VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
CACHE="${PGACTIVE_TOOLS_CACHE:-/var/cache/pgactive-tools}"
VENV="${CACHE}/schemathesis/${VERSION}"
OUT="${VENV}/bin/st"

say() { printf '[schemathesis.sh] %s\n' "$*" >&2; }

# Installed already: only the path.
"$OUT" --version >/dev/null 2>&1 && { echo "$OUT"; exit 0; }
PYTHON="$(command -v python3 || true)"
[ -n "$PYTHON" ] || { say "python3 is not installed"; exit 1; }
started=$(date +%s)
say "installing schemathesis ${VERSION} into ${VENV} (first time only)"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"${VENV}/bin/pip" install --quiet --disable-pip-version-check "schemathesis==${VERSION}" >&2
say "installed $("$OUT" --version | head -1) in $(($(date +%s) - started)) s"
echo "$OUT"
