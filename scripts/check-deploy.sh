#!/usr/bin/env bash
# Follows docs/deploy.md, section 1, on this machine, so the guide cannot drift from what works:
# the guide's command blocks marked `deploy-check:NAME` run as written, with /srv/jalur, /etc/jalur.env,
# /var/lib/jalur and /run moved under a temporary folder; the app servers, the worker and each timer's
# job run with the ExecStart= lines of deploy/systemd/ (started directly: no systemd, no root needed
# beyond creating a PostgreSQL role). Needs PostgreSQL at 127.0.0.1:5432 whose `postgres` role logs in
# without a password (CHECK_DEPLOY_PG overrides the address) and the package registry for pip.
# Everything it made (processes, the role, the database, the folder) is removed at the end, also on
# failure; KEEP=1 keeps the folder to look at.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO="$PWD"
GUIDE="$REPO/docs/deploy.md"
UNITS="$REPO/deploy/systemd"
PG="${CHECK_DEPLOY_PG:-postgres://postgres@127.0.0.1:5432}"
HOST="jalur.serangkota.go.id"   # the guide's host name, sent as Host: like nginx does
started=$SECONDS

say() { printf '== [%3d s] %s\n' "$((SECONDS - started))" "$*"; }
fail() { printf 'check-deploy: FAILED: %s\n' "$*" >&2; exit 1; }

ROOT="$(mktemp -d "${TMPDIR:-/tmp}/jalur-deploy.XXXXXX")"
NAME="jalur_check_$(date +%s)_$$"
PIDS=()
DB_MADE=0

