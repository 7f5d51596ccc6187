"""Grievances: opening, the officer's steps, the agency's answer, messages and evidence."""

import datetime
import secrets

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.audit.services import audit_record, diff, snapshot
from jalur.audit.transitions import status_move
from jalur.candidates.models import Candidate
from jalur.candidates.uploads import document_file_check
from jalur.core.phone import normalize_phone, phone_error
from jalur.core.text import same_words
from jalur.notifications.services import notify
from jalur.rules import grievances as rules

from ..models import (
    Grievance,
    GrievanceEvent,
    GrievanceEvidence,
    GrievanceStatus,
    ReporterKind,
)
from ..selectors import worker_agency
from ._shared import _code, _office_managers, _opened, _unused_code

# --- grievances -----------------------------------------------------------------------------------


def _event(
    grievance: Grievance,
    *,
    kind: str,
    actor=None,
    text: str = "",
    public: bool = True,
    from_status: str = "",
    to_status: str = "",
    label: str = "",
    at=None,
):
    return GrievanceEvent.objects.create(
        grievance=grievance,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label or (str(actor) if getattr(actor, "pk", None) else ""),
        text=text,
        public=public,
        from_status=from_status,
        to_status=to_status,
        created_at=at or timezone.now(),
    )


class AlreadySent(Exception):
    """The form was sent before (Back, then Kirim): `grievance` is the case it opened."""

    def __init__(self, grievance):
        super().__init__(grievance.number)
        self.grievance = grievance


def reporter_phone_clean(raw: str) -> str:
    """A reporter's number in E.164, "" when none was given. From any country: the worker abroad,
    or a family member working abroad too, writes it with the country code (+82 10…, +81 90…).
    A fixed line or a number that is no mobile is refused saying what to fix (the forms check it
    too, so it shows with the rest)."""
    if not raw:
        return ""
    phone = normalize_phone(raw, any_country=True)
    if not phone:
        raise ValidationError(phone_error(raw, any_country=True))
    return phone


def _same_complaint_today(
    *, candidate, worker_name: str, agency, phone: str, category: str, description: str
):
    """The case the same reporter opened in the last day about the same worker and P3MI, with the
    same problem in the same words: a phone's browser that reloads the form on Back fills in the
    typed text again under a new form id, and sending it again must not open a second case. A
    complaint about another worker, or another P3MI, is another case even in the same words."""
    if candidate is None and not phone:
        return None
    recent = Grievance.objects.filter(
        category=category,
        agency=agency,
        opened_at__gte=timezone.now() - datetime.timedelta(days=1),
    )
    recent = recent.filter(candidate=candidate)  # None: a worker known only by name
    recent = recent.filter(reporter_phone=phone) if phone else recent
    for grievance in recent.order_by("-opened_at")[:20]:
        if not same_words(grievance.description, description):
            continue
        if candidate is None and not same_words(grievance.worker_name, worker_name):
            continue
        return grievance
    return None


