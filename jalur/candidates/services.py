"""Writes for candidates: stage moves, registration, consent, documents, verification, duplicates.

The Excel import (importing.py) uses the same rules and writes in bulk.
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.accounts.models import User
from jalur.accounts.roles import Role, can
from jalur.accounts.services import user_create, user_update
from jalur.audit.services import audit_record, diff, snapshot
from jalur.notifications.services import notify

from .models import (
    Candidate,
    CandidateDocument,
    ConsentRecord,
    ConsentText,
    Decision,
    DocumentStatus,
    DocumentType,
    DuplicateFlag,
    RegistrationChannel,
    StageHistory,
    VerificationDecision,
)
from .rules import REQUIRED_TO_CREATE, SECTIONS, candidate_data_check, normalize_name
from .selectors import nik_registered
from .stages import Stage, can_move
from .uploads import document_file_check

# Called inside the transaction of every stage move, as `listener(candidate)`, and of every new
# record's first history row, as `listener(candidate, new=NewRecord(...))` (the reports app keeps its
# summary tables current this way).
STAGE_LISTENERS: list = []


@dataclass(frozen=True)
class NewRecord:
    """What a listener is told about a record created a moment ago, in the same transaction.

    Nothing else refers to the record yet: it has this first history row, the preferred job types
    written with it, and no offer, pathway or later move. A listener can work from memory instead
    of reading the record back.
    """

    history: StageHistory
    job_type_ids: tuple[int, ...] = ()


def candidate_stage_change(
    *,
    candidate: Candidate,
    to_stage: str,
    actor,
    reason: str = "",
    notify_candidate: bool = True,
    at=None,
) -> Candidate:
    """Move a candidate to `to_stage` if the transition table allows it.

    Locks the candidate row, so two people deciding at once cannot both move it: the second sees the
    stage the first left and gets a clear error.
    """
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        from_stage = locked.stage
        if not can_move(from_stage, to_stage):
            raise ValidationError(
                _(
                    'Tahap tidak bisa diubah dari "%(from)s" ke "%(to)s". Muat ulang halaman untuk melihat tahap terbaru.'
                )
                % {"from": Stage(from_stage).label, "to": Stage(to_stage).label},
                code="invalid_transition",
            )
        now = at or timezone.now()
        locked.stage = to_stage
        locked.stage_changed_at = now
        locked.save(update_fields=["stage", "stage_changed_at", "updated_at"])
        StageHistory.objects.create(
            candidate=locked,
            from_stage=from_stage,
            to_stage=to_stage,
            actor=actor if getattr(actor, "pk", None) else None,
            reason=reason,
            created_at=now,
        )
        for listener in STAGE_LISTENERS:
            listener(locked)
        audit_record(
            actor=actor,
            action="candidate.stage_change",
            target=locked,
            changes={"stage": [from_stage, to_stage]},
            reason=reason,
        )
        if notify_candidate and locked.user_id:
            notify(
                user=locked.user,
                key="stage_changed",
                context={"to_label": Stage(to_stage).label, "reason": reason, "candidate": locked},
                link=reverse("candidates:me"),
            )
    candidate.stage = locked.stage
    candidate.stage_changed_at = locked.stage_changed_at
    return locked


def candidate_history_start(
    *, candidate: Candidate, actor, at=None, job_type_ids=()
) -> StageHistory:
    """The first history row, written when a candidate record is created (in its transaction;
    `job_type_ids`: the preferred job types written with it)."""
    row = StageHistory.objects.create(
        candidate=candidate,
        from_stage="",
        to_stage=candidate.stage,
        actor=actor if getattr(actor, "pk", None) else None,
        created_at=at or timezone.now(),
    )
    new = NewRecord(history=row, job_type_ids=tuple(sorted(set(job_type_ids))))
    for listener in STAGE_LISTENERS:
        listener(candidate, new=new)
    return row


# --- registration ----------------------------------------------------------------------------------

NIK_TAKEN_MESSAGE = gettext_lazy(
    "NIK ini sudah terdaftar di Jalur. Jika ini NIK Anda, masuk dengan akun Anda (atau pakai 'Lupa kata sandi'). Jika Anda belum pernah mendaftar, datang ke kantor Disnakertrans dengan membawa KTP."
)
PHONE_TAKEN_MESSAGE = gettext_lazy(
    "Nomor HP ini sudah dipakai akun lain. Masuk dengan nomor ini, atau pakai nomor HP lain."
)
EMAIL_TAKEN_MESSAGE = gettext_lazy(
    "E-mail ini sudah dipakai akun lain. Masuk dengan e-mail ini, atau pakai e-mail lain."
)
SLIP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper


class NikTaken(ValidationError):
    """The NIK is registered already. The message never says by whom or with what data."""

    def __init__(self):
        super().__init__({"nik": [NIK_TAKEN_MESSAGE]})


def username_new() -> str:
    """A log-in name that says nothing about the person (they log in by phone or e-mail anyway)."""
    return f"pencaker-{secrets.token_hex(5)}"


def candidate_account_create(
    *, full_name: str, phone: str = "", email: str = "", password: str
) -> User:
    """Step one of self-registration: a candidate's log-in, so they can leave and come back."""
    errors: dict[str, list] = {}
    full_name = normalize_name(full_name)
    if not full_name:
        errors["full_name"] = [_("Tulis nama lengkap sesuai KTP.")]
    checked = candidate_data_check({"phone": phone, "email": email}, today=timezone.localdate())
    errors.update(checked.errors)
    phone, email = checked.data.get("phone", ""), checked.data.get("email", "")
    if not phone and not email and "phone" not in errors and "email" not in errors:
        errors["phone"] = [_("Isi nomor HP (WhatsApp) atau e-mail untuk masuk nanti.")]
    if phone and User.objects.filter(phone=phone).exists():
        errors["phone"] = [PHONE_TAKEN_MESSAGE]
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [EMAIL_TAKEN_MESSAGE]
    if not errors:
        try:
            validate_password(
                password, User(full_name=full_name, phone=phone or None, email=email or None)
            )
        except ValidationError as error:
            errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    try:
        return user_create(
            actor=None,
            username=username_new(),
            role=Role.CANDIDATE,
            full_name=full_name,
            phone=phone or None,
            email=email or None,
            password=password,
            reason="pendaftaran mandiri",
        )
    except IntegrityError as error:  # the same phone/e-mail registered a moment ago
        raise ValidationError({"phone": [PHONE_TAKEN_MESSAGE]}) from error


