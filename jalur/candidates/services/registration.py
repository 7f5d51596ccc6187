"""Registration: a candidate's own log-in, the check every new record passes however it comes
in (`registration_check`) and the one place records are made (`candidates_create`, one
or a batch), registering one person (`candidate_register`), and the log-ins made for people
an officer or the import registers, with their password slips."""

import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.accounts.services import AUDITED_USER_FIELDS, user_create
from jalur.audit.services import audit_record, audit_records, diff, snapshot
from jalur.notifications.services import notify

from ..document_state import documents_due_write
from ..models import (
    DOCUMENT_STAGES,
    Candidate,
    ConsentRecord,
    ConsentText,
    RegistrationChannel,
)
from ..rules import (
    REQUIRED_TO_CREATE,
    CheckResult,
    candidate_data_check,
    normalize_name,
)
from ..selectors import nik_registered
from ._shared import _user_or_none
from .duplicates import Matches, _flags_create_many, _possible_duplicates
from .stages import _histories_start

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


class AccountTaken(Exception):
    """The phone or e-mail of a sign-up already logs someone in (`owners`)."""

    def __init__(self, owners):
        super().__init__("account taken")
        self.owners = owners


def candidate_account_check(
    *, full_name: str, phone: str = "", email: str = "", password: str | None
) -> tuple[dict, list[User]]:
    """Check step one of self-registration without creating anything: the cleaned
    {full_name, phone, email}, and the accounts that already log in with that phone or e-mail
    (the caller must not say so: it tells their owners instead). ValidationError per field.
    `password` None: checked already, before it was hashed."""
    errors: dict[str, list] = {}
    full_name = normalize_name(full_name)
    if not full_name:
        errors["full_name"] = [_("Tulis nama lengkap sesuai KTP.")]
    checked = candidate_data_check({"phone": phone, "email": email}, today=timezone.localdate())
    errors.update(checked.errors)
    phone, email = checked.data.get("phone", ""), checked.data.get("email", "")
    if not phone and not email and "phone" not in errors and "email" not in errors:
        errors["phone"] = [_("Isi nomor HP (WhatsApp) atau e-mail untuk masuk nanti.")]
    owners = list(
        User.objects.filter(
            (Q(phone=phone) if phone else Q(pk__in=[]))
            | (Q(email__iexact=email) if email else Q(pk__in=[]))
        )
    )
    if not errors and password is not None:
        try:
            validate_password(
                password, User(full_name=full_name, phone=phone or None, email=email or None)
            )
        except ValidationError as error:
            errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    return {"full_name": full_name, "phone": phone, "email": email}, owners


def candidate_account_create(
    *,
    full_name: str,
    phone: str = "",
    email: str = "",
    password: str = "",
    password_hash: str = "",
) -> User:
    """Step one of self-registration: a candidate's log-in, so they can leave and come back.

    `password_hash` (instead of `password`): a password checked and hashed when the sign-up was
    sent, created now that the code sent to the phone or e-mail came back (`signup_confirm`)."""
    data, owners = candidate_account_check(
        full_name=full_name,
        phone=phone,
        email=email,
        password=None if password_hash else password,
    )
    if owners:
        # Saying "taken" tells anyone whether a number has an account: the caller tells the
        # owners instead, and the page says the same as for a message sent.
        raise AccountTaken(owners)
    try:
        with transaction.atomic():
            user = user_create(
                actor=None,
                username=username_new(),
                role=Role.CANDIDATE,
                full_name=data["full_name"],
                phone=data["phone"] or None,
                email=data["email"] or None,
                password=password or None,
                reason="pendaftaran mandiri",
            )
            if password_hash:
                user.password = password_hash
                user.save(update_fields=["password"])
            return user
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
    figures; a self-registration's are left to the reports' periodic refresh).

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
        documents_due_write([c.pk for c in candidates if c.stage in DOCUMENT_STAGES])
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
        # Last: stage listeners may lock shared summary rows; hold those locks briefly. A person
        # registering themselves does not wait for them: the periodic refresh counts the record.
        _histories_start(
            [(candidate, job_types) for candidate, _person, job_types in fresh],
            actor=actor,
            told=channel != RegistrationChannel.SELF,
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


def candidate_login_issue(
    *, candidate: Candidate, actor, identity_check: str = "", reason: str = ""
) -> tuple[User, str]:
    """A new initial password for the person, to print on a slip (desk registration, import, or a
    forgotten password without e-mail). Only a hash is stored; the audit row never holds it.

    A person who has logged in themselves gets a new password only after the officer records an
    identity check (what was checked: the KTP seen in person, its NIK matching) and a reason: a
    password printed for someone else takes over their account. The person is then told on their
    other channels (inbox, phone, e-mail) that the desk reset it, when and by which office."""
    password = "".join(secrets.choice(SLIP_ALPHABET) for _ in range(10))
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        user = locked.user
        existed = user is not None
        if existed and user.last_login is not None and not (identity_check and reason.strip()):
            raise ValidationError(
                _(
                    "Orang ini sudah pernah masuk sendiri. Kata sandi baru hanya setelah "
                    "identitasnya diperiksa: catat apa yang diperiksa dan alasannya."
                )
            )
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
        changes = {"pemeriksaan_identitas": identity_check} if identity_check else None
        audit_record(
            actor=actor,
            action="candidate.login_issue",
            target=locked,
            changes=changes,
            reason=reason.strip(),
        )
        if existed:
            office = getattr(actor, "organisation", None)
            notify(
                user=user,
                key="password_reset_desk",
                context={"when": timezone.now(), "office": office.name if office else ""},
            )
    return user, password


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