def grievance_open(
    *,
    reporter_kind: str,
    reporter_name: str,
    category: str,
    description: str,
    worker_name: str = "",
    candidate: Candidate | None = None,
    reporter_phone: str = "",
    reporter_relation: str = "",
    worker_country: str = "",
    agency=None,
    actor=None,
    evidence=None,
    evidence_by: str = "",
    submission=None,
) -> tuple[Grievance, str]:
    """Open a case, with its first piece of evidence if one is uploaded (`evidence_by`: who
    uploaded it, the reporter by default). Returns the case and its follow-up secret (shown once,
    stored only as a hash). A file that cannot be accepted stops everything before anything is
    written, so fixing it and sending again never opens the case twice. `submission` is the id of
    the form: sent again, it raises AlreadySent with the case it opened the first time."""
    if submission is not None:
        sent = Grievance.objects.filter(submission=submission).first()
        if sent is not None:
            raise AlreadySent(sent)
    try:
        phone = reporter_phone_clean(reporter_phone)
    except ValidationError as error:
        raise ValidationError({"reporter_phone": error.messages}) from None
    if candidate is not None and agency is None:
        agency = worker_agency(candidate)
    sent = _same_complaint_today(
        candidate=candidate,
        worker_name=worker_name,
        agency=agency,
        phone=phone,
        category=category,
        description=description,
    )
    if sent is not None:
        raise AlreadySent(sent)
    if reporter_kind == ReporterKind.FAMILY and not phone:
        raise ValidationError(
            {"reporter_phone": _("Isi nomor HP agar petugas bisa menghubungi Anda.")}
        )
    if candidate is None and not worker_name.strip():
        raise ValidationError({"worker_name": _("Isi nama pekerja yang mengalami masalah.")})
    checked = _evidence_check(evidence) if evidence else None
    secret = _code(8)
    now = timezone.now()
    with transaction.atomic():
        number = _unused_code(Grievance, "number", f"ADU-{now:%Y}-")
        grievance = Grievance.objects.create(
            number=number,
            submission=submission,
            secret_hash=make_password(secret),
            reporter_kind=reporter_kind,
            reporter_name=reporter_name,
            reporter_phone=phone,
            reporter_relation=reporter_relation,
            candidate=candidate,
            worker_name=worker_name or (candidate.full_name if candidate else ""),
            worker_country=worker_country,
            agency=agency,
            category=category,
            description=description,
            opened_at=now,
            last_contact_at=now,
            due_at=rules.deadline_for(GrievanceStatus.RECEIVED, now),
        )
        _event(
            grievance,
            kind=GrievanceEvent.Kind.OPENED,
            actor=actor,
            to_status=GrievanceStatus.RECEIVED,
            label=reporter_name,
        )
        audit_record(
            actor=actor,
            action="grievance.open",
            target=grievance,
            changes={
                "status": [None, GrievanceStatus.RECEIVED],
                "category": [None, category],
                "reporter_kind": [None, reporter_kind],
            },
        )
        if checked is not None:
            _evidence_save(
                grievance,
                checked,
                name=evidence.name,
                uploaded_by_kind=evidence_by or reporter_kind,
                actor=actor,
            )
        for manager in _office_managers():
            notify(
                user=manager,
                key="grievance_opened",
                context={"grievance": grievance},
                link=f"/pelindungan/pengaduan/{grievance.pk}/",
            )
    return grievance, secret


def grievance_check_secret(*, number: str, secret: str) -> Grievance | None:
    return _opened(Grievance.objects.filter(number=number.strip().upper()).first(), secret)


def grievance_assign(*, grievance: Grievance, officer: User, actor) -> Grievance:
    if officer.role not in {Role.PROGRAMME_MANAGER, Role.SYSADMIN}:
        raise ValidationError(_("Pengaduan hanya bisa ditangani oleh pengelola program."))
    with transaction.atomic():
        locked = Grievance.objects.select_for_update().get(pk=grievance.pk)
        if locked.status == GrievanceStatus.RECEIVED:
            _status_move(
                locked,
                GrievanceStatus.ASSIGNED,
                actor=actor,
                text="",
                action="grievance.assign",
                fields={"assigned_to_id": officer.pk},
            )
        else:
            before = snapshot(locked, ["assigned_to_id"])
            locked.assigned_to = officer
            locked.save(update_fields=["assigned_to"])
            audit_record(
                actor=actor,
                action="grievance.assign",
                target=locked,
                changes=diff(before, snapshot(locked, ["assigned_to_id"])),
            )
        _event(
            locked, kind=GrievanceEvent.Kind.ASSIGNED, actor=actor, text=str(officer), public=False
        )
        if officer != actor:
            notify(
                user=officer,
                key="grievance_assigned",
                context={"grievance": locked},
                link=f"/pelindungan/pengaduan/{locked.pk}/",
            )
    return locked