def _login_user_for(*, candidate_data: dict, actor, full_name: str) -> User:
    """A log-in for a person registered by an officer or an import; the password comes later."""
    phone = candidate_data.get("phone") or None
    email = candidate_data.get("email") or None
    if phone or email:
        taken = User.objects.filter(Q(phone=phone) | Q(email__iexact=email or "-")).values_list(
            "phone", "email"
        )
        for taken_phone, taken_email in taken:
            if phone and taken_phone == phone:
                phone = None  # the number logs someone else in; the duplicate review looks at it
            if email and (taken_email or "").lower() == email.lower():
                email = None
    return user_create(
        actor=actor,
        username=username_new(),
        role=Role.CANDIDATE,
        full_name=full_name,
        phone=phone,
        email=email,
    )


def _apply(candidate: Candidate, data: dict) -> list:
    """Set checked values on the candidate; returns the job types to set after saving."""
    job_types = data.pop("preferred_job_types", None)
    for name, value in data.items():
        setattr(candidate, name, value)
    return job_types


def candidate_register(
    *,
    data: dict,
    actor,
    channel: str,
    user: User | None = None,
    consent: ConsentText | None = None,
    confirm_birth_date: bool = False,
    today=None,
) -> Candidate:
    """Create a candidate record, from self-registration, the registration desk or one import row.

    Every rule is in `rules.candidate_data_check`. The record starts in REGISTERING; the candidate
    (or an officer) completes it and sends it for verification with `candidate_submit`. A desk
    registration creates a log-in for the person; an officer prints its password with
    `candidate_login_issue`.
    """
    today = today or timezone.localdate()
    checked = candidate_data_check(data, today=today, require=REQUIRED_TO_CREATE)
    checked.raise_errors()
    values = dict(checked.data)
    mismatch = "birth_date" in checked.warnings
    if mismatch and channel == RegistrationChannel.WALK_IN and not confirm_birth_date:
        raise ValidationError(
            {
                "confirm_birth_date": checked.warnings["birth_date"]
                + [
                    _(
                        "Cocokkan dengan KTP, lalu centang 'Tanggal lahir sudah saya cocokkan dengan KTP asli'."
                    )
                ]
            },
            code="confirm_birth_date",
        )
    candidate = Candidate(channel=channel, registered_by=_user_or_none(actor))
    job_types = _apply(candidate, values)
    if mismatch and confirm_birth_date and channel != RegistrationChannel.SELF:
        candidate.birth_date_confirmed_by = _user_or_none(actor)
        candidate.birth_date_confirmed_at = timezone.now()
    if consent is not None:
        candidate.consent_version, candidate.consent_at = consent.version, timezone.now()
    if user is not None:
        candidate.phone = candidate.phone or user.phone or ""
        candidate.email = candidate.email or user.email or ""
    # Look-ups before the transaction, writes inside it: on SQLite the write lock is held from
    # the first statement of a transaction to its end.
    possible_duplicates = duplicate_candidates(candidate=candidate)
    try:
        with transaction.atomic():
            if user is None and channel != RegistrationChannel.SELF:
                user = _login_user_for(
                    candidate_data=values, actor=actor, full_name=values["full_name"]
                )
            candidate.user = user
            candidate.save(force_insert=True)  # a taken NIK fails here: the unique constraint
            if job_types:
                through = Candidate.preferred_job_types.through
                through.objects.bulk_create(
                    [through(candidate_id=candidate.pk, jobtype_id=pk) for pk in set(job_types)]
                )
            changes = {"channel": [None, channel], "stage": [None, candidate.stage]}
            if consent is not None:
                ConsentRecord.objects.create(
                    candidate=candidate,
                    consent_text=consent,
                    given_at=candidate.consent_at,
                    actor=_user_or_none(actor),
                    channel=channel,
                )
                changes["consent"] = [None, [consent.version, candidate.consent_at.isoformat()]]
            audit_record(
                actor=actor, action="candidate.register", target=candidate, changes=changes
            )
            _flags_create(candidate, possible_duplicates)
            # Last: stage listeners may lock shared summary rows; hold those locks briefly.
            candidate_history_start(candidate=candidate, actor=actor, job_type_ids=job_types or ())
    except IntegrityError as error:
        if nik_registered(values["nik"]):  # registered already, maybe a moment ago
            raise NikTaken from error
        raise
    return candidate


