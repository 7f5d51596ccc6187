"""Settings for the registration benchmarks: Jalur as deployed (DEBUG off, behind one proxy that
sends the client's address in X-Forwarded-For), with the URL conf that adds the yardstick view
(bench_registration_urls.py). The database, cache and CONN_MAX_AGE come from the environment, as
in production."""

import os

os.environ["DEBUG"] = "0"  # before jalur.settings reads it: static files as with DEBUG off too

from jalur.settings import *  # noqa: E402, F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench_registration_urls"
# As behind nginx: each simulated person comes from an address of their own (bench_registration_
# people.client_address), so the per-client limits count people, not the benchmark.
JALUR_TRUSTED_PROXIES = 1
# To compare session stores (docs/adr/0011-sessions-on-opening-day.md), e.g. "signed_cookies".
if os.environ.get("JALUR_BENCH_SESSIONS"):
    SESSION_ENGINE = f"django.contrib.sessions.backends.{os.environ['JALUR_BENCH_SESSIONS']}"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
