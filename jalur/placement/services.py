"""Writes for placement: agencies, agreements, permits, job orders, recommendations and applications.

Each service is one action: it checks the rules, writes inside one transaction, records the history
row and the audit row there too, and notifies the people concerned after the change is certain.
Rows are locked in one order everywhere: job orders (lowest id first when several), then the permit
and agreement, then applications, then candidates (lowest id first), so concurrent requests wait for
each other instead of deadlocking.
"""

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.audit import transitions
from jalur.audit.services import audit_record, diff, snapshot
from jalur.candidates.models import Candidate
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.candidates.uploads import document_file_check
from jalur.notifications.services import notify
from jalur.pathways.models import Pathway, PlacingParty
from jalur.rules import fees
from jalur.rules import placement as permit_rules
from jalur.rules.contracts import Terms, contract_differences

from .eligibility import order_eligibility
from .models import (
    EXPIRY_WARNING_DAYS,
    INTERVIEW_RECORD_DAYS_BACK,
    INTERVIEW_TIME_MISSING,
    PERMIT_CHANGE_PENDING,
    PERMIT_ORDER_FIELDS,
    SUSPENSION_REASON_MISSING,
    Agency,
    AgencyState,
    AgencySuspension,
    Agreement,
    AgreementKind,
    Application,
    ApplicationEvent,
    ApplicationOrigin,
    AttacheStatus,
    CostDecision,
    ExpiryNotice,
    InterviewMode,
    InterviewResult,
    JobOrder,
    JobOrderCost,
    JobOrderEvent,
    PermitChange,
    PermitChangeStatus,
    RecruitmentPermit,
    cost_line_key,
)
from .selection import ranked, score_snapshot
from .states import (
    APPLICATION_LIVE,
    APPLICATION_OPEN,
    APPLICATION_TRANSITIONS,
    ORDER_EDITABLE,
    ORDER_HOLDS_QUOTA,
    ORDER_TRANSITIONS,
    ApplicationStatus,
    OrderStatus,
    application_can_move,
)

AS = ApplicationStatus


