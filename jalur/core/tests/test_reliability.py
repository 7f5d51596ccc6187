"""No data loss when the application server is killed mid-run (kill -9).

A real gunicorn serves a fresh database; threads register people at the desk as fast as they can;
the whole server process group is killed with SIGKILL part-way. Afterwards every registration that
got a success answer must be in the database and complete (account, stage history, audit row,
consent), and nothing half-written may exist.
"""

import datetime
import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from jalur.rules.identity import nik_build

ROOT = Path(__file__).resolve().parents[3]
TOTAL = 60
KILL_AFTER = 15

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(database_url: str, var_dir: Path) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=database_url,
        JALUR_VAR_DIR=str(var_dir),
        AXES_ENABLED="0",
        # the desk's second log-in step is tested in accounts; here only its registrations matter
        JALUR_2FA_REQUIRED="0",
        DEBUG="0",
        LOG_LEVEL="WARNING",
    )
    return env


def _manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )


def _payload(i: int, job_type_id: int) -> dict:
    birth = datetime.date(1995, 1 + i % 12, 1 + i % 28)
    female = i % 2 == 0
    data = {
        "identity-nik": nik_build(
            district_code="36.73.02", birth_date=birth, female=female, serial=1000 + i
        ),
        "identity-kk_number": f"367302{i:010d}",
        "identity-full_name": "Peserta Uji " + "".join("ABCDEFGHIJ"[int(d)] for d in f"{i:03d}"),
        "identity-birth_place": "Serang",
        "identity-birth_date": birth.isoformat(),
        "identity-sex": "P" if female else "L",
        "identity-religion": "islam",
        "identity-marital_status": "belum_kawin",
        "address-village": "36.73.02.1001",
        "address-rt": "1",
        "address-rw": "2",
        "address-street": "Jl. Uji",
        "address-phone": f"0857{i:08d}",
        "address-email": "",
        "address-emergency_name": "Keluarga Uji",
        "address-emergency_relation": "Orang tua",
        "address-emergency_phone": "0813 1111 2222",
        "education-education_level": "SMA",
        "education-education_major": "IPA",
        "education-height_cm": "160",
        "preferences-preferred_countries": "JP",
        "preferences-preferred_job_types": str(job_type_id),
        "consent-agree": "on",
    }
    return data


class Client:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str):
        return self.opener.open(self.base + path, timeout=30)

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"X-CSRFToken": self.csrf()}
        )
        try:
            return self.opener.open(request, timeout=30).status
        except urllib.error.HTTPError as error:
            return error.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _sqlite_rows(path: Path, sql: str) -> list:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


@pytest.fixture
def kill9_database(tmp_path):
    """(database_url, rows) of a database of the test's own, which the server under test may
    be killed inside; on PostgreSQL it is dropped afterwards, whatever happened (it used to stay
    behind, one per run)."""
    if connection.vendor != "postgresql":
        db_path = tmp_path / "kill9.sqlite3"
        yield f"sqlite:///{db_path}", lambda sql: _sqlite_rows(db_path, sql)
        return
    import psycopg

    settings_db = connection.settings_dict
    name = f"jalur_kill9_{os.getpid()}"
    host, port = settings_db["HOST"] or "127.0.0.1", settings_db["PORT"] or 5432
    admin = f"host={host} port={port} user={settings_db['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')

    def rows(sql):
        with psycopg.connect(admin.replace("dbname=postgres", f"dbname={name}")) as db:
            return db.execute(sql).fetchall()

    try:
        yield f"postgres://{settings_db['USER']}@{host}:{port}/{name}", rows
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_registrations_that_were_answered_survive_a_kill_9_and_nothing_is_half_written(
    tmp_path, kill9_database
):
    database_url, rows = kill9_database
    env = _env(database_url, tmp_path)
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(
        env,
        "shell",
        "-c",
        "from jalur.accounts.services import organisation_create, user_create;"
        "o = organisation_create(actor=None, kind='labour_office', name='Disnaker', code='d');"
        "user_create(actor=None, username='desk', role='registration_officer', organisation=o, password='desk-pass-2026')",
    )
    job_type_id = rows("SELECT id FROM pathways_jobtype WHERE code = 'industrial'")[0][0]
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "jalur.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        client = Client(base)
        for _ in range(100):
            try:
                client.get("/masuk/")
                break
            except OSError:
                time.sleep(0.1)
        assert client.post("/masuk/", {"username": "desk", "password": "desk-pass-2026"}) == 302
        client.get("/pencaker/baru/")

        answered: list[str] = []
        statuses: list[int] = []
        lock = threading.Lock()
        killed = threading.Event()

        def register(i: int):
            if killed.is_set():
                return
            payload = _payload(i, job_type_id)
            try:
                status = client.post("/pencaker/baru/", payload)
            except OSError:
                return
            statuses.append(status)
            if status == 302:
                with lock:
                    answered.append(payload["identity-nik"])
                    if len(answered) >= KILL_AFTER and not killed.is_set():
                        killed.set()
                        os.killpg(server.pid, signal.SIGKILL)

        threads = [threading.Thread(target=register, args=(i,)) for i in range(TOTAL)]
        for t in threads:
            t.start()
            time.sleep(0.01)
        for t in threads:
            t.join(timeout=60)
        assert killed.is_set(), (
            f"the server was never killed: too few registrations succeeded ({statuses})"
        )
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)

    stored = {r[0]: r for r in rows("SELECT nik, id, user_id FROM candidates_candidate")}
    missing = [nik for nik in answered if nik not in stored]
    assert missing == [], f"answered but lost: {missing}"
    # Complete: every stored registration (answered or not) has its account, first history row,
    # audit row and consent; nothing exists half-written.
    history = {r[0] for r in rows("SELECT DISTINCT candidate_id FROM candidates_stagehistory")}
    consent = {r[0] for r in rows("SELECT DISTINCT candidate_id FROM candidates_consentrecord")}
    audited = {
        int(r[0])
        for r in rows(
            "SELECT DISTINCT object_id FROM audit_auditlog WHERE action LIKE 'candidate.%' AND object_id <> ''"
        )
        if re.fullmatch(r"\d+", r[0])
    }
    for nik, pk, user_id in stored.values():
        assert user_id is not None, nik
        assert pk in history and pk in consent and pk in audited, nik
    users = {r[0] for r in rows("SELECT id FROM accounts_user WHERE role = 'candidate'")}
    assert users == {r[2] for r in stored.values()}, (
        "an account without its registration was left behind"
    )
    assert len(answered) >= KILL_AFTER
