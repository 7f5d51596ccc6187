#!/usr/bin/env bash
# Creates .venv inside the checkout and installs Jalur with its development tools (test runner,
# linters, Playwright: what scripts/test.sh needs). `scripts/bootstrap.sh runtime` installs only the
# packages Jalur needs to run, straight from pyproject.toml (scripts/run.sh: the demo starts sooner).
# Re-running is cheap: it installs again only when pyproject.toml has changed, or when the
# development tools are asked for and missing.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-dev}"
case "$mode" in
  dev | runtime) ;;
  *) echo "usage: scripts/bootstrap.sh [dev|runtime]" >&2; exit 2 ;;
esac

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
      PYTHON="$candidate"; break
    fi
  done
fi
if [ -z "$PYTHON" ]; then
  echo "Jalur needs Python 3.11 or newer (apt-get install python3)." >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "Installing python3-venv (Debian ships venv separately)..."
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      "$PYTHON" -m venv .venv
    else
      echo "Cannot create a virtualenv: run 'sudo apt-get install python3-venv' and try again." >&2
      exit 1
    fi
  fi
fi

stamp=".venv/.jalur-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
have="$(cat "$stamp" 2>/dev/null || true)"
# A dev install holds everything a runtime one does (a stamp of the hash alone is an older dev one).
if [ "$have" = "$want" ] || [ "$have" = "$want dev" ] || [ "$have" = "$want $mode" ]; then
  exit 0
fi
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
if [ "$mode" = "dev" ]; then
  echo "Installing Jalur, its dependencies and its development tools into .venv ..."
  "${pip[@]}" -e '.[dev]'
else
  echo "Installing Jalur's dependencies into .venv ..."
  # Only the packages: manage.py and gunicorn run Jalur from this checkout without building it.
  .venv/bin/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
    > .venv/.jalur-requirements.txt
  "${pip[@]}" -r .venv/.jalur-requirements.txt
fi
echo "$want $mode" > "$stamp"
