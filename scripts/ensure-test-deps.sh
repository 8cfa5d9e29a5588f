#!/usr/bin/env bash
# Installs the system pieces the test suite needs, only when they are missing:
#   - Debian chromium + Korean fonts (browser tests; nothing may download a browser build)
#   - a Java runtime and the Nu HTML Checker (npm vnu-jar) for HTML validation
#   - axe-core (accessibility checks of the built pages)
#   - with --audit, Lighthouse 12 too, for scripts/audit_pages.py (make audit)
# Idempotent and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm packages and the file that shows each is installed. One `npm install --no-save` call
# takes them all, since npm removes the packages such a call does not name: Lighthouse
# is in the set with --audit, and whenever it is already installed.
npm_packages=(vnu-jar axe-core)
npm_files=(node_modules/vnu-jar/build/dist/vnu.jar node_modules/axe-core/axe.min.js)
if [ "${1:-}" = "--audit" ] || [ -d node_modules/lighthouse ]; then
  npm_packages+=(lighthouse@12)  # Lighthouse 13 needs Node 22
  npm_files+=(node_modules/lighthouse/cli/index.js)
fi

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

# They live in a project-local node_modules (gitignored).
for f in "${npm_files[@]}"; do
  if [ ! -f "$f" ]; then
    echo "installing ${npm_packages[*]} from npm"
    npm install --no-save --no-audit --no-fund --silent --prefix . "${npm_packages[@]}" >/dev/null
    break
  fi
done
