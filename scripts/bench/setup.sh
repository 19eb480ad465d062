#!/usr/bin/env bash
# The benchmark's own Debian packages (not needed to build or test Letterpress): pandoc, the
# baseline, and WeasyPrint, the PDF engine pandoc is timed with (`pandoc --pdf-engine=weasyprint`).
# Run by `npm run bench` before it starts; needs root (or sudo) and apt; skips what is installed.
set -euo pipefail
packages=(pandoc weasyprint)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]} == 0)); then exit 0; fi
if ! command -v apt-get >/dev/null; then
  echo "bench setup: please install: ${missing[*]}" >&2
  exit 1
fi
sudo=""
if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
echo "bench setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
