#!/usr/bin/env bash
# Quick start, command 1: install, prepare an SQLite database with demo data, start the background
# worker and serve Jalur at http://127.0.0.1:8000 (PORT=8001 scripts/run.sh for another port).
#
# The demo runs as a city server would, with DEBUG off: a wrong address shows Jalur's own "not
# found" page. DEBUG=1 scripts/run.sh shows Django's debug pages instead (for developers only).
# RESEED=1 adds the demo data again (it creates only what is missing). The demo log-ins are printed
# last and kept in var/demo-logins.txt.
#
# Ctrl+C, or one TERM, INT or HUP signal to this script, stops the worker and the web server it
# started, then the script exits.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh runtime

PY=.venv/bin/python
PORT="${PORT:-8000}"
export DEBUG="${DEBUG:-0}"
# Links in e-mails and WhatsApp messages point at this server (PORT may not be 8000).
export JALUR_SITE_URL="${JALUR_SITE_URL:-http://127.0.0.1:${PORT}}"
# Messages to phones (WhatsApp/SMS) are written to this terminal in the demo, so "Lupa kata sandi"
# with a phone number shows its link here. Set JALUR_PHONE_GATEWAY=http and its URL for a real one.
export JALUR_PHONE_GATEWAY="${JALUR_PHONE_GATEWAY-console}"
mkdir -p var

started=()
stop() {
  trap - EXIT INT TERM HUP
  if [ "${#started[@]}" -gt 0 ]; then
    kill -TERM "${started[@]}" 2>/dev/null || true
    # Each stops within seconds (gunicorn lets running requests finish); one that does not is killed.
    for _ in $(seq 1 100); do
      kill -0 "${started[@]}" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "${started[@]}" 2>/dev/null || true
    wait "${started[@]}" 2>/dev/null || true
  fi
}
trap 'stop' EXIT
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop; exit 129' HUP
# A step waited for in the background: bash runs a trap only once a foreground command ends, so a
# signal during a minute of migrating would otherwise wait for it.
step() {
  "$@" &
  local pid=$! keep=() p
  started+=("$pid")
  wait "$pid"
  for p in "${started[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
  started=("${keep[@]}")
}

# Static files are gathered (and gzipped) and the cache table made while the database is migrated:
# the machine's second core is not left idle.
$PY manage.py createcachetable &
started+=($!)
if [ "$DEBUG" = "0" ]; then
  $PY manage.py collectstatic --no-input -v 0 --skip-checks &
  started+=($!)
fi
step $PY manage.py migrate --no-input -v 0
if [ ! -f var/.demo-seeded ] || [ "${RESEED:-0}" = "1" ]; then
  step $PY manage.py seed_demo --skip-checks > var/demo-logins.txt.new
  mv var/demo-logins.txt.new var/demo-logins.txt
  touch var/.demo-seeded
fi
for pid in "${started[@]}"; do wait "$pid"; done
started=()

$PY manage.py db_worker --queue-name '*' --interval 2 --no-reload --no-startup-delay &
started+=($!)
.venv/bin/gunicorn jalur.wsgi --bind "127.0.0.1:${PORT}" --workers 2 --threads 4 \
  --access-logfile - --error-logfile - --log-level warning &
started+=($!)

# The log-ins come last: once the server answers and the worker has sent the demo's messages.
step $PY manage.py shell -v 0 -c "
import time, urllib.request
from django_tasks_db.models import DBTaskResult

deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen('http://127.0.0.1:${PORT}/healthz', timeout=2) as answer:
            if answer.status == 200:
                break
    except OSError:
        time.sleep(0.2)
waiting = DBTaskResult.objects.ready() | DBTaskResult.objects.running()
while time.monotonic() < deadline and waiting.exists():
    time.sleep(0.3)
" || true

echo
cat var/demo-logins.txt 2>/dev/null || true
echo "(log-in ini tersimpan di var/demo-logins.txt)"
echo
echo "Jalur berjalan di http://127.0.0.1:${PORT}  (Ctrl+C untuk berhenti)"
# Whichever stops first (the worker or the web server), the other is stopped too.
wait -n "${started[@]}" || true
