"""A departed worker's arrival and the family's code for sending news (check-ins: `checkins`)."""

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage

from ..models import (
    ArrivalConfirmation,
    CheckIn,
    FamilyLink,
    ReporterKind,
)
from ..selectors import departure_date
from ._shared import _code, _opened, _require_departed, _unused_code
from .checkins import checkin_record

# --- arrival ------------------------------------------------------------------------------------


def arrival_confirm(
    *,
    candidate: Candidate,
    arrived_on,
    confirmed_by_kind: str,
    actor,
    address_abroad: str = "",
    note: str = "",
) -> ArrivalConfirmation:
    _require_departed(candidate)
    if arrived_on > timezone.localdate():
        raise ValidationError({"arrived_on": _("Tanggal tiba tidak boleh di masa depan.")})
    left_on = departure_date(candidate)
    if arrived_on < left_on:
        raise ValidationError(
            {
                "arrived_on": _("Tanggal tiba tidak boleh sebelum tanggal berangkat (%(date)s).")
                % {"date": left_on.strftime("%d-%m-%Y")}
            }
        )
    with transaction.atomic():
        if ArrivalConfirmation.objects.filter(candidate=candidate, arrived_on=arrived_on).exists():
            raise ValidationError(_("Kedatangan pada tanggal ini sudah dikonfirmasi."))
        arrival = ArrivalConfirmation.objects.create(
            candidate=candidate,
            arrived_on=arrived_on,
            confirmed_by_kind=confirmed_by_kind,
            confirmed_by=actor,
            address_abroad=address_abroad,
            note=note,
        )
        audit_record(
            actor=actor,
            action="protection.arrival_confirm",
            target=candidate,
            changes={"arrived_on": [None, arrived_on.isoformat()]},
        )
    return arrival


# --- the family's code for sending news -----------------------------------------------------------


def _family_links_retire(candidate: Candidate, *, at) -> list[str]:
    """Retire the worker's code in use, if any; returns the retired codes."""
    in_use = FamilyLink.objects.filter(candidate=candidate, retired_at__isnull=True)
    codes = list(in_use.values_list("code", flat=True))
    in_use.update(retired_at=at)
    return codes


def family_link_issue(
    *, candidate: Candidate, family_name: str, relation: str, actor
) -> tuple[FamilyLink, str]:
    """Give a departed worker's family a code and secret to send news (the secret is returned to be
    printed once). A code given before stops working."""
    _require_departed(candidate)
    family_name, relation = family_name.strip(), relation.strip()
    errors = {}
    if not family_name:
        errors["family_name"] = _("Tulis nama anggota keluarga yang menerima kode.")
    if not relation:
        errors["relation"] = _("Tulis hubungannya dengan pekerja, mis. ibu, suami, kakak.")
    if errors:
        raise ValidationError(errors)
    secret = _code(8)
    now = timezone.now()
    with transaction.atomic():
        # One issuer at a time: lock the worker's row before retiring the code in use.
        Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
        retired = _family_links_retire(candidate, at=now)
        code = _unused_code(FamilyLink, "code", "KEL-")
        link = FamilyLink.objects.create(
            candidate=candidate,
            code=code,
            secret_hash=make_password(secret),
            family_name=family_name,
            relation=relation,
            issued_by=actor if getattr(actor, "pk", None) else None,
            issued_at=now,
        )
        audit_record(
            actor=actor,
            action="protection.family_link_issue",
            target=candidate,
            changes={"family_link": [retired[0] if retired else None, code]},
        )
    return link, secret


def family_link_check(*, code: str, secret: str) -> FamilyLink | None:
    """The code in use that this secret opens, or None (a wrong code and a wrong secret look alike)."""
    link = (
        FamilyLink.objects.select_related("candidate")
        .filter(code=code.strip().upper(), retired_at__isnull=True)
        .first()
    )
    return _opened(link, secret)


def family_checkin(*, link: FamilyLink, status: str, note: str, reporter_name: str = "") -> CheckIn:
    """News sent by the family with their code: recorded as the family's check-in, no account."""
    if link.candidate.stage != Stage.DEPARTED:
        raise ValidationError(
            _(
                "Kode ini tidak berlaku lagi: pekerja sudah tidak tercatat di luar negeri. Hubungi kantor Disnakertrans bila perlu."
            )
        )
    return checkin_record(
        candidate=link.candidate,
        status=status,
        note=note,
        reporter_kind=ReporterKind.FAMILY,
        reporter_name=reporter_name.strip() or f"{link.family_name} ({link.relation})",
        actor=f"keluarga, {link.code}",  # no account: the audit row names the code used
    )
