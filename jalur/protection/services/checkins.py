"""The monthly check-in: the worker's answers, the cases they open, and the escalation of a missed one.

The questions and what an answer means are `jalur.rules.checkins`; this module saves, opens the
cases, tells the people concerned and keeps the audit trail, each write in one transaction.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.notifications.models import OutboxMessage
from jalur.notifications.services import notify, text_send
from jalur.rules import checkins as rules

from ..models import (
    CheckIn,
    CheckInEscalation,
    FamilyNoticeConsent,
    Grievance,
    GrievanceStatus,
    ReporterKind,
)
from ..selectors import (
    checkin_interval,
    checkin_since,
    checkin_since_before,
    worker_agency,
    worker_contract,
)
from ._shared import _office_managers, _require_departed
from .grievances import AlreadySent, grievance_open

WORKER_PAGE = "/pelindungan/pekerja/{pk}/"
MY_CHECKIN_PAGE = "/pelindungan/saya/kabar/"


def _agency_staff(organisation):
    if organisation is None:
        return User.objects.none()
    return User.objects.filter(organisation=organisation, role=Role.AGENCY_STAFF, is_active=True)


def _close_escalations(candidate: Candidate, checkin: CheckIn, *, actor) -> None:
    """A check-in ends the escalation of the month (or months) it answers."""
    for escalation in CheckInEscalation.objects.select_for_update().filter(
        candidate=candidate, closed_at__isnull=True
    ):
        escalation.closed_at, escalation.closed_by = checkin.created_at, checkin
        escalation.save(update_fields=["closed_at", "closed_by"])
        audit_record(
            actor=actor,
            action="protection.checkin_escalation_close",
            target=escalation,
            changes={"closed_at": [None, escalation.closed_at.isoformat()]},
        )


def _tell_office_of_problem(candidate: Candidate, checkin: CheckIn) -> None:
    for manager in _office_managers():
        notify(
            user=manager,
            key="checkin_problem",
            context={"candidate": candidate, "checkin": checkin},
            link=WORKER_PAGE.format(pk=candidate.pk),
        )


def checkin_record(
    *,
    candidate: Candidate,
    status: str,
    note: str,
    reporter_kind: str,
    actor,
    reporter_name: str = "",
) -> CheckIn:
    """A periodic report from the worker, the family (through staff or with their family code) or
    staff, as good news or a problem with a note. A problem alerts the office."""
    _require_departed(candidate)
    if status == CheckIn.Status.PROBLEM and not note.strip():
        raise ValidationError(
            {"note": _("Ceritakan singkat masalahnya agar petugas bisa membantu.")}
        )
    with transaction.atomic():
        checkin = CheckIn.objects.create(
            candidate=candidate,
            status=status,
            note=note,
            reporter_kind=reporter_kind,
            reporter_name=reporter_name.strip()[:200],
            recorded_by=actor if getattr(actor, "pk", None) else None,
            created_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="protection.checkin",
            target=candidate,
            changes={"status": [None, status]},
        )
        _close_escalations(candidate, checkin, actor=actor)
        if status == CheckIn.Status.PROBLEM:
            _tell_office_of_problem(candidate, checkin)
    return checkin


def _clean_answers(answers: dict) -> dict:
    """Every question's key with its answer or None; ValidationError per field when one is wrong."""
    errors = rules.answers_errors(answers)
    if errors:
        raise ValidationError(errors)
    cleaned = {q.key: answers.get(q.key) for q in rules.QUESTIONS}
    for key in ("wage_amount", "hours_per_week"):
        if cleaned[key] in (None, ""):
            cleaned[key] = None
    if cleaned["wage_amount"] is not None:
        cleaned["wage_amount"] = Decimal(str(cleaned["wage_amount"]).strip())
    if cleaned["hours_per_week"] is not None:
        cleaned["hours_per_week"] = int(Decimal(str(cleaned["hours_per_week"]).strip()))
    return cleaned


def _open_case(candidate, checkin, category, messages, *, reporter_kind, actor) -> Grievance:
    """The case a check-in's answers open, or the one of that kind still open for this worker (the
    same wage held back two months running is one case, not two)."""
    already = (
        Grievance.objects.filter(candidate=candidate, category=category)
        .exclude(status=GrievanceStatus.CLOSED)
        .order_by("-opened_at")
        .first()
    )
    if already is not None:
        return already
    description = _("Dibuka otomatis dari kabar bulanan %(date)s: %(findings)s") % {
        "date": timezone.localtime(checkin.created_at).strftime("%d-%m-%Y"),
        "findings": " ".join(messages),
    }
    if checkin.note.strip():
        description += "\n\n" + checkin.note.strip()
    kind, name, phone = reporter_kind, candidate.full_name, ""
    if reporter_kind == ReporterKind.FAMILY:
        phone = candidate.emergency_phone
        name = checkin.reporter_name or candidate.emergency_name or candidate.full_name
        if not phone:  # the family's case needs a number to call back: the office opens it
            kind, name = ReporterKind.STAFF, _("Kabar bulanan")
    elif reporter_kind != ReporterKind.WORKER:
        name = str(actor) if getattr(actor, "pk", None) else _("Kabar bulanan")
    try:
        grievance, _secret = grievance_open(
            reporter_kind=kind,
            reporter_name=name,
            reporter_phone=phone,
            category=category,
            description=description,
            candidate=candidate,
            actor=actor,
        )
    except AlreadySent as sent:
        grievance = sent.grievance
    return grievance