def _date(value: datetime.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else "—"


def _actor_or_none(actor):
    return actor if getattr(actor, "pk", None) else None


def _reason_required(reason: str, message: str) -> str:
    if not (reason or "").strip():
        raise ValidationError({"reason": message})
    return reason.strip()


def _agency_staff(agency: Agency):
    return User.objects.filter(
        organisation_id=agency.organisation_id, role=Role.AGENCY_STAFF, is_active=True
    )


def _managers():
    return User.objects.filter(role=Role.PROGRAMME_MANAGER, is_active=True)


def _notify_all(users, *, key: str, context: dict, link: str) -> None:
    for user in users:
        notify(user=user, key=key, context=context, link=link)


def _model_errors(instance, errors: dict, *, rename=None, **clean) -> None:
    """Add what the model itself refuses (field values, and each constraint's own message beside its
    field) to `errors`, named as the caller's data names them (`rename`), so the person sees every
    problem in one round, before the database is asked."""
    try:
        instance.full_clean(**clean)
    except ValidationError as error:
        for name, found in error.error_dict.items():
            errors.setdefault((rename or {}).get(name, name), []).extend(found)


def _stored_file(upload, *, field: str) -> tuple[ContentFile, str, str]:
    """A checked upload (PDF, JPEG or PNG by content) ready for the storage API; a refusal is
    reported on the form field `field`."""
    try:
        checked = document_file_check(upload)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    return ContentFile(checked.content), checked.content_type, checked.sha256


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


# --- SIP2MI permits and quotas ---------------------------------------------------------------------
def positions_used(*, permit=None, agreement=None, exclude_order_id=None) -> int:
    """Positions held against a permit or a PKS by the orders that hold quota (see states.py)."""
    orders = JobOrder.objects.filter(**({"permit": permit} if permit else {"agreement": agreement}))
    if exclude_order_id is not None:
        orders = orders.exclude(pk=exclude_order_id)
    held = orders.filter(status__in=ORDER_HOLDS_QUOTA).aggregate(n=Sum("positions"))["n"] or 0
    placed = Application.objects.filter(
        order__in=orders.filter(status=OrderStatus.CLOSED), status=AS.ACCEPTED
    ).count()
    return held + placed


def _permit_fields(data: dict) -> dict:
    return {
        "number": (data.get("sip2mi_number") or "").strip().upper(),
        "quota": data.get("sip2mi_quota"),
        "issued_on": data.get("sip2mi_issued_on"),
        "valid_until": data.get("sip2mi_valid_until"),
    }


def _permit_errors(*, agency: Agency, data: dict, errors: dict) -> None:
    """What is wrong with the SIP2MI typed on the order form (its quota, its dates: the permit's
    own constraints), named as the form names it. Whether the number is another agency's, and the
    quota already used, are checked under lock in `_permit_resolve`."""
    fields = _permit_fields(data)
    if not fields["number"]:
        return
    if fields["quota"] is None:
        errors.setdefault("sip2mi_quota", []).append(_("Isi kuota yang tertulis di SIP2MI."))
    permit = RecruitmentPermit(agency=agency, **fields)
    _model_errors(
        permit,
        errors,
        rename=PERMIT_ORDER_FIELDS,
        exclude=["quota"] if fields["quota"] is None else [],
        validate_unique=False,
    )


def _permit_resolve(*, actor, agency: Agency, data: dict) -> RecruitmentPermit | None:
    """The SIP2MI named on the order form: found (and corrected) or recorded for this agency.
    Its own fields are checked first, with the order's (`_permit_errors`)."""
    fields = _permit_fields(data)
    number = fields.pop("number")
    if not number:
        return None
    permit = RecruitmentPermit.objects.select_for_update().filter(number=number).first()
    if permit is None:
        permit = RecruitmentPermit(agency=agency, number=number, **fields)
        _permit_clean(permit)
        permit.save()
        audit_record(
            actor=actor,
            action="permit.create",
            target=permit,
            changes=diff({}, snapshot(permit, ["number", "quota", "issued_on", "valid_until"])),
        )
        return permit
    if permit.agency_id != agency.pk:
        raise ValidationError(
            {
                "sip2mi_number": _(
                    "Nomor SIP2MI ini tercatat atas nama P3MI lain. Periksa kembali nomornya."
                )
            }
        )
    _permit_figures_unchanged(permit, fields)
    return permit


def _permit_figures_unchanged(permit: RecruitmentPermit, typed: dict) -> None:
    """A permit on record is the government's document: its figures are never changed by typing
    other ones on a job order. Each figure typed otherwise is refused beside its field, saying what
    is on record and how the figures do change (a change request with the new permit's scan)."""
    pending = permit.changes.filter(status=PermitChangeStatus.PENDING).exists()
    how = (
        _(
            "Perubahan SIP2MI ini sudah diajukan dan menunggu pemeriksaan Disnakertrans; sampai "
            "disetujui, angka yang tercatat yang berlaku. Tulis angka yang tercatat."
        )
        if pending
        else _(
            "Angka SIP2MI tidak diubah dari lowongan. Bila kementerian menerbitkan SIP2MI baru "
            "atau perubahannya, ajukan perubahan SIP2MI dengan scan SIP2MI baru di halaman SIP2MI "
            "%(number)s (Lowongan → SIP2MI); angka baru berlaku setelah Disnakertrans "
            "menyetujuinya. Untuk lowongan ini, tulis angka yang tercatat."
        )
        % {"number": permit.number}
    )
    errors = {}
    for key in PERMIT_FIGURES:
        value = typed.get(key)
        if value is None or value == getattr(permit, key):
            continue
        recorded = getattr(permit, key)
        shown = _date(recorded) if key != "quota" else str(recorded)
        errors[PERMIT_ORDER_FIELDS[key]] = ValidationError(
            _("%(field)s SIP2MI %(number)s tercatat %(recorded)s, bukan %(typed)s. %(how)s")
            % {
                "field": RecruitmentPermit._meta.get_field(key).verbose_name.capitalize(),
                "number": permit.number,
                "recorded": shown if recorded is not None else _("kosong"),
                "typed": _date(value) if key != "quota" else value,
                "how": how,
            },
            code="permit_figures_on_record",
        )
    if errors:
        raise ValidationError(errors)


def _permit_clean(permit: RecruitmentPermit) -> None:
    errors: dict = {}
    _model_errors(permit, errors, rename=PERMIT_ORDER_FIELDS)
    if errors:
        raise ValidationError(errors)


PERMIT_FIGURES = ["quota", "issued_on", "valid_until"]


def permit_change_request(
    *,
    actor,
    permit: RecruitmentPermit,
    quota: int | None,
    issued_on: datetime.date | None,
    valid_until: datetime.date | None,
    document,
    note: str = "",
) -> PermitChange:
    """The P3MI asks to change its SIP2MI's figures, with the new permit's scan (checked by content,
    stored privately). The permit keeps its figures until the labour office approves the change;
    one change waits at a time. Every problem is said at once."""
    errors: dict[str, list] = {}
    with transaction.atomic():
        locked = RecruitmentPermit.objects.select_for_update().get(pk=permit.pk)
        if locked.changes.filter(status=PermitChangeStatus.PENDING).exists():
            raise ValidationError(PERMIT_CHANGE_PENDING, code="change_pending")
        change = PermitChange(
            permit=locked,
            quota=quota,
            issued_on=issued_on,
            valid_until=valid_until,
            previous_quota=locked.quota,
            previous_issued_on=locked.issued_on,
            previous_valid_until=locked.valid_until,
            note=(note or "").strip(),
            requested_by=_actor_or_none(actor),
        )
        if quota is None:
            errors["quota"] = [_("Isi kuota yang tertulis di SIP2MI baru.")]
        else:
            used = positions_used(permit=locked)
            if quota < used:
                errors["quota"] = [
                    _(
                        "Kuota baru (%(quota)s) lebih kecil dari yang sudah dipakai lowongan dengan "
                        "SIP2MI ini (%(used)s). Periksa kuota di SIP2MI baru."
                    )
                    % {"quota": quota, "used": used}
                ]
            elif [quota, issued_on, valid_until] == [getattr(locked, k) for k in PERMIT_FIGURES]:
                errors["quota"] = [
                    _(
                        "Angka ini sama dengan yang tercatat. Tulis kuota dan tanggal yang tertulis "
                        "di SIP2MI baru."
                    )
                ]
        if document is None:
            errors["document"] = [
                _(
                    "Unggah scan SIP2MI baru (PDF, JPEG atau PNG): Disnakertrans memeriksa angka "
                    "baru dengan dokumen ini."
                )
            ]
        _model_errors(
            change,
            errors,
            exclude=["document", "content_type", "document_sha256", *errors],
            validate_unique=False,
        )
        if document is not None:
            try:
                content, content_type, sha256 = _stored_file(document, field="document")
            except ValidationError as error:
                for name, found in error.error_dict.items():
                    errors.setdefault(name, []).extend(found)
        if errors:
            raise ValidationError(errors)
        change.content_type = content_type
        change.document_sha256 = sha256
        change.document.save("sip2mi", content, save=False)
        change.save()
        audit_record(
            actor=actor,
            action="permit.change_request",
            target=locked,
            changes=diff(snapshot(locked, PERMIT_FIGURES), snapshot(change, PERMIT_FIGURES))
            | {"change": [None, change.pk], "document_sha256": [None, sha256]},
            reason=change.note,
        )
        _notify_all(
            _managers(),
            key="placement_permit_change",
            context={"permit": locked, "change": change, "agency": locked.agency.name},
            link=reverse("placement:permit_detail", args=[locked.pk]),
        )
    return change


def permit_change_decide(
    *, actor, change: PermitChange, approve: bool, reason: str = ""
) -> PermitChange:
    """The labour office, having checked the new permit's scan, approves the change (the permit takes
    the new figures, the old ones stay on the change as its history) or refuses it with a reason
    (the permit keeps its figures). The agency is told either way."""
    reason = (reason or "").strip()
    with transaction.atomic():
        permit = RecruitmentPermit.objects.select_for_update().get(pk=change.permit_id)
        locked = PermitChange.objects.select_for_update().get(pk=change.pk)
        if not locked.is_pending:
            raise ValidationError(
                _("Perubahan SIP2MI ini sudah diputuskan. Muat ulang halaman."),
                code="invalid_transition",
            )
        locked.status = PermitChangeStatus.APPROVED if approve else PermitChangeStatus.REFUSED
        locked.decision_reason = reason
        locked.decided_by = _actor_or_none(actor)
        locked.decided_at = timezone.now()
        errors: dict = {}
        _model_errors(
            locked,
            errors,
            rename={"decision_reason": "reason"},
            exclude=["document"],
            validate_unique=False,
        )
        if approve:
            used = positions_used(permit=permit)
            if locked.quota < used:
                errors.setdefault("reason", []).append(
                    _(
                        "Kuota baru (%(quota)s) lebih kecil dari yang sudah dipakai lowongan dengan "
                        "SIP2MI ini (%(used)s). Tolak perubahan ini dengan alasannya."
                    )
                    % {"quota": locked.quota, "used": used}
                )
        if errors:
            raise ValidationError(errors)
        if approve:
            before = snapshot(permit, PERMIT_FIGURES)
            locked.previous_quota = permit.quota
            locked.previous_issued_on = permit.issued_on
            locked.previous_valid_until = permit.valid_until
            for key in PERMIT_FIGURES:
                setattr(permit, key, getattr(locked, key))
            _permit_clean(permit)
            permit.save(update_fields=PERMIT_FIGURES)
        locked.save()
        audit_record(
            actor=actor,
            action=f"permit.change_{locked.status}",
            target=permit,
            changes={
                "change": [None, locked.pk],
                "status": [PermitChangeStatus.PENDING, locked.status],
            }
            | (diff(before, snapshot(permit, PERMIT_FIGURES)) if approve else {}),
            reason=reason,
        )
        _notify_all(
            _agency_staff(permit.agency),
            key="placement_permit_change_decided",
            context={"permit": permit, "change": locked, "decision": locked.get_status_display()},
            link=reverse("placement:permit_detail", args=[permit.pk]),
        )
    return locked


# --- job orders ------------------------------------------------------------------------------------
ORDER_FIELDS = [
    "employer_name",
    "employer_country",
    "employer_city",
    "employer_sector",
    "pathway_id",
    "job_type_id",
    "position_title",
    "positions",
    "description",
    "min_age",
    "max_age",
    "sex",
    "sex_reason",
    "min_education",
    "min_height_cm",
    "min_experience_years",
    "eps_topik_min_score",
    "jft_min_score",
    "jlpt_min_level",
    "licence_required",
    "licence_name",
    "other_requirements",
    "wage_amount",
    "wage_currency",
    "wage_period",
    "hours_per_week",
    "contract_months",
    "benefits",
    "attache_status",
    "attache_reference",
    "attache_verified_on",
    "deadline",
]
_ORDER_SETTABLE = {*ORDER_FIELDS, "pathway", "job_type"}
COST_FIELDS = ["item", "description", "amount", "paid_by"]


def _order_snapshot(order: JobOrder) -> dict:
    data = snapshot(order, [*ORDER_FIELDS, "permit_id", "agreement_id", "status"])
    data["costs"] = [f"{c.item}:{c.amount}:{c.paid_by}" for c in order.costs.order_by("pk")]
    data["attache_document"] = order.attache_document.name or ""
    return data


def _order_fill(order: JobOrder, data: dict) -> None:
    for key, value in data.items():
        if key in _ORDER_SETTABLE:
            setattr(order, key, value)
    if not order.sex:
        order.sex_reason = ""
    if not order.licence_required:
        order.licence_name = ""
    order.sex_reason = (order.sex_reason or "").strip()


def _pathway_problems(pathway, on: datetime.date) -> list[tuple[str, str]]:
    """Why a P3MI may not use `pathway` for a job order on `on`, by `jalur.rules.pathways`: it is not
    open (its stored reason and legal basis), or a P3MI may not place on it."""
    problems = []
    closed = pathway.open_problem(on)
    if closed:
        problems.append(("pathway_closed", closed))
    party = pathway.placing_problem(PlacingParty.P3MI)
    if party:
        problems.append(("pathway_party", party))
    return problems


def _order_validate(
    order: JobOrder,
    costs: list[dict],
    *,
    agency: Agency,
    permit_data: dict | None,
    pathway_before: int | None = None,
) -> None:
    """What makes the order's content coherent, every problem at once: the rules here, the model's
    own (each constraint's message beside its field), the pathway when it is chosen (not
    `pathway_before`), the SIP2MI typed with it (`permit_data`) and the cost lines. The legal gates
    are checked on submission."""
    errors: dict[str, list] = {}

    def add(field: str, message) -> None:
        errors.setdefault(field, []).append(message)

    if order.licence_required and not order.licence_name.strip():
        add("licence_name", _("Tulis nama lisensi yang diwajibkan, misalnya SIM Jepang."))
    if order.pathway_id and order.pathway_id != pathway_before:
        # Nothing new is put on a pathway a P3MI may not use; an order already on a pathway that
        # closed since keeps it (its gate says so) so the draft's other changes are not lost.
        pathway = Pathway.objects.get(pk=order.pathway_id)  # as it stands now, not as shown
        for code, message in _pathway_problems(pathway, timezone.localdate()):
            errors.setdefault("pathway", []).append(ValidationError(message, code=code))
    if (
        order.pathway_id
        and order.employer_country
        and order.pathway.country != order.employer_country
    ):
        add(
            "employer_country",
            _('Negara pemberi kerja harus sama dengan negara skema "%(pathway)s".')
            % {"pathway": order.pathway.name},
        )
    if (
        order.pathway_id
        and order.job_type_id
        and not order.pathway.job_types.filter(pk=order.job_type_id).exists()
    ):
        add(
            "job_type",
            _('Skema "%(pathway)s" tidak mencakup jenis pekerjaan "%(job)s".')
            % {"pathway": order.pathway.name, "job": order.job_type.name},
        )
    if order.attache_status == AttacheStatus.VERIFIED and not order.attache_reference.strip():
        add("attache_reference", _("Tulis nomor surat verifikasi dari atase ketenagakerjaan."))
    _model_errors(order, errors, exclude=["attache_document", "reference", *errors])
    if permit_data is not None:
        _permit_errors(agency=agency, data=permit_data, errors=errors)
    zero_cost = order.job_type.zero_cost if order.job_type_id else None
    for number, line in enumerate(costs, start=1):
        found: dict[str, list] = {}
        _model_errors(
            JobOrderCost(order=order, **{k: line[k] for k in COST_FIELDS}), found, exclude=["order"]
        )
        if not found and zero_cost is not None:
            _cost_line_errors(line, index=number - 1, zero_cost=zero_cost, errors=errors)
        for name, problems in found.items():
            for problem in problems:
                add(
                    "costs",
                    _("Biaya baris %(n)s, %(field)s: %(problem)s")
                    % {
                        "n": number,
                        "field": JobOrderCost._meta.get_field(name).verbose_name,
                        "problem": " ".join(problem.messages),
                    },
                )
    if errors:
        raise ValidationError(errors)


def _cost_line_errors(line: dict, *, index: int, zero_cost: bool, errors: dict) -> None:
    """Who may pay is `jalur.rules.fees`': a payer it forbids is refused beside the line's payer,
    with the rule's own words; a worker-paid cost it leaves to the labour office ("Lainnya") must
    say what it is, so the office can decide on it."""
    ruling = fees.payer_may_pay(line["item"], line["paid_by"], zero_cost=zero_cost)
    if ruling.verdict == fees.Verdict.FORBIDDEN:
        errors.setdefault(cost_line_key(index, "paid_by"), []).append(
            ValidationError(ruling.message, code="cost_forbidden")
        )
    elif ruling.verdict == fees.Verdict.DECIDE and not (line.get("description") or "").strip():
        errors.setdefault(cost_line_key(index, "description"), []).append(
            ValidationError(
                _(
                    "Biaya ini dibayar pekerja dan tidak ada dalam daftar aturan: tulis uraiannya "
                    "(apa yang dibayar dan untuk apa). Disnakertrans memutuskan boleh atau tidak "
                    "saat meninjau lowongan."
                ),
                code="cost_needs_description",
            )
        )


def _costs_replace(order: JobOrder, costs: list[dict]) -> None:
    """The order's cost lines become `costs`. The office's decision on a line stays with a line that
    is still the same (item, description, amount and payer); a changed line is decided anew."""
    decided: dict[tuple, list[JobOrderCost]] = {}
    for old in order.costs.exclude(office_decision=""):
        decided.setdefault(old.decision_key, []).append(old)
    order.costs.all().delete()
    rows = []
    for line in costs:
        row = JobOrderCost(order=order, **{k: line[k] for k in COST_FIELDS})
        row.description = " ".join((row.description or "").split())
        kept = decided.get(row.decision_key)
        if kept:
            old = kept.pop(0)
            row.office_decision = old.office_decision
            row.office_reason = old.office_reason
            row.office_decided_by_id = old.office_decided_by_id
            row.office_decided_at = old.office_decided_at
        rows.append(row)
    JobOrderCost.objects.bulk_create(rows)


def _attache_attach(order: JobOrder, upload) -> None:
    content, content_type, _sha = _stored_file(upload, field="attache_file")
    order.attache_content_type = content_type
    order.attache_document.save("atase", content, save=False)


def job_order_create(
    *, actor, agency: Agency, data: dict, costs: list[dict], attache_file=None
) -> JobOrder:
    """A new draft job order of `agency`. Only the agency's own staff create orders."""
    with transaction.atomic():
        order = JobOrder(
            agency=agency,
            reference=f"tmp-{secrets.token_hex(6)}",
            created_by=_actor_or_none(actor),
        )
        _order_fill(order, data)
        _order_validate(order, costs, agency=agency, permit_data=data)
        order.permit = _permit_resolve(actor=actor, agency=agency, data=data)
        if attache_file is not None:
            _attache_attach(order, attache_file)
        order.save()
        order.reference = f"LK-{order.created_at:%Y}-{order.pk:05d}"
        order.save(update_fields=["reference"])
        _costs_replace(order, costs)
        JobOrderEvent.objects.create(
            order=order, from_status="", to_status=OrderStatus.DRAFT, actor=_actor_or_none(actor)
        )
        audit_record(
            actor=actor,
            action="job_order.create",
            target=order,
            changes=diff({}, _order_snapshot(order)),
        )
    return order


def job_order_update(
    *, actor, order: JobOrder, data: dict, costs: list[dict], attache_file=None
) -> JobOrder:
    with transaction.atomic():
        locked = JobOrder.objects.select_for_update().get(pk=order.pk)
        if locked.status not in ORDER_EDITABLE:
            raise ValidationError(
                _(
                    'Lowongan berstatus "%(status)s" tidak bisa diubah. Hanya draf atau lowongan yang dikembalikan untuk perbaikan.'
                )
                % {"status": locked.get_status_display()}
            )
        before = _order_snapshot(locked)
        pathway_before = locked.pathway_id
        _order_fill(locked, data)
        _order_validate(
            locked,
            costs,
            agency=locked.agency,
            permit_data=data if "sip2mi_number" in data else None,
            pathway_before=pathway_before,
        )
        if "sip2mi_number" in data:
            locked.permit = _permit_resolve(actor=actor, agency=locked.agency, data=data)
        if attache_file is not None:
            _attache_attach(locked, attache_file)
        locked.save()
        _costs_replace(locked, costs)
        audit_record(
            actor=actor,
            action="job_order.update",
            target=locked,
            changes=diff(before, _order_snapshot(locked)),
        )
    return locked


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def _covering_agreements(order: JobOrder, on: datetime.date) -> list[Agreement]:
    candidates = (
        Agreement.objects.filter(kind=AgreementKind.PKS, agency_id=order.agency_id)
        .select_related("mou")
        .prefetch_related("job_types", "pathways")
        .order_by("-ends_on")
    )
    return [
        a
        for a in candidates
        if a.covers(
            country=order.employer_country,
            job_type_id=order.job_type_id,
            pathway_id=order.pathway_id,
        )
    ]


def order_problems(
    order: JobOrder, *, on: datetime.date, for_approval: bool = False
) -> list[Problem]:
    """Every legal gate the order fails on `on`, each with what to do about it.

    Submission needs an empty list; approval also needs the labour attaché's verification. Quotas
    are checked here for display and again under row locks in `job_order_submit`.
    """
    problems: list[Problem] = []
    agency = order.agency
    state = agency.state(on)
    if state == AgencyState.SUSPENDED:
        suspension = agency.current_suspension(on)
        problems.append(
            Problem(
                "agency_suspended",
                _(
                    "%(name)s dibekukan sejak %(date)s: %(reason)s. Lowongan tidak bisa diajukan selama dibekukan."
                )
                % {
                    "name": agency.name,
                    "date": _date(suspension.starts_on),
                    "reason": suspension.reason,
                },
            )
        )
    elif state == AgencyState.EXPIRED:
        problems.append(
            Problem(
                "licence_expired",
                _(
                    "SIP3MI %(number)s berakhir pada %(date)s. Perpanjang izin dan minta Disnakertrans memperbarui data P3MI sebelum mengajukan lowongan."
                )
                % {"number": agency.licence_number, "date": _date(agency.licence_valid_until)},
            )
        )
    elif state == AgencyState.NOT_YET_VALID:
        problems.append(
            Problem(
                "licence_not_yet_valid",
                _("SIP3MI %(number)s baru berlaku mulai %(date)s.")
                % {"number": agency.licence_number, "date": _date(agency.licence_valid_from)},
            )
        )
    pathway = order.pathway
    for code, message in _pathway_problems(pathway, on):
        problems.append(Problem(code, message))
    covering = _covering_agreements(order, on)
    active = [
        a for a in covering if a.is_active_on(on) and (a.mou is None or a.mou.is_active_on(on))
    ]
    if not active:
        if covering:
            latest = covering[0]
            if latest.mou is not None and not latest.mou.is_active_on(on):
                message = _(
                    "MoU induk %(mou)s dari PKS %(number)s tidak berlaku pada %(date)s."
                ) % {
                    "mou": latest.mou.number,
                    "number": latest.number,
                    "date": _date(on),
                }
            else:
                message = _(
                    "PKS %(number)s berlaku %(start)s sampai %(end)s, jadi tidak berlaku pada %(date)s. Perpanjang PKS dengan Pemkot sebelum mengajukan lowongan."
                ) % {
                    "number": latest.number,
                    "start": _date(latest.starts_on),
                    "end": _date(latest.ends_on),
                    "date": _date(on),
                }
        else:
            message = _(
                'Belum ada PKS antara Pemkot dan %(name)s yang mencakup %(country)s, jenis pekerjaan "%(job)s" dan skema "%(pathway)s". Ajukan PKS atau adendum ke Disnakertrans.'
            ) % {
                "name": agency.name,
                "country": order.get_employer_country_display(),
                "job": order.job_type.name,
                "pathway": pathway.name,
            }
        problems.append(Problem("agreement", message))
    else:
        pks = active[0]
        if pks.quota is not None:
            used = positions_used(agreement=pks, exclude_order_id=order.pk)
            if order.positions > pks.quota - used:
                problems.append(
                    Problem(
                        "agreement_quota",
                        _(
                            "Kuota PKS %(number)s tinggal %(left)s (kuota %(quota)s, terpakai %(used)s); lowongan ini meminta %(positions)s."
                        )
                        % {
                            "number": pks.number,
                            "left": max(pks.quota - used, 0),
                            "quota": pks.quota,
                            "used": used,
                            "positions": order.positions,
                        },
                    )
                )
    problems += _cost_problems(order, for_approval=for_approval)
    permit = order.permit
    if permit is None:
        problems.append(
            Problem("permit_missing", _("Isi nomor dan kuota SIP2MI untuk lowongan ini."))
        )
    else:
        # The figures on record: a change asked for counts only once the office has approved it.
        problems += [
            Problem(found.code, found.message)
            for found in permit_rules.permit_problems(
                number=permit.number,
                quota=permit.quota,
                used=positions_used(permit=permit, exclude_order_id=order.pk),
                positions=order.positions,
                on=on,
                issued_on=permit.issued_on,
                valid_until=permit.valid_until,
            )
        ]
    if order.attache_status == AttacheStatus.REFUSED:
        problems.append(
            Problem(
                "attache_refused",
                _("Atase ketenagakerjaan menolak permintaan ini; lowongan tidak bisa diajukan."),
            )
        )
    elif for_approval and (
        order.attache_status != AttacheStatus.VERIFIED or not order.attache_document
    ):
        problems.append(
            Problem(
                "attache_unverified",
                _(
                    "Permintaan belum diverifikasi atase ketenagakerjaan (UU 18/2017 Pasal 9–10). Lowongan disetujui setelah nomor dan dokumen verifikasi atase diunggah."
                ),
            )
        )
    if order.deadline < on:
        problems.append(
            Problem(
                "deadline",
                _("Batas akhir lamaran (%(date)s) sudah lewat. Ubah tanggalnya.")
                % {"date": _date(order.deadline)},
            )
        )
    return problems


def _cost_line_label(number: int, cost: JobOrderCost) -> str:
    line = cost.get_item_display()
    if cost.description:
        line = f"{line}: {cost.description}"
    return _("Biaya baris %(n)s (%(line)s)") % {"n": number, "line": line}


def _cost_problems(order: JobOrder, *, for_approval: bool) -> list[Problem]:
    """Every cost line the worker may not pay, by `jalur.rules.fees`; and every worker-paid line the
    rule leaves to the labour office that it refused, or (for approval) has not decided yet."""
    problems = []
    zero_cost = order.job_type.zero_cost
    for number, cost in enumerate(order.costs.all(), start=1):
        ruling = cost.ruling(zero_cost=zero_cost)
        if ruling.verdict == fees.Verdict.FORBIDDEN:
            problems.append(
                Problem(
                    "cost_forbidden",
                    _("%(line)s: %(rule)s")
                    % {"line": _cost_line_label(number, cost), "rule": ruling.message},
                )
            )
        elif ruling.verdict == fees.Verdict.DECIDE:
            if cost.office_decision == CostDecision.REFUSED:
                problems.append(
                    Problem(
                        "cost_refused",
                        _(
                            "%(line)s: Disnakertrans memutuskan pekerja tidak boleh membayarnya "
                            "(%(reason)s). Ubah pembayarnya menjadi pemberi kerja, P3MI atau APBD."
                        )
                        % {"line": _cost_line_label(number, cost), "reason": cost.office_reason},
                    )
                )
            elif for_approval and cost.office_decision != CostDecision.ALLOWED:
                problems.append(
                    Problem(
                        "cost_undecided",
                        _(
                            "%(line)s dibayar pekerja dan tidak ada dalam daftar aturan (%(basis)s): "
                            "Disnakertrans memutuskan boleh atau tidak, dengan alasan, di halaman "
                            "tinjauan sebelum lowongan disetujui."
                        )
                        % {"line": _cost_line_label(number, cost), "basis": ruling.basis},
                    )
                )
    return problems


def job_order_cost_decide(*, actor, cost: JobOrderCost, decision: str, reason: str) -> JobOrderCost:
    """The labour office decides, with a reason, whether the worker may pay a cost line the rules of
    `jalur.rules.fees` leave to it (a worker-paid "Lainnya"), while it reviews the order. A refused
    line blocks the order until the P3MI changes who pays it."""
    reason = (reason or "").strip()
    with transaction.atomic():
        order = (
            JobOrder.objects.select_for_update(of=("self",))
            .select_related("job_type")
            .get(pk=cost.order_id)
        )
        locked = JobOrderCost.objects.select_for_update().get(pk=cost.pk)
        if order.status != OrderStatus.SUBMITTED:
            raise ValidationError(
                _(
                    "Biaya diputuskan saat lowongan ditinjau; lowongan ini berstatus "
                    '"%(status)s". Muat ulang halaman.'
                )
                % {"status": order.get_status_display()},
                code="invalid_transition",
            )
        if locked.ruling(zero_cost=order.job_type.zero_cost).verdict != fees.Verdict.DECIDE:
            raise ValidationError(
                _(
                    "Biaya ini tidak diputuskan Disnakertrans: aturan biaya sudah menentukan siapa "
                    "yang boleh membayarnya."
                ),
                code="not_for_the_office",
            )
        errors: dict = {}
        if decision not in CostDecision.values:
            errors["decision"] = [_("Pilih: boleh atau tidak boleh dibayar pekerja.")]
        before = snapshot(locked, ["office_decision", "office_reason"])
        locked.office_decision = decision if decision in CostDecision.values else ""
        locked.office_reason = reason
        locked.office_decided_by = _actor_or_none(actor)
        locked.office_decided_at = timezone.now()
        _model_errors(
            locked,
            errors,
            rename={"office_reason": "reason", "office_decision": "decision"},
            exclude=["order"],
        )
        if errors:
            raise ValidationError(errors)
        locked.save(
            update_fields=[
                "office_decision",
                "office_reason",
                "office_decided_by",
                "office_decided_at",
            ]
        )
        audit_record(
            actor=actor,
            action="job_order.cost_decide",
            target=order,
            changes={
                "cost_line": [None, locked.pk],
                "item": [None, locked.item],
                "description": [None, locked.description],
                **diff(before, snapshot(locked, ["office_decision", "office_reason"])),
            },
            reason=reason,
        )
    return locked


def _order_move(order: JobOrder, *, to_status: str, actor, reason: str = "", **fields) -> JobOrder:
    """Change a locked order's status by the one recipe (`jalur.audit.transitions.status_move`):
    checked against ORDER_TRANSITIONS, with its JobOrderEvent history row and its audit row."""

    def history(from_status: str, now) -> JobOrderEvent:
        return JobOrderEvent.objects.create(
            order=order,
            from_status=from_status,
            to_status=to_status,
            actor=transitions.actor_or_none(actor),
            reason=reason,
            created_at=now,
        )

    return transitions.status_move(
        order,
        to_status=to_status,
        table=ORDER_TRANSITIONS,
        labels=OrderStatus,
        noun=_("Lowongan"),
        actor=actor,
        action=f"job_order.{to_status}",
        reason=reason,
        history=history,
        fields=fields,
    )


def _problems_raise(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError([ValidationError(p.message, code=p.code) for p in problems])


def _lock_quota_rows(order: JobOrder, on: datetime.date) -> None:
    """Lock the permit and the PKS this order would draw on, so quota checks see a settled sum."""
    if order.permit_id:
        RecruitmentPermit.objects.select_for_update().filter(pk=order.permit_id).first()
    for agreement in _covering_agreements(order, on):
        Agreement.objects.select_for_update().filter(pk=agreement.pk).first()


def job_order_submit(*, actor, order: JobOrder, on: datetime.date | None = None) -> JobOrder:
    """The agency sends its order to the city. Every legal gate must pass, quotas under lock."""
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = JobOrder.objects.select_for_update().get(pk=order.pk)
        _lock_quota_rows(locked, on)
        locked = (
            JobOrder.objects.select_related("agency__organisation", "pathway", "job_type", "permit")
            .prefetch_related("agency__suspensions", "costs")
            .get(pk=order.pk)
        )
        if locked.status not in (OrderStatus.DRAFT, OrderStatus.RETURNED):
            raise ValidationError(
                _("Lowongan ini sudah diajukan. Muat ulang halaman untuk melihat statusnya."),
                code="invalid_transition",
            )
        _problems_raise(order_problems(locked, on=on))
        pks = next(
            a
            for a in _covering_agreements(locked, on)
            if a.is_active_on(on) and (a.mou is None or a.mou.is_active_on(on))
        )
        _order_move(
            locked,
            to_status=OrderStatus.SUBMITTED,
            actor=actor,
            submitted_at=timezone.now(),
            agreement=pks,
        )
        _notify_all(
            _managers(),
            key="placement_order_submitted",
            context={"order": locked, "agency": locked.agency.name},
            link=reverse("placement:order_detail", args=[locked.pk]),
        )
    return locked


def job_order_approve(*, actor, order: JobOrder, reason: str = "", on=None) -> JobOrder:
    """The city approves: the order goes public and Jalur recommends three times its positions."""
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = JobOrder.objects.select_for_update().get(pk=order.pk)
        _lock_quota_rows(locked, on)
        locked = (
            JobOrder.objects.select_related("agency__organisation", "pathway", "job_type", "permit")
            .prefetch_related("agency__suspensions", "costs")
            .get(pk=order.pk)
        )
        if locked.status != OrderStatus.SUBMITTED:
            raise ValidationError(
                _("Hanya lowongan yang menunggu tinjauan yang bisa disetujui. Muat ulang halaman."),
                code="invalid_transition",
            )
        _problems_raise(order_problems(locked, on=on, for_approval=True))
        _order_move(
            locked,
            to_status=OrderStatus.APPROVED,
            actor=actor,
            reason=reason,
            decided_at=timezone.now(),
            decided_by=_actor_or_none(actor),
        )
        _notify_all(
            _agency_staff(locked.agency),
            key="placement_order_decided",
            context={"order": locked, "decision": OrderStatus.APPROVED.label, "reason": reason},
            link=reverse("placement:order_detail", args=[locked.pk]),
        )
        recommendations_fill(actor=actor, order=locked, on=on)
    return locked


def _order_decide(*, actor, order: JobOrder, to_status: str, reason: str) -> JobOrder:
    with transaction.atomic():
        locked = JobOrder.objects.select_for_update().get(pk=order.pk)
        if locked.status != OrderStatus.SUBMITTED:
            raise ValidationError(
                _(
                    "Hanya lowongan yang menunggu tinjauan yang bisa diputuskan. Muat ulang halaman."
                ),
                code="invalid_transition",
            )
        _order_move(
            locked,
            to_status=to_status,
            actor=actor,
            reason=reason,
            decided_at=timezone.now(),
            decided_by=_actor_or_none(actor),
        )
        _notify_all(
            _agency_staff(locked.agency),
            key="placement_order_decided",
            context={"order": locked, "decision": OrderStatus(to_status).label, "reason": reason},
            link=reverse("placement:order_detail", args=[locked.pk]),
        )
    return locked


def job_order_return(*, actor, order: JobOrder, reason: str) -> JobOrder:
    reason = _reason_required(
        reason, _("Tulis apa yang harus diperbaiki P3MI, satu hal per baris.")
    )
    return _order_decide(actor=actor, order=order, to_status=OrderStatus.RETURNED, reason=reason)


def job_order_reject(*, actor, order: JobOrder, reason: str) -> JobOrder:
    reason = _reason_required(
        reason, _("Tulis alasan penolakan; alasan ini dilihat P3MI dan tercatat di jejak audit.")
    )
    return _order_decide(actor=actor, order=order, to_status=OrderStatus.REJECTED, reason=reason)


def job_order_close(*, actor, order: JobOrder, reason: str) -> JobOrder:
    """Stop recruiting. Applications still open end as "not selected", with the reason."""
    reason = _reason_required(reason, _("Tulis alasan lowongan ditutup."))
    with transaction.atomic():
        locked = JobOrder.objects.select_for_update().get(pk=order.pk)
        _order_move(locked, to_status=OrderStatus.CLOSED, actor=actor, reason=reason)
        _applications_end_open(
            locked,
            actor=actor,
            reason=_("Lowongan %(ref)s ditutup: %(reason)s")
            % {"ref": locked.reference, "reason": reason},
        )
    return locked


# --- recommendations and applications --------------------------------------------------------------
def recommendations_fill(
    *, actor, order: JobOrder, on: datetime.date | None = None, now=None
) -> list[Application]:
    """Recommend the best-ranked eligible candidates until the order has three times its positions
    in open applications. People who already had an application for it are not recommended again."""
    on = on or timezone.localdate()
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            JobOrder.objects.select_for_update(of=("self",))
            .select_related("pathway", "job_type")
            .get(pk=order.pk)
        )
        if locked.status != OrderStatus.APPROVED:
            raise ValidationError(
                _("Rekomendasi hanya untuk lowongan yang sudah disetujui dan masih dibuka.")
            )
        held = locked.applications.filter(status__in=[*APPLICATION_OPEN, AS.ACCEPTED]).count()
        need = locked.recommendation_target - held
        if need <= 0:
            return []
        taken = set(locked.applications.values_list("candidate_id", flat=True))
        picked = []
        rank = 0
        for candidate in ranked(locked, on=on, now=now).iterator(chunk_size=200):
            rank += 1
            if candidate.pk in taken:
                continue
            picked.append((rank, candidate))
            if len(picked) >= need:
                break
        created = []
        for rank, candidate in picked:
            application = Application.objects.create(
                order=locked,
                candidate=candidate,
                status=AS.RECOMMENDED,
                origin=ApplicationOrigin.RECOMMENDED,
                score=round(candidate.score, 1),
                score_parts=score_snapshot(candidate),
                rank=rank,
                recommended_at=now,
                status_changed_at=now,
            )
            ApplicationEvent.objects.create(
                application=application,
                from_status="",
                to_status=AS.RECOMMENDED,
                actor=_actor_or_none(actor),
                reason=_("Peringkat %(rank)s, skor %(score)s")
                % {"rank": rank, "score": application.score},
                created_at=now,
            )
            audit_record(
                actor=actor,
                action="application.recommend",
                target=application,
                changes={
                    "status": [None, AS.RECOMMENDED],
                    "rank": [None, rank],
                    "score": [None, str(application.score)],
                },
            )
            if candidate.user_id:
                notify(
                    user=candidate.user,
                    key="placement_recommended",
                    context={"order": locked},
                    link=reverse("placement:my_order", args=[locked.pk]),
                )
            created.append(application)
    return created


def _application_move(
    application: Application, *, to_status: str, actor, reason: str = "", **fields
) -> Application:
    """Change a locked application's status by the one recipe (`jalur.audit.transitions`):
    checked against APPLICATION_TRANSITIONS, with its ApplicationEvent row and its audit row."""

    def history(from_status: str, now) -> ApplicationEvent:
        return ApplicationEvent.objects.create(
            application=application,
            from_status=from_status,
            to_status=to_status,
            actor=transitions.actor_or_none(actor),
            reason=reason,
            created_at=now,
        )

    return transitions.status_move(
        application,
        to_status=to_status,
        table=APPLICATION_TRANSITIONS,
        labels=ApplicationStatus,
        noun=_("Lamaran"),
        actor=actor,
        action=f"application.{to_status}",
        reason=reason,
        history=history,
        fields={"status_reason": reason, **fields},
    )


def _candidate_into_selection(candidate: Candidate, *, actor, order: JobOrder) -> None:
    if candidate.stage == Stage.TRAINED:
        candidate_stage_change(
            candidate=candidate,
            to_stage=Stage.SELECTION,
            actor=actor,
            reason=_("Seleksi lowongan %(ref)s") % {"ref": order.reference},
            notify_candidate=False,
        )


def _candidate_settle(candidate: Candidate, *, actor, reason: str) -> None:
    """After an application ends: back to "trained" when nothing is left in progress."""
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    statuses = set(locked.applications.values_list("status", flat=True))
    if AS.ACCEPTED in statuses:
        return
    if locked.stage == Stage.PRE_DEPARTURE:
        candidate_stage_change(
            candidate=locked,
            to_stage=Stage.TRAINED,
            actor=actor,
            reason=reason,
            notify_candidate=False,
        )
        locked.refresh_from_db(fields=["stage"])
        if statuses & APPLICATION_LIVE:
            candidate_stage_change(
                candidate=locked,
                to_stage=Stage.SELECTION,
                actor=actor,
                reason=reason,
                notify_candidate=False,
            )
        return
    if locked.stage == Stage.SELECTION and not statuses & APPLICATION_LIVE:
        candidate_stage_change(
            candidate=locked,
            to_stage=Stage.TRAINED,
            actor=actor,
            reason=reason,
            notify_candidate=False,
        )


def _notify_candidate(application: Application, key: str, **context) -> None:
    user = application.candidate.user
    if user is not None:
        notify(
            user=user,
            key=key,
            context={"order": application.order, "application": application, **context},
            link=reverse("placement:my_application", args=[application.pk]),
        )


def _lock_application(application: Application) -> tuple[JobOrder, Application]:
    order = JobOrder.objects.select_for_update().get(pk=application.order_id)
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related(
            "candidate__user", "order__pathway", "order__job_type", "order__agency__organisation"
        )
        .get(pk=application.pk)
    )
    return order, locked


