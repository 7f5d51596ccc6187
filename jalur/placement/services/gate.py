"""The legal gate of a job order (`order_problems`): every problem it has on a day, each with
what to do about it, from the agency's licence, the pathway, the PKS and its quota, the cost
lines (`jalur.rules.fees`), the SIP2MI (`jalur.rules.placement`), the labour attaché's
verification and the deadline. Submission and approval refuse an order that has any."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jalur.pathways.models import PlacingParty
from jalur.rules import fees
from jalur.rules import placement as permit_rules

from ..models import (
    AgencyState,
    Agreement,
    AgreementKind,
    AttacheStatus,
    CostDecision,
    JobOrder,
    JobOrderCost,
)
from ._shared import (
    _date,
)
from .permits import positions_used


def _pathway_problems(pathway, on: datetime.date) -> list[tuple[str, str]]:
    """Why a P3MI may not use `pathway` for a job order on `on`, by `jalur.rules.pathways`: it is not
    open (its stored reason and legal basis), or a P3MI may not place on it."""
    problems = []
    closed = pathway.open_problem(on)
    if closed:
        problems.append(("pathway_closed", closed))
    party = pathway.placing_problem(PlacingParty.P3MI)
    if party:
        problems.append(("pathway_party", party))
    return problems


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def _covering_agreements(order: JobOrder, on: datetime.date) -> list[Agreement]:
    candidates = (
        Agreement.objects.filter(kind=AgreementKind.PKS, agency_id=order.agency_id)
        .select_related("mou")
        .prefetch_related("job_types", "pathways")
        .order_by("-ends_on")
    )
    return [
        a
        for a in candidates
        if a.covers(
            country=order.employer_country,
            job_type_id=order.job_type_id,
            pathway_id=order.pathway_id,
        )
    ]


def order_problems(
    order: JobOrder, *, on: datetime.date, for_approval: bool = False
) -> list[Problem]:
    """Every legal gate the order fails on `on`, each with what to do about it.

    Submission needs an empty list; approval also needs the labour attaché's verification. Quotas
    are checked here for display and again under row locks in `job_order_submit`.
    """
    problems: list[Problem] = []
    agency = order.agency
    state = agency.state(on)
    if state == AgencyState.SUSPENDED:
        suspension = agency.current_suspension(on)
        problems.append(
            Problem(
                "agency_suspended",
                _(
                    "%(name)s dibekukan sejak %(date)s: %(reason)s. Lowongan tidak bisa diajukan selama dibekukan."
                )
                % {
                    "name": agency.name,
                    "date": _date(suspension.starts_on),
                    "reason": suspension.reason,
                },
            )
        )
    elif state == AgencyState.EXPIRED:
        problems.append(
            Problem(
                "licence_expired",
                _(
                    "SIP3MI %(number)s berakhir pada %(date)s. Perpanjang izin dan minta Disnakertrans memperbarui data P3MI sebelum mengajukan lowongan."
                )
                % {"number": agency.licence_number, "date": _date(agency.licence_valid_until)},
            )
        )
    elif state == AgencyState.NOT_YET_VALID:
        problems.append(
            Problem(
                "licence_not_yet_valid",
                _("SIP3MI %(number)s baru berlaku mulai %(date)s.")
                % {"number": agency.licence_number, "date": _date(agency.licence_valid_from)},
            )
        )
    pathway = order.pathway
    for code, message in _pathway_problems(pathway, on):
        problems.append(Problem(code, message))
    covering = _covering_agreements(order, on)
    active = [
        a for a in covering if a.is_active_on(on) and (a.mou is None or a.mou.is_active_on(on))
    ]
    if not active:
        if covering:
            latest = covering[0]
            if latest.mou is not None and not latest.mou.is_active_on(on):
                message = _(
                    "MoU induk %(mou)s dari PKS %(number)s tidak berlaku pada %(date)s."
                ) % {
                    "mou": latest.mou.number,
                    "number": latest.number,
                    "date": _date(on),
                }
            else:
                message = _(
                    "PKS %(number)s berlaku %(start)s sampai %(end)s, jadi tidak berlaku pada %(date)s. Perpanjang PKS dengan Pemkot sebelum mengajukan lowongan."
                ) % {
                    "number": latest.number,
                    "start": _date(latest.starts_on),
                    "end": _date(latest.ends_on),
                    "date": _date(on),
                }
        else:
            message = _(
                'Belum ada PKS antara Pemkot dan %(name)s yang mencakup %(country)s, jenis pekerjaan "%(job)s" dan skema "%(pathway)s". Ajukan PKS atau adendum ke Disnakertrans.'
            ) % {
                "name": agency.name,
                "country": order.get_employer_country_display(),
                "job": order.job_type.name,
                "pathway": pathway.name,
            }
        problems.append(Problem("agreement", message))
    else:
        pks = active[0]
        if pks.quota is not None:
            used = positions_used(agreement=pks, exclude_order_id=order.pk)
            if order.positions > pks.quota - used:
                problems.append(
                    Problem(
                        "agreement_quota",
                        _(
                            "Kuota PKS %(number)s tinggal %(left)s (kuota %(quota)s, terpakai %(used)s); lowongan ini meminta %(positions)s."
                        )
                        % {
                            "number": pks.number,
                            "left": max(pks.quota - used, 0),
                            "quota": pks.quota,
                            "used": used,
                            "positions": order.positions,
                        },
                    )
                )
    problems += _cost_problems(order, for_approval=for_approval)
    permit = order.permit
    if permit is None:
        problems.append(
            Problem("permit_missing", _("Isi nomor dan kuota SIP2MI untuk lowongan ini."))
        )
    else:
        # The figures on record: a change asked for counts only once the office has approved it.
        problems += [
            Problem(found.code, found.message)
            for found in permit_rules.permit_problems(
                number=permit.number,
                quota=permit.quota,
                used=positions_used(permit=permit, exclude_order_id=order.pk),
                positions=order.positions,
                on=on,
                issued_on=permit.issued_on,
                valid_until=permit.valid_until,
            )
        ]
    if order.attache_status == AttacheStatus.REFUSED:
        problems.append(
            Problem(
                "attache_refused",
                _("Atase ketenagakerjaan menolak permintaan ini; lowongan tidak bisa diajukan."),
            )
        )
    elif for_approval and (
        order.attache_status != AttacheStatus.VERIFIED or not order.attache_document
    ):
        problems.append(
            Problem(
                "attache_unverified",
                _(
                    "Permintaan belum diverifikasi atase ketenagakerjaan (UU 18/2017 Pasal 9–10). Lowongan disetujui setelah nomor dan dokumen verifikasi atase diunggah."
                ),
            )
        )
    if order.deadline < on:
        problems.append(
            Problem(
                "deadline",
                _("Batas akhir lamaran (%(date)s) sudah lewat. Ubah tanggalnya.")
                % {"date": _date(order.deadline)},
            )
        )
    return problems


def _cost_line_label(number: int, cost: JobOrderCost) -> str:
    line = cost.get_item_display()
    if cost.description:
        line = f"{line}: {cost.description}"
    return _("Biaya baris %(n)s (%(line)s)") % {"n": number, "line": line}


def _cost_problems(order: JobOrder, *, for_approval: bool) -> list[Problem]:
    """Every cost line the worker may not pay, by `jalur.rules.fees`; and every worker-paid line the
    rule leaves to the labour office that it refused, or (for approval) has not decided yet."""
    problems = []
    zero_cost = order.job_type.zero_cost
    for number, cost in enumerate(order.costs.all(), start=1):
        ruling = cost.ruling(zero_cost=zero_cost)
        if ruling.verdict == fees.Verdict.FORBIDDEN:
            problems.append(
                Problem(
                    "cost_forbidden",
                    _("%(line)s: %(rule)s")
                    % {"line": _cost_line_label(number, cost), "rule": ruling.message},
                )
            )
        elif ruling.verdict == fees.Verdict.DECIDE:
            if cost.office_decision == CostDecision.REFUSED:
                problems.append(
                    Problem(
                        "cost_refused",
                        _(
                            "%(line)s: Disnakertrans memutuskan pekerja tidak boleh membayarnya "
                            "(%(reason)s). Ubah pembayarnya menjadi pemberi kerja, P3MI atau APBD."
                        )
                        % {"line": _cost_line_label(number, cost), "reason": cost.office_reason},
                    )
                )
            elif for_approval and cost.office_decision != CostDecision.ALLOWED:
                problems.append(
                    Problem(
                        "cost_undecided",
                        _(
                            "%(line)s dibayar pekerja dan tidak ada dalam daftar aturan (%(basis)s): "
                            "Disnakertrans memutuskan boleh atau tidak, dengan alasan, di halaman "
                            "tinjauan sebelum lowongan disetujui."
                        )
                        % {"line": _cost_line_label(number, cost), "basis": ruling.basis},
                    )
                )
    return problems
