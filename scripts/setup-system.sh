#!/usr/bin/env bash
# Install the Debian packages the build (and, with "test", the test suite) needs, and only those missing.
# As root it installs them; otherwise it prints the exact command and stops.
set -euo pipefail
packages=(fonts-noto-core fonts-noto-cjk fontconfig poppler-utils)
if [[ "${1:-}" == "test" ]]; then
  packages+=(chromium)
  command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)  # for the npm checkers in tests/package.json
fi
missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
  echo "error: missing system packages: ${missing[*]}; install them with: sudo apt-get update && sudo $cmd" >&2
  exit 1
fi
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
$cmd -qq >/dev/null
