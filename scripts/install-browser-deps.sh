#!/usr/bin/env bash
# Installs what the browser test (tests/browser, CTest label "browser") needs:
# Debian's chromium, node and npm, and playwright-core from npm into
# tests/browser/node_modules (the driver only: no browser is downloaded, the
# test runs /usr/bin/chromium). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PKGS=(chromium nodejs)
command -v npm >/dev/null 2>&1 || PKGS+=(npm)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-browser-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  echo "install-browser-deps: npm install (playwright-core) in tests/browser"
  # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: never fetch a browser build; Debian's chromium is used.
  (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error)
else
  echo "install-browser-deps: every package is installed"
fi
