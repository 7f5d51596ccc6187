"""The checklist: filling in an item (or using an accepted registration document), the
one-per-person numbers it holds, the signed contract compared with what the worker accepted
and the managers' decision on a difference, and the office's check of each item (endorsing a
placement agreement uses a SIP2MI position)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.audit.services import audit_record, diff, snapshot
from jalur.notifications.services import notify
from jalur.placement.models import JobOrder, RecruitmentPermit
from jalur.rules import contracts, documents

from ..items import (
    ITEM_TYPES,
    field_labels,
    item_clean,
    registration_data,
)
from ..models import (
    CaseStatus,
    ChecklistItem,
    ContractReview,
    DepartureCase,
    IdentityNumber,
    ItemStatus,
)
from ..selectors import registration_documents
from ..siskop2mi.numbers import ITEM as SISKOP2MI_ITEM
from ..siskop2mi.numbers import candidate_id_pmi_record
from ..states import FINISHED
from ._shared import _agency_staff, _store
from .cases import _case_back_to_open, case_end


def _plain(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        if isinstance(value, datetime.date):
            out[key] = value.isoformat()
        elif value is None or isinstance(value, bool | str | int):
            out[key] = value
        else:
            out[key] = str(value)
    return out


def _item_editable(item: ChecklistItem) -> None:
    if item.case.status in FINISHED:
        raise ValidationError(
            _("Proses keberangkatan ini sudah selesai; butir tidak bisa diubah lagi.")
        )


def item_submit(*, item: ChecklistItem, data: dict, document=None, actor) -> ChecklistItem:
    """The P3MI (or the office) fills in an item; it then waits for the office's check."""
    item_type = ITEM_TYPES[item.code]
    _item_editable(item)
    data = item_clean(item_type, data, today=timezone.localdate())
    if item_type.needs_document and document is None and not item.document:
        raise ValidationError(
            {
                "document": _("Unggah dokumen %(item)s (PDF, JPG atau PNG).")
                % {"item": item_type.label}
            }
        )
    return _item_save(item, data=data, upload=document, actor=actor)


def item_use_registration_document(*, item: ChecklistItem, actor) -> ChecklistItem:
    """Use the document the office already accepted at registration (SKCK, family permission) for
    this item instead of a new upload: its file and what it tells (the expiry date) are copied in,
    and the item waits for the office's check like any other."""
    item_type = ITEM_TYPES[item.code]
    _item_editable(item)
    document = registration_documents(item.case, [item]).get(item.pk)
    if document is None:
        raise ValidationError(
            _(
                "Tidak ada dokumen %(item)s dari pendaftaran yang sudah diterima petugas dan masih berlaku. Unggah dokumennya di butir ini."
            )
            % {"item": item_type.label},
            code="no_registration_document",
        )
    # What was already filled in for the item stays; the document's own dates replace the item's.
    data = {**item.data, **registration_data(item_type, document)}
    data = item_clean(item_type, data, today=timezone.localdate())
    return _item_save(item, data=data, registration_document=document, actor=actor)


def _claim_numbers(item: ChecklistItem, data: dict) -> None:
    """Record the item's one-per-person numbers (passport, E-PMI, ID PMI) as this worker's, or refuse
    one that is already another person's (`jalur.rules.documents.identity_number_problem`). Two
    saves of the same number at once are safe: the unique (kind, number) row makes the second wait
    for the first and then find the number taken. A number the worker no longer uses on any item is
    released."""
    candidate_id = item.case.candidate_id
    claimed, errors = {}, {}
    for f in ITEM_TYPES[item.code].fields:
        if not f.one_per_person:
            continue
        kind, number = f"{item.code}.{f.name}", documents.identity_number_key(data.get(f.name))
        claimed[f.name] = (kind, number)
        if not number:
            continue
        held, _created = IdentityNumber.objects.get_or_create(
            kind=kind, number=number, defaults={"candidate_id": candidate_id}
        )
        problem = documents.identity_number_problem(
            label=str(f.label),
            number=data.get(f.name),
            held_by_another=held.candidate_id != candidate_id,
        )
        if problem:
            errors[f.name] = problem
    if errors:
        raise ValidationError(errors, code="number_of_another_person")
    others = ChecklistItem.objects.filter(case__candidate_id=candidate_id, code=item.code).exclude(
        pk=item.pk
    )
    other_data = list(others.values_list("data", flat=True))
    for name, (kind, number) in claimed.items():
        in_use = {documents.identity_number_key((d or {}).get(name)) for d in other_data}
        IdentityNumber.objects.filter(kind=kind, candidate_id=candidate_id).exclude(
            number__in=in_use | {number}
        ).delete()


