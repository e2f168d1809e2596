#!/usr/bin/env bash
# Installs Debian's chromium for the test that drives the sign-in pages in a real headless browser
# (e2e OAuthBrowserTest; it skips only where no chromium exists). Idempotent: an installed one is kept.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  echo "ci: chromium present"
  exit 0
fi
echo "ci: installing chromium from Debian packages"
if [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "ci: chromium ready"
