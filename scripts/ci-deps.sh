#!/usr/bin/env bash
# Installs the system tools the test suite runs for real that npm cannot provide (Debian packages):
#   golang-go, gotestsum          `shipgate init`'s go collector, run on a sample Go module (test/init/)
#   python3-pytest, python3-coverage   `shipgate init`'s pytest collector, run on a sample Python project
# Idempotent: installs only what is missing, and does nothing when everything is there.
# Run as root (CI images), or with sudo available.
set -euo pipefail

packages=(golang-go gotestsum python3-pytest python3-coverage)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "ci-deps: all present (${packages[*]})"
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "ci-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
