"""Jalur's URL conf plus one bare view, for bench_registration.py only (never in jalur.urls).

The bare view is the yardstick: the same gunicorn, middleware stack and database, but the view does
a single INSERT and nothing else.
"""

from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from jalur.accounts.decorators import capability_required
from jalur.urls import handler403, handler404, handler500  # noqa: F401
from jalur.urls import urlpatterns as jalur_urlpatterns

BARE_TABLE = "bench_registration_bare"


def bare_table_create() -> None:
    if connection.vendor == "postgresql":
        columns = "id SERIAL PRIMARY KEY"
    else:
        columns = "id INTEGER PRIMARY KEY AUTOINCREMENT"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} "
            f"({columns}, created_at TIMESTAMP NOT NULL, payload VARCHAR(100) NOT NULL)"
        )


@csrf_exempt
def bare_insert(request):
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BARE_TABLE} (created_at, payload) VALUES (%s, %s)",
            [timezone.now(), request.POST.get("n", "")[:100]],
        )
    return HttpResponse("ok")


bare_insert.access = "public"  # benchmark only; carries no personal data


@capability_required("candidates.self")
def floor(request):
    """What any logged-in job seeker's form post costs before its own work: the session and user
    look-ups, the capability and CSRF checks, the form body read, a redirect. No query of its own:
    the most a registration could reach against the bare view."""
    request.POST.get("nik")
    return HttpResponseRedirect("/pencaker/daftar/alamat/")


urlpatterns = [
    path("bench/bare/", bare_insert),
    path("bench/floor/", floor),
    *jalur_urlpatterns,
]
