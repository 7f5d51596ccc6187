"""Home pages, the public landing page, the accessibility statement and the health check."""

import datetime

from django.apps import apps
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache

from .access import public


@public
def home(request):
    """The signed-in user's start page. An app may send some users elsewhere (`home_redirect(user)`
    on its AppConfig returns a URL or None: a job seeker goes to their own page); otherwise the
    page shows every app's `home_widgets(user)`."""
    user = request.user
    if not user.is_authenticated:
        return redirect("core:public_home")
    for config in apps.get_app_configs():
        hook = getattr(config, "home_redirect", None)
        url = hook(user) if hook else None
        if url:
            return redirect(url)
    widgets = []
    for config in apps.get_app_configs():
        provider = getattr(config, "home_widgets", None)
        if provider:
            widgets.extend(provider(user))
    return render(request, "core/home.html", {"widgets": widgets})


@public
def public_home(request):
    links = []
    for config in apps.get_app_configs():
        for label, url_name, description in getattr(config, "public_nav", ()):
            try:
                links.append({"label": label, "url": reverse(url_name), "description": description})
            except NoReverseMatch:
                continue
    return render(request, "core/public_home.html", {"links": links})


# What the accessibility statement says was tested: the vendored axe-core's version and the number
# of pages `jalur/core/tests/test_accessibility_browser.py` checks (that test keeps both true).
ACCESSIBILITY_TESTED = {"axe": "4.14.1", "pages": 36, "on": datetime.date(2026, 12, 7)}


@public
def accessibility(request):
    """The accessibility statement: what was tested, with which tools, what is known to be missing
    and how to report a problem (the figures come from the browser tests, see docs/benchmarks.md)."""
    return render(request, "core/accessibility.html", {"tested": ACCESSIBILITY_TESTED})


@public
@never_cache
def healthz(request):
    """For load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
