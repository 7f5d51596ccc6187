"""/api/: version 1 of the API, and a JSON 404 (in the API's error shape) for any other path under it."""

from django.http import JsonResponse
from django.urls import path, re_path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from jalur.core.access import public

from .api import api, request_language
from .errors import error_body


@public
@csrf_exempt  # answers any method with a 404 and changes nothing; no form posts here
def not_found(request, rest=""):
    """An unknown API path answers like the API does, not with the web site's HTML page."""
    with translation.override(request_language(request)):
        return JsonResponse(error_body(_("Tidak ditemukan.")), status=404)


urlpatterns = [
    path("v1/", api.urls),
    # [\s\S], not ".": a path holding a newline (%0A) is an unknown API path too (Django cannot
    # reverse a pattern with a (?s) flag)
    re_path(r"^(?P<rest>[\s\S]*)$", not_found, name="api_not_found"),
]
