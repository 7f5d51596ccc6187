"""Jalur's URL conf plus the yardstick view, for the registration benchmarks only (never in jalur.urls).

The yardstick (issue 20) is a logged-in job seeker's POST to a view that does nothing of its own:
the same gunicorn, middleware, session and user look-ups, capability and CSRF checks, database
connection handling and redirect as a registration step, without the step's work. A step's ratio
is its requests per second divided by the yardstick's.
"""

from django.http import HttpResponseRedirect
from django.urls import path

from jalur.accounts.decorators import capability_required
from jalur.urls import handler403, handler404, handler500  # noqa: F401
from jalur.urls import urlpatterns as jalur_urlpatterns


@capability_required("candidates.self")
def noop(request):
    """Reads the posted form (as a step does) and redirects, with no query of its own."""
    request.POST.get("nik")
    return HttpResponseRedirect("/pencaker/daftar/alamat/")


urlpatterns = [
    path("bench/noop/", noop),
    *jalur_urlpatterns,
]