def _item_save(
    item: ChecklistItem, *, data: dict, actor, upload=None, registration_document=None
) -> ChecklistItem:
    """Write an item's data and document (an upload, or the file of an accepted registration
    document), with its audit row; the item then waits for the office's check."""
    item_type = ITEM_TYPES[item.code]
    with transaction.atomic():
        item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        _claim_numbers(item, data)
        before = snapshot(item, ["status", "data", "valid_until", "document"])
        item.data = _plain(data)
        if upload is not None:
            item.content_type = _store(item.document, upload)
        elif registration_document is not None:
            # The same stored file, not a copy: the person's document is kept once.
            item.document = registration_document.file.name
            item.content_type = registration_document.content_type
        valid_field = item_type.valid_until_field
        item.valid_until = data.get(valid_field) if valid_field else None
        item.status = ItemStatus.SUBMITTED
        item.submitted_by = actor
        item.submitted_at = timezone.now()
        item.checked_by = None
        item.checked_at = None
        item.note = ""
        item.save()
        changes = diff(before, snapshot(item, ["status", "data", "valid_until", "document"]))
        if registration_document is not None:
            changes["registration_document"] = [None, registration_document.pk]
        audit_record(
            actor=actor,
            action="departure.item_from_registration"
            if registration_document is not None
            else "departure.item_submit",
            target=item,
            changes=changes,
        )
        if item.code == "employment_contract":
            _contract_compare(item, actor=actor)
        if item.case.status == CaseStatus.READY:
            _case_back_to_open(
                item.case,
                actor=actor,
                reason=_("Butir %(item)s diubah.") % {"item": item_type.label},
            )
    return item


def _decimal(value) -> Decimal | None:
    """A number typed on the contract form, as Decimal (never float); None when it is not one."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _money(currency, amount) -> str:
    return f"{currency} {floatformat(amount, '-2g')}"


def contract_terms(application) -> contracts.Terms:
    """What the worker accepted: the offer's position, wage (never below the approved job order's)
    and contract length, and from the order the employer, the wage's currency and weekly hours."""
    order: JobOrder = application.order

    def offered(value, fallback):
        return fallback if value in (None, "") else value

    return contracts.Terms(
        employer=order.employer_name,
        position=offered(application.offer_position_title, order.position_title),
        wage=Decimal(str(offered(application.offer_wage_amount, order.wage_amount))),
        currency=order.wage_currency,
        contract_months=int(offered(application.offer_contract_months, order.contract_months)),
        hours_per_week=Decimal(order.hours_per_week),
    )


def signed_terms(data: dict) -> contracts.Terms:
    """The terms written on the signed contract (the checklist item's data). A wage or contract
    length that is not a number reads as 0, so it is a difference; no weekly hours is not compared."""
    hours = _decimal(data.get("hours_per_week"))
    return contracts.Terms(
        employer=data.get("employer") or "",
        position=data.get("position") or "",
        wage=_decimal(data.get("wage")) or Decimal(0),
        currency=data.get("currency") or "",
        contract_months=int(_decimal(data.get("contract_months")) or 0),
        hours_per_week=hours or None,
    )


def contract_differences(application, data: dict) -> tuple[dict, list[str]]:
    """The signed contract (`data`) against what the worker accepted (`contract_terms`), judged by
    `jalur.rules.contracts`: the same comparison that held the offer to the job order. Returns
    (differences as {field: [agreed, signed]}, the fields where the contract is worse for the
    worker). Only the other differences (a higher wage, fewer hours, the employer's name written
    otherwise) may be accepted by the office."""
    differences, harmful = {}, []
    for found in contracts.contract_differences(contract_terms(application), signed_terms(data)):
        if found.term == "wage":
            agreed, signed = _money(*found.agreed), _money(data.get("currency"), data.get("wage"))
        elif found.term == "hours_per_week":
            agreed, signed = int(found.agreed), data.get("hours_per_week")
        else:
            agreed, signed = found.agreed, found.proposed
        differences[found.term] = [agreed, signed]
        if found.worse:
            harmful.append(found.term)
    return differences, harmful


def _contract_compare(item: ChecklistItem, *, actor) -> ContractReview | None:
    """Contract substitution check (`contract_differences`): a difference goes to the programme
    managers, and the item waits for their decision."""
    differences, _harmful = contract_differences(item.case.application, item.data)
    # Only the latest signed contract counts: earlier undecided or refused versions are superseded.
    ContractReview.objects.filter(
        case=item.case, status__in=[ContractReview.Status.OPEN, ContractReview.Status.REJECTED]
    ).update(status=ContractReview.Status.SUPERSEDED)
    if not differences:
        return None
    review = ContractReview.objects.create(case=item.case, differences=differences)
    audit_record(
        actor=actor,
        action="departure.contract_substitution_flag",
        target=item.case,
        changes=differences,
    )
    for manager in User.objects.filter(role=Role.PROGRAMME_MANAGER, is_active=True):
        notify(
            user=manager,
            key="contract_substitution",
            context={"case": item.case, "differences": differences},
            link=f"/keberangkatan/{item.case.pk}/",
        )
    return review


