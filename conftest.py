"""Shared fixtures: one user per role (two organisations of each kind), clients, database markers."""

import datetime
import os
import shutil
import threading
import time

import pytest
import time_machine
from django.core.signals import request_finished, request_started
from django.db import connection
from django.db.backends.signals import connection_created

from jalur.accounts.roles import OrganisationKind, Role
from jalur.accounts.tests.factories import OrganisationFactory, UserFactory

REQUIRE_POSTGRES = os.environ.get("JALUR_REQUIRE_POSTGRES") == "1"
CHROMIUM = os.environ.get("JALUR_CHROMIUM", "/usr/bin/chromium")


def _live_server_one_request_at_a_time() -> None:
    """SQLite's in-memory test database has one connection, which Django's live server shares
    with the test. Its threaded server would run a page's parallel requests (the verifier's
    document previews) on that one connection at once ("cannot start a transaction within a
    transaction"), so on SQLite the browser tests get a server that answers one request at a
    time and closes each connection after it."""
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class OneAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # The server thread has already switched to the test's connection.
            super().__init__(*args, **kwargs)

    LiveServerThread.server_class = OneAtATime


if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    _live_server_one_request_at_a_time()


class _InFlight:
    """Requests the live server (a thread of this process) is still answering. A browser test can
    end while a page's last request (an image, an HTMX poll) is still being served; on PostgreSQL
    that request's locks then meet the teardown's TRUNCATE and one of them dies in a deadlock.

    Requests are kept per thread, and the main thread's are not counted: the test client runs
    there, and a streamed response it never reads (a document download) sends request_finished
    only when read, so a plain count stuck above zero made every later browser test wait its full
    10 s at teardown. A request whose thread has ended is not waited for either."""

    def __init__(self):
        self.active: dict[int, threading.Thread] = {}
        self.lock = threading.Lock()

    def started(self, **kwargs):
        thread = threading.current_thread()
        if thread is not threading.main_thread():
            with self.lock:
                self.active[thread.ident] = thread

    def finished(self, **kwargs):
        with self.lock:
            self.active.pop(threading.get_ident(), None)

    def busy(self) -> bool:
        with self.lock:
            return any(thread.is_alive() for thread in self.active.values())

    def wait_until_quiet(self, seconds: float = 10.0) -> None:
        deadline = time.monotonic() + seconds
        while self.busy() and time.monotonic() < deadline:
            time.sleep(0.02)


_IN_FLIGHT = _InFlight()
# First among request_finished's receivers would be best, but Django's own close_old_connections is
# connected at import; it runs before this one and does not raise while the test still holds the
# database, which is exactly when this fixture waits.
request_started.connect(_IN_FLIGHT.started, dispatch_uid="jalur-tests-in-flight-started")
request_finished.connect(_IN_FLIGHT.finished, dispatch_uid="jalur-tests-in-flight-finished")


@pytest.fixture(autouse=True)
def _live_server_quiet_before_flush(request):
    """Browser tests: after the pages are closed, let the live server finish what it is answering
    before the database is flushed (this fixture is torn down before pytest-django's), then empty
    the shared cache: the flush empties the models' tables, not the database cache's, and the
    attempt counts one test's sign-ups left there (per address, per phone) would refuse the next
    test's."""
    yield
    if "live_server" in request.fixturenames:
        _IN_FLIGHT.wait_until_quiet()
        from django.core.cache import cache

        cache.clear()


class _ThreadConnections:
    """Database connections opened outside the main thread (a race test's threads, the live
    server's request threads) during the current test."""

    def __init__(self):
        self.opened: list[tuple[str, object]] = []
        self.main: dict[int, object] = {}
        self.lock = threading.Lock()

    def created(self, sender, connection, **kwargs):
        if threading.current_thread() is threading.main_thread():
            self.main[id(connection)] = connection
            return
        with self.lock:
            self.opened.append((threading.current_thread().name, connection))

    def close_main(self) -> None:
        """The main thread can hold more than one connection: Django keeps connections per
        context (asgiref's Local), and from the first browser test on (Playwright's sync API
        runs its event loop in this thread) the test code gets a context, and a connection, of
        its own, while the one the earlier tests used stays open, idle, until the session ends
        and PostgreSQL refuses to drop the test database "being accessed by other users". Each
        test therefore ends with every main-thread connection closed (outside a transaction);
        the next test opens its own."""
        for wrapper in list(self.main.values()):
            if wrapper.connection is not None and not wrapper.in_atomic_block:
                wrapper.close()

    def still_open(self) -> list[str]:
        with self.lock:
            return [name for name, wrapper in self.opened if wrapper.connection is not None]


