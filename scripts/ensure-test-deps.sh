#!/usr/bin/env bash
# Installs the system pieces the test suite needs, only when they are missing:
#   - Debian chromium + Korean fonts (browser tests; nothing may download a browser build)
#   - a Java runtime and the Nu HTML Checker (npm vnu-jar) for HTML validation
# Idempotent and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need_apt+=(fonts-noto-cjk)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)

if ((${#need_apt[@]})); then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "installing system packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

# The Nu HTML Checker lives in a project-local node_modules (gitignored).
if [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
  echo "installing vnu-jar (Nu HTML Checker) from npm"
  npm install --no-save --no-audit --no-fund --silent --prefix . vnu-jar >/dev/null
fi