def contract_review_decide(
    *, review: ContractReview, accept: bool, note: str, actor
) -> ContractReview:
    """A programme manager decides on a contract that differs from the job order. The reason is required."""
    if not note.strip():
        raise ValidationError({"note": _("Tulis alasan keputusan.")})
    if review.status != ContractReview.Status.OPEN:
        raise ValidationError(_("Perbedaan kontrak ini sudah diputuskan."))
    if accept:
        contract = review.case.items.filter(code="employment_contract").first()
        _differences, harmful = contract_differences(
            review.case.application, contract.data if contract else {}
        )
        if harmful:
            labels = field_labels("employment_contract")
            raise ValidationError(
                _(
                    "Kontrak ini lebih buruk bagi pekerja daripada yang ia terima (%(what)s), jadi tidak bisa diterima. Tolak, lalu P3MI mengunggah kontrak yang sesuai."
                )
                % {"what": ", ".join(str(labels.get(name, name)) for name in harmful)},
                code="contract_worse",
            )
    with transaction.atomic():
        review.status = ContractReview.Status.ACCEPTED if accept else ContractReview.Status.REJECTED
        review.decided_by = actor
        review.decided_at = timezone.now()
        review.decision_note = note
        review.save()
        audit_record(
            actor=actor,
            action="departure.contract_review_decide",
            target=review.case,
            changes={"contract_review": [ContractReview.Status.OPEN, review.status]},
            reason=note,
        )
        if not accept:
            ChecklistItem.objects.filter(case=review.case, code="employment_contract").update(
                status=ItemStatus.REJECTED, note=note
            )
        for staff in _agency_staff(review.case):
            notify(
                user=staff,
                key="contract_review_decided",
                context={"case": review.case, "review": review},
                link=f"/keberangkatan/{review.case.pk}/",
            )
    return review


def item_verify(*, item: ChecklistItem, accept: bool, note: str, actor) -> ChecklistItem:
    """The office checks an item: accepted (who and when are recorded) or sent back with a reason."""
    if not accept and not note.strip():
        raise ValidationError({"note": _("Tulis apa yang harus diperbaiki.")})
    with transaction.atomic():
        item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        if item.status != ItemStatus.SUBMITTED:
            raise ValidationError(
                _("Butir ini belum diisi atau sudah diperiksa. Muat ulang halaman.")
            )
        if (
            accept
            and item.code == "employment_contract"
            and item.case.contract_reviews.filter(status=ContractReview.Status.OPEN).exists()
        ):
            raise ValidationError(
                _("Perjanjian kerja berbeda dari lowongan. Putuskan perbedaannya dulu.")
            )
        if accept and item.code == "placement_agreement":
            _check_endorsement_quota(item.case)
        before = item.status
        item.status = ItemStatus.VERIFIED if accept else ItemStatus.REJECTED
        item.checked_by = actor
        item.checked_at = timezone.now()
        item.note = note
        item.save()
        action = (
            "departure.placement_agreement_endorse"
            if accept and item.code == "placement_agreement"
            else "departure.item_verify"
        )
        audit_record(
            actor=actor,
            action=action,
            target=item,
            changes={"status": [before, item.status]},
            reason=note,
        )
        if accept and item.code == SISKOP2MI_ITEM and item.data.get("id_pmi"):
            candidate_id_pmi_record(
                candidate=item.case.candidate,
                number=item.data["id_pmi"],
                actor=actor,
                reason=_("Butir %(item)s diterima.") % {"item": ITEM_TYPES[item.code].label},
            )
        if not accept:
            for staff in _agency_staff(item.case):
                notify(
                    user=staff,
                    key="departure_item_rejected",
                    context={"item": item, "label": ITEM_TYPES[item.code].label},
                    link=f"/keberangkatan/{item.case.pk}/",
                )
        if accept and item.code in {"medical", "psychological"} and item.data.get("fit") == "unfit":
            case_end(
                case=item.case,
                reason=_("Hasil %(item)s: tidak memenuhi syarat (unfit).")
                % {"item": ITEM_TYPES[item.code].label},
                actor=actor,
            )
    return item


def _check_endorsement_quota(case: DepartureCase) -> None:
    """Endorsing a placement agreement uses one SIP2MI position: never more than the order or permit allow."""
    order = JobOrder.objects.select_for_update().get(pk=case.application.order_id)
    endorsed = Q(code="placement_agreement", status=ItemStatus.VERIFIED)
    used_on_order = ChecklistItem.objects.filter(endorsed, case__application__order=order).count()
    if used_on_order >= order.positions:
        raise ValidationError(
            _(
                "Kuota lowongan %(ref)s sudah habis (%(n)d posisi sudah disahkan). Perjanjian penempatan tidak bisa disahkan."
            )
            % {"ref": order.reference, "n": used_on_order}
        )
    if order.permit_id:
        permit = RecruitmentPermit.objects.select_for_update().get(pk=order.permit_id)
        used_on_permit = ChecklistItem.objects.filter(
            endorsed, case__application__order__permit=permit
        ).count()
        if used_on_permit >= permit.quota:
            raise ValidationError(
                _(
                    "Kuota SIP2MI %(number)s sudah habis (%(used)d dari %(quota)d). Perjanjian penempatan tidak bisa disahkan."
                )
                % {"number": permit.number, "used": used_on_permit, "quota": permit.quota}
            )
