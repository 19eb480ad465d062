#!/usr/bin/env bash
# The benchmark's own Debian packages (not needed to build or test Letterpress): pandoc, the
# baseline, and WeasyPrint, the PDF engine pandoc is timed with (`pandoc --pdf-engine=weasyprint`).
# Run by `npm run bench` before it starts; needs root (or sudo) and apt; skips what is installed.
set -euo pipefail
exec bash "$(dirname "$0")/../setup-system.sh" pandoc weasyprint
