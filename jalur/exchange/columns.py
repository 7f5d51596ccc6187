"""One column of a table: its Table Schema field, and how a value is written to a CSV cell and read back.

Every value has one spelling, so the same data always gives the same bytes: datetimes in UTC with
microseconds and a Z, decimals without an exponent, JSON with sorted keys, booleans as true/false.
An empty cell is NULL; a text column that cannot be NULL reads an empty cell as empty text.
"""

import base64
import datetime
import decimal
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation

from .tables import NATURAL_KEY_TARGETS, exported_fields


class CellError(ValueError):
    """A cell that cannot be read as its column's type; the message names what was expected."""


_INTEGER = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}
_TEXT = {
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
    "URLField",
    "GenericIPAddressField",
    "FileField",
    "ImageField",
    "FilePathField",
}


def _kind(field: models.Field) -> str:
    """The Table Schema type of a concrete field (a foreign key: its target's key type)."""
    if field.is_relation:
        if field.related_model._meta.label_lower in NATURAL_KEY_TARGETS:
            return "string"
        return _kind(field.target_field)
    internal = field.get_internal_type()
    if internal in _INTEGER:
        return "integer"
    if internal in _TEXT or internal == "UUIDField" or internal == "BinaryField":
        return "string"
    if internal == "JSONField":
        default = field.default
        return {dict: "object", list: "array"}.get(default, "any")
    return {
        "BooleanField": "boolean",
        "DateField": "date",
        "DateTimeField": "datetime",
        "TimeField": "time",
        "DecimalField": "number",
        "FloatField": "number",
        "DurationField": "integer",
    }[internal]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class Column:
    field: models.Field
    kind: str
    internal: str
    natural_key: bool

    @classmethod
    def of(cls, field: models.Field) -> "Column":
        natural = bool(
            field.is_relation and field.related_model._meta.label_lower in NATURAL_KEY_TARGETS
        )
        internal = "ForeignKey" if field.is_relation else field.get_internal_type()
        return cls(field=field, kind=_kind(field), internal=internal, natural_key=natural)

    @property
    def name(self) -> str:
        return self.field.attname

    @property
    def text_not_null(self) -> bool:
        return self.kind == "string" and not self.field.null and not self.natural_key

    def choices(self) -> dict[Any, str]:
        """{stored value: label in Indonesian} for a field with choices, else {}."""
        if not self.field.choices or self.field.is_relation:
            return {}
        with translation.override("id"):
            labels = {value: str(label) for value, label in self.field.flatchoices}
        if self.text_not_null and self.field.blank:
            labels.setdefault("", "")  # blank is allowed: not chosen yet
        return labels

    # --- writing -----------------------------------------------------------------------------

    def encode(self, value) -> str:
        if value is None:
            if self.text_not_null:
                raise CellError("NULL in a column that cannot be NULL")
            return ""
        if self.natural_key:
            return value  # already "app_label.model", see `encoders`
        kind, internal = self.kind, self.internal
        if kind == "string":
            if internal == "BinaryField":
                return base64.b64encode(bytes(value)).decode("ascii")
            text = str(value)
            if text == "" and self.field.null:
                raise CellError("empty text in a column that can be NULL (they would merge)")
            return text
        if kind == "integer":
            if internal == "DurationField":
                return str(value // datetime.timedelta(microseconds=1))
            return str(int(value))
        if kind == "boolean":
            return "true" if value else "false"
        if kind == "datetime":
            return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if kind in {"date", "time"}:
            return value.isoformat()
        if kind == "number":
            return format(value, "f") if isinstance(value, decimal.Decimal) else repr(float(value))
        return _json(value)  # object, array, any

    def encoder(self):
        """`encode` as one function for this column, quicker for the common types (a package
        of 100,000 candidates holds tens of millions of cells); the same spelling either way."""
        kind, encode = self.kind, self.encode
        if self.natural_key or self.internal in {"BinaryField", "DurationField"}:
            return encode
        if kind == "string" and self.text_not_null:
            return lambda v: v if type(v) is str else encode(v)
        if kind == "integer":
            return lambda v: "" if v is None else str(v)
        if kind == "boolean":
            return lambda v: "" if v is None else ("true" if v else "false")
        if kind == "datetime":
            utc = datetime.UTC

            def spell(v):
                if v is None:
                    return ""
                return v.astimezone(utc).replace(tzinfo=None).isoformat("T", "microseconds") + "Z"

            return spell
        if kind == "date":
            return lambda v: "" if v is None else v.isoformat()
        return encode

    def decoder(self):
        """`decode` as one function for this column, quicker for the common types."""
        decode = self.decode
        if self.natural_key or self.internal in {"BinaryField", "DurationField", "UUIDField"}:
            return decode
        if self.kind == "string" and self.text_not_null:
            limit = getattr(self.field, "max_length", None)
            if limit:
                return lambda cell: cell if len(cell) <= limit else decode(cell)
            return lambda cell: cell
        if self.kind == "integer" and not self.field.null:

            def number(cell):
                if cell.isdigit():
                    return int(cell)
                return decode(cell)

            return number
        return decode

    # --- reading -----------------------------------------------------------------------------

    def decode(self, cell: str):
        if cell == "":
            if self.text_not_null:
                return ""
            if self.kind in {"object", "array", "any"} and not self.field.null:
                raise CellError("an empty cell where JSON is required")
            if not self.field.null:
                raise CellError("an empty cell in a column that cannot be empty")
            return None
        try:
            return self._decode(cell)
        except (ValueError, TypeError, ArithmeticError) as error:
            raise CellError(f"not a valid {self.kind}: {cell[:40]!r}") from error

    def _decode(self, cell: str):
        kind, internal = self.kind, self.internal
        if self.natural_key:
            app_label, _dot, model = cell.partition(".")
            if not model:
                raise ValueError(cell)
            return (app_label, model)
        if kind == "string":
            if internal == "BinaryField":
                return base64.b64decode(cell, validate=True)
            if internal == "UUIDField":
                return uuid.UUID(cell)
            limit = getattr(self.field, "max_length", None)
            if limit and len(cell) > limit and not self.natural_key:
                raise CellError(f"longer than {limit} characters")
            return cell
        if kind == "integer":
            if not cell.lstrip("-").isdigit():
                raise ValueError(cell)
            number = int(cell)
            return (
                datetime.timedelta(microseconds=number) if internal == "DurationField" else number
            )
        if kind == "boolean":
            if cell not in {"true", "false"}:
                raise ValueError(cell)
            return cell == "true"
        if kind == "datetime":
            if not cell.endswith("Z"):
                raise ValueError(cell)
            return datetime.datetime.fromisoformat(cell)
        if kind == "date":
            return datetime.date.fromisoformat(cell)
        if kind == "time":
            return datetime.time.fromisoformat(cell)
        if kind == "number":
            return decimal.Decimal(cell) if internal == "DecimalField" else float(cell)
        value = json.loads(cell)
        if kind == "object" and not isinstance(value, dict):
            raise ValueError(cell)
        if kind == "array" and not isinstance(value, list):
            raise ValueError(cell)
        return value

    # --- the Table Schema field --------------------------------------------------------------

    def descriptor(self) -> dict:
        field = self.field
        with translation.override("id"):
            title = str(field.verbose_name)
        out: dict[str, Any] = {"name": self.name, "type": self.kind, "title": title}
        if self.kind == "datetime":
            out["format"] = "%Y-%m-%dT%H:%M:%S.%fZ"
        if self.internal == "UUIDField":
            out["format"] = "uuid"
        if self.internal == "BinaryField":
            out["format"] = "binary"
        if self.kind == "boolean":
            out["trueValues"], out["falseValues"] = ["true"], ["false"]
        if self.text_not_null:
            out["missingValues"] = []  # an empty cell is empty text, not NULL
        if self.natural_key:
            out["description"] = "app_label.model (Django content type, by name)"
        elif self.internal in {"FileField", "ImageField"}:
            out["description"] = "path of the file in storage (files/ in a package with files)"
        elif self.internal == "DurationField":
            out["description"] = "microseconds"
        constraints: dict[str, Any] = {}
        if not field.null and not self.text_not_null:
            constraints["required"] = True
        if field.unique and not field.primary_key:
            constraints["unique"] = True
        if (
            self.kind == "string"
            and getattr(field, "max_length", None)
            and not self.natural_key
            and self.internal != "BinaryField"
        ):
            constraints["maxLength"] = field.max_length
        labels = self.choices()
        if labels:
            constraints["enum"] = list(labels)
            out["enumLabels"] = {str(value): label for value, label in labels.items()}
        if constraints:
            out["constraints"] = constraints
        return out


def columns(model: type[models.Model]) -> list[Column]:
    return [Column.of(field) for field in exported_fields(model)]


class NaturalKeys:
    """Content types by id on the way out and by (app_label, model) on the way in, per database."""

    def __init__(self, using: str):
        self.using = using
        self._by_id: dict[int, str] | None = None

    def name(self, pk: int | None) -> str | None:
        if pk is None:
            return None
        if self._by_id is None:
            self._by_id = {
                ct.pk: f"{ct.app_label}.{ct.model}"
                for ct in ContentType.objects.db_manager(self.using).all()
            }
        return self._by_id[pk]

    def pk(self, key: tuple[str, str]) -> int:
        app_label, model = key
        found, _created = ContentType.objects.db_manager(self.using).get_or_create(
            app_label=app_label, model=model
        )
        return found.pk
