"""Writes for urgent cases. Each is one transaction with its audit row; opening a case tells the
office's managers and the staff of the P3MI that placed the worker."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.notifications.services import notify
from jalur.protection.selectors import worker_agency
from jalur.rules import crisis as rules

from .models import UrgentCase, UrgentStep

WORDS_MAX = 4000


def _people_to_tell(case: UrgentCase):
    managers = User.objects.filter(role=Role.PROGRAMME_MANAGER, is_active=True)
    agency_staff = (
        User.objects.filter(role=Role.AGENCY_STAFF, organisation=case.agency, is_active=True)
        if case.agency_id
        else User.objects.none()
    )
    return [*managers, *agency_staff]


def _tell(case: UrgentCase, key: str, **context) -> None:
    for user in _people_to_tell(case):
        notify(
            user=user,
            key=key,
            context={"case": case, "candidate_id": case.candidate_id, **context},
            link=reverse("crisis:case", args=[case.pk]),
        )


def _add_steps(case: UrgentCase, kind: str, start) -> list[str]:
    """Create the steps of `kind` the case does not have yet; returns their codes."""
    have = set(case.steps.values_list("code", flat=True))
    added = []
    for step in rules.steps_for(kind):
        if step.code in have:
            continue
        UrgentStep.objects.create(
            case=case,
            code=step.code,
            title=str(step.title),
            party=step.party,
            due_at=rules.due_at(start, step),
        )
        added.append(step.code)
    return added


def _require_abroad(candidate: Candidate) -> None:
    candidate.refresh_from_db(fields=["stage", "stage_changed_at"])
    if candidate.stage not in (Stage.DEPARTED, Stage.RETURNED):
        raise ValidationError(
            _("Kasus darurat hanya untuk pekerja yang sudah berangkat. Tahap orang ini: %(stage)s.")
            % {"stage": candidate.get_stage_display()}
        )


def _open(*, candidate, kind, words, via, actor, at) -> UrgentCase:
    agency = worker_agency(candidate)
    case = UrgentCase.objects.create(
        candidate=candidate,
        kind=kind,
        opened_at=at,
        opened_via=via,
        opened_by=actor if getattr(actor, "pk", None) else None,
        words=words.strip()[:WORDS_MAX],
        agency=agency,
        agency_told_at=at if agency else None,
    )
    steps = _add_steps(case, kind, at)
    audit_record(
        actor=actor,
        action="crisis.case_open",
        target=case,
        changes={"kind": [None, kind], "opened_via": [None, via], "steps": [None, steps]},
    )
    _tell(case, "urgent_opened")
    return case


def sos_open(
    *, candidate: Candidate, words: str, via: str, actor=None, at=None
) -> tuple[UrgentCase, bool]:
    """A worker asks for help (by reply or with the button on their page): (case, new?). While a
    case of theirs is still open, a new call is added to it and everyone is told again, rather than
    opening a second case."""
    _require_abroad(candidate)
    at = at or timezone.now()
    with transaction.atomic():
        Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
        case = (
            UrgentCase.objects.filter(candidate=candidate)
            .exclude(status=UrgentCase.Status.CLOSED)
            .order_by("-opened_at")
            .first()
        )
        if case is None:
            return (
                _open(
                    candidate=candidate,
                    kind=UrgentCase.Kind.SOS,
                    words=words,
                    via=via,
                    actor=actor,
                    at=at,
                ),
                True,
            )
        stamp = timezone.localtime(at).strftime("%d-%m-%Y %H:%M")
        added = f"[{stamp}] {words.strip()}" if words.strip() else f"[{stamp}]"
        case.words = (f"{case.words}\n{added}" if case.words else added)[-WORDS_MAX:]
        case.save(update_fields=["words"])
        audit_record(
            actor=actor,
            action="crisis.sos_again",
            target=case,
            changes={"opened_via": [None, via]},
        )
        _tell(case, "urgent_again")
    return case, False


def urgent_open(*, candidate: Candidate, kind: str, words: str, actor) -> UrgentCase:
    """The office records an urgent case it learnt of (a call from the family, the mission, news)."""
    _require_abroad(candidate)
    if kind not in UrgentCase.Kind.values:
        raise ValidationError({"kind": _("Pilih jenis kasus darurat.")})
    if not words.strip():
        raise ValidationError(
            {"words": _("Tulis singkat apa yang terjadi dan dari siapa kabarnya.")}
        )
    with transaction.atomic():
        return _open(
            candidate=candidate,
            kind=kind,
            words=words,
            via=UrgentCase.Via.STAFF,
            actor=actor,
            at=timezone.now(),
        )


def _require_open(case: UrgentCase) -> None:
    if case.status == UrgentCase.Status.CLOSED:
        raise ValidationError(_("Kasus ini sudah ditutup."))


def case_take(*, case: UrgentCase, actor) -> UrgentCase:
    """An officer takes the case in hand: the list shows who."""
    with transaction.atomic():
        case = UrgentCase.objects.select_for_update().get(pk=case.pk)
        _require_open(case)
        before = case.status
        case.status, case.taken_by, case.taken_at = (
            UrgentCase.Status.IN_HAND,
            actor,
            timezone.now(),
        )
        case.save(update_fields=["status", "taken_by", "taken_at"])
        audit_record(
            actor=actor,
            action="crisis.case_take",
            target=case,
            changes={"status": [before, case.status]},
        )
    return case


def case_classify(*, case: UrgentCase, kind: str, actor) -> list[str]:
    """Name what the SOS turned out to be; that kind's steps are added, due from now."""
    if kind not in UrgentCase.Kind.values or kind == UrgentCase.Kind.SOS:
        raise ValidationError({"kind": _("Pilih jenis kasus: krisis atau pemulangan.")})
    with transaction.atomic():
        case = UrgentCase.objects.select_for_update().get(pk=case.pk)
        _require_open(case)
        before = case.kind
        case.kind = kind
        case.save(update_fields=["kind"])
        added = _add_steps(case, kind, timezone.now())
        audit_record(
            actor=actor,
            action="crisis.case_classify",
            target=case,
            changes={"kind": [before, kind], "steps": [None, added]},
        )
    return added


