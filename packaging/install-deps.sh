#!/usr/bin/env bash
# Installs every Debian package listed in packaging/debian-packages.txt that is not yet installed.
# Idempotent: when everything is present it only reads dpkg's status and exits.
# Runs as root, or re-runs itself through sudo when something has to be installed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
list="$here/debian-packages.txt"

mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$list" | grep -v '^$')

missing=()
for pkg in "${wanted[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#wanted[@]} packages present"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        exec sudo --preserve-env=http_proxy,https_proxy "$0" "$@"
    fi
    echo "install-deps: need root to install ${missing[*]}; run this script as root or install sudo" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# A stale package index makes install fail with "Unable to locate package": refresh once.
apt-get update -qq || echo "install-deps: apt-get update failed; trying with the current index" >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
