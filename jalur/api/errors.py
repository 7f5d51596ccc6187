"""One JSON shape for every error the API answers, in the caller's language:
`{"detail": "...", "errors": [{"field": "...", "message": "..."}]}`.

`field` names the input in the caller's terms (`title`, `items.0.quantity`, a query parameter),
empty when the message is about the request as a whole.
"""

import logging

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger(__name__)


class FieldError(Schema):
    field: str
    message: str


class ApiError(Schema):
    detail: str
    errors: list[FieldError] = []


def error_body(detail: str, errors: list[tuple[str, str]] | None = None) -> dict:
    return {
        "detail": str(detail),
        "errors": [{"field": field, "message": str(message)} for field, message in errors or []],
    }


# Pydantic's error types, as a person reading Indonesian would want them said.
def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    messages = {
        "missing": _("Wajib diisi."),
        "string_type": _("Harus berupa teks."),
        "string_too_short": _("Terlalu pendek: paling sedikit %(n)s karakter."),
        "string_too_long": _("Terlalu panjang: paling banyak %(n)s karakter."),
        "int_parsing": _("Harus bilangan bulat."),
        "int_type": _("Harus bilangan bulat."),
        "int_from_float": _("Harus bilangan bulat."),
        "float_parsing": _("Harus bilangan."),
        "decimal_parsing": _("Harus bilangan."),
        "bool_parsing": _("Harus true atau false."),
        "greater_than_equal": _("Paling kecil %(n)s."),
        "greater_than": _("Harus lebih dari %(n)s."),
        "less_than_equal": _("Paling besar %(n)s."),
        "less_than": _("Harus kurang dari %(n)s."),
        "date_parsing": _("Tanggal ditulis YYYY-MM-DD."),
        "date_from_datetime_parsing": _("Tanggal ditulis YYYY-MM-DD."),
        "datetime_parsing": _("Waktu ditulis menurut ISO 8601, mis. 2026-01-31T09:00:00+07:00."),
        "datetime_from_date_parsing": _("Waktu ditulis menurut ISO 8601."),
        "enum": _("Pilih salah satu: %(n)s."),
        "literal_error": _("Pilih salah satu: %(n)s."),
        "list_type": _("Harus berupa daftar."),
        "dict_type": _("Harus berupa objek JSON."),
        "model_attributes_type": _("Harus berupa objek JSON."),
        "json_invalid": _("Isi permintaan bukan JSON yang sah."),
        "uuid_parsing": _("Harus UUID."),
        "extra_forbidden": _("Tidak dikenal."),
        "string_pattern_mismatch": _("Bentuknya tidak sesuai pola %(n)s."),
    }
    template = messages.get(kind)
    if template is None:
        return _("Nilai tidak sah.")
    bound = next(
        (
            ctx[key]
            for key in ("min_length", "max_length", "ge", "gt", "le", "lt", "expected", "pattern")
            if key in ctx
        ),
        "",
    )
    return template % {"n": bound} if "%(n)s" in template else template


def _field_name(loc) -> str:
    # ninja puts where the value came from first ("body", "query", "path") and, for a body, the
    # parameter's name ("payload"); the caller knows neither.
    parts = [str(part) for part in loc or ()]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
        if parts and parts[0] == "payload" and len(loc) > 2:
            parts = parts[1:]
    return ".".join(parts)


def validation_errors(exc: NinjaValidationError) -> list[tuple[str, str]]:
    return [(_field_name(error.get("loc")), _pydantic_message(error)) for error in exc.errors]


def django_errors(exc: DjangoValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            ("" if field == NON_FIELD_ERRORS else field, message)
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [("", message) for message in exc.messages]


def install(api) -> None:
    """Register the handlers on `api`, replacing ninja's own."""

    def respond(request, status: int, detail: str, errors=None):
        return api.create_response(request, error_body(detail, errors), status=status)

    def on_validation(request, exc):
        return respond(
            request, 422, _("Data tidak sah; lihat pesan per kolom."), validation_errors(exc)
        )

    def on_django_validation(request, exc):
        errors = django_errors(exc)
        detail = (
            errors[0][1]
            if len(errors) == 1 and not errors[0][0]
            else _("Data tidak sah; lihat pesan per kolom.")
        )
        return respond(request, 422, detail, errors)

    def on_authentication(request, exc):
        response = respond(
            request,
            401,
            _("Token API tidak ada, salah, kedaluwarsa, atau sudah dicabut."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="jalur"'
        return response

    def on_forbidden(request, exc):
        return respond(request, 403, _("Token ini tidak berhak atas tindakan ini."))

    def on_not_found(request, exc):
        return respond(request, 404, _("Tidak ditemukan."))

    def on_throttled(request, exc):
        wait = max(1, int(exc.wait or 1))
        response = respond(
            request,
            429,
            _("Terlalu banyak permintaan; coba lagi setelah %(seconds)s detik.")
            % {"seconds": wait},
        )
        response["Retry-After"] = str(wait)
        return response

    def on_http_error(request, exc):
        return respond(request, exc.status_code, str(exc))

    def on_unexpected(request, exc):
        logger.exception("API error", exc_info=exc)
        return respond(request, 500, _("Terjadi kesalahan di server; sudah dicatat."))

    for kind, handler in [
        (Exception, on_unexpected),
        (HttpError, on_http_error),
        (Throttled, on_throttled),
        (AuthenticationError, on_authentication),
        (AuthorizationError, on_forbidden),
        (PermissionDenied, on_forbidden),
        (Http404, on_not_found),
        (NinjaValidationError, on_validation),
        (DjangoValidationError, on_django_validation),
    ]:
        api.add_exception_handler(kind, handler)