AUDITED_FIELDS = [
    name for fields in SECTIONS.values() for name in fields if name not in ("village",)
] + ["village_id", "district_id"]


def candidate_update(
    *,
    candidate: Candidate,
    data: dict,
    actor,
    require=(),
    confirm_birth_date: bool = False,
    reason: str = "",
    today=None,
) -> Candidate:
    """Change part of a candidate's data (one step of the form, or a staff correction)."""
    today = today or timezone.localdate()
    checked = candidate_data_check(
        {**_current_identity(candidate, data), **data}, today=today, require=require
    )
    checked.raise_errors()
    values = {
        k: v for k, v in checked.data.items() if k in data or k in ("district_id", "village_id")
    }
    if (
        "nik" in values
        and values["nik"] != candidate.nik
        and nik_registered(values["nik"], exclude_pk=candidate.pk)
    ):
        raise NikTaken
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        before = snapshot(locked, [f for f in AUDITED_FIELDS if f != "preferred_job_types"])
        before_jobs = sorted(locked.preferred_job_types.values_list("pk", flat=True))
        before_identity = (locked.nik, locked.birth_date)
        job_types = _apply(locked, values)
        if (locked.nik, locked.birth_date) != before_identity:
            locked.birth_date_confirmed_by = None  # a new date or NIK needs a new check
            locked.birth_date_confirmed_at = None
        officer = can(actor, "candidates.edit") or can(actor, "candidates.verify")
        if "birth_date" in checked.warnings and confirm_birth_date and officer:
            locked.birth_date_confirmed_by = _user_or_none(actor)
            locked.birth_date_confirmed_at = timezone.now()
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as error:
            raise NikTaken from error
        changes = diff(before, snapshot(locked, list(before)))
        if job_types is not None:
            locked.preferred_job_types.set(job_types)
            after_jobs = sorted(locked.preferred_job_types.values_list("pk", flat=True))
            if after_jobs != before_jobs:
                changes["preferred_job_types"] = [before_jobs, after_jobs]
        if changes:
            audit_record(
                actor=actor,
                action="candidate.update",
                target=locked,
                changes=changes,
                reason=reason,
            )
            if {"phone", "full_name", "birth_date"} & set(changes):
                duplicates_flag(candidate=locked, actor=actor)
            if "phone" in changes:
                _login_phone_follow(locked, actor=actor)
    return locked


