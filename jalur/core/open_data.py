"""Open data downloads: the same records as a CSV file or a JSON document, with the date they
describe. The records come from each app's public selectors; this module only writes them out."""

import csv
import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse

from .xlsx import csv_safe

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return csv_safe(value)


def data_response(
    *, fmt: str, name: str, on: datetime.date, columns: list[str], rows: list[dict], meta=None
) -> HttpResponse:
    """`rows` as `name`-<on>.csv (one column per key of `columns`, a header row first; a list is
    written "a; b") or `name`-<on>.json ({"date", ...meta, "columns", "rows"}). 404 for another
    format."""
    if fmt not in FORMATS:
        raise Http404
    response = HttpResponse(content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}-{on.isoformat()}.{fmt}"'
    if fmt == "csv":
        response.write("\ufeff")  # Excel reads the file as UTF-8 (Hangul, kana, accents)
        writer = csv.writer(response)
        writer.writerow(columns)
        writer.writerows([_cell(row.get(column)) for column in columns] for row in rows)
        return response
    document = {"date": on, **(meta or {}), "columns": columns, "rows": rows}
    response.write(json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1))
    return response
