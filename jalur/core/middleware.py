"""Security headers the framework does not set by itself (Content-Security-Policy, permissions); the
language; NUL bytes out of every request."""

from django.conf import settings
from django.http import Http404, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if getattr(settings, "PRODUCTION", False):
            response.headers.setdefault("Cache-Control", "private")
        return response


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the person chose another language (cookie set by the switcher or at
    log-in from their profile). The browser's Accept-Language is ignored: many phones here are set to
    English, yet the programme's forms and letters are Indonesian."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


NUL = "\x00"


def _without_nul(data: QueryDict) -> QueryDict:
    """`data` with every NUL character taken out of its keys and values (the same object when it
    has none)."""
    if not any(NUL in key or any(NUL in value for value in values) for key, values in data.lists()):
        return data
    clean = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        clean.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
    clean._mutable = False
    return clean


class NulBytesMiddleware:
    """No NUL character reaches a view. PostgreSQL refuses one in any text it is given, so
    `?q=a%00b` on a public search answered 500 to anyone; no field of Jalur means anything by it.
    Query strings and form values lose it (once, here, for every view); a path that holds one names
    nothing and answers 404. Runs before CsrfViewMiddleware reads the form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            raise Http404
        request.GET = _without_nul(request.GET)
        if request.method == "POST":
            request.POST = _without_nul(request.POST)
        return self.get_response(request)