def _login_phone_follow(candidate: Candidate, *, actor) -> None:
    """The person logs in with their phone: a new number becomes the log-in number too, unless
    another log-in already uses it (then the old one stays; `selectors.login_phone_differs` tells
    the office). A number removed leaves the log-in as it was."""
    user = candidate.user
    phone = candidate.phone or None
    if user is None or phone is None or user.phone == phone:
        return
    if User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        return
    user_update(
        actor=actor, user=user, data={"phone": phone}, reason="nomor HP pencari kerja diubah"
    )


def _current_identity(candidate: Candidate, data: dict) -> dict:
    """Stored values that cross-field rules need when a step changes only one side of a pair."""
    context = {}
    if "sex" in data or "birth_date" in data:
        context.setdefault("nik", candidate.nik)
    if "nik" in data:
        context.setdefault("sex", candidate.sex)
        context.setdefault("birth_date", candidate.birth_date)
    if "prior_abroad_country" in data or "prior_abroad_years" in data:
        context["prior_abroad_years"] = candidate.prior_abroad_years
        context["prior_abroad_country"] = candidate.prior_abroad_country
    return {k: v for k, v in context.items() if k not in data}


def candidate_birth_date_confirm(*, candidate: Candidate, actor) -> Candidate:
    """An officer compared the birth date with the KTP: the NIK's differing date is accepted."""
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        locked.birth_date_confirmed_by = _user_or_none(actor)
        locked.birth_date_confirmed_at = timezone.now()
        locked.save(
            update_fields=["birth_date_confirmed_by", "birth_date_confirmed_at", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="candidate.birth_date_confirm",
            target=locked,
            changes={"birth_date_confirmed": [False, True]},
        )
    return locked


def _consent_record(*, candidate: Candidate, consent: ConsentText, actor, channel: str):
    now = timezone.now()
    record = ConsentRecord.objects.create(
        candidate=candidate,
        consent_text=consent,
        given_at=now,
        actor=_user_or_none(actor),
        channel=channel,
    )
    before = [candidate.consent_version, _plain_time(candidate.consent_at)]
    candidate.consent_version, candidate.consent_at = consent.version, now
    candidate.save(update_fields=["consent_version", "consent_at", "updated_at"])
    audit_record(
        actor=actor,
        action="candidate.consent",
        target=candidate,
        changes={"consent": [before, [consent.version, now.isoformat()]]},
    )
    return record


def _plain_time(value):
    return value.isoformat() if value else None


def candidate_consent_give(
    *, candidate: Candidate, consent: ConsentText, actor, channel: str = RegistrationChannel.SELF
) -> ConsentRecord:
    """The person agreed to this version of the consent text (on screen, or on paper at the desk)."""
    with transaction.atomic():
        return _consent_record(candidate=candidate, consent=consent, actor=actor, channel=channel)


def candidate_submit(*, candidate: Candidate, actor, today=None) -> Candidate:
    """Send a complete registration (or a corrected one) to the verifiers."""
    from .selectors import registration_missing

    today = today or timezone.localdate()
    if candidate.stage not in (Stage.REGISTERING, Stage.CORRECTION):
        raise ValidationError(
            _("Pendaftaran ini sudah dikirim (tahap sekarang: %(stage)s).")
            % {"stage": Stage(candidate.stage).label}
        )
    missing = registration_missing(candidate, today=today)
    if missing:
        raise ValidationError(
            [_("Belum lengkap: %(item)s.") % {"item": item.label} for item in missing],
            code="incomplete",
        )
    checked = candidate_data_check({"birth_date": candidate.birth_date}, today=today)
    checked.raise_errors()  # age on the day the registration is sent
    reason = (
        _("Perbaikan dikirim ulang.")
        if candidate.stage == Stage.CORRECTION
        else _("Pendaftaran dikirim.")
    )
    return candidate_stage_change(
        candidate=candidate, to_stage=Stage.REGISTERED, actor=actor, reason=reason
    )


def candidate_login_issue(*, candidate: Candidate, actor) -> tuple[User, str]:
    """A new initial password for the person, to print on a slip (desk registration, import, or a
    forgotten password without e-mail). Only a hash is stored; the audit row never holds it."""
    password = "".join(secrets.choice(SLIP_ALPHABET) for _ in range(10))
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        user = locked.user
        if user is None:
            user = _login_user_for(
                candidate_data={"phone": locked.phone, "email": locked.email},
                actor=actor,
                full_name=locked.full_name,
            )
            locked.user = user
            locked.save(update_fields=["user", "updated_at"])
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=actor, action="candidate.login_issue", target=locked)
    return user, password