def checkin_answers_record(
    *,
    candidate: Candidate,
    answers: dict,
    reporter_kind: str,
    actor=None,
    channel: str = "web",
    at=None,
    note: str = "",
) -> CheckIn:
    """The structured monthly check-in (the questions of `rules.checkins.QUESTIONS`).

    `answers` holds {key: bool | Decimal | int | None}; a missing optional key is None. Wrong answers
    raise ValidationError with a message per field. The answers are compared with the contract
    (`rules.checkins.checkin_findings`); any finding or a call for help makes the report a problem.
    A finding that breaks the contract or the law opens a case (`grievance_open`: the office is
    told) or joins the one of that kind still open, and the P3MI that placed the worker is told.
    The check-in ends the open escalation of a missed month. One transaction, audited.
    """
    _require_departed(candidate)
    cleaned = _clean_answers(answers)
    wage, currency, hours = worker_contract(candidate)
    findings = rules.checkin_findings(
        cleaned, contract_wage=wage, contract_currency=currency, contract_hours=hours
    )
    status = CheckIn.Status.PROBLEM if findings else CheckIn.Status.GOOD
    at = at or timezone.now()
    with transaction.atomic():
        checkin = CheckIn.objects.create(
            candidate=candidate,
            status=status,
            note=note.strip(),
            reporter_kind=reporter_kind,
            reporter_name=(candidate.full_name if reporter_kind == ReporterKind.WORKER else "")[
                :200
            ],
            recorded_by=actor if getattr(actor, "pk", None) else None,
            created_at=at,
            contract_wage=wage,
            wage_currency=currency,
            channel=channel[:10],
            **cleaned,
        )
        by_case: dict[str, list[str]] = {}
        for finding in findings:
            if finding.case:
                by_case.setdefault(finding.case, []).append(finding.message)
        cases = {
            category: _open_case(
                candidate, checkin, category, messages, reporter_kind=reporter_kind, actor=actor
            )
            for category, messages in by_case.items()
        }
        checkin.findings = [
            {
                "kind": f.kind,
                "message": f.message,
                "source": f.source.cite(),
                "case": f.case and cases[f.case].number,
                "case_id": f.case and cases[f.case].pk,
            }
            for f in findings
        ]
        checkin.save(update_fields=["findings"])
        audit_record(
            actor=actor,
            action="protection.checkin",
            target=candidate,
            changes={
                "status": [None, status],
                "channel": [None, channel],
                "findings": [None, [f.kind for f in findings]],
                "cases": [None, sorted(g.number for g in cases.values())],
            },
        )
        _close_escalations(candidate, checkin, actor=actor)
        if status == CheckIn.Status.PROBLEM:
            _tell_office_of_problem(candidate, checkin)
            for staff in _agency_staff(worker_agency(candidate)):
                notify(
                    user=staff,
                    key="checkin_problem_agency",
                    context={"candidate": candidate, "checkin": checkin},
                    link=WORKER_PAGE.format(pk=candidate.pk),
                )
    return checkin


# --- the worker's consent to tell the family --------------------------------------------------------


def family_notice_consent_set(*, candidate: Candidate, agreed: bool, actor) -> FamilyNoticeConsent:
    """The worker says whether their family (the emergency contact) may be told when they miss
    two check-ins in a row."""
    with transaction.atomic():
        consent, _created = FamilyNoticeConsent.objects.select_for_update().get_or_create(
            candidate=candidate, defaults={"agreed": False, "set_at": timezone.now()}
        )
        before = consent.agreed if not _created else None
        consent.agreed, consent.set_at = bool(agreed), timezone.now()
        consent.save(update_fields=["agreed", "set_at"])
        audit_record(
            actor=actor,
            action="protection.family_notice_consent",
            target=candidate,
            changes={"family_notice": [before, consent.agreed]},
        )
    return consent


def family_may_be_told(candidate: Candidate) -> bool:
    consent = FamilyNoticeConsent.objects.filter(candidate=candidate).first()
    return bool(consent and consent.agreed)


# --- reminders and escalation ---------------------------------------------------------------------


