#!/usr/bin/env bash
# Install everything congvan needs on a fresh Debian machine: the system tools its readers call
# (Tesseract with the Vietnamese model for scans, LibreOffice Writer for .doc, poppler for the PDF
# benchmark baseline, a Unicode font for the test fixtures, headless Chromium to test the graph view and
# the web explorer through Playwright) and the Python package with its test tools.
# Safe to run again: only what is missing is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=""
command -v tesseract >/dev/null 2>&1 || missing="$missing tesseract-ocr"
{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie; } || missing="$missing tesseract-ocr-vie"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v soffice >/dev/null 2>&1 || missing="$missing libreoffice-writer-nogui"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"
# the fixtures name Times New Roman: Liberation Serif is its metric twin (without it LibreOffice falls back to
# the wider DejaVu Serif, and header cells wrap differently)
[ -f /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ] || missing="$missing fonts-liberation"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"

if [ -n "$missing" ]; then
  echo "install.sh: installing system packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # libreoffice-writer-nogui is the smallest Writer build; fall back to libreoffice-writer where absent
  if ! $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
    $SUDO apt-get install -y -qq --no-install-recommends ${missing/libreoffice-writer-nogui/libreoffice-writer} >/dev/null
  fi
fi

# Playwright (tests/web) drives the system Chromium above: never download its own browsers
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
python3 -m pip install -q --disable-pip-version-check -e ".[dev]"
