"""Possible duplicates: records that may be the same person (the same phone, or the same name
and birth date), flagged for the verifiers' review, for one record or a batch created
together, and a verifier's decision on a flag."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record

from ..models import (
    Candidate,
    DuplicateFlag,
)
from ._shared import _user_or_none

# {candidate id: [(the other candidate's id, DuplicateFlag.Reason)]}, both ways round
Matches = dict[int, list[tuple[int, str]]]


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
