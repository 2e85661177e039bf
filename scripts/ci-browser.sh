#!/usr/bin/env bash
# Install what the browser tests need on Debian, as root: the distribution's Chromium and
# fonts for it to draw text with. Playwright for Python comes from pip (the `dev` extra);
# its own browser download (`playwright install`) is never used: the tests drive
# /usr/bin/chromium. Safe to run twice. Progress goes to stderr; the Chromium version to
# stdout.
#
#   bash scripts/ci-browser.sh
set -euo pipefail

log() { echo "ci-browser: $*" >&2; }

packages=(chromium fonts-liberation fonts-dejavu-core)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
[ -x /usr/bin/chromium ] || { log "/usr/bin/chromium is missing after the install"; exit 1; }
/usr/bin/chromium --version
