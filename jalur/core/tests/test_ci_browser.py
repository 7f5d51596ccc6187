"""In CI a missing browser fails the run; elsewhere the browser tests skip and say how to install it
(conftest.py). Each case collects the browser smoke tests in a child pytest with Chromium pointed
at a path that does not exist."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BROWSER_TESTS = "jalur/core/tests/test_browser_smoke.py"


def collect(ci: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "JALUR_CHROMIUM": "/nonexistent/chromium", "CI": ci}
    # The child runs no test, but on the parent's PostgreSQL it would create and drop a test
    # database of the parent's name: it gets SQLite, in memory, instead.
    for name in ("PYTEST_XDIST_WORKER", "DATABASE_URL", "JALUR_REQUIRE_POSTGRES"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", BROWSER_TESTS, "-p", "no:cacheprovider", "-n", "0", "-rs"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ci_fails_when_chromium_is_missing():
    result = collect("true")
    assert result.returncode != 0, result.stdout[-2000:]
    assert "Chromium not found at /nonexistent/chromium" in result.stdout + result.stderr
    assert "passed" not in result.stdout.splitlines()[-1]


def test_outside_ci_browser_tests_skip_with_the_install_command():
    result = collect("")
    assert result.returncode == 0, result.stdout[-2000:]
    assert "apt-get install chromium" in result.stdout
    assert "skipped" in result.stdout.splitlines()[-1]
