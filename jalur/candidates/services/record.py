"""Changes to a candidate's record once it exists: its data (a step of the form or a staff
correction, with the log-in phone following), the officer's confirmation of a birth date
that differs from the NIK's, and consent given after registering."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from jalur.accounts.models import User
from jalur.accounts.roles import can
from jalur.accounts.services import user_update
from jalur.audit.services import audit_record, diff, snapshot

from ..models import (
    Candidate,
    ConsentRecord,
    ConsentText,
    RegistrationChannel,
)
from ..rules import (
    SECTIONS,
    candidate_data_check,
)
from ..selectors import nik_registered
from ._shared import _user_or_none
from .duplicates import duplicates_flag
from .registration import NikTaken, _apply

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
        before_identity = (locked.nik, locked.birth_date)
        job_types = _apply(locked, values)
        if (locked.nik, locked.birth_date) != before_identity:
            locked.birth_date_confirmed_by = None  # a new date or NIK needs a new check
            locked.birth_date_confirmed_at = None
        officer = can(actor, "candidates.edit") or can(actor, "candidates.verify")
        if "birth_date" in checked.warnings and confirm_birth_date and officer:
            locked.birth_date_confirmed_by = _user_or_none(actor)
            locked.birth_date_confirmed_at = timezone.now()
        # only the columns this change can touch (a step writes its own fields, not all 40)
        written = [name for name in values if name != "preferred_job_types"]
        written += ["birth_date_confirmed_by", "birth_date_confirmed_at", "updated_at"]
        try:
            with transaction.atomic():
                locked.save(update_fields=written)
        except IntegrityError as error:
            raise NikTaken from error
        changes = diff(before, snapshot(locked, list(before)))
        if job_types is not None:
            jobs_changed = _job_types_set(locked, job_types)
            if jobs_changed:
                changes["preferred_job_types"] = jobs_changed
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


def _job_types_set(candidate: Candidate, job_types) -> list | None:
    """Set the person's preferred job types, writing only the links that changed; returns
    [before, after] (sorted ids) when they changed, else None."""
    through = Candidate.preferred_job_types.through
    links = through.objects.filter(candidate_id=candidate.pk)
    before = sorted(links.values_list("jobtype_id", flat=True))
    after = sorted({getattr(job, "pk", job) for job in job_types})
    if after == before:
        return None
    removed = set(before) - set(after)
    if removed:
        links.filter(jobtype_id__in=removed).delete()
    through.objects.bulk_create(
        [through(candidate_id=candidate.pk, jobtype_id=pk) for pk in after if pk not in before]
    )
    return [before, after]


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
