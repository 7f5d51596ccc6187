"""Jalur's REST API, version 1: one NinjaAPI mounted at /api/v1/ (schema at /api/v1/openapi.json,
its documentation page at /api/v1/docs, served from Jalur's own static files).

Each area's endpoints are a module of `jalur.api.endpoints` with a `router`; a module listed in
OPTIONAL_ROUTERS is registered when it exists, so an area is added without editing this file.
"""

import functools
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import NinjaAPI

from jalur.audit.services import audit_read

from . import errors
from .auth import CallThrottle
from .models import ApiToken

# (module under jalur.api.endpoints, URL prefix, tag)
ROUTERS = [
    ("public", "public/", "public"),
    ("changes", "changes/", "changes"),
]
OPTIONAL_ROUTERS = [
    ("candidates", "candidates/", "candidates"),
    ("placement", "", "placement"),
    ("departure", "departure-cases/", "departure"),
    ("grievances", "grievances/", "grievances"),
]

REF = "#/components/schemas/{model}"


def request_language(request) -> str:
    """English when Accept-Language prefers it to Indonesian, else Indonesian. (The web pages
    ignore the header, see IndonesianFirstLocaleMiddleware; a program says what it wants.)"""
    supported = {code for code, _name in settings.LANGUAGES}
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = code.split("-")[0].lower()
        if base in supported:
            return base
    return settings.LANGUAGE_CODE


def in_api_context(run):
    """Around every operation: the caller's language for every message, and one audit row per
    call made with a token (who, which operation, the answer's status; query parameters by name
    only, their values may be personal). Endpoints that read people add one row per person read
    (see jalur.api.audit)."""

    @functools.wraps(run)
    def wrapper(request, *args, **kwargs):
        language = request_language(request)
        with translation.override(language):
            unknown = _unknown_query_parameters(run, request)
            if unknown:
                response = JsonResponse(errors.error_body(*unknown), status=422)
            else:
                response = run(request, *args, **kwargs)
        response["Content-Language"] = language
        token = getattr(request, "api_token", None)
        if isinstance(token, ApiToken):
            audit_read(
                actor=token.user,
                action="api.call",
                targets=None,
                purpose=f"{request.method} {request.path}"[:500],
                detail={"status": response.status_code, "query": sorted(request.GET.keys())},
            )
        return response

    return wrapper


def _unknown_query_parameters(run, request) -> tuple[str, list] | None:
    """A query parameter the operation does not take is refused rather than ignored: `?afer=` for
    `?after=` would otherwise quietly answer something else than was asked."""
    operation = getattr(run, "__self__", None)
    known = {
        name
        for model in getattr(operation, "models", ())
        if model.__ninja_param_source__ == "query"
        for name in model.__ninja_flatten_map__
    }
    unknown = sorted(set(request.GET) - known)
    if not unknown:
        return None
    return _("Parameter tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)}, [
        (name, _("Operasi ini tidak memakai parameter ini.")) for name in unknown
    ]


class JalurAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        module = operation.view_func.__module__.rsplit(".", 1)[-1]
        return f"{module}_{operation.view_func.__name__}"

    def get_openapi_schema(self, *args, **kwargs):
        """Every operation documents the error shape for any 4xx, 429 with its Retry-After."""
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = errors.ApiError.model_json_schema(ref_template=REF)
        components.update(error_schema.pop("$defs", {}), ApiError=error_schema)
        error = {
            "description": "An error: what went wrong, and a message per input field if any",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}},
        }
        throttled = {
            **error,
            "description": "Too many calls: wait Retry-After seconds",
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before calling again",
                    "schema": {"type": "integer"},
                }
            },
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                responses.setdefault("429", throttled)
                responses.setdefault("4XX", error)
        return schema


api = JalurAPI(
    title="Jalur API",
    version="1",
    description=(
        "Jalur's REST API: the public register, certificate check and statistics without a "
        "token; the rest with a token of an organisation (see /docs/api.md)."
    ),
    urls_namespace="api",
    throttle=[CallThrottle()],
)
errors.install(api)
api.add_decorator(in_api_context, mode="view")

for module, prefix, tag in ROUTERS + [
    entry for entry in OPTIONAL_ROUTERS if find_spec(f"jalur.api.endpoints.{entry[0]}") is not None
]:
    api.add_router(prefix, import_module(f"jalur.api.endpoints.{module}").router, tags=[tag])