_THREAD_CONNECTIONS = _ThreadConnections()
connection_created.connect(_THREAD_CONNECTIONS.created, dispatch_uid="jalur-tests-thread-conns")


@pytest.fixture(scope="session")
def _close_connections_before_the_test_databases_go(django_db_setup, django_db_blocker):
    """Set up after the test databases, so torn down before them: the session's last test may
    have left a main-thread connection of another context open (see close_main)."""
    yield
    with django_db_blocker.unblock():
        for wrapper in list(_THREAD_CONNECTIONS.main.values()):
            if wrapper.connection is not None:
                wrapper.close()


@pytest.fixture(autouse=True)
def _no_connection_left_open(request):
    """PostgreSQL: a thread that never closes its connection keeps the test database "being
    accessed by other users" when the session drops it, and the database stays behind. Fail the
    test whose thread did it (the live server's threads get a few seconds to finish)."""
    _THREAD_CONNECTIONS.opened.clear()
    if "django_db_setup" in request.fixturenames:
        request.getfixturevalue("_close_connections_before_the_test_databases_go")
    yield
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + 5
    while _THREAD_CONNECTIONS.still_open() and time.monotonic() < deadline:
        time.sleep(0.05)
    left = _THREAD_CONNECTIONS.still_open()
    _THREAD_CONNECTIONS.opened.clear()
    _THREAD_CONNECTIONS.close_main()
    if left:
        pytest.fail(f"{request.node.nodeid} left database connections open in threads: {left}")


# JALUR_TEST_TODAY=YYYY-MM-DD runs the whole session on that day (CI: a leap day), so a test that
# pins a date its data computes from today, or code that breaks on 29 February or 31 December,
# fails here instead of on the day it happens. The clock starts at 10:00 in Jakarta (03:00 UTC,
# the same date in both) and ticks; it moves time.time() and datetime's now()/today() for every
# thread of the process, live servers included. Nothing computes dates in the database server.
# It starts when this file is imported, in every process (pytest-xdist's workers import it too),
# not in pytest_configure: the conftests of the paths on the command line, whose module-level
# TODAY constants read the clock, are imported before pytest_configure runs, but after this one.
TEST_TODAY = os.environ.get("JALUR_TEST_TODAY", "").strip()


def _test_today() -> datetime.date | None:
    if not TEST_TODAY:
        return None
    try:
        return datetime.date.fromisoformat(TEST_TODAY)
    except ValueError:
        raise pytest.UsageError(
            f"JALUR_TEST_TODAY={TEST_TODAY!r} is not a date; write it as YYYY-MM-DD"
        ) from None


def _clock_start():
    day = _test_today()
    if day is None:
        return None
    jakarta = datetime.timezone(datetime.timedelta(hours=7))
    clock = time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), jakarta), tick=True
    )
    clock.start()
    return clock


_clock = _clock_start()


def pytest_unconfigure(config):
    global _clock
    if _clock is not None:
        _clock.stop()
        _clock = None


def pytest_report_header(config):
    day = _test_today()
    if day is not None:
        return f"jalur: clock moved to {day.isoformat()} (JALUR_TEST_TODAY), 10:00 Asia/Jakarta"
    return None


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    """Browser tests skip where Chromium is missing, with the command that installs it; in CI
    (CI=true) a missing browser fails the run instead, so they cannot silently stop running."""
    if shutil.which(CHROMIUM) or not any(i.get_closest_marker("browser") for i in items):
        return
    message = (
        f"browser test: Chromium not found at {CHROMIUM}; install it with "
        "'apt-get install chromium' (.ci/run does)"
    )
    if _in_ci():
        raise pytest.UsageError(f"CI=true and {message}")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """Tests marked `postgres` skip on SQLite with a message, and fail in CI's PostgreSQL run."""
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        if REQUIRE_POSTGRES:
            pytest.fail("JALUR_REQUIRE_POSTGRES=1 but the test database is not PostgreSQL")
        pytest.skip(
            "needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/jalur "
            "(.ci/run does)"
        )