def _text_to_number(number: str, subject: str, body: str) -> OutboxMessage | None:
    """A message to a phone number that has no account (the family's), through the city's
    gateway; None when messages to phones are off."""
    return text_send(to=number, subject=subject, body=body)


def _step_remind(escalation: CheckInEscalation, candidate: Candidate, now) -> None:
    escalation.reminded_at = now
    if candidate.user_id and candidate.user.is_active:
        notify(
            user=candidate.user,
            key="checkin_reminder",
            context={
                "candidate": candidate,
                "due_on": escalation.due_on,
                "questions": rules.QUESTIONS,
            },
            link=MY_CHECKIN_PAGE,
        )
    else:  # registered at the desk without an account: the number where they are now
        _text_to_number(
            candidate.phone_abroad_in_use or candidate.phone,
            _("Pengingat kabar bulanan"),
            _(
                "Mohon kirim kabar bulanan Anda sebelum %(date)s: hubungi Disnakertrans atau balas "
                "pesan ini."
            )
            % {"date": escalation.due_on.strftime("%d-%m-%Y")},
        )


def _step_agency(escalation: CheckInEscalation, candidate: Candidate, now) -> None:
    agency = worker_agency(candidate)
    escalation.agency = agency
    escalation.agency_told_at = now
    escalation.agency_answer_due = rules.agency_answer_due(timezone.localdate(now))
    staff = list(_agency_staff(agency))
    for user in staff:
        notify(
            user=user,
            key="checkin_missed_agency",
            context={"candidate": candidate, "escalation": escalation},
            link=WORKER_PAGE.format(pk=candidate.pk),
        )
    if not staff:  # no P3MI to answer: the office must know now, not a month later
        for manager in _office_managers():
            notify(
                user=manager,
                key="checkin_missed_no_agency",
                context={"candidate": candidate, "escalation": escalation},
                link=WORKER_PAGE.format(pk=candidate.pk),
            )


def _step_family_office(escalation: CheckInEscalation, candidate: Candidate, now) -> None:
    escalation.family_office_told_at = now
    family = family_may_be_told(candidate) and bool(candidate.emergency_phone)
    if family:
        escalation.family_message = _text_to_number(
            candidate.emergency_phone,
            _("Disnakertrans: kabar %(name)s") % {"name": candidate.full_name.split()[0]},
            _(
                "%(name)s belum mengirim kabar dari tempat kerja selama dua bulan. Bila Anda punya "
                "kabar, mohon hubungi Disnakertrans. Pesan ini dikirim atas persetujuan %(name)s."
            )
            % {"name": candidate.full_name.split()[0]},
        )
    for manager in _office_managers():
        notify(
            user=manager,
            key="checkin_missed_twice",
            context={
                "candidate": candidate,
                "escalation": escalation,
                "family_told": escalation.family_message is not None,
            },
            link=WORKER_PAGE.format(pk=candidate.pk),
        )


STEPS = {
    rules.Level.REMINDED: _step_remind,
    rules.Level.AGENCY_TOLD: _step_agency,
    rules.Level.FAMILY_OFFICE_TOLD: _step_family_office,
}


def checkin_escalate(*, candidate: Candidate, due_on: datetime.date, today=None) -> list[str]:
    """Take, once each and in order, the steps a check-in due on `due_on` has reached today;
    returns the steps taken. Safe to run again: a step already taken is not repeated."""
    today = today or timezone.localdate()
    target = rules.escalation_level(
        due=due_on,
        today=today,
        interval_days=settings.JALUR_CHECKIN_INTERVAL_DAYS,
        grace_days=settings.JALUR_CHECKIN_GRACE_DAYS,
    )
    if target == rules.Level.NONE:
        return []
    taken = []
    now = timezone.now()
    with transaction.atomic():
        Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
        escalation = CheckInEscalation.objects.filter(candidate=candidate, due_on=due_on).first()
        if escalation is not None and escalation.closed_at is not None:
            return []
        done = rules.LEVELS.index(rules.Level(escalation.level)) if escalation else 0
        if escalation is None:
            escalation = CheckInEscalation(candidate=candidate, due_on=due_on)
        before = escalation.level or None
        for level in rules.LEVELS[done + 1 : rules.LEVELS.index(target) + 1]:
            STEPS[level](escalation, candidate, now)
            escalation.level = level.value
            taken.append(level.value)
        if not taken:
            return []
        escalation.save()
        audit_record(
            actor=None,
            action="protection.checkin_escalation",
            target=escalation,
            changes={"level": [before, escalation.level], "due_on": [None, due_on.isoformat()]},
        )
    return taken