def _status_move(
    locked: Grievance, to_status: str, *, actor, text: str, action: str, fields=None
) -> Grievance:
    """Move a locked case if the workflow allows it: the deadlines of the new state (the rules'),
    the timeline event, the save and the audit row."""
    now = timezone.now()
    due = rules.deadline_for(to_status, now)
    entering = {
        "due_at": due,
        "agency_due_at": due if to_status in rules.AGENCY_TURN else None,
        "agency_answered_at": None,  # an answer counts in the state it was given in
    }
    return status_move(
        locked,
        to_status=to_status,
        table=rules.TRANSITIONS,
        labels=GrievanceStatus,
        noun=_("Pengaduan"),
        actor=actor,
        action=action,
        reason=text,
        history=lambda from_status, at: _event(
            locked,
            kind=GrievanceEvent.Kind.STATUS,
            actor=actor,
            text=text,
            from_status=from_status,
            to_status=to_status,
            at=at,
        ),
        fields={**entering, **(fields or {})},
        changed_at_field=None,
        at=now,
    )


def grievance_move(
    *,
    grievance: Grievance,
    to_status: str,
    actor,
    text: str = "",
    closing_reason: str = "",
    outcome: str = "",
) -> Grievance:
    """Move a case along the workflow. Closing needs a reason the rules allow now (the 30 and 60
    days of Perban BP2MI 6/2024 among them); referral and resolution need a note."""
    if (
        to_status in {GrievanceStatus.REFERRED, GrievanceStatus.MEDIATION, GrievanceStatus.RESOLVED}
        and not text.strip()
    ):
        raise ValidationError(
            {
                "text": _(
                    "Tulis keterangan singkat untuk langkah ini (misalnya hasil mediasi atau tujuan rujukan)."
                )
            }
        )
    with transaction.atomic():
        locked = Grievance.objects.select_for_update().get(pk=grievance.pk)
        now = timezone.now()
        fields = {}
        if to_status == GrievanceStatus.CLOSED and rules.can_move(locked.status, to_status):
            check = rules.closing_check(closing_reason, facts=locked.closing_facts(), now=now)
            if not check.allowed:
                raise ValidationError({"closing_reason": check.message})
            fields |= {
                "closing_reason": closing_reason,
                "closed_at": now,
                "outcome": outcome or text,
            }
        elif to_status == GrievanceStatus.RESOLVED:
            fields["outcome"] = outcome or text
        if locked.assigned_to_id is None and getattr(actor, "role", None) in {
            Role.PROGRAMME_MANAGER,
            Role.SYSADMIN,
        }:
            # a case being handled has an officer, who owns its deadlines: the one who moved it
            fields["assigned_to_id"] = actor.pk
        _status_move(
            locked, to_status, actor=actor, text=text, action="grievance.move", fields=fields
        )
        if to_status in rules.AGENCY_TURN and locked.agency_id:
            for staff in User.objects.filter(
                organisation_id=locked.agency_id, role=Role.AGENCY_STAFF, is_active=True
            ):
                notify(
                    user=staff,
                    key="grievance_agency_turn",
                    context={"grievance": locked},
                    link=f"/pelindungan/pengaduan/{locked.pk}/",
                )
        if locked.candidate_id and locked.candidate.user_id:
            notify(
                user=locked.candidate.user,
                key="grievance_status",
                context={"grievance": locked},
                link=f"/pelindungan/pengaduan/{locked.pk}/",
            )
    return locked


def grievance_agency_response(*, grievance: Grievance, actor, text: str) -> GrievanceEvent:
    """The P3MI's clarification or commitment, recorded on the case timeline. Its first answer in a
    state where it must answer is its answer on the record: from then on the case waits for the
    office, which has its own deadline to act on it (jalur.rules.grievances.standing)."""
    if not text.strip():
        raise ValidationError({"text": _("Tulis tanggapan P3MI.")})
    with transaction.atomic():
        locked = Grievance.objects.select_for_update().get(pk=grievance.pk)
        if locked.status == GrievanceStatus.CLOSED:
            raise ValidationError(_("Pengaduan ini sudah ditutup."))
        now = timezone.now()
        changes = {}
        if locked.status in rules.AGENCY_TURN and locked.agency_answered_at is None:
            fields = ["agency_answered_at", "due_at"]
            before = snapshot(locked, fields)
            locked.agency_answered_at = now
            locked.due_at = rules.due_after_answer(now)
            locked.save(update_fields=fields)
            changes = diff(before, snapshot(locked, fields))
        event = _event(
            locked, kind=GrievanceEvent.Kind.AGENCY_RESPONSE, actor=actor, text=text, at=now
        )
        audit_record(
            actor=actor, action="grievance.agency_response", target=locked, changes=changes
        )
        if locked.assigned_to_id:
            notify(
                user=locked.assigned_to,
                key="grievance_agency_responded",
                context={"grievance": locked},
                link=f"/pelindungan/pengaduan/{locked.pk}/",
            )
    return event