@pytest.fixture(autouse=True)
def _indonesian(settings):
    """Every test starts in the default language: a request earlier in the same thread may have
    switched it to English (the language switcher, a user's saved preference)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.JALUR_PHONE_GATEWAY = (
        ""  # off, whatever the environment says; `phone_outbox` turns it on
    )
    # The code step after the password is off unless a test asks for it (`two_factor_on`): the
    # other tests log staff in with force_login or the password form alone.
    settings.JALUR_2FA_REQUIRED = False
    yield


@pytest.fixture
def phone_outbox(settings):
    """Messages to phones on, kept in a list of (number, text) instead of sent to a gateway."""
    from jalur.notifications import gateways

    settings.JALUR_PHONE_GATEWAY = "memory"
    settings.JALUR_PHONE_CHANNEL = "whatsapp"
    gateways.outbox.clear()
    yield gateways.outbox
    gateways.outbox.clear()


@pytest.fixture
def office(db):
    return OrganisationFactory(
        kind=OrganisationKind.LABOUR_OFFICE, code="disnaker", name="Disnakertrans Uji"
    )


@pytest.fixture
def provider(db):
    return OrganisationFactory(kind=OrganisationKind.TRAINING_PROVIDER, code="lpk-a", name="LPK A")


@pytest.fixture
def provider_b(db):
    return OrganisationFactory(kind=OrganisationKind.TRAINING_PROVIDER, code="lpk-b", name="LPK B")


@pytest.fixture
def agency(db):
    return OrganisationFactory(kind=OrganisationKind.PLACEMENT_AGENCY, code="p3mi-a", name="PT A")


@pytest.fixture
def agency_b(db):
    return OrganisationFactory(kind=OrganisationKind.PLACEMENT_AGENCY, code="p3mi-b", name="PT B")


@pytest.fixture
def sysadmin(office):
    return UserFactory(
        username="admin", role=Role.SYSADMIN, organisation=office, is_staff=True, is_superuser=True
    )


@pytest.fixture
def manager(office):
    return UserFactory(username="manajer", role=Role.PROGRAMME_MANAGER, organisation=office)


@pytest.fixture
def officer(office):
    return UserFactory(username="petugas", role=Role.REGISTRATION_OFFICER, organisation=office)


@pytest.fixture
def verifier(office):
    return UserFactory(username="verifikator", role=Role.VERIFIER, organisation=office)


@pytest.fixture
def leader(office):
    return UserFactory(username="pimpinan", role=Role.LEADERSHIP, organisation=office)


@pytest.fixture
def trainer(provider):
    return UserFactory(username="lpk", role=Role.TRAINING_STAFF, organisation=provider)


@pytest.fixture
def trainer_b(provider_b):
    return UserFactory(username="lpk-b", role=Role.TRAINING_STAFF, organisation=provider_b)


@pytest.fixture
def agent(agency):
    return UserFactory(username="p3mi", role=Role.AGENCY_STAFF, organisation=agency)


@pytest.fixture
def agent_b(agency_b):
    return UserFactory(username="p3mi-b", role=Role.AGENCY_STAFF, organisation=agency_b)


@pytest.fixture
def candidate_user(db):
    return UserFactory(
        username="pencaker", role=Role.CANDIDATE, organisation=None, phone="+6281234567890"
    )


@pytest.fixture
def role_users(sysadmin, manager, officer, verifier, leader, trainer, agent, candidate_user):
    """{role: user}, one per role."""
    return {
        u.role: u
        for u in (sysadmin, manager, officer, verifier, leader, trainer, agent, candidate_user)
    }


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def _browser():
    """Debian's headless Chromium driven by Playwright (no browser download)."""
    os.environ.setdefault(
        "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
    )  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(request, _browser, live_server, monkeypatch):
    """A 360×740 phone-sized page on the live server; saves a screenshot when the test fails."""
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    context = _browser.new_context(
        viewport={"width": 360, "height": 740}, locale="id-ID", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        from pathlib import Path

        folder = Path(__file__).parent / "test-artifacts"
        folder.mkdir(exist_ok=True)
        page.screenshot(path=str(folder / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def client_for(client):
    def _login(user):
        client.force_login(user, backend="jalur.accounts.backends.PhoneOrEmailBackend")
        _verify_session(client, user)
        return client

    return _login


@pytest.fixture
def two_factor_on(settings):
    """The code step after the password required, as in production."""
    settings.JALUR_2FA_REQUIRED = True


def _verify_session(client, user) -> None:
    """A session that has passed the code step (for a role that needs one), as after a real
    log-in: a confirmed app on the account and the session marked with it."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from jalur.accounts.two_factor import confirmed_device, required_for

    if not required_for(user):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
    session.save()
