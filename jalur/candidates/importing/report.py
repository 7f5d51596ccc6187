"""What became of each row (accepted, flagged, a duplicate, rejected, with its reasons), and
the per-row report as Excel or CSV."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.core.xlsx import csv_safe

from ..spreadsheets import table_workbook


class Outcome:
    ACCEPTED = "accepted"
    FLAGGED = "flagged"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"

    LABELS = {
        ACCEPTED: gettext_lazy("diterima"),
        FLAGGED: gettext_lazy("diterima, perlu cek duplikat"),
        DUPLICATE: gettext_lazy("sudah terdaftar"),
        REJECTED: gettext_lazy("ditolak"),
    }


@dataclass
class RowResult:
    row: int
    outcome: str
    nik: str = ""
    name: str = ""
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    candidate_id: int | None = None

    @property
    def outcome_label(self) -> str:
        return str(Outcome.LABELS[self.outcome])


@dataclass
class Summary:
    results: list[RowResult] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {
            o: self.count(o)
            for o in (Outcome.ACCEPTED, Outcome.FLAGGED, Outcome.DUPLICATE, Outcome.REJECTED)
        }


def reasons_text(reasons) -> str:
    """Several reasons in one cell, as on the job page and in the reports: "a; b; c." (each
    reason's own closing full stop dropped, so none reads ".;")."""
    parts = [str(r).strip().rstrip(".") for r in reasons if str(r).strip()]
    return "; ".join(parts) + "." if parts else ""


REPORT_HEADER = ["baris", "hasil", "NIK", "nama", "alasan", "peringatan", "id_pencaker"]
REPORT_WIDTHS = {0: 7, 1: 26, 2: 20, 3: 26, 4: 80, 5: 50, 6: 12}


def report_rows(summary: Summary) -> Iterable[list]:
    for r in summary.results:
        yield [
            r.row,
            r.outcome_label,
            r.nik,
            r.name,
            reasons_text(r.reasons),
            reasons_text(r.warnings),
            r.candidate_id or "",
        ]


def report_write(summary: Summary, stream) -> None:
    """The per-row report as CSV (UTF-8 with BOM so Excel shows Indonesian text correctly), for
    scripts; people get `report_xlsx`, where Excel keeps the NIKs whole."""
    stream.write("\ufeff")
    writer = csv.writer(stream)
    writer.writerow(REPORT_HEADER)
    writer.writerows([csv_safe(value) for value in row] for row in report_rows(summary))


def report_xlsx(summary: Summary) -> bytes:
    """The per-row report as an Excel file, the NIK column as text (like the template)."""
    return table_workbook(
        _("Laporan impor"),
        REPORT_HEADER,
        report_rows(summary),
        text_columns={REPORT_HEADER.index("NIK")},
        widths=REPORT_WIDTHS,
    )
