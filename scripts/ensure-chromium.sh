#!/usr/bin/env bash
# Debian's Chromium for the browser tests: playwright-core drives /usr/bin/chromium, and nothing
# downloads a browser of its own. Installs the package when it is missing.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
echo "Installing Debian's chromium package for the browser tests"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -qq chromium > /dev/null 2>&1 || { $SUDO apt-get update -qq > /dev/null && $SUDO apt-get install -y -qq chromium > /dev/null; }
[ -x "$CHROMIUM" ] || { echo "error: $CHROMIUM is still missing after installing chromium" >&2; exit 1; }
