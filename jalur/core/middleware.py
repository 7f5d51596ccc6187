"""Security headers the framework does not set by itself (Content-Security-Policy, permissions); the
language; request size and NUL bytes, checked before a view reads anything."""

from django.conf import settings
from django.http import Http404, HttpResponse, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.template import loader
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


def chosen_language(request) -> str:
    """The language the person chose (the switcher's cookie), else Bahasa Indonesia."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the person chose another language (cookie set by the switcher or at
    log-in from their profile). The browser's Accept-Language is ignored: many phones here are set to
    English, yet the programme's forms and letters are Indonesian."""

    def process_request(self, request):
        translation.activate(chosen_language(request))
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


class RequestSizeMiddleware:
    """A request bigger than JALUR_MAX_REQUEST_MB is refused before any of it is read (413).

    Django keeps form fields within DATA_UPLOAD_MAX_MEMORY_SIZE but streams uploaded files to disk
    without a limit, so without this only the web server in front (client_max_body_size) stopped a
    1 GB "photo". Each file's own limit (JALUR_MAX_UPLOAD_MB, the Excel import's 20 MB) is checked
    later with a message at the field; this is the ceiling for the whole request. A body without
    Content-Length (chunked) is not read by Django at all, so the header is the whole check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.JALUR_MAX_REQUEST_BYTES
        if length > limit:
            # Before the locale middleware: the page is in the language the person chose.
            with translation.override(chosen_language(request)):
                page = loader.get_template("413.html").render(
                    {"size": f"{length / 1024 / 1024:.1f}", "limit": limit // (1024 * 1024)}
                )
            response = HttpResponse(page, status=413)
            response["Connection"] = "close"  # the body was not read
            return response
        return self.get_response(request)
