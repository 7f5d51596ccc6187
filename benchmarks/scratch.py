"""Shared set-up of the benchmarks that build a throw-away database.

Importing it configures Django on Jalur's own settings with a temporary media folder. Then
`build_database()` creates a scratch database with every migration (an SQLite file in a temp
directory, or with DATABASE_URL=postgres://… a `test_…` database) and `drop_database()` removes it.
"""

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalur.settings")
os.environ.setdefault("JALUR_VAR_DIR", tempfile.mkdtemp(prefix="jalur-bench-var-"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402


def build_database() -> str:
    """Create the scratch database; returns the configured name, for `drop_database`."""
    original = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(
            Path(tempfile.mkdtemp(prefix="jalur-bench-db-")) / "bench.sqlite3"
        )
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return original


def drop_database(original: str) -> None:
    connection.creation.destroy_test_db(original, verbosity=0)
