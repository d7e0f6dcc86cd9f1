#!/usr/bin/env bash
# Provide headless Chromium and its driver (Debian's chromium and chromium-driver) for the browser tests.
# Prints nothing on stdout; exit 1 when they cannot be had (the browser tests then skip and say why).
set -euo pipefail
log() { echo "browser.sh: $*" >&2; }
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
  log "chromium is not installed and cannot be installed here (needs root and apt-get)"
  exit 1
fi
log "installing chromium and chromium-driver from Debian packages"
export DEBIAN_FRONTEND=noninteractive
{ apt-get update -q && apt-get install -y -q --no-install-recommends chromium chromium-driver poppler-utils; } >&2 </dev/null || {
  log "apt-get could not install chromium"
  exit 1
}
