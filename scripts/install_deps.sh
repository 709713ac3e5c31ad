#!/usr/bin/env bash
# Installs the Debian C libraries imgrec links against (and sqlite3 for inspecting stores).
# Safe to run again: apt-get skips what is already there.
set -euo pipefail

packages=(
    libcurl4-openssl-dev libmicrohttpd-dev libsqlite3-dev libopenblas-dev
    libjpeg62-turbo-dev libpng-dev libwebp-dev zlib1g-dev libssl-dev sqlite3
)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install_deps: all ${#packages[@]} packages present"
    exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install_deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
