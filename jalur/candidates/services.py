"""Writes for candidates: stage moves, registration, consent, documents, verification, duplicates.

Every new record, from a form, the desk or a row of the Excel import, goes through
`registration_check` and `candidates_create` (the import in batches).
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
from jalur.accounts.services import AUDITED_USER_FIELDS, user_create, user_update
from jalur.audit.services import audit_record, audit_records, diff, snapshot
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
from .rules import (
    REQUIRED_TO_CREATE,
    SECTIONS,
    CheckResult,
    candidate_data_check,
    normalize_name,
)
from .selectors import nik_registered
from .stages import Stage, can_move
from .uploads import document_file_check

# Called inside the transaction of every stage move, as `listener(candidate)`, and of every new
# record's first history row, as `listener(candidate, new=NewRecord(...))` (the reports app keeps its
# summary tables current this way). A listener with a batch form, `listener.many`, is told of the
# records created together in one call instead: `listener.many([(candidate, NewRecord(...)), ...])`.
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
    return _histories_start([(candidate, job_type_ids)], actor=actor, at=at)[0]


def _histories_start(records: list[tuple[Candidate, list | tuple]], *, actor, at=None) -> list:
    """`candidate_history_start` for many new records at once: (candidate, job type ids) pairs; the
    rows in one insert, then every stage listener: its batch form once, or else once a record."""
    now = at or timezone.now()
    rows = StageHistory.objects.bulk_create(
        [
            StageHistory(
                candidate=candidate,
                from_stage="",
                to_stage=candidate.stage,
                actor=actor if getattr(actor, "pk", None) else None,
                created_at=now,
            )
            for candidate, _job_type_ids in records
        ]
    )
    news = [
        (candidate, NewRecord(history=row, job_type_ids=tuple(sorted(set(job_type_ids or ())))))
        for (candidate, job_type_ids), row in zip(records, rows, strict=True)
    ]
    for listener in STAGE_LISTENERS:
        many = getattr(listener, "many", None)
        if many is not None:
            many(news)
        else:
            for candidate, new in news:
                listener(candidate, new=new)
    return rows


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
    person = Candidate(
        full_name=full_name,
        phone=candidate_data.get("phone") or "",
        email=candidate_data.get("email") or "",
    )
    _logins_create([person], actor=actor)
    return person.user


def _logins_create(candidates: list[Candidate], *, actor) -> None:
    """A log-in for each person (set as `candidate.user`), in one insert, each with the audit row
    `accounts.services.user_create` writes. No password: it comes on a slip from an officer
    (`candidate_login_issue`). A phone or e-mail that already logs someone in, or that an earlier
    person in the list got, is left off the log-in (kept on the record as contact only): it logs
    someone else in, and the duplicate review looks at it."""
    phones = sorted({c.phone for c in candidates if c.phone})
    emails = sorted({c.email.lower() for c in candidates if c.email})
    taken_phones: set = set()
    taken_emails: set = set()
    for chunk in _chunks(phones, 900):
        taken_phones |= set(User.objects.filter(phone__in=chunk).values_list("phone", flat=True))
    for chunk in _chunks(emails, 900):
        taken_emails |= set(
            User.objects.annotate(email_ci=Lower("email"))
            .filter(email_ci__in=chunk)
            .values_list("email_ci", flat=True)
        )
    users = []
    for candidate in candidates:
        phone = candidate.phone or None
        email = (candidate.email or "").lower() or None
        phone = None if phone in taken_phones else phone
        email = None if email in taken_emails else email
        taken_phones.add(phone)
        taken_emails.add(email)
        user = User(
            username=username_new(),
            role=Role.CANDIDATE,
            full_name=candidate.full_name,
            phone=phone,
            email=email,
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    for candidate, user in zip(candidates, users, strict=True):
        candidate.user = user
    audit_records(
        {
            "actor": actor,
            "action": "user.create",
            "target": user,
            "changes": diff({}, snapshot(user, AUDITED_USER_FIELDS)),
        }
        for user in users
    )


def _apply(candidate: Candidate, data: dict) -> list:
    """Set checked values on the candidate; returns the job types to set after saving."""
    job_types = data.pop("preferred_job_types", None)
    for name, value in data.items():
        setattr(candidate, name, value)
    return job_types


def registration_check(
    data: dict, *, channel: str, today, require=(), confirm_birth_date: bool = False
) -> CheckResult:
    """Every rule a new record must pass, however it comes in (a form step, the desk, an import
    row): the data rules of `rules.candidate_data_check` with the fields every record needs
    (REQUIRED_TO_CREATE, and `require` on top), and, at the desk, a birth date differing from
    the NIK's needs the officer's confirmation (self-registration and the import keep it as a
    warning). Pass the result to `candidates_create`."""
    needed = tuple(dict.fromkeys((*REQUIRED_TO_CREATE, *require)))
    checked = candidate_data_check(data, today=today, require=needed)
    if (
        checked.ok
        and "birth_date" in checked.warnings
        and channel == RegistrationChannel.WALK_IN
        and not confirm_birth_date
    ):
        for message in checked.warnings["birth_date"] + [
            _(
                "Cocokkan dengan KTP, lalu centang 'Tanggal lahir sudah saya cocokkan dengan KTP asli'."
            )
        ]:
            checked.error("confirm_birth_date", message)
    return checked


@dataclass
class NewCandidate:
    """One person to register: their data as `registration_check` passed it, and what came with it."""

    checked: CheckResult
    user: User | None = None  # their own log-in (self-registration); else one is made for them
    consent: ConsentText | None = None  # the consent text they agreed to
    confirm_birth_date: bool = False  # an officer compared a differing birth date with the KTP


# {candidate id: [(the other candidate's id, DuplicateFlag.Reason)]}, both ways round
Matches = dict[int, list[tuple[int, str]]]


@dataclass
class Created:
    """What `candidates_create` wrote, in the order it was given the people."""

    candidates: list[Candidate | None]  # None: the NIK is registered (or came earlier in the list)
    matches: Matches  # the possible duplicates flagged for review


def candidates_create(*, people: list[NewCandidate], actor, channel: str) -> Created:
    """Write registrations that passed `registration_check`: one from a form or the desk, or a
    batch of import rows, in one transaction. The one place a record is made, so every person
    gets the same: a log-in unless they have their own (`_logins_create`), the record in
    REGISTERING with their preferred job types, the consent they gave, the `candidate.register`
    audit row, flags for possible duplicates (the same phone, or the same name and birth date,
    in Jalur or in the list), and the first history row with every stage listener (the reports'
    figures).

    A NIK registered already, or given earlier in the list, creates nothing for that person. A
    database conflict (the same NIK or phone written a moment ago by someone else) raises
    IntegrityError and writes nothing.
    """
    if not all(person.checked.ok for person in people):
        raise ValueError("candidates_create takes only people that passed registration_check.")
    registered_by = _user_or_none(actor)
    now = timezone.now()
    niks = [person.checked.data["nik"] for person in people]
    taken = set()
    for chunk in _chunks(niks, 900):
        taken |= set(Candidate.objects.filter(nik__in=chunk).values_list("nik", flat=True))
    result: list[Candidate | None] = []
    fresh: list[tuple[Candidate, NewCandidate, list]] = []
    for person, nik in zip(people, niks, strict=True):
        if nik in taken:
            result.append(None)
            continue
        taken.add(nik)
        candidate = Candidate(channel=channel, registered_by=registered_by)
        job_types = sorted(set(_apply(candidate, dict(person.checked.data)) or ()))
        if (
            "birth_date" in person.checked.warnings
            and person.confirm_birth_date
            and channel != RegistrationChannel.SELF
        ):
            candidate.birth_date_confirmed_by = registered_by
            candidate.birth_date_confirmed_at = now
        if person.consent is not None:
            candidate.consent_version, candidate.consent_at = person.consent.version, now
        if person.user is not None:
            candidate.user = person.user
            candidate.phone = candidate.phone or person.user.phone or ""
            candidate.email = candidate.email or person.user.email or ""
        result.append(candidate)
        fresh.append((candidate, person, job_types))
    candidates = [candidate for candidate, _person, _jobs in fresh]
    # Look-ups before the transaction, writes inside it: on SQLite the write lock is held from
    # the first statement of a transaction to its end.
    in_jalur = _possible_duplicates(candidates)
    if not candidates:
        return Created(candidates=result, matches={})
    with transaction.atomic():
        if channel != RegistrationChannel.SELF:
            _logins_create([c for c in candidates if c.user is None], actor=actor)
        Candidate.objects.bulk_create(candidates)  # a NIK taken meanwhile fails here
        through = Candidate.preferred_job_types.through
        through.objects.bulk_create(
            [
                through(candidate_id=candidate.pk, jobtype_id=pk)
                for candidate, _person, job_types in fresh
                for pk in job_types
            ]
        )
        ConsentRecord.objects.bulk_create(
            [
                ConsentRecord(
                    candidate=candidate,
                    consent_text=person.consent,
                    given_at=candidate.consent_at,
                    actor=registered_by,
                    channel=channel,
                )
                for candidate, person, _jobs in fresh
                if person.consent is not None
            ]
        )
        registered = []
        for candidate, person, _jobs in fresh:
            changes = {"channel": [None, channel], "stage": [None, candidate.stage]}
            if person.consent is not None:
                changes["consent"] = [
                    None,
                    [person.consent.version, candidate.consent_at.isoformat()],
                ]
            registered.append(
                {
                    "actor": actor,
                    "action": "candidate.register",
                    "target": candidate,
                    "changes": changes,
                }
            )
        audit_records(registered)
        matches = _flags_create_many(candidates, in_jalur)
        # Last: stage listeners may lock shared summary rows; hold those locks briefly.
        _histories_start(
            [(candidate, job_types) for candidate, _person, job_types in fresh], actor=actor
        )
    return Created(candidates=result, matches=matches)


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
    """Create a candidate record, from self-registration or the registration desk (the import
    writes its rows in batches through the same two steps: `registration_check`, then
    `candidates_create`).

    The record starts in REGISTERING; the candidate (or an officer) completes it and sends it for
    verification with `candidate_submit`. A desk registration creates a log-in for the person; an
    officer prints its password with `candidate_login_issue`.
    """
    today = today or timezone.localdate()
    checked = registration_check(
        data, channel=channel, today=today, confirm_birth_date=confirm_birth_date
    )
    checked.raise_errors()
    person = NewCandidate(
        checked=checked, user=user, consent=consent, confirm_birth_date=confirm_birth_date
    )
    try:
        (candidate,) = candidates_create(people=[person], actor=actor, channel=channel).candidates
    except IntegrityError as error:
        if nik_registered(checked.data["nik"]):  # registered a moment ago
            raise NikTaken from error
        raise
    if candidate is None:
        raise NikTaken
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


def _possible_duplicates(candidates: list[Candidate]) -> list[list[tuple[int, str]]]:
    """For each record about to be created, the records in Jalur that may be the same person, by
    the rule of `duplicate_candidates` (the same phone, or the same name and birth date), read
    for up to 450 people a query."""
    found: list[list[tuple[int, str]]] = [[] for _candidate in candidates]
    for start in range(0, len(candidates), 450):
        chunk = candidates[start : start + 450]
        phones = {c.phone for c in chunk if c.phone}
        names = {c.full_name.lower() for c in chunk}
        same_name = Q(name_ci__in=sorted(names))
        rows = (
            Candidate.objects.annotate(name_ci=Lower("full_name"))
            .filter(Q(phone__in=sorted(phones)) | same_name if phones else same_name)
            .order_by("pk")
            .values_list("pk", "phone", "name_ci", "birth_date")
        )
        by_phone: dict[str, list[int]] = {}
        by_name: dict[tuple, list[int]] = {}
        for pk, phone, name_ci, birth_date in rows:
            if phone in phones:
                by_phone.setdefault(phone, []).append(pk)
            by_name.setdefault((name_ci, birth_date), []).append(pk)
        for index, candidate in enumerate(chunk, start=start):
            if candidate.phone:
                found[index] += [
                    (pk, DuplicateFlag.Reason.SAME_PHONE)
                    for pk in by_phone.get(candidate.phone, [])
                ]
            found[index] += [
                (pk, DuplicateFlag.Reason.SAME_NAME_BIRTH)
                for pk in by_name.get((candidate.full_name.lower(), candidate.birth_date), [])
            ]
    return found


def _flags_create_many(
    candidates: list[Candidate], in_jalur: list[list[tuple[int, str]]]
) -> Matches:
    """Flags for records created a moment ago (so none exist yet for them): with the records
    `_possible_duplicates` found, and with each other by the same rule. Returns the matches."""
    pairs = set()
    for candidate, found in zip(candidates, in_jalur, strict=True):
        for other, reason in found:
            pairs.add((*sorted((candidate.pk, other)), reason))
    by_phone: dict[str, list[int]] = {}
    by_name: dict[tuple, list[int]] = {}
    for candidate in candidates:
        if candidate.phone:
            by_phone.setdefault(candidate.phone, []).append(candidate.pk)
        by_name.setdefault((candidate.full_name.lower(), candidate.birth_date), []).append(
            candidate.pk
        )
    for reason, groups in (
        (DuplicateFlag.Reason.SAME_PHONE, by_phone),
        (DuplicateFlag.Reason.SAME_NAME_BIRTH, by_name),
    ):
        for pks in groups.values():
            pairs |= {(a, b, reason) for a in pks for b in pks if a < b}
    DuplicateFlag.objects.bulk_create(
        [DuplicateFlag(first_id=a, second_id=b, reason=reason) for a, b, reason in sorted(pairs)]
    )
    matches: Matches = {}
    for a, b, reason in sorted(pairs):
        matches.setdefault(a, []).append((b, reason))
        matches.setdefault(b, []).append((a, reason))
    return matches


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