def _user_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


# --- documents -------------------------------------------------------------------------------------


def document_upload(
    *,
    candidate: Candidate,
    document_type: DocumentType,
    upload,
    actor,
    expires_on=None,
    today=None,
) -> CandidateDocument:
    """Store a checked file as the candidate's current document of this type (the old one is kept)."""
    today = today or timezone.localdate()
    errors = {}
    if not document_type.is_active:
        errors["document_type"] = [_("Jenis dokumen ini tidak dipakai lagi.")]
    if document_type.has_expiry and not expires_on:
        errors["expires_on"] = [_("Isi tanggal berlaku sampai, sesuai yang tertulis di dokumen.")]
    elif expires_on and expires_on < today:
        errors["expires_on"] = [
            _("Dokumen ini sudah tidak berlaku. Unggah dokumen yang masih berlaku.")
        ]
    try:
        checked = document_file_check(upload)
    except ValidationError as error:
        errors["file"] = error.messages
    if errors:
        raise ValidationError(errors)
    document = CandidateDocument(
        candidate=candidate,
        document_type=document_type,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        expires_on=expires_on if document_type.has_expiry else None,
        uploaded_by=_user_or_none(actor),
    )
    # The file is written first; if the rows then fail, the file is removed again.
    document.file.save("dokumen", ContentFile(checked.content), save=False)
    try:
        with transaction.atomic():
            Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
            now = timezone.now()
            previous = CandidateDocument.objects.filter(
                candidate=candidate, document_type=document_type, superseded_at__isnull=True
            ).first()
            if previous is not None:
                if (
                    previous.status == DocumentStatus.ACCEPTED
                    and not previous.is_expired_on(today)
                    and not (can(actor, "candidates.verify") or can(actor, "candidates.edit"))
                ):
                    raise ValidationError(
                        {"file": [_("Dokumen ini sudah diterima petugas dan tidak perlu diganti.")]}
                    )
                previous.superseded_at = now
                previous.save(update_fields=["superseded_at"])
            document.uploaded_at = now
            document.save()
            audit_record(
                actor=actor,
                action="document.upload",
                target=document,
                changes={
                    "document_type": [None, document_type.code],
                    "replaces": [None, previous.pk if previous else None],
                },
            )
    except BaseException:
        default_storage.delete(document.file.name)
        raise
    return document