def step_done(*, step: UrgentStep, actor, note: str) -> UrgentStep:
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Tulis apa yang sudah dilakukan (mis. nomor laporan).")})
    with transaction.atomic():
        step = UrgentStep.objects.select_for_update().select_related("case").get(pk=step.pk)
        _require_open(step.case)
        if step.done_at:
            raise ValidationError(_("Langkah ini sudah dicatat selesai."))
        step.done_at, step.done_by, step.note = timezone.now(), actor, note[:2000]
        step.save(update_fields=["done_at", "done_by", "note"])
        late = rules.is_late(due=step.due_at, done=step.done_at, now=step.done_at)
        audit_record(
            actor=actor,
            action="crisis.step_done",
            target=step.case,
            changes={"step": [None, step.code], "late": [None, late]},
            reason=note[:500],
        )
    return step


def case_close(*, case: UrgentCase, outcome: str, note: str, actor) -> UrgentCase:
    """Close with what happened; steps left undone are named in the audit row."""
    if outcome not in UrgentCase.Outcome.values:
        raise ValidationError({"outcome": _("Pilih hasil penanganan.")})
    if not note.strip():
        raise ValidationError({"note": _("Tulis singkat bagaimana kasus ini selesai.")})
    with transaction.atomic():
        case = UrgentCase.objects.select_for_update().get(pk=case.pk)
        _require_open(case)
        undone = list(case.steps.filter(done_at__isnull=True).values_list("code", flat=True))
        before = case.status
        case.status, case.outcome = UrgentCase.Status.CLOSED, outcome
        case.closing_note, case.closed_at, case.closed_by = note.strip(), timezone.now(), actor
        case.save(update_fields=["status", "outcome", "closing_note", "closed_at", "closed_by"])
        audit_record(
            actor=actor,
            action="crisis.case_close",
            target=case,
            changes={"status": [before, case.status], "outcome": [None, outcome]},
            reason=(f"langkah belum selesai: {', '.join(undone)}. " if undone else "")
            + note.strip()[:400],
        )
        _tell(case, "urgent_closed")
    return case
