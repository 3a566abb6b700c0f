#!/usr/bin/env bash
# Debian's Chromium for the dashboard's browser tests (tests/web/, driven by playwright-core).
# Installs only when missing. Under CI the browser tests fail if it is still missing.
set -uo pipefail

if [ -x /usr/bin/chromium ]; then
  printf '[ci] %s\n' "$(/usr/bin/chromium --version 2>/dev/null | head -1)" >&2
  exit 0
fi
printf '[ci] apt-get install chromium (dashboard browser tests)\n' >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
if ! apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; then
  printf '[ci] apt-get install chromium failed: the browser tests will fail\n' >&2
fi
exit 0