def document_review(
    *, document: CandidateDocument, actor, accept: bool, reason: str = "", today=None
) -> CandidateDocument:
    """A verifier accepts a document, or rejects it with the reason shown to the candidate."""
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(
            {
                "reason": [
                    _("Tulis alasan penolakan, agar pencari kerja tahu apa yang harus diperbaiki.")
                ]
            }
        )
    with transaction.atomic():
        locked = CandidateDocument.objects.select_for_update().get(pk=document.pk)
        if locked.superseded_at is not None:
            raise ValidationError(
                _("Dokumen ini sudah diganti dengan unggahan baru. Muat ulang halaman.")
            )
        if accept and locked.expires_on and locked.expires_on < today:
            raise ValidationError(
                _("Dokumen ini sudah lewat masa berlakunya; tolak dan minta yang baru.")
            )
        before = [locked.status, locked.rejection_reason]
        locked.status = DocumentStatus.ACCEPTED if accept else DocumentStatus.REJECTED
        locked.rejection_reason = "" if accept else reason[:300]
        locked.reviewed_by = _user_or_none(actor)
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "rejection_reason", "reviewed_by", "reviewed_at"])
        audit_record(
            actor=actor,
            action="document.review",
            target=locked,
            changes={"status": [before[0], locked.status]},
            reason=locked.rejection_reason,
        )
    return locked


def documents_expire(*, today=None) -> int:
    """Mark current documents past their expiry date as expired and tell the candidate."""
    today = today or timezone.localdate()
    due = (
        CandidateDocument.objects.filter(superseded_at__isnull=True, expires_on__lt=today)
        .exclude(status=DocumentStatus.EXPIRED)
        .select_related("candidate__user", "document_type")
    )
    count = 0
    for document in due:
        with transaction.atomic():
            before = document.status
            document.status = DocumentStatus.EXPIRED
            document.save(update_fields=["status"])
            audit_record(
                actor=None,
                action="document.expire",
                target=document,
                changes={"status": [before, DocumentStatus.EXPIRED]},
            )
            if document.candidate.user_id:
                notify(
                    user=document.candidate.user,
                    key="document_expired",
                    context={"document": document.document_type.name, "date": document.expires_on},
                    link="/pencaker/saya/",
                )
        count += 1
    return count


# --- verification ----------------------------------------------------------------------------------


def candidate_verify(
    *, candidate: Candidate, actor, decision: str, items=(), reason: str = "", today=None
) -> VerificationDecision:
    """The verifier's decision: verified, back for correction (with the list), or rejected."""
    from .selectors import verification_blockers

    today = today or timezone.localdate()
    # the list is what to correct: a stale one left in the box is not kept with another decision
    items = (
        [str(i).strip() for i in items if str(i).strip()] if decision == Decision.CORRECTION else []
    )
    reason = (reason or "").strip()
    if decision == Decision.CORRECTION and not items:
        raise ValidationError(
            {"items": [_("Tulis apa saja yang harus diperbaiki, satu per baris.")]}
        )
    if decision == Decision.REJECTED and not reason:
        raise ValidationError(
            {"reason": [_("Tulis alasan penolakan; pencari kerja akan membacanya.")]}
        )
    if decision not in Decision.values:
        raise ValidationError(_("Pilih keputusan."))
    to_stage = {
        Decision.VERIFIED: Stage.VERIFIED,
        Decision.CORRECTION: Stage.CORRECTION,
        Decision.REJECTED: Stage.REJECTED,
    }[decision]
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if decision == Decision.VERIFIED:
            blockers = verification_blockers(locked, today=today)
            if blockers:
                raise ValidationError([ValidationError(b, code="blocked") for b in blockers])
        stage_reason = reason or "\n".join(f"- {item}" for item in items)
        candidate_stage_change(
            candidate=locked, to_stage=to_stage, actor=actor, reason=stage_reason
        )
        record = VerificationDecision.objects.create(
            candidate=locked,
            decision=decision,
            items=items,
            reason=reason,
            actor=_user_or_none(actor),
        )
        audit_record(
            actor=actor,
            action="candidate.verification",
            target=locked,
            changes={"decision": [None, decision], "items": [None, items]},
            reason=reason,
        )
    candidate.stage = to_stage
    return record


