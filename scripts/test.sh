#!/usr/bin/env bash
# Quick start, command 2: the whole test suite, lint and format checks included.
# Uses SQLite unless DATABASE_URL is set; tests that need PostgreSQL skip with a message on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

echo "== ruff check"
.venv/bin/ruff check .
echo "== ruff format --check"
.venv/bin/ruff format --check .
echo "== migrations are up to date"
.venv/bin/python manage.py makemigrations --check --dry-run -v 0
echo "== import contracts"
.venv/bin/lint-imports
echo "== pytest (${DATABASE_URL:-sqlite})"
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" -p no:cacheprovider "$@"
