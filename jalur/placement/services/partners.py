"""Writes for placement's partners: the P3MI agencies (their licence data and suspensions), the
city–APJATI MoU and the PKS agreements under it, and the warnings before either ends."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record, diff, snapshot

from ..models import Agency, AgencySuspension, Agreement, AgreementKind, ExpiryNotice
from ..models.partners import EXPIRY_WARNING_DAYS, SUSPENSION_REASON_MISSING
from ._shared import (
    _actor_or_none,
    _agency_staff,
    _date,
    _managers,
    _model_errors,
    _notify_all,
    _reason_required,
    _stored_file,
)

# --- agencies --------------------------------------------------------------------------------------


AGENCY_FIELDS = [
    "licence_number",
    "licence_valid_from",
    "licence_valid_until",
    "apjati_number",
    "address",
    "phone",
    "email",
    "website",
    "contact_name",
    "contact_phone",
]


def agency_create(*, actor, organisation, data: dict) -> Agency:
    if Agency.objects.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("Organisasi ini sudah punya data P3MI. Ubah data yang ada.")}
        )
    with transaction.atomic():
        agency = Agency(
            organisation=organisation, **{k: data[k] for k in AGENCY_FIELDS if k in data}
        )
        agency.full_clean()
        agency.save()
        audit_record(
            actor=actor,
            action="agency.create",
            target=agency,
            changes=diff({}, snapshot(agency, AGENCY_FIELDS)),
        )
    return agency


def agency_update(*, actor, agency: Agency, data: dict, reason: str) -> Agency:
    reason = _reason_required(
        reason, _("Tulis alasan perubahan, misalnya nomor SIP3MI perpanjangan.")
    )
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        before = snapshot(locked, AGENCY_FIELDS)
        for key in AGENCY_FIELDS:
            if key in data:
                setattr(locked, key, data[key])
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor,
            action="agency.update",
            target=locked,
            changes=diff(before, snapshot(locked, AGENCY_FIELDS)),
            reason=reason,
        )
    return locked


def agency_suspend(
    *, actor, agency: Agency, starts_on: datetime.date, reason: str, reference: str = ""
) -> AgencySuspension:
    reason = _reason_required(reason, SUSPENSION_REASON_MISSING)
    with transaction.atomic():
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        if locked.suspensions.filter(lifted_on__isnull=True).exists():
            raise ValidationError(
                _("P3MI ini sudah dibekukan. Cabut pembekuan yang ada sebelum membuat yang baru.")
            )
        suspension = AgencySuspension.objects.create(
            agency=locked,
            starts_on=starts_on,
            reason=reason,
            reference=reference,
            created_by=_actor_or_none(actor),
        )
        audit_record(
            actor=actor,
            action="agency.suspend",
            target=locked,
            changes={
                "suspended_from": [None, starts_on.isoformat()],
                "reference": [None, reference],
            },
            reason=reason,
        )
        _notify_all(
            _agency_staff(locked),
            key="placement_agency_suspended",
            context={"agency": locked.name, "starts_on": _date(starts_on), "reason": reason},
            link=reverse("placement:agency_detail", args=[locked.pk]),
        )
    return suspension


def agency_suspension_lift(
    *, actor, suspension: AgencySuspension, lifted_on: datetime.date, reason: str
) -> AgencySuspension:
    with transaction.atomic():
        locked = AgencySuspension.objects.select_for_update().get(pk=suspension.pk)
        if locked.lifted_on is not None:
            raise ValidationError(_("Pembekuan ini sudah dicabut."))
        if lifted_on is None:
            raise ValidationError({"lifted_on": _("Isi tanggal pembekuan dicabut.")})
        locked.lifted_on = lifted_on
        locked.lift_reason = (reason or "").strip()
        locked.lifted_by = _actor_or_none(actor)
        # The date and the reason are checked together, by the model's constraints; the form
        # names the lift reason "reason".
        errors: dict = {}
        _model_errors(locked, errors, rename={"lift_reason": "reason"})
        if errors:
            raise ValidationError(errors)
        locked.save(update_fields=["lifted_on", "lift_reason", "lifted_by"])
        audit_record(
            actor=actor,
            action="agency.suspension_lift",
            target=locked.agency,
            changes={"suspended_until": [None, lifted_on.isoformat()]},
            reason=reason,
        )
    return locked


# --- agreements ------------------------------------------------------------------------------------


AGREEMENT_FIELDS = [
    "kind",
    "number",
    "title",
    "parties",
    "agency_id",
    "mou_id",
    "signed_on",
    "starts_on",
    "ends_on",
    "countries",
    "quota",
    "obligations",
]


def _agreement_snapshot(agreement: Agreement) -> dict:
    data = snapshot(agreement, AGREEMENT_FIELDS)
    data["pathways"] = sorted(agreement.pathways.values_list("code", flat=True))
    data["job_types"] = sorted(agreement.job_types.values_list("code", flat=True))
    data["document_sha256"] = agreement.document_sha256
    return data


def _agreement_validate(agreement: Agreement, job_types) -> None:
    """Every problem at once: the scope a PKS needs here, dates and parties by the model's own
    constraints."""
    errors: dict[str, list] = {}
    if agreement.kind == AgreementKind.PKS:
        if agreement.agency_id is None:
            errors["agency"] = [_("Pilih P3MI yang menandatangani PKS ini.")]
        if not agreement.countries:
            errors["countries"] = [_("Pilih negara tujuan yang dicakup PKS ini.")]
        if not list(job_types):
            errors["job_types"] = [_("Pilih jenis pekerjaan yang dicakup PKS ini.")]
    else:
        if agreement.agency_id is not None:
            errors["agency"] = [_("MoU ditandatangani Pemkot dan APJATI, bukan satu P3MI.")]
        agreement.mou_id = None
    _model_errors(agreement, errors, exclude=["document", *errors])
    if errors:
        raise ValidationError(errors)


def _agreement_attach(agreement: Agreement, document) -> None:
    content, content_type, sha256 = _stored_file(document, field="document_file")
    agreement.content_type = content_type
    agreement.document_sha256 = sha256
    agreement.document.save("dokumen", content, save=False)


def agreement_create(*, actor, data: dict, pathways=(), job_types=(), document=None) -> Agreement:
    with transaction.atomic():
        agreement = Agreement(
            **{k: v for k, v in data.items() if k in AGREEMENT_FIELDS or k in ("agency", "mou")},
            created_by=_actor_or_none(actor),
        )
        _agreement_validate(agreement, job_types)
        if document is not None:
            _agreement_attach(agreement, document)
        agreement.save()
        agreement.pathways.set(pathways)
        agreement.job_types.set(job_types)
        audit_record(
            actor=actor,
            action="agreement.create",
            target=agreement,
            changes=diff({}, _agreement_snapshot(agreement)),
        )
    return agreement


def agreement_update(
    *, actor, agreement: Agreement, data: dict, pathways, job_types, reason: str, document=None
) -> Agreement:
    reason = _reason_required(
        reason, _("Tulis alasan perubahan, misalnya nomor adendum perjanjian.")
    )
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        before = _agreement_snapshot(locked)
        for key, value in data.items():
            if key in AGREEMENT_FIELDS or key in ("agency", "mou"):
                setattr(locked, key, value)
        _agreement_validate(locked, job_types)
        if document is not None:
            _agreement_attach(locked, document)
        locked.save()
        locked.pathways.set(pathways)
        locked.job_types.set(job_types)
        audit_record(
            actor=actor,
            action="agreement.update",
            target=locked,
            changes=diff(before, _agreement_snapshot(locked)),
            reason=reason,
        )
    return locked


def expiry_warnings_send(*, on: datetime.date | None = None) -> int:
    """Warn once per end date: agreements and SIP3MI licences ending within 60 days.

    Programme managers hear about everything; an agency's staff about their own PKS and licence.
    Run daily (`manage.py placement_expiry_warnings`); running it twice sends nothing new.
    """
    on = on or timezone.localdate()
    horizon = on + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    sent = 0
    agreements = Agreement.objects.filter(ends_on__gte=on, ends_on__lte=horizon).select_related(
        "agency__organisation"
    )
    for agreement in agreements:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ExpiryNotice.objects.create(agreement=agreement, ends_on=agreement.ends_on)
            except IntegrityError:
                continue
            context = {
                "what": str(agreement),
                "title": agreement.title,
                "ends_on": _date(agreement.ends_on),
                "days": (agreement.ends_on - on).days,
            }
            link = reverse("placement:agreement_detail", args=[agreement.pk])
            recipients = list(_managers())
            if agreement.agency_id:
                recipients += list(_agency_staff(agreement.agency))
            _notify_all(recipients, key="placement_expiry", context=context, link=link)
            sent += 1
    agencies = Agency.objects.filter(
        licence_valid_until__gte=on, licence_valid_until__lte=horizon
    ).select_related("organisation")
    for agency in agencies:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ExpiryNotice.objects.create(agency=agency, ends_on=agency.licence_valid_until)
            except IntegrityError:
                continue
            context = {
                "what": _("SIP3MI %(number)s (%(name)s)")
                % {"number": agency.licence_number, "name": agency.name},
                "title": agency.name,
                "ends_on": _date(agency.licence_valid_until),
                "days": (agency.licence_valid_until - on).days,
            }
            link = reverse("placement:agency_detail", args=[agency.pk])
            _notify_all(
                [*_managers(), *_agency_staff(agency)],
                key="placement_expiry",
                context=context,
                link=link,
            )
            sent += 1
    return sent