def _eligibility_problems(candidate: Candidate, order: JobOrder, on: datetime.date) -> list[str]:
    outcome = order_eligibility(candidate=candidate, order=order, on=on)
    return [f"{r.label}: {r.message}" for r in outcome.failures]


def _require_open(order: JobOrder, on: datetime.date) -> None:
    if order.status != OrderStatus.APPROVED or order.deadline < on:
        raise ValidationError(
            _("Lowongan %(ref)s tidak lagi menerima pelamar.") % {"ref": order.reference},
            code="order_closed",
        )


def application_apply(*, candidate: Candidate, order: JobOrder, actor, on=None) -> Application:
    """The candidate applies (or answers a recommendation). Only orders they qualify for."""
    on = on or timezone.localdate()
    with transaction.atomic():
        locked_order = (
            JobOrder.objects.select_for_update(of=("self",))
            .select_related("pathway", "job_type")
            .get(pk=order.pk)
        )
        _require_open(locked_order, on)
        existing = (
            Application.objects.select_for_update()
            .filter(order=locked_order, candidate_id=candidate.pk)
            .first()
        )
        person = Candidate.objects.select_for_update().get(pk=candidate.pk)
        failing = _eligibility_problems(person, locked_order, on)
        if failing:
            raise ValidationError(
                _("Anda belum memenuhi syarat lowongan ini: %(rules)s.")
                % {"rules": "; ".join(failing)},
                code="not_eligible",
            )
        now = timezone.now()
        if existing is None:
            application = Application.objects.create(
                order=locked_order,
                candidate=person,
                status=AS.APPLIED,
                origin=ApplicationOrigin.APPLIED,
                applied_at=now,
                status_changed_at=now,
            )
            ApplicationEvent.objects.create(
                application=application,
                from_status="",
                to_status=AS.APPLIED,
                actor=_actor_or_none(actor),
                created_at=now,
            )
            audit_record(
                actor=actor,
                action="application.applied",
                target=application,
                changes={"status": [None, AS.APPLIED]},
            )
        elif existing.status == AS.RECOMMENDED:
            application = _application_move(
                existing, to_status=AS.APPLIED, actor=actor, applied_at=now
            )
        else:
            raise ValidationError(
                _('Anda sudah punya lamaran untuk lowongan ini (status "%(status)s").')
                % {"status": existing.get_status_display()},
                code="duplicate",
            )
        _candidate_into_selection(person, actor=actor, order=locked_order)
        _notify_all(
            _agency_staff(locked_order.agency),
            key="placement_applied",
            context={"order": locked_order, "application": application},
            link=reverse("placement:application_detail", args=[application.pk]),
        )
    return application


