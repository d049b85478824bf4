#!/usr/bin/env bash
# Creates .venv in the repository root and installs backstride into it.
#   scripts/setup.sh         the app (web, CLI, video analysis, PDF reports)
#   scripts/setup.sh --dev   the same plus the test tools and the browser for end-to-end tests
# System packages (Debian/Ubuntu): pango for PDF reports, Chromium for browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

apt_packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
[ "$dev" = 1 ] && apt_packages+=(chromium poppler-utils)  # poppler-utils: the report test renders PDF pages

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo_cmd=""
    [ "$(id -u)" != 0 ] && sudo_cmd="sudo"
    echo "Installing system packages: ${missing[*]}"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "Not a Debian system: install pango (for PDF reports) and chromium (for browser tests) yourself." >&2
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
extras="video,pdf"
[ "$dev" = 1 ] && extras="video,pdf,dev"
.venv/bin/python -m pip install -q -e ".[${extras}]"
echo "backstride is installed in .venv"
