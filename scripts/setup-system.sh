#!/usr/bin/env bash
# Installs the Debian packages Letterpress uses: Chromium (HTML checks, PDF rendering; the headless
# shell is what Letterpress runs when present, the full browser stays for tests run with either), Java for
# the Nu HTML checker and EPUBCheck, poppler/qpdf (PDF read-back), gettext (msgfmt -c),
# LibreOffice and pandoc (DOCX read-back), xmllint (XLIFF schema checks). Needs root (or sudo) and apt; skips what is installed.
# With arguments, installs those packages instead (the benchmark's own: scripts/bench/setup.sh).
set -euo pipefail
packages=(chromium chromium-headless-shell default-jre-headless epubcheck poppler-utils qpdf gettext pandoc libreoffice-writer-nogui fonts-noto-core libxml2-utils)
if (($# > 0)); then packages=("$@"); fi
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]} == 0)); then exit 0; fi
if ! command -v apt-get >/dev/null; then
  echo "setup: please install: ${missing[*]}" >&2
  exit 1
fi
sudo=""
if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
