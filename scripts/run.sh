#!/usr/bin/env bash
# Quick start, command 1: install, prepare an SQLite database with demo data, start the background
# worker and serve Jalur at http://127.0.0.1:8000 (Ctrl+C stops both).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

PY=.venv/bin/python
PORT="${PORT:-8000}"
# Links in e-mails and WhatsApp messages point at this server (PORT may not be 8000).
export JALUR_SITE_URL="${JALUR_SITE_URL:-http://127.0.0.1:${PORT}}"
mkdir -p var
$PY manage.py migrate --no-input -v 0
$PY manage.py createcachetable
if [ ! -f var/.demo-seeded ] || [ "${RESEED:-0}" = "1" ]; then
  $PY manage.py seed_demo | tee var/demo-logins.txt
  touch var/.demo-seeded
else
  cat var/demo-logins.txt 2>/dev/null || true
fi

# Messages to phones (WhatsApp/SMS) are written to this terminal in the demo, so "Lupa kata sandi"
# with a phone number shows its link here. Set JALUR_PHONE_GATEWAY=http and its URL for a real one.
export JALUR_PHONE_GATEWAY="${JALUR_PHONE_GATEWAY-console}"

$PY manage.py db_worker --queue-name '*' --interval 2 --no-reload &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM

echo
echo "Jalur berjalan di http://127.0.0.1:${PORT}  (Ctrl+C untuk berhenti)"
.venv/bin/gunicorn jalur.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --threads 4 \
  --access-logfile - --error-logfile - --log-level warning