def grievance_note(*, grievance: Grievance, actor, text: str, public: bool) -> GrievanceEvent:
    if not text.strip():
        raise ValidationError({"text": _("Catatan tidak boleh kosong.")})
    with transaction.atomic():
        event = _event(
            grievance, kind=GrievanceEvent.Kind.NOTE, actor=actor, text=text, public=public
        )
        audit_record(
            actor=actor,
            action="grievance.note",
            target=grievance,
            changes={"public": [None, public]},
        )
    return event


def _open_locked(grievance: Grievance) -> Grievance:
    locked = Grievance.objects.select_for_update().get(pk=grievance.pk)
    if locked.status == GrievanceStatus.CLOSED:
        raise ValidationError(_("Pengaduan ini sudah ditutup."))
    return locked


def grievance_documents_request(*, grievance: Grievance, actor, text: str) -> Grievance:
    """The office asks the reporter for documents (which ones, in `text`, shown to the reporter).
    From this request run the 30 days after which a case still without them may be closed
    (Perban BP2MI 6/2024); asking again starts them again."""
    text = text.strip()
    if not text:
        raise ValidationError(
            {
                "text": _(
                    "Tulis dokumen apa yang harus dikirim pelapor, mis. foto paspor dan slip gaji."
                )
            }
        )
    fields = ["documents_requested", "documents_requested_at", "documents_received_at"]
    with transaction.atomic():
        locked = _open_locked(grievance)
        before = snapshot(locked, fields)
        now = timezone.now()
        locked.documents_requested, locked.documents_requested_at = text, now
        locked.documents_received_at = None
        locked.save(update_fields=fields)
        _event(locked, kind=GrievanceEvent.Kind.DOCUMENTS_REQUESTED, actor=actor, text=text, at=now)
        audit_record(
            actor=actor,
            action="grievance.documents_request",
            target=locked,
            changes=diff(before, snapshot(locked, fields)),
        )
        if locked.candidate_id and locked.candidate.user_id:
            notify(
                user=locked.candidate.user,
                key="grievance_documents_requested",
                context={"grievance": locked},
                link=f"/pelindungan/pengaduan/{locked.pk}/",
            )
    return locked


def grievance_documents_received(*, grievance: Grievance, actor, text: str = "") -> Grievance:
    """The office records that the documents asked for came in (brought to the office, or checked
    among the files the reporter sent)."""
    with transaction.atomic():
        locked = _open_locked(grievance)
        if not locked.documents_missing:
            raise ValidationError(
                _(
                    'Tidak ada dokumen yang sedang ditunggu dari pelapor. Bila perlu dokumen, pakai "Minta dokumen kepada pelapor".'
                )
            )
        now = timezone.now()
        locked.documents_received_at = now
        locked.save(update_fields=["documents_received_at"])
        _event(
            locked,
            kind=GrievanceEvent.Kind.DOCUMENTS_RECEIVED,
            actor=actor,
            text=text.strip(),
            at=now,
        )
        audit_record(
            actor=actor,
            action="grievance.documents_received",
            target=locked,
            changes={"documents_received_at": [None, now.isoformat()]},
            reason=text.strip(),
        )
    return locked


