"""Writes for SIP2MI permits: the positions held against a permit (or a PKS), the permit named
on a job order (found, or recorded for the agency; its figures on record never changed from
an order), and the reviewed changes of a permit's figures."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jalur.audit.services import audit_record, diff, snapshot

from ..models import (
    Agency,
    Application,
    JobOrder,
    PermitChange,
    PermitChangeStatus,
    RecruitmentPermit,
)
from ..models.permits import PERMIT_CHANGE_PENDING, PERMIT_ORDER_FIELDS
from ..states import (
    ORDER_HOLDS_QUOTA,
    OrderStatus,
)
from ._shared import (
    AS,
    _actor_or_none,
    _agency_staff,
    _date,
    _managers,
    _model_errors,
    _notify_all,
    _stored_file,
)


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
            "atau perubahannya, ajukan perubahan SIP2MI dengan scan SIP2MI baru di %(url)s; "
            "angka baru berlaku setelah Disnakertrans menyetujuinya. Untuk lowongan ini, tulis "
            "angka yang tercatat."
        )
        % {"url": reverse("placement:permit_change_request", args=[permit.pk])}
    )
    errors = {}
    for key in PERMIT_FIGURES:
        value = typed.get(key)
        if value is None or value == getattr(permit, key):
            continue
        recorded = getattr(permit, key)
        shown = _date(recorded) if key != "quota" else str(recorded)
        errors[PERMIT_ORDER_FIELDS[key]] = ValidationError(
            _("%(field)s %(number)s tercatat %(recorded)s, bukan %(typed)s. %(how)s")
            % {
                "field": PERMIT_FIGURE_LABELS[key],
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
# How a figure of a permit on record is named before the permit's number in a refusal ("Kuota
# SIP2MI KEP.2044/… tercatat 10, bukan 25"); the fields' verbose names, capitalised, would read
# "Kuota sip2mi SIP2MI …".
PERMIT_FIGURE_LABELS = {
    "quota": gettext_lazy("Kuota SIP2MI"),
    "issued_on": gettext_lazy("Tanggal terbit SIP2MI"),
    "valid_until": gettext_lazy("Masa berlaku SIP2MI"),
}


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
