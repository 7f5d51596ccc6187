"""The departure gate: what must hold, by law and by the programme, before a worker may be marked
ready to depart or depart.

- every checklist item is verified by the labour office, and each document holds on the departure
  date (`jalur.rules.documents`: the passport for the contract plus the margin, the others until
  that day), with the medical and psychological checks fit (UU 18/2017 Pasal 5 and 13);
- BPJS Ketenagakerjaan covers both JKK and JKM (Permenaker 4/2023);
- a contract that differs from what the worker accepted has been decided by the programme managers
  (`jalur.rules.contracts`);
- the worker has signed the no-fee statement at contract signing (and, to depart, at departure),
  and no charge to the worker is an open violation or still waits for the office's decision
  (`jalur.rules.fees`);
- the passport is in the worker's hands, and the worker's training certificate is not revoked.

The departure app gathers these facts from its records and calls `gate_problems`; the messages say,
in plain Indonesian, what is still missing.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import documents, siskop2mi, sources
from .registry import rule

EXAMINATIONS = frozenset({"medical", "psychological"})
PASSPORT = "passport"
SOCIAL_SECURITY = "bpjs"

CONTRACT_SIGNING = "contract"
DEPARTURE = "departure"


@dataclass(frozen=True)
class ItemFacts:
    """One checklist item as the gate sees it."""

    code: str
    label: str
    verified: bool
    status: str = ""  # how it stands when not verified, in words ("menunggu pemeriksaan")
    valid_until: datetime.date | None = None  # when the document expires, if it does
    fit: bool | None = None  # a medical or psychological check: is the worker fit
    jkk: bool | None = None  # BPJS: work-accident cover
    jkm: bool | None = None  # BPJS: death cover
    missing: tuple[str, ...] = ()  # fields needed before departure still empty (the E-PMI number)


@dataclass(frozen=True)
class DepartureFacts:
    """Everything the gate needs to know of one worker's departure on one day."""

    departure: datetime.date
    contract_months: int
    items: tuple[ItemFacts, ...]
    for_departure: bool = False  # departing now, not only marked ready
    contract_undecided: bool = False  # a differing contract the managers have not accepted
    no_fee_signed: frozenset[str] = frozenset()  # the occasions signed: CONTRACT_SIGNING, DEPARTURE
    passport_away: bool = False  # handed over and not yet returned to the worker
    revoked_certificate: tuple[str, str] | None = None  # (number, reason)
    open_fee_violation: bool = False  # a forbidden charge not yet followed up
    undecided_worker_fee: bool = False  # a worker-paid item the office has not decided on


def _item_problems(item: ItemFacts, facts: DepartureFacts) -> list[str]:
    if not item.verified:
        return [_("%(item)s: %(status)s.") % {"item": item.label, "status": item.status}]
    problems = [siskop2mi.missing_before_departure(item=item.label, missing=item.missing)]
    if item.code in EXAMINATIONS:
        problems.append(documents.examination_problem(label=item.label, fit=bool(item.fit)))
    if item.code == SOCIAL_SECURITY and not (item.jkk and item.jkm):
        problems.append(
            _(
                "%(item)s: JKK dan JKM keduanya wajib bagi pekerja migran (Permenaker 4/2023); "
                "daftarkan pekerja di kedua program dulu."
            )
            % {"item": item.label}
        )
    if item.code == PASSPORT:
        problems.append(
            documents.passport_problem(
                departure=facts.departure,
                contract_months=facts.contract_months,
                valid_until=item.valid_until,
            )
        )
    else:
        problems.append(
            documents.valid_on_departure(
                label=item.label, valid_until=item.valid_until, departure=facts.departure
            )
        )
    return [p for p in problems if p]


@rule(
    title=gettext_lazy(
        "Syarat berangkat: dokumen lengkap dan berlaku, BPJS JKK dan JKM, tanpa biaya dari "
        "pekerja, paspor di tangan pekerja"
    ),
    sources=(
        sources.DOCUMENTS,
        sources.FIT_TO_WORK,
        sources.SOCIAL_SECURITY,
        sources.PLACEMENT_COST_BAN,
        sources.NO_FEE_STATEMENT,
        sources.PASSPORT_WITH_WORKER,
        sources.CONTRACT_SUBSTITUTION,
    ),
)
def gate_problems(facts: DepartureFacts) -> list[str]:
    """Everything that stops the worker from departing on `facts.departure`, in plain words; empty
    when they may go.

    Each item must be verified and hold on that day; the contract must not be an undecided
    substitution; the no-fee statement must be signed (at departure too, to depart); no charge to the
    worker may be an open violation or undecided; the passport must be with the worker; the training
    certificate must not be revoked.
    """
    problems: list[str] = []
    for item in facts.items:
        problems += _item_problems(item, facts)
    if facts.contract_undecided:
        problems.append(
            _(
                "Perjanjian kerja berbeda dari lowongan yang disetujui dan belum diputuskan pengelola program."
            )
        )
    if CONTRACT_SIGNING not in facts.no_fee_signed:
        problems.append(
            _("Pernyataan tanpa biaya saat penandatanganan kontrak belum ditandatangani.")
        )
    if facts.for_departure and DEPARTURE not in facts.no_fee_signed:
        problems.append(_("Pernyataan tanpa biaya saat keberangkatan belum ditandatangani."))
    if facts.passport_away:
        problems.append(
            _(
                "Paspor sedang tidak dipegang pekerja. Paspor harus kembali ke pekerja sebelum berangkat."
            )
        )
    if facts.revoked_certificate is not None:
        number, reason = facts.revoked_certificate
        problems.append(
            _(
                "Sertifikat pelatihan %(number)s dicabut (%(reason)s). Pekerja harus memegang sertifikat pelatihan yang sah sebelum berangkat."
            )
            % {"number": number, "reason": reason}
        )
    if facts.open_fee_violation:
        problems.append(
            _("Ada pungutan biaya kepada pekerja yang melanggar aturan dan belum ditindaklanjuti.")
        )
    if facts.undecided_worker_fee:
        problems.append(
            _(
                "Ada biaya yang dibayar pekerja di luar daftar aturan dan belum diputuskan "
                "Disnakertrans (boleh, atau pelanggaran)."
            )
        )
    return problems
