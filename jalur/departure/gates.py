"""The departure gate: every reason a worker may not yet be marked ready or departed, in plain words.

One function serves "ready to depart", the daily re-check and the group departure, so the rules are
stated once.
"""

import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from jalur.training.selectors import certificate_revoked_standing

from .items import ITEM_TYPES
from .models import CaseStatus, ContractReview, DepartureCase, ItemStatus, NoFeeStatement


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)


def _date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def passport_needed_until(case: DepartureCase, departure: datetime.date) -> datetime.date:
    months = case.application.order.contract_months + settings.JALUR_PASSPORT_MARGIN_MONTHS
    return add_months(departure, months)


def gate_problems(
    case: DepartureCase, departure: datetime.date | None, *, for_departure: bool = False
) -> list[str]:
    """Everything that stops `case` from departing on `departure`; empty when it may go."""
    problems: list[str] = []
    if departure is None:
        return [_("Isi rencana tanggal berangkat.")]
    if case.status == CaseStatus.ENDED:
        return [
            _("Proses keberangkatan ini sudah dihentikan: %(reason)s")
            % {"reason": case.ended_reason}
        ]
    items = {item.code: item for item in case.items.all()}
    for code, item in items.items():
        label = ITEM_TYPES[code].label
        if item.status != ItemStatus.VERIFIED:
            problems.append(
                _("%(item)s: %(status)s.")
                % {"item": label, "status": item.get_status_display().lower()}
            )
            continue
        if code in {"medical", "psychological"} and item.data.get("fit") != "fit":
            problems.append(_("%(item)s: hasilnya tidak memenuhi syarat.") % {"item": label})
        if code == "passport":
            needed = passport_needed_until(case, departure)
            valid = _date(item.data.get("valid_until"))
            if valid is None or valid < needed:
                problems.append(
                    _(
                        "Paspor berlaku sampai %(valid)s; harus berlaku sampai sedikitnya %(needed)s (lama kontrak + %(margin)d bulan)."
                    )
                    % {
                        "valid": valid or "—",
                        "needed": needed.strftime("%d-%m-%Y"),
                        "margin": settings.JALUR_PASSPORT_MARGIN_MONTHS,
                    }
                )
        elif item.valid_until and item.valid_until < departure:
            problems.append(
                _("%(item)s hanya berlaku sampai %(date)s, sebelum tanggal berangkat.")
                % {"item": label, "date": item.valid_until.strftime("%d-%m-%Y")}
            )
    if case.contract_reviews.filter(
        status__in=[ContractReview.Status.OPEN, ContractReview.Status.REJECTED]
    ).exists():
        problems.append(
            _(
                "Perjanjian kerja berbeda dari lowongan yang disetujui dan belum diputuskan pengelola program."
            )
        )
    statements = set(case.no_fee_statements.values_list("occasion", flat=True))
    if NoFeeStatement.Occasion.CONTRACT not in statements:
        problems.append(
            _("Pernyataan tanpa biaya saat penandatanganan kontrak belum ditandatangani.")
        )
    if for_departure and NoFeeStatement.Occasion.DEPARTURE not in statements:
        problems.append(_("Pernyataan tanpa biaya saat keberangkatan belum ditandatangani."))
    if case.passport_custody.filter(returned_on__isnull=True).exists():
        problems.append(
            _(
                "Paspor sedang tidak dipegang pekerja. Paspor harus kembali ke pekerja sebelum berangkat."
            )
        )
    revoked = certificate_revoked_standing(case.candidate_id)
    if revoked is not None:
        problems.append(
            _(
                "Sertifikat pelatihan %(number)s dicabut (%(reason)s). Pekerja harus memegang sertifikat pelatihan yang sah sebelum berangkat."
            )
            % {"number": revoked.number, "reason": revoked.revoked_reason}
        )
    if case.fees.filter(violation=True, violation_followed_up="").exists():
        problems.append(
            _("Ada pungutan biaya kepada pekerja yang melanggar aturan dan belum ditindaklanjuti.")
        )
    return problems