def checkin_escalations_run(*, today=None) -> dict[str, int]:
    """The daily run: every worker abroad whose check-in is due within the reminder days, or late,
    moves on to the step the rules give for today. Returns how many steps of each kind were taken."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=rules.REMIND_DAYS_BEFORE)
    start_before = timezone.make_aware(
        datetime.datetime.combine(horizon - checkin_interval(), datetime.time.max)
    )
    workers = (
        Candidate.objects.filter(stage=Stage.DEPARTED)
        .filter(checkin_since_before(start_before, inclusive=True))
        .annotate(since=checkin_since())  # the monitoring list's start: the same due dates
        .order_by("pk")
        .values_list("pk", "since")
    )
    due = {pk: timezone.localdate(since) + checkin_interval() for pk, since in workers}
    # the steps already taken, in one query: a worker at the step the rules give today is skipped
    reached = {
        (pk, due_on): (level, closed)
        for pk, due_on, level, closed in CheckInEscalation.objects.filter(
            candidate_id__in=list(due)
        ).values_list("candidate_id", "due_on", "level", "closed_at")
    }
    counts = dict.fromkeys((level.value for level in rules.LEVELS if level), 0)
    for pk, due_on in due.items():
        target = rules.escalation_level(
            due=due_on,
            today=today,
            interval_days=settings.JALUR_CHECKIN_INTERVAL_DAYS,
            grace_days=settings.JALUR_CHECKIN_GRACE_DAYS,
        )
        level, closed = reached.get((pk, due_on), ("", None))
        if target == rules.Level.NONE or closed is not None or level == target:
            continue
        worker = Candidate.objects.select_related("user").get(pk=pk)
        for step in checkin_escalate(candidate=worker, due_on=due_on, today=today):
            counts[step] += 1
    checkin_agency_late_run(today=today)
    return counts


def _agency_late(today: datetime.date):
    """Missed check-ins whose P3MI let the day to answer pass without a word, not yet told."""
    return CheckInEscalation.objects.filter(
        candidate__stage=Stage.DEPARTED,
        agency_answer_due__lt=today,
        agency_answered_at__isnull=True,
        closed_at__isnull=True,
        agency_late_told_at__isnull=True,
    )


def checkin_agency_late_run(*, today=None) -> int:
    """Tell the office's programme managers, once per missed check-in, that the P3MI did not answer
    by its deadline (`CheckInEscalation.agency_late`): the office must then reach the worker
    itself. Returns how many were told. Safe to run again: one told is not told twice."""
    today = today or timezone.localdate()
    told = 0
    for pk in _agency_late(today).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            escalation = (
                _agency_late(today)
                .select_for_update(of=("self",))  # the agency is a nullable (outer) join
                .select_related("candidate", "agency")
                .filter(pk=pk)
                .first()
            )
            if escalation is None:  # answered, closed or told meanwhile
                continue
            escalation.agency_late_told_at = timezone.now()
            escalation.save(update_fields=["agency_late_told_at"])
            audit_record(
                actor=None,
                action="protection.checkin_escalation_agency_late",
                target=escalation,
                changes={
                    "agency_late_told_at": [None, escalation.agency_late_told_at.isoformat()],
                    "agency_answer_due": [None, escalation.agency_answer_due.isoformat()],
                },
            )
            for manager in _office_managers():
                notify(
                    user=manager,
                    key="checkin_agency_late",
                    context={"candidate": escalation.candidate, "escalation": escalation},
                    link=WORKER_PAGE.format(pk=escalation.candidate_id),
                )
            told += 1
    return told


def checkin_escalation_answer(*, escalation: CheckInEscalation, actor, text: str):
    """The P3MI's answer about a missed check-in: what it knows of the worker and what it did. Its
    first answer is on the record; the office is told."""
    text = text.strip()
    if not text:
        raise ValidationError(
            {"text": _("Tulis apa yang P3MI ketahui tentang pekerja dan apa yang sudah dilakukan.")}
        )
    with transaction.atomic():
        locked = CheckInEscalation.objects.select_for_update().get(pk=escalation.pk)
        if locked.agency_told_at is None:
            raise ValidationError(_("P3MI belum diminta menjawab untuk bulan ini."))
        if locked.agency_answered_at is not None:
            raise ValidationError(_("P3MI sudah menjawab untuk bulan ini."))
        locked.agency_answer = text
        locked.agency_answered_at = timezone.now()
        locked.agency_answered_by = actor if getattr(actor, "pk", None) else None
        locked.save(update_fields=["agency_answer", "agency_answered_at", "agency_answered_by"])
        audit_record(
            actor=actor,
            action="protection.checkin_escalation_answer",
            target=locked,
            changes={"agency_answered_at": [None, locked.agency_answered_at.isoformat()]},
        )
        for manager in _office_managers():
            notify(
                user=manager,
                key="checkin_agency_answered",
                context={"candidate": locked.candidate, "escalation": locked},
                link=WORKER_PAGE.format(pk=locked.candidate_id),
            )
    return locked
