#!/usr/bin/env bash
# The newcomer's path, as CI runs it: clone this checkout's HEAD into a temporary directory, start
# the clone's scripts/run.sh on a free port and check that
#   - the first page answers (and how many seconds that took from a fresh clone),
#   - DEBUG is off: an unknown address gets Jalur's own 404 page, not Django's technical one,
#   - pages and static files are sent gzipped,
#   - the demo log-ins are printed last and kept in var/demo-logins.txt,
#   - ONE SIGTERM to run.sh stops everything it started (web server, worker) and run.sh exits.
# Exits non-zero with a message on the first failure. KEEP=1 keeps the clone for a look afterwards.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/jalur-quickstart.XXXXXX")"
run_pid=""

cleanup() {
  # Only if a check failed half-way: stop whatever is left of the run (its own process group).
  if [ -n "$run_pid" ] && kill -0 "$run_pid" 2>/dev/null; then
    kill -TERM -- "-$run_pid" 2>/dev/null || true
    sleep 2
    kill -KILL -- "-$run_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = "1" ]; then echo "clone kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

fail() {
  echo "check-quickstart: FAIL: $*" >&2
  if [ -f "$work/run.log" ]; then
    echo "--- last lines of scripts/run.sh's output:" >&2
    tail -n 30 "$work/run.log" >&2
  fi
  exit 1
}

# GET a URL: prints "status content-encoding" and writes the body to the file given.
fetch() {
  python3 - "$@" <<'PY'
import sys, urllib.error, urllib.request

url, body, encoding = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else ""
request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
try:
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - our own server
        status, headers, data = answer.status, answer.headers, answer.read()
except urllib.error.HTTPError as error:
    status, headers, data = error.code, error.headers, error.read()
except OSError:
    status, headers, data = 0, {}, b""
open(body, "wb").write(data)
print(status, headers.get("Content-Encoding") or "-")
PY
}

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:${port}"
git clone -q "$src" "$work/jalur"
echo "check-quickstart: cloned $(git -C "$work/jalur" rev-parse --short HEAD) into $work/jalur; starting scripts/run.sh on port $port"

start=$(date +%s.%N)
# setsid gives run.sh its own process group, so whatever it started can be found (and, only if
# this check fails, stopped) afterwards. The check itself sends one signal, to run.sh's PID only.
PORT="$port" setsid "$work/jalur/scripts/run.sh" >"$work/run.log" 2>&1 </dev/null &
run_pid=$!

deadline=$(($(date +%s) + ${QUICKSTART_TIMEOUT:-900}))
while :; do
  kill -0 "$run_pid" 2>/dev/null || fail "scripts/run.sh exited before serving a page"
  [ "$(date +%s)" -lt "$deadline" ] || fail "no page within ${QUICKSTART_TIMEOUT:-900} s"
  read -r status _ < <(fetch "$base/" "$work/home.html")
  [ "$status" = "200" ] && break
  sleep 0.5
done
first_page=$(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')")
echo "check-quickstart: first page (GET / 200) after ${first_page} s from a fresh clone"

# DEBUG off: Jalur's 404 page, not Django's technical one listing every URL.
read -r status _ < <(fetch "$base/tidak-ada-halaman-ini/" "$work/404.html")
[ "$status" = "404" ] || fail "an unknown address answered $status, not 404"
if grep -q -e "DEBUG = True" -e "URLconf" "$work/404.html"; then
  fail "the 404 page is Django's technical page: DEBUG is on"
fi

# Pages and static files are sent compressed.
read -r status encoding < <(fetch "$base/" "$work/home.gz" gzip)
[ "$status" = "200" ] && [ "$encoding" = "gzip" ] || fail "GET / with gzip accepted: $status $encoding"
css="$(grep -o '/static/[^"]*\.css' "$work/home.html" | head -n 1 || true)"
[ -n "$css" ] || fail "the first page links no stylesheet"
read -r status encoding < <(fetch "$base$css" "$work/style.css" gzip)
[ "$status" = "200" ] && [ "$encoding" = "gzip" ] || fail "GET $css with gzip accepted: $status $encoding"

# The log-ins: kept in var/demo-logins.txt, and printed last, next to "Jalur berjalan di".
logins="$work/jalur/var/demo-logins.txt"
[ -s "$logins" ] && grep -q "manajer" "$logins" || fail "var/demo-logins.txt is missing or holds no log-ins"
for _ in $(seq 1 120); do grep -q "Jalur berjalan di" "$work/run.log" && break; sleep 0.5; done
running_line=$(grep -n "Jalur berjalan di" "$work/run.log" | tail -n 1 | cut -d: -f1)
login_line=$(grep -n "manajer" "$work/run.log" | tail -n 1 | cut -d: -f1)
[ -n "$running_line" ] || fail "run.sh never printed 'Jalur berjalan di'"
[ -n "$login_line" ] && [ $((running_line - login_line)) -le 20 ] && [ "$login_line" -lt "$running_line" ] \
  || fail "the log-ins are not printed just before 'Jalur berjalan di' (lines $login_line and $running_line)"

# One SIGTERM to run.sh stops all it started.
started="$(pgrep -g "$run_pid" | grep -v "^${run_pid}\$" | tr '\n' ' ' || true)"
echo "check-quickstart: run.sh ($run_pid) started: $started; sending one SIGTERM to run.sh"
kill -TERM "$run_pid"
for _ in $(seq 1 150); do
  kill -0 "$run_pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$run_pid" 2>/dev/null && fail "run.sh still runs 15 s after one SIGTERM"
sleep 0.5
left="$(pgrep -g "$run_pid" || true)"
[ -z "$left" ] || fail "still running after run.sh stopped: $(ps -o pid=,args= -p "$(echo $left | tr ' ' ',')")"
if python3 -c "import socket, sys; socket.create_connection(('127.0.0.1', $port), timeout=1)" 2>/dev/null; then
  fail "something still listens on port $port"
fi
run_pid=""
total=$(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')")
echo "check-quickstart: OK (first page after ${first_page} s; all checks and the stop: ${total} s)"