any_alive() { local pid; for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done; return 1; }
cleanup() {
  local status=$?
  set +e
  if [ "${#PIDS[@]}" -gt 0 ]; then
    say "stopping the app servers and the worker (SIGTERM, as systemctl stop does)"
    kill -TERM "${PIDS[@]}" 2>/dev/null
    for _ in $(seq 1 400); do any_alive "${PIDS[@]}" || break; sleep 0.1; done
    for pid in "${PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null && echo "check-deploy: $pid ignored SIGTERM for 40 s" >&2
      kill -KILL "$pid" 2>/dev/null
    done
  fi
  if [ "$status" != 0 ]; then
    for log in "$ROOT"/logs/*.log; do
      [ -f "$log" ] && { echo "---- $(basename "$log") (last lines)"; tail -n 25 "$log"; }
    done
  fi
  if [ "$DB_MADE" = 1 ]; then
    say "dropping database and role $NAME"
    psql -q "$PG/postgres" -v ON_ERROR_STOP=1 \
      -c "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" -c "DROP ROLE IF EXISTS $NAME" \
      || echo "check-deploy: could not drop database/role $NAME" >&2
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept: $ROOT"; else say "removing $ROOT"; rm -rf "$ROOT"; fi
  if [ "$status" = 0 ]; then
    echo "check-deploy: passed in $((SECONDS - started)) s"
  else
    echo "check-deploy: failed after $((SECONDS - started)) s" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The guide's absolute paths, moved under $ROOT.
relocate() {
  sed -e "s#/run/#$ROOT/run/#g" -e "s#/srv/jalur#$ROOT/srv/jalur#g" \
    -e "s#/etc/jalur.env#$ROOT/etc/jalur.env#g" -e "s#/var/lib/jalur#$ROOT/var/lib/jalur#g" \
    -e "s#/etc/jalur-backup-public.pem#$ROOT/etc/jalur-backup-public.pem#g"
}
# A fenced block of the guide: ```sh deploy-check:NAME … ```
guide_block() {
  local block
  block="$(awk -v name="deploy-check:$1" '
    $0 ~ "^```" && inside { exit } inside { print } $0 == "```sh " name { inside = 1 }' "$GUIDE")"
  [ -n "$block" ] || fail "docs/deploy.md has no block marked deploy-check:$1"
  printf '%s\n' "$block" | relocate
}
# The ExecStart= line of a unit (continuation lines joined), %i given, paths moved.
exec_start() {
  awk '/^ExecStart=/ { on = 1; sub(/^ExecStart=/, "") }
       on { line = line $0; if (sub(/\\$/, "", line)) next; print line; exit }' "$UNITS/$1" |
    sed -e "s/%i/${2:-}/g" | relocate
}
unit_value() { sed -n "s/^$2=//p" "$UNITS/$1" | head -n 1 | relocate; }
# Run a unit's command as systemd would: in its WorkingDirectory, with its EnvironmentFile; with a
# fourth argument in the background, the process's id (the command's own, through exec) kept in PIDS.
run_unit() {   # unit instance logname [background]
  local cmd dir env
  cmd="$(exec_start "$1" "$2")"
  dir="$(unit_value "$1" WorkingDirectory)"
  env="$(unit_value "$1" EnvironmentFile)"
  [ -n "$cmd" ] && [ -n "$dir" ] && [ -n "$env" ] || fail "$1 lacks ExecStart, WorkingDirectory or EnvironmentFile"
  if [ -n "${4:-}" ]; then
    (cd "$dir" && set -a && . "$env" && set +a && eval "exec $cmd") >"$ROOT/logs/$3.log" 2>&1 &
    PIDS+=($!)
  else
    (cd "$dir" && set -a && . "$env" && set +a && eval "exec $cmd") >"$ROOT/logs/$3.log" 2>&1
  fi
}
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

mkdir -p "$ROOT/logs" "$ROOT/etc" "$ROOT/run" "$ROOT/srv"

say "1.1 folders"
install -d -m 0750 "$ROOT/var/lib/jalur" "$ROOT/var/lib/jalur/media" "$ROOT/var/lib/jalur/static" \
  "$ROOT/var/lib/jalur/backups"

say "1.2 PostgreSQL: role $NAME with a password that needs URL-encoding, and its database"
command -v psql >/dev/null || fail "psql not found (apt-get install postgresql-client)"
password="$(python3 -c 'import secrets; print(secrets.token_urlsafe(12))')@:/?#%[] x"
psql -q "$PG/postgres" -v ON_ERROR_STOP=1 -c "CREATE ROLE $NAME LOGIN PASSWORD '$password'"
DB_MADE=1
psql -q "$PG/postgres" -v ON_ERROR_STOP=1 -c "CREATE DATABASE $NAME OWNER $NAME"
# The guide's encoding one-liner, as it stands in section 1.2.
encode="$(grep -m1 "^python3 -c 'import sys, urllib.parse" "$GUIDE" | sed "s/ '[^']*'\$//")"
[ -n "$encode" ] || fail "docs/deploy.md lost the URL-encoding command of section 1.2"
encoded="$(eval "$encode \"\$password\"")"
pg_hostport="${PG#postgres://*@}"

say "1.3 the code (the checkout, as git clone gives it) and its packages"
git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf - | (mkdir "$ROOT/srv/jalur" && tar -xf - -C "$ROOT/srv/jalur")
guide_block install >"$ROOT/install.sh"
bash -euo pipefail "$ROOT/install.sh" >"$ROOT/logs/install.log" 2>&1 || fail "the install block (see install.log)"
VENV="$ROOT/srv/jalur/.venv"
for tool in pytest ruff playwright hypothesis; do
  if "$VENV/bin/pip" show -q "$tool" >/dev/null 2>&1; then fail "$tool was installed in production"; fi
done
"$VENV/bin/pip" check >/dev/null || fail "pip check: the installed packages disagree"

say "1.4 the settings file"
ENVFILE="$ROOT/etc/jalur.env"
install -m 0640 "$REPO/deploy/jalur.env.example" "$ENVFILE"
relocate <"$ENVFILE" >"$ENVFILE.new" && mv "$ENVFILE.new" "$ENVFILE"
set_value() { # KEY VALUE: the operator's edit of a CHANGE-ME line
  grep -q "^$1=" "$ENVFILE" || fail "deploy/jalur.env.example has no $1"
  sed -i "s#^$1=.*#$1='$2'#" "$ENVFILE"
}
set_value SECRET_KEY "$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
set_value DATABASE_URL "postgres://$NAME:$encoded@$pg_hostport/$NAME"
set_value EMAIL_BACKEND django.core.mail.backends.console.EmailBackend   # no mail leaves this machine
set_value EMAIL_HOST_PASSWORD unused
if grep -n "^[A-Z_]*=.*CHANGE-ME" "$ENVFILE"; then fail "a CHANGE-ME is left in the settings file"; fi
# The backup key pair is made on the officer's computer (section 5); the server gets the public key.
mkdir -p "$ROOT/officer"
export JALUR_BACKUP_KEY_PASSPHRASE
JALUR_BACKUP_KEY_PASSPHRASE="Kunci-$(python3 -c 'import secrets; print(secrets.token_urlsafe(12))')"
(cd "$ROOT/srv/jalur" && "$VENV/bin/python" -c '
import sys
from pathlib import Path
from jalur.core.backup_crypto import key_pair_create
private, public = key_pair_create(sys.argv[1], bits=3072)
Path(sys.argv[2]).write_bytes(private)
Path(sys.argv[3]).write_bytes(public)
' "$JALUR_BACKUP_KEY_PASSPHRASE" "$ROOT/officer/backup-private.pem" "$ROOT/etc/jalur-backup-public.pem") ||
  fail "could not make the backup key pair"

say "1.5 database, static files, first administrator (the guide's block)"
export JALUR_ADMIN_PASSWORD
JALUR_ADMIN_PASSWORD="Periksa-$(python3 -c 'import secrets; print(secrets.token_urlsafe(9))')"
guide_block prepare >"$ROOT/prepare.sh"
bash -euo pipefail "$ROOT/prepare.sh" >"$ROOT/logs/prepare.log" 2>&1 || fail "the prepare block (see prepare.log)"
grep -q "System check identified no issues" "$ROOT/logs/prepare.log" || fail "check --deploy found issues (prepare.log)"
grep -q "Admin sistem 'admin' dibuat" "$ROOT/logs/prepare.log" || fail "create_admin made no admin"
[ ! -e "$ROOT/srv/jalur/var" ] || fail "production wrote into the checkout: $(ls "$ROOT/srv/jalur/var")"
ls "$ROOT/var/lib/jalur/static" | grep -q . || fail "collectstatic left STATIC_ROOT empty"

say "1.6 each timer's job, once"
timers=0
for timer in "$UNITS"/*.timer; do
  unit="$(basename "$timer" .timer).service"
  [ -f "$UNITS/$unit" ] || fail "$(basename "$timer") has no $unit"
  run_unit "$unit" "" "${unit%.service}" || fail "$unit failed (see ${unit%.service}.log)"
  timers=$((timers + 1))
done
ls "$ROOT/var/lib/jalur/backups"/jalur-*.zip >/dev/null 2>&1 && fail "jalur-backup wrote a plain zip"
backup_file="$(ls "$ROOT/var/lib/jalur/backups"/jalur-*.zip.enc 2>/dev/null | head -1)"
[ -n "$backup_file" ] || fail "jalur-backup wrote no encrypted backup"
# Only the officer's private key opens it, and inside is the backup zip.
(cd "$ROOT/srv/jalur" && "$VENV/bin/python" -c '
import io, os, sys, zipfile
from jalur.core.backup_crypto import decrypt, private_key_load
key = private_key_load(sys.argv[1], os.environ["JALUR_BACKUP_KEY_PASSPHRASE"])
plain = io.BytesIO()
with open(sys.argv[2], "rb") as source:
    decrypt(source, plain, key)
assert "manifest.json" in zipfile.ZipFile(plain).namelist()
' "$ROOT/officer/backup-private.pem" "$backup_file") || fail "the encrypted backup does not open with the officer's key"
echo "   $timers jobs ran"

say "1.6 two app servers and the worker"
P1="$(free_port)"; P2="$(free_port)"
[ "$P1" != "$P2" ] || P2="$(free_port)"
for port in "$P1" "$P2"; do
  mkdir -p "$(unit_value jalur-web@.service RuntimeDirectory | sed "s#^#$ROOT/run/#; s/%i/$port/")"
  run_unit jalur-web@.service "$port" "web-$port" background
done
run_unit jalur-worker.service "" worker background
for port in "$P1" "$P2"; do   # up when it accepts connections (the checks below judge the answers)
  for _ in $(seq 1 240); do
    python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
      "$port" 2>/dev/null && break
    sleep 0.5
  done
done

say "checks through both servers"
"$VENV/bin/python" - "$P1" "$P2" "$HOST" <<'PY' || fail "an HTTP check"
"""Plain HTTP as a load balancer's probe sends it; everything else as nginx passes a browser's HTTPS."""
import base64
import hmac
import http.client
import json
import os
import re
import sys
import time
import uuid
from urllib.parse import urlencode

p1, p2, host = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

password = os.environ["JALUR_ADMIN_PASSWORD"]
origin = f"https://{host}"
jar: dict[str, str] = {}


def call(port, method, path, *, body=None, headers=None, https=True):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = {"Host": host, **(headers or {})}
    if https:
        sent["X-Forwarded-Proto"] = "https"
        if jar:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    data = response.read()
    for key, value in response.getheaders():
        if https and key.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def check(what, ok):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        sys.exit(1)


def token(html: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    check("a CSRF token on the form", bool(found))
    return found.group(1).decode()


for port in (p1, p2):
    status, headers, data = call(port, "GET", "/healthz", https=False)
    check(f"/healthz over plain HTTP on :{port} answers 200 (got {status} {headers.get('location', '')})",
          status == 200 and json.loads(data) == {"status": "ok"})
status, headers, _ = call(p1, "GET", "/masuk/", https=False)
check(f"other pages over plain HTTP redirect to HTTPS (got {status})",
      status == 301 and headers.get("location", "").startswith("https://"))

status, _, page = call(p1, "GET", "/masuk/")
form = urlencode({"username": "admin", "password": password, "csrfmiddlewaretoken": token(page)})
status, headers, _ = call(p1, "POST", "/masuk/", body=form, headers={
    "Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": f"{origin}/masuk/"})
check(f"the admin logs in through server 1 (got {status})", status == 302 and "sessionid" in jar)
# The first log-in of a role that sees identities sets up the authenticator app (guide 1.5): read the
# secret the page shows, compute the code as the app would (RFC 6238), confirm it.
status, _, page = call(p1, "GET", "/akun/dua-langkah/")
secret = re.search(rb"data-otp-secret>([A-Z2-7 ]+)<", page)
check(f"the two-step set-up page shows the secret (got {status})", status == 200 and bool(secret))
text = secret.group(1).decode().replace(" ", "")
key = base64.b32decode(text + "=" * (-len(text) % 8))
digest = hmac.new(key, (int(time.time()) // 30).to_bytes(8, "big"), "sha1").digest()
offset = digest[-1] & 15
code = f"{(int.from_bytes(digest[offset:offset + 4], 'big') & 0x7FFFFFFF) % 10**6:06d}"
form = urlencode({"code": code, "csrfmiddlewaretoken": token(page)})
status, _, page = call(p1, "POST", "/akun/dua-langkah/", body=form, headers={
    "Content-Type": "application/x-www-form-urlencoded", "Origin": origin,
    "Referer": f"{origin}/akun/dua-langkah/"})
check(f"the admin's authenticator app is set up, recovery codes shown (got {status})",
      status == 200 and b"data-recovery-codes" in page)
status, _, page = call(p2, "GET", "/admin/")
check(f"server 2 knows the session: /admin/ opens (got {status})",
      status == 200 and b"Jalur: administrasi sistem" in page)

status, _, sheet = call(p1, "GET", "/pencaker/impor/templat.xlsx")
check("the import template downloads", status == 200 and sheet.startswith(b"PK"))
status, _, page = call(p1, "GET", "/pencaker/impor/")
boundary = uuid.uuid4().hex
parts = [
    f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token(page)}\r\n',
    f'--{boundary}\r\nContent-Disposition: form-data; name="dry_run"\r\n\r\non\r\n',
    f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cek.xlsx"\r\n'
    "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n",
]
body = "".join(parts).encode() + sheet + f"\r\n--{boundary}--\r\n".encode()
status, headers, _ = call(p1, "POST", "/pencaker/impor/", body=body, headers={
    "Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": origin,
    "Referer": f"{origin}/pencaker/impor/"})
job = re.search(r"/pencaker/impor/(\d+)/$", headers.get("location", ""))
check(f"an Excel sheet uploads through server 1 (got {status})", status == 302 and bool(job))
deadline = time.monotonic() + 120
while True:
    status, _, report = call(p2, "GET", f"/pencaker/impor/{job.group(1)}/laporan.csv")
    if status == 200 or time.monotonic() > deadline:
        break
    time.sleep(1)
check(f"the worker imported it and server 2 serves its report file (got {status})",
      status == 200 and report.startswith(b"PK"))

asset = re.search(rb'(?:href|src)="(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js))"', page)
check("pages name hashed static files", bool(asset))
status, headers, _ = call(p2, "GET", asset.group(1).decode())
check(f"server 2 serves {asset.group(1).decode()} (got {status})",
      status == 200 and "max-age=315360000" in headers.get("cache-control", ""))
PY

find "$ROOT/var/lib/jalur/media/impor" -type f -name '*.xlsx' | grep -q . ||
  fail "the import's report is not in MEDIA_ROOT"
[ ! -e "$ROOT/srv/jalur/var" ] || fail "the app servers wrote into the checkout: $(ls "$ROOT/srv/jalur/var")"

say "each app server's own pid file and control socket"
for port in "$P1" "$P2"; do
  run="$ROOT/run/jalur-web-$port"
  [ -S "$run/gunicorn.ctl" ] || fail "no control socket $run/gunicorn.ctl"
  pid="$(cat "$run/gunicorn.pid")"
  answer="$("$VENV/bin/gunicornc" -s "$run/gunicorn.ctl" -c "show workers" -j)"
  "$VENV/bin/python" -c 'import json, sys; w = json.loads(sys.argv[1]); sys.exit(0 if w else 1)' \
    "$answer" || fail "gunicornc on :$port answered: $answer"
  printf '%s\n' "${PIDS[@]}" | grep -qx "$pid" || fail "pid file of :$port names $pid, not the process started"
  echo "   :$port arbiter $pid, $run/gunicorn.ctl"
done
[ "$(cat "$ROOT/run/jalur-web-$P1/gunicorn.pid")" != "$(cat "$ROOT/run/jalur-web-$P2/gunicorn.pid")" ] ||
  fail "both app servers wrote one pid"
