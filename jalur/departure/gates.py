"""The departure gate: every reason a worker may not yet be marked ready or departed, in plain words.

The rule is `jalur.rules.departure.gate_problems`; this module gathers its facts from a case's
records. One function serves "ready to depart", the daily re-check and the group departure.
"""

import dataclasses
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.rules import departure as departure_rules
from jalur.rules import documents
from jalur.training.selectors import certificate_revoked_standing

from .items import ITEM_TYPES, missing_to_depart
from .models import (
    FEE_UNDECIDED,
    FEE_VIOLATION_OPEN,
    CaseStatus,
    ContractReview,
    DepartureCase,
    ItemStatus,
)


def _date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def passport_needed_until(case: DepartureCase, departure: datetime.date) -> datetime.date:
    return documents.passport_needed_until(departure, case.application.order.contract_months)


def _item_facts(item) -> departure_rules.ItemFacts:
    data = item.data or {}
    return departure_rules.ItemFacts(
        code=item.code,
        label=str(ITEM_TYPES[item.code].label),
        verified=item.status == ItemStatus.VERIFIED,
        status=item.get_status_display().lower(),
        # the passport's validity as its data says (the page shows and edits that)
        valid_until=_date(data.get("valid_until"))
        if item.code == departure_rules.PASSPORT
        else item.valid_until,
        fit=data.get("fit") == "fit" if "fit" in data else None,
        jkk=bool(data.get("jkk")) if "jkk" in data else None,
        jkm=bool(data.get("jkm")) if "jkm" in data else None,
        missing=missing_to_depart(ITEM_TYPES[item.code], data),
    )


def gate_facts(
    case: DepartureCase, departure: datetime.date, *, for_departure: bool = False
) -> departure_rules.DepartureFacts:
    """What the departure rule needs to know of `case`, read from its records."""
    revoked = certificate_revoked_standing(case.candidate_id)
    return departure_rules.DepartureFacts(
        departure=departure,
        contract_months=case.application.order.contract_months,
        items=tuple(_item_facts(item) for item in case.items.all()),
        for_departure=for_departure,
        contract_undecided=case.contract_reviews.filter(
            status__in=[ContractReview.Status.OPEN, ContractReview.Status.REJECTED]
        ).exists(),
        no_fee_signed=frozenset(case.no_fee_statements.values_list("occasion", flat=True)),
        passport_away=case.passport_custody.filter(returned_on__isnull=True).exists(),
        revoked_certificate=(revoked.number, revoked.revoked_reason) if revoked else None,
        open_fee_violation=case.fees.filter(FEE_VIOLATION_OPEN).exists(),
        undecided_worker_fee=case.fees.filter(FEE_UNDECIDED).exists(),
    )


def gate_problems(
    case: DepartureCase, departure: datetime.date | None, *, for_departure: bool = False
) -> list[str]:
    """Everything that stops `case` from departing on `departure`; empty when it may go."""
    if departure is None:
        return [_("Isi rencana tanggal berangkat.")]
    if case.status == CaseStatus.ENDED:
        return [
            _("Proses keberangkatan ini sudah dihentikan: %(reason)s")
            % {"reason": case.ended_reason}
        ]
    return departure_rules.gate_problems(gate_facts(case, departure, for_departure=for_departure))


def review_day(case: DepartureCase) -> datetime.date:
    """The day an item is judged for when the office reviews it: the case's planned departure, or
    its group's flight date, or (nothing planned yet) today."""
    group = case.group if case.group_id else None
    return (
        case.planned_departure_on or (group.departs_on if group else None) or timezone.localdate()
    )


def item_problems(case: DepartureCase, item, departure: datetime.date) -> list[str]:
    """What the departure rule (`jalur.rules.departure.gate_problems`) would say against `item` were
    the office to accept it as it stands, for a departure on `departure`: an unfit examination, BPJS
    without JKK and JKM, a passport too short for the contract, a document that lapses before the
    flight; and a contract whose difference from the accepted offer is not yet decided. Empty when
    the item is right."""
    # A number that comes later (the E-PMI) is no reason not to accept what is there now.
    facts = dataclasses.replace(_item_facts(item), verified=True, missing=())
    problems = departure_rules.gate_problems(
        departure_rules.DepartureFacts(
            departure=departure,
            contract_months=case.application.order.contract_months,
            items=(facts,),
            no_fee_signed=frozenset({departure_rules.CONTRACT_SIGNING, departure_rules.DEPARTURE}),
        )
    )
    if item.code == "employment_contract" and any(
        review.status == ContractReview.Status.OPEN for review in case.contract_reviews.all()
    ):
        problems.append(_("Perjanjian kerja berbeda dari lowongan. Putuskan perbedaannya dulu."))
    return problems
