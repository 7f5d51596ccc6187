"""Importing job seekers from an Excel sheet, from the command line or the web.

Real sheets from kelurahan offices and job fairs are messy: header names vary, NIKs are stored as
numbers, dates come in five shapes, kelurahan names are misspelt. Each cell is read forgivingly here,
then the row goes through the same rules as every registration. A row is all or nothing: it is
accepted (created), flagged (created, and sent to the duplicate review), a duplicate (the NIK is
already registered: nothing changes), or rejected with every reason. Importing the same file again
creates nothing new, and a dry run writes nothing.

Rows are checked by `services.registration_check` and written by `services.candidates_create`,
the two steps of every registration, in batches; if a batch hits a database conflict (someone
registered the same NIK a moment ago), that batch is redone row by row through `candidate_register`.

One module per step: `sheet` reads the sheet, `cells` reads each cell, `rows` turns a row into
checked data, `run` writes the batches and runs the web page's import job, `report` holds each
row's outcome and writes the report. Every public name is importable from here; a setting is read
where it is defined (patch `run.BATCH_SIZE`, not this package's copy).
"""

from .cells import (
    COUNTRIES,
    EDUCATION,
    MARITAL,
    MONTHS,
    RELIGIONS,
    SEXES,
    parse_date,
    parse_nik,
)
from .report import (
    REPORT_HEADER,
    REPORT_WIDTHS,
    Outcome,
    RowResult,
    Summary,
    reasons_text,
    report_rows,
    report_write,
    report_xlsx,
)
from .rows import IMPORT_REQUIRED, row_parse
from .run import (
    BATCH_SIZE,
    PROBLEMS_SHOWN,
    import_job_create,
    import_job_enqueue,
    import_job_run,
    import_rows,
)
from .sheet import (
    COLUMN_HEADERS,
    COLUMN_LABELS,
    HEADER_SEARCH_ROWS,
    HEADERS,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    ImportFileError,
    Sheet,
    sheet_read,
)

__all__ = [
    "BATCH_SIZE",
    "COLUMN_HEADERS",
    "COLUMN_LABELS",
    "COUNTRIES",
    "EDUCATION",
    "HEADERS",
    "HEADER_SEARCH_ROWS",
    "IMPORT_REQUIRED",
    "MARITAL",
    "MAX_ROWS",
    "MONTHS",
    "PROBLEMS_SHOWN",
    "RELIGIONS",
    "REPORT_HEADER",
    "REPORT_WIDTHS",
    "REQUIRED_COLUMNS",
    "SEXES",
    "ImportFileError",
    "Outcome",
    "RowResult",
    "Sheet",
    "Summary",
    "import_job_create",
    "import_job_enqueue",
    "import_job_run",
    "import_rows",
    "parse_date",
    "parse_nik",
    "reasons_text",
    "report_rows",
    "report_write",
    "report_xlsx",
    "row_parse",
    "sheet_read",
]
