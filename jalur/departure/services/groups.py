"""Group departures: a P3MI's group for one flight, its members (cases preparing or ready for
the same country), and departing together, each member through the gate on the flight date."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record, diff, snapshot
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage

from ..gates import gate_problems
from ..models import (
    CaseStatus,
    DepartureCase,
    DepartureGroup,
)
from .cases import _case_move, _departure_date_check


def group_create(
    *, agency, country: str, departs_on, flight: str, airport: str, actor
) -> DepartureGroup:
    _departure_date_check(departs_on, field="departs_on")
    with transaction.atomic():
        group = DepartureGroup.objects.create(
            agency=agency,
            country=country,
            departs_on=departs_on,
            flight=flight,
            airport=airport,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="departure.group_create",
            target=group,
            changes=diff({}, snapshot(group, ["departs_on", "flight", "airport", "country"])),
        )
    return group


def group_set_members(
    *, group: DepartureGroup, cases: list[DepartureCase], actor
) -> DepartureGroup:
    if group.status != DepartureGroup.Status.PLANNED:
        raise ValidationError(_("Rombongan ini sudah berangkat."))
    # A group is planned while its members prepare (their checklists are filled in together);
    # each must be ready and pass the gate to depart with it (`group_depart`).
    wrong = [
        c
        for c in cases
        if c.agency_id != group.agency_id
        or c.status not in (CaseStatus.OPEN, CaseStatus.READY)
        or c.application.order.employer_country != group.country
    ]
    if wrong:
        raise ValidationError(
            _(
                "Hanya pekerja P3MI ini yang sedang bersiap atau sudah siap berangkat ke negara yang sama yang bisa masuk rombongan."
            )
        )
    with transaction.atomic():
        before = sorted(group.cases.values_list("pk", flat=True))
        group.cases.exclude(pk__in=[c.pk for c in cases]).update(group=None)
        DepartureCase.objects.filter(pk__in=[c.pk for c in cases]).update(group=group)
        audit_record(
            actor=actor,
            action="departure.group_members",
            target=group,
            changes={"cases": [before, sorted(c.pk for c in cases)]},
        )
    return group


def _departed_at(departs_on: datetime.date, candidate, *, now: datetime.datetime):
    """When the worker left, as the stage history records it: the start of the flight day when the
    group is marked departed later, never before the candidate's previous stage change (the history
    stays in order)."""
    if departs_on >= timezone.localdate(now):
        return now
    start = timezone.make_aware(datetime.datetime.combine(departs_on, datetime.time.min))
    previous = candidate.stage_changed_at
    return max(start, previous) if previous else start


def group_depart(*, group: DepartureGroup, actor) -> DepartureGroup:
    """Mark the whole group departed: every member must pass the gate on the group's date, or nobody goes.
    Not before the flight date; the flight date (not the day of the click) is each worker's departure
    date, in the case, the stage history and so the protection monitoring that counts from it."""
    with transaction.atomic():
        group = DepartureGroup.objects.select_for_update().get(pk=group.pk)
        if group.status != DepartureGroup.Status.PLANNED:
            raise ValidationError(_("Rombongan ini sudah berangkat."))
        now = timezone.now()
        if group.departs_on > timezone.localdate(now):
            raise ValidationError(
                _(
                    "Rombongan dijadwalkan berangkat %(date)s; tandai berangkat pada atau setelah tanggal itu."
                )
                % {"date": group.departs_on.strftime("%d-%m-%Y")},
                code="before_departure_date",
            )
        members = list(
            group.cases.select_related("candidate", "application__order").select_for_update()
        )
        if not members:
            raise ValidationError(_("Rombongan ini belum punya anggota."))
        refusals = []
        for case in members:
            problems = gate_problems(case, group.departs_on, for_departure=True)
            if case.status != CaseStatus.READY:
                problems.insert(0, _("belum ditandai siap berangkat"))
            if problems:
                refusals.append(f"{case.candidate.full_name}: " + " ".join(problems))
        if refusals:
            raise ValidationError(refusals)
        for case in members:
            _case_move(
                case,
                CaseStatus.DEPARTED,
                actor=actor,
                action="departure.depart",
                fields={"departed_on": group.departs_on},
            )
            candidate_stage_change(
                candidate=case.candidate,
                to_stage=Stage.DEPARTED,
                actor=actor,
                at=_departed_at(group.departs_on, case.candidate, now=now),
                reason=_("Berangkat %(date)s, %(flight)s dari %(airport)s.")
                % {
                    "date": group.departs_on.strftime("%d-%m-%Y"),
                    "flight": group.flight,
                    "airport": group.airport,
                },
            )
        group.status = DepartureGroup.Status.DEPARTED
        group.departed_at = timezone.now()
        group.save(update_fields=["status", "departed_at"])
        audit_record(
            actor=actor,
            action="departure.group_depart",
            target=group,
            changes={"status": [DepartureGroup.Status.PLANNED, DepartureGroup.Status.DEPARTED]},
        )
    return group
