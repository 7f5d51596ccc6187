"""Jalur's URL map: each app mounts its own urls.py under a path named in Indonesian."""

from importlib.util import find_spec

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("jalur.core.urls")),
    path("", include("jalur.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("audit/", include("jalur.audit.urls")),
    path("kotak-masuk/", include("jalur.notifications.urls")),
    path("api/", include("jalur.api.urls")),  # the REST API (/api/v1/, docs/api.md)
    path("token-api/", include("jalur.api.token_urls")),
]

# Domain apps: mounted when installed, so each stage adds its pages without editing this file.
MOUNTS = {
    "jalur.candidates": "pencaker/",
    "jalur.pathways": "skema/",
    "jalur.training": "pelatihan/",
    "jalur.placement": "penempatan/",
    "jalur.departure": "keberangkatan/",
    "jalur.protection": "pelindungan/",
    "jalur.crisis": "darurat/",
    "jalur.reports": "laporan/",
    "jalur.privacy": "data-pribadi/",
    "jalur.exchange": "ekspor-program/",
}
for app, prefix in MOUNTS.items():
    if app in settings.INSTALLED_APPS and find_spec(f"{app}.urls") is not None:
        urlpatterns.append(path(prefix, include(f"{app}.urls")))

handler403 = "jalur.core.errors.permission_denied"
handler404 = "jalur.core.errors.page_not_found"
handler500 = "jalur.core.errors.server_error"