def application_shortlist(*, actor, application: Application, on=None) -> Application:
    on = on or timezone.localdate()
    with transaction.atomic():
        order, locked = _lock_application(application)
        _require_open(order, on)
        person = Candidate.objects.select_for_update().get(pk=locked.candidate_id)
        failing = _eligibility_problems(person, locked.order, on)
        if failing:
            raise ValidationError(
                _("Pencari kerja ini tidak lagi memenuhi syarat: %(rules)s.")
                % {"rules": "; ".join(failing)},
                code="not_eligible",
            )
        _application_move(locked, to_status=AS.SHORTLISTED, actor=actor)
        _candidate_into_selection(person, actor=actor, order=order)
        _notify_candidate(locked, "placement_application_update", status=AS.SHORTLISTED.label)
    return locked


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H.%M")


def _past_interview_section(application: Application) -> str:
    """The heading of the part of the application page where a held interview is recorded."""
    if application.status == AS.INTERVIEW_SCHEDULED:
        return _("Catat hasil wawancara")
    return _("Catat wawancara yang sudah berlangsung")


def _held_at_problem(
    held_at: datetime.datetime, *, now: datetime.datetime, created: datetime.datetime
) -> str:
    """What is wrong with the time typed for an interview that has taken place, if anything."""
    if held_at > now:
        return _(
            "Waktu wawancara yang sudah berlangsung tidak boleh sesudah sekarang (%(now)s)."
        ) % {"now": _when(now)}
    if held_at < now - datetime.timedelta(days=INTERVIEW_RECORD_DAYS_BACK):
        return _(
            "Wawancara yang sudah berlangsung bisa dicatat sampai %(days)s hari sesudahnya; "
            "%(at)s lebih lama dari itu. Periksa tanggal dan tahunnya."
        ) % {"days": INTERVIEW_RECORD_DAYS_BACK, "at": _when(held_at)}
    if held_at < created:
        return _("Waktu wawancara tidak boleh sebelum lamaran ini ada di Jalur (%(created)s).") % {
            "created": _when(created)
        }
    return ""