# --- possible duplicates ---------------------------------------------------------------------------


def duplicate_candidates(*, candidate: Candidate) -> list[tuple[int, str]]:
    """(other candidate id, reason) for records that may be the same person (one query)."""
    name = candidate.full_name.lower()
    same_name = Q(name_ci=name, birth_date=candidate.birth_date)
    matches = Candidate.objects.annotate(name_ci=Lower("full_name")).filter(
        Q(phone=candidate.phone) | same_name if candidate.phone else same_name
    )
    if candidate.pk is not None:
        matches = matches.exclude(pk=candidate.pk)
    matches = matches.order_by().values_list("pk", "phone", "name_ci", "birth_date")
    found = []
    for pk, phone, name_ci, birth_date in matches:
        if candidate.phone and phone == candidate.phone:
            found.append((pk, DuplicateFlag.Reason.SAME_PHONE))
        if name_ci == name and birth_date == candidate.birth_date:
            found.append((pk, DuplicateFlag.Reason.SAME_NAME_BIRTH))
    return found


def _flags_create(candidate: Candidate, found: list[tuple[int, str]]) -> None:
    """Flags for a record created a moment ago (so none exist yet for it)."""
    DuplicateFlag.objects.bulk_create(
        [
            DuplicateFlag(
                first_id=min(candidate.pk, other), second_id=max(candidate.pk, other), reason=reason
            )
            for other, reason in found
        ]
    )


def duplicates_flag(*, candidate: Candidate, actor=None) -> list[DuplicateFlag]:
    """Put possible duplicates in the verifiers' review queue. A flag already decided stays decided;
    an open one whose reason no longer holds (the phone, name or birth date changed) is closed, so
    the queue never asks about two people who no longer share anything."""
    flags, current = [], set()
    for other, reason in duplicate_candidates(candidate=candidate):
        first, second = sorted((candidate.pk, other))
        flag, _created = DuplicateFlag.objects.get_or_create(
            first_id=first, second_id=second, reason=reason
        )
        flags.append(flag)
        current.add(flag.pk)
    stale = DuplicateFlag.objects.filter(
        Q(first=candidate) | Q(second=candidate), status=DuplicateFlag.Status.OPEN
    ).exclude(pk__in=current)
    for flag in stale:
        flag.status = DuplicateFlag.Status.DISMISSED
        flag.note = _("Tidak berlaku lagi: datanya sudah diubah dan tidak sama lagi.")
        flag.decided_at = timezone.now()
        flag.save(update_fields=["status", "note", "decided_at"])
        audit_record(
            actor=actor,
            action="candidate.duplicate_obsolete",
            target=flag,
            changes={"status": [DuplicateFlag.Status.OPEN, DuplicateFlag.Status.DISMISSED]},
            reason=flag.note,
        )
    return flags


def duplicate_decide(
    *, flag: DuplicateFlag, actor, confirmed: bool, note: str = ""
) -> DuplicateFlag:
    """A verifier says whether two records are the same person. Nothing is merged: a confirmed
    duplicate blocks verification until one of the two registrations is rejected or withdrawn."""
    note = (note or "").strip()
    if confirmed and not note:
        raise ValidationError(
            {"note": [_("Tulis catatan: mana yang benar dan apa yang akan dilakukan.")]}
        )
    with transaction.atomic():
        locked = DuplicateFlag.objects.select_for_update().get(pk=flag.pk)
        if locked.status != DuplicateFlag.Status.OPEN:
            raise ValidationError(_("Sudah diputuskan oleh petugas lain. Muat ulang halaman."))
        locked.status = (
            DuplicateFlag.Status.CONFIRMED if confirmed else DuplicateFlag.Status.DISMISSED
        )
        locked.note = note
        locked.decided_by = _user_or_none(actor)
        locked.decided_at = timezone.now()
        locked.save()
        audit_record(
            actor=actor,
            action="candidate.duplicate_decide",
            target=locked,
            changes={"status": [DuplicateFlag.Status.OPEN, locked.status]},
            reason=note,
        )
    return locked