def grievance_contact(*, grievance: Grievance, actor, text: str) -> Grievance:
    """The office records contact with the reporter (a call, a visit): the 60 days without contact
    after which a case may be closed (Perban BP2MI 6/2024) start again."""
    text = text.strip()
    if not text:
        raise ValidationError(
            {"text": _("Tulis kapan dan bagaimana pelapor dihubungi, dan apa hasilnya.")}
        )
    with transaction.atomic():
        locked = _open_locked(grievance)
        before = snapshot(locked, ["last_contact_at"])
        now = timezone.now()
        locked.last_contact_at = now
        locked.save(update_fields=["last_contact_at"])
        _event(
            locked, kind=GrievanceEvent.Kind.CONTACT, actor=actor, text=text, public=False, at=now
        )
        audit_record(
            actor=actor,
            action="grievance.contact",
            target=locked,
            changes=diff(before, snapshot(locked, ["last_contact_at"])),
            reason=text,
        )
    return locked


def grievance_reporter_message(*, grievance: Grievance, text: str, actor=None) -> GrievanceEvent:
    """A message from the worker or the family: also counts as contact (the 60-day rule)."""
    if not text.strip():
        raise ValidationError({"text": _("Pesan tidak boleh kosong.")})
    if grievance.status == GrievanceStatus.CLOSED:
        raise ValidationError(
            _("Pengaduan ini sudah ditutup. Buat pengaduan baru jika ada masalah lain.")
        )
    with transaction.atomic():
        Grievance.objects.filter(pk=grievance.pk).update(last_contact_at=timezone.now())
        event = _event(
            grievance,
            kind=GrievanceEvent.Kind.REPORTER_MESSAGE,
            actor=actor,
            text=text,
            label=grievance.reporter_name,
        )
        audit_record(actor=actor, action="grievance.reporter_message", target=grievance)
        if grievance.assigned_to_id:
            notify(
                user=grievance.assigned_to,
                key="grievance_reporter_message",
                context={"grievance": grievance},
                link=f"/pelindungan/pengaduan/{grievance.pk}/",
            )
    return event


def grievance_add_evidence(
    *, grievance: Grievance, upload, uploaded_by_kind: str, actor=None
) -> GrievanceEvidence:
    """A file for the case. One from the reporter counts as contact with them, and as the documents
    the office asked for, if it asked (the officer checks them, and asks again for what is missing)."""
    checked = _evidence_check(upload)
    with transaction.atomic():
        locked = Grievance.objects.select_for_update().get(pk=grievance.pk)
        changes = {}
        if uploaded_by_kind != ReporterKind.STAFF:
            fields = ["last_contact_at", "documents_received_at"]
            before = snapshot(locked, fields)
            now = timezone.now()
            locked.last_contact_at = now
            if locked.documents_missing:
                locked.documents_received_at = now
            locked.save(update_fields=fields)
            changes = diff(before, snapshot(locked, fields))
        return _evidence_save(
            locked,
            checked,
            name=upload.name,
            uploaded_by_kind=uploaded_by_kind,
            actor=actor,
            changes=changes,
        )


def _evidence_check(upload):
    """The same checks as a candidate's documents (PDF, JPEG or PNG by content, size limit)."""
    try:
        return document_file_check(upload)
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from error


def _evidence_save(grievance, checked, *, name: str, uploaded_by_kind: str, actor, changes=None):
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[
        checked.content_type
    ]
    evidence = GrievanceEvidence(
        grievance=grievance,
        original_name=name[:200],
        content_type=checked.content_type,
        size=len(checked.content),
        uploaded_by_kind=uploaded_by_kind,
    )
    # A random name: files are never reachable by guessing, and are served only by an access-checked view.
    evidence.file.save(
        f"{secrets.token_urlsafe(24)}.{extension}", ContentFile(checked.content), save=False
    )
    evidence.save()
    _event(grievance, kind=GrievanceEvent.Kind.EVIDENCE, actor=actor, text=name[:200])
    audit_record(
        actor=actor,
        action="grievance.evidence_add",
        target=grievance,
        changes={"evidence": [None, evidence.pk], **(changes or {})},
    )
    return evidence