def interview_schedule(
    *,
    actor,
    application: Application,
    at: datetime.datetime,
    mode: str,
    place: str,
    now: datetime.datetime | None = None,
) -> Application:
    """An upcoming interview, which the candidate is told about. One already held is recorded with
    its result instead (`interview_record`). `now`: when it was scheduled (the demo's and tests'
    history); the time must be after it."""
    errors = {}
    if at is None:
        errors["at"] = INTERVIEW_TIME_MISSING
    elif at <= (now or timezone.now()):
        errors["at"] = _(
            "Jadwal wawancara harus di masa depan. Wawancara yang sudah berlangsung dicatat "
            "bersama hasilnya, di bagian “%(section)s”."
        ) % {"section": _past_interview_section(application)}
    if not (place or "").strip():
        errors["place"] = _("Tulis alamat tempat wawancara atau tautan rapat daring.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _order, locked = _lock_application(application)
        rescheduled = locked.status == AS.INTERVIEW_SCHEDULED
        _application_move(
            locked,
            to_status=AS.INTERVIEW_SCHEDULED,
            actor=actor,
            reason=_("Jadwal diubah") if rescheduled else "",
            interview_at=at,
            interview_mode=mode,
            interview_place=place.strip(),
        )
        _notify_candidate(locked, "placement_interview")
    return locked


def interview_record(
    *,
    actor,
    application: Application,
    result: str,
    notes: str = "",
    held_at: datetime.datetime | None = None,
    mode: str = "",
    place: str = "",
    now: datetime.datetime | None = None,
) -> Application:
    """The result of an interview that has taken place, never dated after `now` (nor more than
    INTERVIEW_RECORD_DAYS_BACK days before it, nor before the application existed).

    A scheduled interview is held at its scheduled time unless `held_at` says otherwise (it took
    place earlier). One held before anything was entered in Jalur (the application is shortlisted)
    needs `held_at`, `mode` and `place`, and is recorded in one step with its result: the candidate
    is not told about an "upcoming" interview that is already over. Every problem shows at once.
    """
    now = now or timezone.now()
    errors: dict = {}
    if result not in InterviewResult.values:
        errors["result"] = _("Pilih hasil wawancara.")
    with transaction.atomic():
        _order, locked = _lock_application(application)
        unscheduled = locked.status == AS.SHORTLISTED
        if held_at and locked.interview_at and _when(held_at) == _when(locked.interview_at):
            held_at = None  # the scheduled time, as the result form shows it (to the minute)
        at = held_at or locked.interview_at
        if unscheduled:
            if held_at is None:
                errors["held_at"] = INTERVIEW_TIME_MISSING
            if mode not in InterviewMode.values:
                errors["mode"] = _("Pilih cara wawancara.")
            if not (place or "").strip():
                errors["place"] = _("Tulis tempat wawancara atau tautan rapat daring yang dipakai.")
        if held_at is not None:
            problem = _held_at_problem(held_at, now=now, created=locked.created_at)
            if problem:
                errors["held_at"] = problem
        elif at is not None and at > now:
            errors["held_at"] = _(
                "Wawancara dijadwalkan %(at)s; hasilnya bisa dicatat sesudah itu. Bila wawancara "
                "sudah berlangsung lebih awal, isi waktu berlangsungnya."
            ) % {"at": _when(at)}
        if errors:
            raise ValidationError(errors)
        fields = {"interview_result": result, "interview_notes": (notes or "").strip()}
        reason = ""
        if unscheduled:
            fields |= {
                "interview_at": at,
                "interview_mode": mode,
                "interview_place": place.strip(),
            }
            reason = _("Wawancara %(at)s dicatat sesudah berlangsung") % {"at": _when(at)}
        elif at != locked.interview_at:
            fields["interview_at"] = at
            reason = _("Wawancara berlangsung %(at)s, bukan %(scheduled)s seperti dijadwalkan") % {
                "at": _when(at),
                "scheduled": _when(locked.interview_at),
            }
        _application_move(locked, to_status=AS.INTERVIEWED, actor=actor, reason=reason, **fields)
    return locked


def application_select(*, actor, application: Application, on=None) -> Application:
    """Record that the employer chose this person."""
    on = on or timezone.localdate()
    with transaction.atomic():
        order, locked = _lock_application(application)
        if order.status != OrderStatus.APPROVED:
            raise ValidationError(_("Lowongan ini tidak lagi dibuka."), code="order_closed")
        if locked.interview_result == InterviewResult.FAILED:
            raise ValidationError(
                _(
                    "Hasil wawancara tercatat tidak lulus; perbaiki hasil wawancara bila pemberi kerja tetap memilihnya."
                )
            )
        _application_move(locked, to_status=AS.SELECTED, actor=actor, selected_at=timezone.now())
        _notify_candidate(locked, "placement_application_update", status=AS.SELECTED.label)
    return locked


def _money(amount, currency: str) -> str:
    """JPY 215.000 (in the language's number format, as the pages show it)."""
    return f"{currency} {floatformat(amount, '-2g')}"


def _offer_problems(
    order: JobOrder,
    *,
    position_title: str | None,
    wage_amount: Decimal | None,
    contract_months: int | None,
    respond_by: datetime.date | None,
    on: datetime.date,
) -> dict[str, ValidationError]:
    """Every problem of an offer at once: a term left out, a reply-by date already past, and where
    the offer is worse for the worker than the job order Disnakertrans approved (a lower wage,
    another contract length or another position is contract substitution, judged by
    `jalur.rules.contracts`, the same comparison that holds the signed contract to the offer)."""
    problems = {}
    differences = contract_differences(
        Terms(
            position=order.position_title,
            wage=Decimal(str(order.wage_amount)),
            currency=order.wage_currency,
            contract_months=order.contract_months,
        ),
        Terms(
            position=position_title or None,
            wage=Decimal(str(wage_amount)) if wage_amount else None,
            currency=order.wage_currency,
            contract_months=contract_months or None,
        ),
    )
    worse = {d.term for d in differences if d.worse}
    if not (position_title or "").strip():
        problems["position_title"] = ValidationError(
            _("Tulis jabatan yang ditawarkan."), code="required"
        )
    elif "position" in worse:
        problems["position_title"] = ValidationError(
            _(
                "Jabatan yang ditawarkan harus jabatan lowongan yang disetujui Disnakertrans "
                "(%(approved)s). Jabatan lain adalah substitusi kontrak; ajukan lowongan baru untuk "
                "jabatan itu."
            )
            % {"approved": order.position_title},
            code="position_differs_from_order",
        )
    if wage_amount is None or wage_amount <= 0:
        problems["wage_amount"] = ValidationError(_("Tulis gaji yang ditawarkan."), code="required")
    elif "wage" in worse:
        problems["wage_amount"] = ValidationError(
            _(
                "Gaji yang ditawarkan (%(offered)s) lebih rendah dari gaji lowongan yang disetujui "
                "Disnakertrans (%(approved)s). Tawaran tidak boleh lebih buruk dari lowongan."
            )
            % {
                "offered": _money(wage_amount, order.wage_currency),
                "approved": _money(order.wage_amount, order.wage_currency),
            },
            code="wage_below_order",
        )
    if contract_months is None or contract_months <= 0:
        problems["contract_months"] = ValidationError(
            _("Tulis lama kontrak yang ditawarkan, dalam bulan."), code="required"
        )
    elif "contract_months" in worse:
        problems["contract_months"] = ValidationError(
            _(
                "Lama kontrak yang ditawarkan (%(offered)s bulan) berbeda dari lama kontrak "
                "lowongan yang disetujui Disnakertrans (%(approved)s bulan). Tawaran harus memakai "
                "lama kontrak lowongan."
            )
            % {"offered": contract_months, "approved": order.contract_months},
            code="contract_differs_from_order",
        )
    if respond_by is None:
        problems["respond_by"] = ValidationError(
            _("Isi tanggal paling lambat pencari kerja menjawab."), code="required"
        )
    elif respond_by < on:
        problems["respond_by"] = ValidationError(
            _("Batas jawaban tidak boleh sebelum hari ini (%(today)s).") % {"today": _date(on)},
            code="respond_by_past",
        )
    return problems


def offer_check(
    *,
    application: Application,
    position_title: str | None = None,
    wage_amount: Decimal | None = None,
    contract_months: int | None = None,
    respond_by: datetime.date | None = None,
    on: datetime.date | None = None,
) -> dict[str, ValidationError]:
    """What `offer_make` would refuse in these terms, without writing anything: for a form that
    could not read one of its fields (a date that does not exist), so the problems of the others
    are said in the same round instead of on the next submit."""
    return _offer_problems(
        application.order,
        position_title=position_title,
        wage_amount=wage_amount,
        contract_months=contract_months,
        respond_by=respond_by,
        on=on or timezone.localdate(),
    )


def offer_make(
    *,
    actor,
    application: Application,
    position_title: str,
    wage_amount: Decimal,
    contract_months: int,
    respond_by: datetime.date,
    terms: str = "",
    on=None,
) -> Application:
    """The agency offers the job. Its wage (in the order's currency and wage unit), contract length
    and position are recorded as fields; a wage below the approved order's or another contract
    length is refused, with every other problem of the offer in the same refusal. `terms` holds
    anything else (start date, housing)."""
    on = on or timezone.localdate()
    with transaction.atomic():
        order, locked = _lock_application(application)
        if order.status != OrderStatus.APPROVED:
            raise ValidationError(_("Lowongan ini tidak lagi dibuka."), code="order_closed")
        # A step out of order is refused as such by _application_move below. The terms are checked
        # against the locked order, which cannot change while the offer is written.
        if application_can_move(locked.status, AS.OFFERED):
            problems = _offer_problems(
                order,
                position_title=position_title,
                wage_amount=wage_amount,
                contract_months=contract_months,
                respond_by=respond_by,
                on=on,
            )
            if problems:
                raise ValidationError(problems)
        _application_move(
            locked,
            to_status=AS.OFFERED,
            actor=actor,
            offer_position_title=" ".join(position_title.split()),
            offer_wage_amount=wage_amount,
            offer_contract_months=contract_months,
            offer_terms=(terms or "").strip(),
            offer_respond_by=respond_by,
            offered_at=timezone.now(),
        )
        _notify_candidate(locked, "placement_offer")
    return locked


def offer_accept(*, actor, application: Application) -> Application:
    """The candidate accepts. One accepted offer at a time (the database holds that too); their other
    open applications end; the order is filled when every position is taken."""
    with transaction.atomic():
        # Accepting also ends the person's applications to other orders, so lock every order
        # involved first, lowest id first: two accepts by one person then queue instead of
        # deadlocking, and so do two people accepting the last position of one order.
        candidate_id = Application.objects.values_list("candidate_id", flat=True).get(
            pk=application.pk
        )
        involved = {application.order_id}
        involved |= set(
            Application.objects.filter(
                candidate_id=candidate_id, status__in=APPLICATION_OPEN
            ).values_list("order_id", flat=True)
        )
        list(JobOrder.objects.select_for_update().filter(pk__in=involved).order_by("pk"))
        order, locked = _lock_application(application)
        person = Candidate.objects.select_for_update().get(pk=locked.candidate_id)
        if order.status != OrderStatus.APPROVED:
            raise ValidationError(
                _("Lowongan ini sudah terisi atau ditutup; tawaran tidak bisa diterima lagi."),
                code="order_closed",
            )
        if locked.status != AS.OFFERED:
            raise ValidationError(
                _("Tawaran ini tidak bisa diterima lagi. Muat ulang halaman."),
                code="invalid_transition",
            )
        if Application.objects.filter(candidate=person, status=AS.ACCEPTED).exists():
            raise ValidationError(
                _(
                    "Anda sudah menerima tawaran kerja lain. Mundur dari tawaran itu dulu bila ingin menerima yang ini."
                ),
                code="already_accepted",
            )
        accepted = order.applications.filter(status=AS.ACCEPTED).count()
        if accepted >= order.positions:
            raise ValidationError(_("Semua lowongan sudah terisi."), code="order_full")
        _application_move(locked, to_status=AS.ACCEPTED, actor=actor, responded_at=timezone.now())
        reason = _("Menerima tawaran lowongan %(ref)s") % {"ref": order.reference}
        others = (
            Application.objects.select_for_update()
            .filter(candidate=person, status__in=APPLICATION_OPEN)
            .exclude(pk=locked.pk)
            .order_by("order_id")
        )
        for other in others:
            _application_move(other, to_status=AS.WITHDRAWN, actor=actor, reason=reason)
        _candidate_into_selection(person, actor=actor, order=order)
        person.refresh_from_db(fields=["stage"])
        candidate_stage_change(
            candidate=person,
            to_stage=Stage.PRE_DEPARTURE,
            actor=actor,
            reason=reason,
            notify_candidate=False,
        )
        _notify_all(
            _agency_staff(order.agency),
            key="placement_offer_answered",
            context={"order": order, "application": locked, "answer": AS.ACCEPTED.label},
            link=reverse("placement:application_detail", args=[locked.pk]),
        )
        if accepted + 1 >= order.positions:
            _order_move(
                order,
                to_status=OrderStatus.FILLED,
                actor=actor,
                reason=_("Semua %(n)s lowongan terisi") % {"n": order.positions},
            )
            _applications_end_open(
                order,
                actor=actor,
                reason=_("Lowongan %(ref)s sudah terisi") % {"ref": order.reference},
            )
    return locked


def offer_decline(*, actor, application: Application, reason: str = "") -> Application:
    with transaction.atomic():
        order, locked = _lock_application(application)
        _application_move(
            locked, to_status=AS.DECLINED, actor=actor, reason=reason, responded_at=timezone.now()
        )
        _candidate_settle(
            locked.candidate,
            actor=actor,
            reason=_("Menolak tawaran lowongan %(ref)s") % {"ref": order.reference},
        )
        _notify_all(
            _agency_staff(order.agency),
            key="placement_offer_answered",
            context={"order": order, "application": locked, "answer": AS.DECLINED.label},
            link=reverse("placement:application_detail", args=[locked.pk]),
        )
    return locked


def application_not_selected(*, actor, application: Application, reason: str) -> Application:
    reason = _reason_required(reason, _("Tulis alasan tidak terpilih; pencari kerja membacanya."))
    with transaction.atomic():
        order, locked = _lock_application(application)
        _application_move(locked, to_status=AS.NOT_SELECTED, actor=actor, reason=reason)
        _candidate_settle(locked.candidate, actor=actor, reason=reason)
        _notify_candidate(
            locked, "placement_application_update", status=AS.NOT_SELECTED.label, reason=reason
        )
    return locked


def application_withdraw(*, actor, application: Application, reason: str) -> Application:
    """The candidate steps back (or the agency records it for them, e.g. after an unfit medical).

    Withdrawing after accepting frees the place: a filled order opens again if its deadline allows.
    """
    reason = _reason_required(reason, _("Tulis alasan mengundurkan diri."))
    with transaction.atomic():
        order, locked = _lock_application(application)
        was_accepted = locked.status == AS.ACCEPTED
        _application_move(locked, to_status=AS.WITHDRAWN, actor=actor, reason=reason)
        _candidate_settle(locked.candidate, actor=actor, reason=reason)
        if (
            was_accepted
            and order.status == OrderStatus.FILLED
            and order.deadline >= timezone.localdate()
        ):
            _order_move(
                order,
                to_status=OrderStatus.APPROVED,
                actor=actor,
                reason=_("Dibuka kembali: pekerja yang menerima tawaran mengundurkan diri"),
            )
        recipients = (
            _agency_staff(order.agency) if getattr(actor, "role", None) == Role.CANDIDATE else []
        )
        _notify_all(
            recipients,
            key="placement_offer_answered",
            context={"order": order, "application": locked, "answer": AS.WITHDRAWN.label},
            link=reverse("placement:application_detail", args=[locked.pk]),
        )
    return locked


def _applications_end_open(order: JobOrder, *, actor, reason: str) -> None:
    """End every open application of an order that is filled or closed (order row already locked)."""
    rows = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("candidate__user", "order")
        .filter(order=order, status__in=APPLICATION_OPEN)
        .order_by("candidate_id")
    )
    for application in rows:
        _application_move(application, to_status=AS.NOT_SELECTED, actor=actor, reason=reason)
        _candidate_settle(application.candidate, actor=actor, reason=reason)
        _notify_candidate(
            application, "placement_application_update", status=AS.NOT_SELECTED.label, reason=reason
        )
