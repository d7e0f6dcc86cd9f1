#!/usr/bin/env bash
# Provide headless Chromium and its driver (Debian's chromium and chromium-driver) for the browser tests.
# Prints nothing on stdout; exit 1 when they cannot be had (the browser tests then skip and say why).
set -euo pipefail
log() { echo "browser.sh: $*" >&2; }
# A CJK font, so screenshots of the served trainer (xterm.js draws on a canvas) show Chinese, as a
# classroom PC with its system fonts does.
has_cjk_font() { command -v fc-list >/dev/null && [[ -n "$(fc-list :lang=zh 2>/dev/null | head -1)" ]]; }
if command -v chromium >/dev/null && command -v chromedriver >/dev/null && has_cjk_font; then
  exit 0
fi
if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    log "no CJK font and none can be installed here: Chinese will be missing from browser screenshots"
    exit 0
  fi
  log "chromium is not installed and cannot be installed here (needs root and apt-get)"
  exit 1
fi
log "installing chromium and chromium-driver from Debian packages"
export DEBIAN_FRONTEND=noninteractive
{ apt-get update -q && apt-get install -y -q --no-install-recommends chromium chromium-driver poppler-utils fonts-wqy-microhei; } >&2 </dev/null || {
  log "apt-get could not install chromium"
  exit 1
}
