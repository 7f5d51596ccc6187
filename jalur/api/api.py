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
from ninja.operation import PathView

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
    if unknown:
        return _("Parameter tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)}, [
            (name, _("Operasi ini tidak memakai parameter ini.")) for name in unknown
        ]
    # Every parameter takes one value: `?regency=a&regency=b` would otherwise be answered for b.
    repeated = sorted(name for name in request.GET if len(request.GET.getlist(name)) > 1)
    if repeated:
        return _("Data tidak sah; lihat pesan per kolom."), [
            (name, _("Kirim parameter ini sekali saja.")) for name in repeated
        ]
    return None


def method_not_allowed(request, path_view: PathView):
    """405 in the API's one error shape and the caller's language (ninja answers a bare text),
    with the Allow header naming the methods the address takes."""
    allowed = sorted({method for operation in path_view.operations for method in operation.methods})
    language = request_language(request)
    with translation.override(language):
        body = errors.error_body(
            _("Metode %(method)s tidak dipakai di alamat ini; yang dipakai: %(allowed)s.")
            % {"method": request.method, "allowed": ", ".join(allowed)}
        )
    response = JsonResponse(body, status=405)
    response["Allow"] = ", ".join(allowed)
    response["Content-Language"] = language
    return response


class JalurAPI(NinjaAPI):
    def _get_bound_routers(self):
        """Every address answers a method it does not take with `method_not_allowed`."""
        bound = super()._get_bound_routers()
        for router in bound:
            for path_view in router.path_operations.values():
                path_view._sync_view = functools.partial(self._dispatch, path_view)
        return bound

    @staticmethod
    def _dispatch(path_view: PathView, request, *args, **kwargs):
        if path_view._find_operation(request) is None:
            return method_not_allowed(request, path_view)
        return PathView._sync_view(path_view, request, *args, **kwargs)

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
