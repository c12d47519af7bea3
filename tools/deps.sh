#!/usr/bin/env bash
# Installs the Debian packages caremap needs to build, run and test. Idempotent: it asks apt only
# for what is missing. Runs apt-get as root, or through sudo.
set -euo pipefail
pkgs=(build-essential cmake pkg-config clang libclang-rt-14-dev clang-format
      libmicrohttpd-dev libjansson-dev libsodium-dev libinih-dev libsqlite3-dev libcmocka-dev sqlite3
      nodejs nginx-light wrk curl chromium fonts-dejavu-core
      libcairo2-dev libpango1.0-dev fonts-noto-core poppler-utils time
      libgraphviz-dev libxml2-utils)
missing=()
# Debian ships npm apart from nodejs; NodeSource's nodejs carries its own (and conflicts with it).
command -v npm >/dev/null 2>&1 || pkgs+=(npm)
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "tools/deps.sh: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
