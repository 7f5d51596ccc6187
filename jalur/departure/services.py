"""Writes for pre-departure and departure. Each action is one transaction with its audit row."""

import datetime
import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.models import User
from jalur.accounts.roles import Role, can
from jalur.audit.services import audit_record, diff, snapshot
from jalur.audit.transitions import status_move
from jalur.candidates.services import candidate_stage_change
from jalur.candidates.stages import Stage
from jalur.candidates.uploads import document_file_check
from jalur.notifications.services import notify
from jalur.placement.models import Application, JobOrder, RecruitmentPermit
from jalur.placement.states import ApplicationStatus
from jalur.rules import contracts, documents, fees

from .gates import gate_problems
from .items import (
    ALWAYS_REQUIRED,
    ITEM_TYPES,
    field_labels,
    item_clean,
    registration_data,
)
from .models import (
    FEE_UNDECIDED,
    FEE_VIOLATION_OPEN,
    CaseStatus,
    ChecklistItem,
    ContractReview,
    DepartureCase,
    DepartureGroup,
    FeeEntry,
    IdentityNumber,
    ItemStatus,
    NoFeeStatement,
    PassportCustody,
)
from .selectors import registration_documents
from .states import FINISHED, TRANSITIONS, case_can_move

EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _store(field, upload) -> str:
    checked = document_file_check(upload)
    field.save(
        f"{secrets.token_urlsafe(24)}.{EXTENSIONS[checked.content_type]}",
        ContentFile(checked.content),
        save=False,
    )
    return checked.content_type


def _agency_staff(case: DepartureCase):
    return User.objects.filter(
        organisation_id=case.agency.organisation_id, role=Role.AGENCY_STAFF, is_active=True
    )


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


# --- the case and its checklist -------------------------------------------------------------------


def case_open(*, application: Application, actor) -> DepartureCase:
    """Start the pre-departure checklist for an accepted offer (idempotent)."""
    if application.status != ApplicationStatus.ACCEPTED:
        raise ValidationError(
            _("Daftar periksa keberangkatan hanya untuk tawaran kerja yang sudah diterima.")
        )
    with transaction.atomic():
        existing = DepartureCase.objects.filter(application=application).first()
        if existing is not None:
            return existing
        order = application.order
        case = DepartureCase.objects.create(
            application=application, candidate=application.candidate, agency=order.agency
        )
        codes = [c for c in [*order.pathway.checklist_items, *ALWAYS_REQUIRED] if c in ITEM_TYPES]
        ChecklistItem.objects.bulk_create(
            [ChecklistItem(case=case, code=code) for code in dict.fromkeys(codes)]
        )
        audit_record(
            actor=actor,
            action="departure.case_open",
            target=case,
            changes={"application": [None, application.pk]},
        )
        if application.candidate.user_id:
            notify(
                user=application.candidate.user,
                key="departure_case_opened",
                context={"case": case},
                link="/",
            )
    return case


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


def case_end(*, case: DepartureCase, reason: str, actor) -> DepartureCase:
    """End the path for this order (unfit medical, withdrawal): the offer is withdrawn and the
    candidate goes back to 'trained' so another order can be found."""
    from jalur.placement.services import application_withdraw

    with transaction.atomic():
        case = DepartureCase.objects.select_for_update().get(pk=case.pk)
        if not case_can_move(case.status, CaseStatus.ENDED):
            raise ValidationError(_("Proses keberangkatan ini sudah selesai."))
        _case_move(
            case,
            CaseStatus.ENDED,
            actor=actor,
            action="departure.case_end",
            reason=reason,
            fields={"ended_reason": reason, "group": None},
        )
        candidate = case.candidate
        candidate.refresh_from_db()
        if candidate.stage == Stage.READY:
            candidate_stage_change(
                candidate=candidate,
                to_stage=Stage.PRE_DEPARTURE,
                actor=actor,
                reason=reason,
                notify_candidate=False,
            )
        # Placement withdraws the accepted offer and settles the candidate's stage (back to TRAINED).
        application_withdraw(actor=actor, application=case.application, reason=reason)
        if candidate.user_id:
            notify(
                user=candidate.user,
                key="departure_case_ended",
                context={"reason": reason},
                link="/",
            )
    return case


def _departure_date_check(day: datetime.date, *, field: str) -> None:
    """A departure being planned (a case's, a group's) is today or later."""
    if day < timezone.localdate():
        raise ValidationError({field: _("Tanggal berangkat tidak boleh di masa lalu.")})


def case_mark_ready(
    *, case: DepartureCase, planned_departure_on: datetime.date, actor
) -> DepartureCase:
    # the date and everything else still missing, in one round
    problems = gate_problems(case, planned_departure_on)
    try:
        _departure_date_check(planned_departure_on, field="planned_departure_on")
    except ValidationError as error:
        problems = [*error.messages, *problems]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        case = DepartureCase.objects.select_for_update().get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise ValidationError(
                _("Hanya proses yang sedang melengkapi dokumen yang bisa ditandai siap.")
            )
        _case_move(
            case,
            CaseStatus.READY,
            actor=actor,
            action="departure.case_ready",
            fields={"planned_departure_on": planned_departure_on},
        )
        candidate_stage_change(
            candidate=case.candidate,
            to_stage=Stage.READY,
            actor=actor,
            reason=_("Semua dokumen keberangkatan lengkap dan berlaku."),
        )
    return case


def _case_move(
    case: DepartureCase, to_status: str, *, actor, action: str, reason: str = "", fields=None
) -> DepartureCase:
    """Move a locked case along `states.TRANSITIONS`, saved with `fields` and audited."""
    return status_move(
        case,
        to_status=to_status,
        table=TRANSITIONS,
        labels=CaseStatus,
        noun=_("Proses keberangkatan"),
        actor=actor,
        action=action,
        reason=reason,
        fields=fields,
        changed_at_field=None,
    )


def _case_back_to_open(case: DepartureCase, *, actor, reason: str) -> None:
    """A ready case whose documents changed or no longer hold goes back to 'open' (in the
    caller's transaction)."""
    locked = DepartureCase.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.READY:
        case.status = locked.status
        return
    _case_move(locked, CaseStatus.OPEN, actor=actor, action="departure.case_reopen", reason=reason)
    case.status = CaseStatus.OPEN
    case.candidate.refresh_from_db()
    if case.candidate.stage == Stage.READY:
        candidate_stage_change(
            candidate=case.candidate, to_stage=Stage.PRE_DEPARTURE, actor=actor, reason=reason
        )


def cases_recheck(*, today: datetime.date | None = None, actor=None) -> list[DepartureCase]:
    """Daily: a 'ready' case whose documents no longer hold for its departure date goes back to 'open'."""
    today = today or timezone.localdate()
    reopened = []
    for case in DepartureCase.objects.filter(status=CaseStatus.READY).select_related(
        "application__order", "candidate"
    ):
        problems = gate_problems(case, max(case.planned_departure_on or today, today))
        if problems:
            with transaction.atomic():
                _case_back_to_open(case, actor=actor, reason=" ".join(problems))
                for staff in _agency_staff(case):
                    notify(
                        user=staff,
                        key="departure_case_reopened",
                        context={"case": case, "problems": problems},
                        link=f"/keberangkatan/{case.pk}/",
                    )
            reopened.append(case)
    return reopened


# --- passport custody -----------------------------------------------------------------------------


def passport_handover(
    *, case: DepartureCase, holder_kind: str, holder_name: str, purpose: str, handed_over_on, actor
) -> PassportCustody:
    if case.passport_custody.filter(returned_on__isnull=True).exists():
        raise ValidationError(
            _("Paspor ini tercatat belum dikembalikan. Catat pengembaliannya dulu.")
        )
    with transaction.atomic():
        custody = PassportCustody.objects.create(
            case=case,
            holder_kind=holder_kind,
            holder_name=holder_name,
            purpose=purpose,
            handed_over_on=handed_over_on,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="departure.passport_handover",
            target=case,
            changes={"holder": [None, holder_name], "purpose": [None, purpose]},
        )
    return custody


def passport_return(*, custody: PassportCustody, returned_on, actor) -> PassportCustody:
    if custody.returned_on:
        raise ValidationError(_("Pengembalian paspor ini sudah tercatat."))
    if returned_on < custody.handed_over_on:
        raise ValidationError(
            {"returned_on": _("Tanggal kembali tidak boleh sebelum tanggal diserahkan.")}
        )
    with transaction.atomic():
        custody.returned_on = returned_on
        custody.save(update_fields=["returned_on"])
        audit_record(
            actor=actor,
            action="departure.passport_return",
            target=custody.case,
            changes={"returned_on": [None, returned_on.isoformat()]},
        )
    return custody


# --- fee ledger and no-fee statements -------------------------------------------------------------


def fee_record(*, case: DepartureCase, data: dict, proof=None, actor) -> FeeEntry:
    """Record a cost, judged by the one rule of who may pay (`jalur.rules.fees.payer_may_pay`): a
    cost the worker may not pay is refused when planned and flagged as a violation when already
    paid; a worker-paid item the rules do not name ("Lainnya") is recorded and waits for the labour
    office's decision (`fee_decide`), which the no-fee statement and the departure gate wait for."""
    zero_cost = case.application.order.job_type.zero_cost
    paid_by, state, item = data["paid_by"], data["state"], data["item"]
    ruling = fees.payer_may_pay(item, paid_by, zero_cost=zero_cost)
    forbidden = ruling.verdict == fees.Verdict.FORBIDDEN
    if state == FeeEntry.State.PAID and not data.get("paid_on"):
        raise ValidationError({"paid_on": _("Isi tanggal pembayaran.")})
    if state == FeeEntry.State.PAID and data["paid_on"] > timezone.localdate():
        raise ValidationError(
            {
                "paid_on": _(
                    "Tanggal pembayaran tidak boleh di masa depan; catat sebagai direncanakan."
                )
            }
        )
    if forbidden and state == FeeEntry.State.PLANNED:
        raise ValidationError({"paid_by": ruling.message}, code="worker_may_not_pay")
    with transaction.atomic():
        fee = FeeEntry(
            case=case,
            recorded_by=actor,
            legal_basis=ruling.basis or data.get("legal_basis", ""),
            **{k: v for k, v in data.items() if k != "legal_basis"},
        )
        if forbidden:
            fee.violation = True
            fee.violation_note = _("Pekerja sudah membayar biaya yang dilarang: %(basis)s") % {
                "basis": ruling.basis
            }
        elif ruling.verdict == fees.Verdict.DECIDE:
            fee.decision = FeeEntry.Decision.PENDING
        if proof is not None:
            fee.content_type = _store(fee.proof, proof)
        fee.full_clean(exclude=["proof", "case", "recorded_by"])
        fee.save()
        audit_record(
            actor=actor,
            action="departure.fee_record",
            target=fee,
            changes=diff(
                {},
                snapshot(
                    fee, ["item", "amount", "currency", "paid_by", "state", "violation", "decision"]
                ),
            ),
        )
        if fee.violation:
            audit_record(
                actor=actor,
                action="departure.fee_violation",
                target=case,
                changes={"fee": [None, fee.pk]},
                reason=fee.violation_note,
            )
        elif fee.decision == FeeEntry.Decision.PENDING:
            audit_record(
                actor=actor,
                action="departure.fee_decision_needed",
                target=case,
                changes={"fee": [None, fee.pk]},
                reason=ruling.message,
            )
        if fee.violation or fee.decision == FeeEntry.Decision.PENDING:
            for manager in User.objects.filter(role=Role.PROGRAMME_MANAGER, is_active=True):
                notify(
                    user=manager,
                    key="fee_violation" if fee.violation else "fee_decision_needed",
                    context={"case": case, "fee": fee, "message": ruling.message},
                    link=f"/keberangkatan/{case.pk}/",
                )
    return fee


def fee_decide(*, fee: FeeEntry, allowed: bool, reason: str, actor) -> FeeEntry:
    """The labour office decides on a worker-paid item the rules do not name: allowed, or a violation
    (which then needs its follow-up, like any forbidden charge). The reason is required and kept on
    the ledger; the decision is audited."""
    if not can(actor, "departure.endorse"):
        raise ValidationError(
            _("Hanya Disnakertrans yang bisa memutuskan biaya ini."), code="not_labour_office"
        )
    if not reason.strip():
        raise ValidationError(
            {
                "reason": _(
                    "Tulis alasan keputusan, misalnya mengapa biaya ini boleh dibayar pekerja."
                )
            }
        )
    with transaction.atomic():
        fee = FeeEntry.objects.select_for_update().get(pk=fee.pk)
        if fee.decision != FeeEntry.Decision.PENDING:
            raise ValidationError(
                _("Biaya ini sudah diputuskan (%(decision)s). Muat ulang halaman.")
                % {"decision": fee.get_decision_display() or _("tidak perlu keputusan")},
                code="already_decided",
            )
        fee.decision = FeeEntry.Decision.ALLOWED if allowed else FeeEntry.Decision.VIOLATION
        fee.decision_reason = reason.strip()
        fee.decided_by = actor
        fee.decided_at = timezone.now()
        update = ["decision", "decision_reason", "decided_by", "decided_at"]
        if not allowed:
            fee.violation = True
            fee.violation_note = _("Disnakertrans memutuskan biaya ini pelanggaran: %(reason)s") % {
                "reason": fee.decision_reason
            }
            update += ["violation", "violation_note"]
        fee.save(update_fields=update)
        audit_record(
            actor=actor,
            action="departure.fee_decide",
            target=fee,
            changes={
                "decision": [FeeEntry.Decision.PENDING, fee.decision],
                "violation": [False, fee.violation],
            },
            reason=fee.decision_reason,
        )
    return fee


def fee_violation_follow_up(*, fee: FeeEntry, note: str, actor) -> FeeEntry:
    """What the office did about a forbidden charge (refund ordered, sanction recommended…)."""
    if not fee.violation:
        raise ValidationError(_("Biaya ini bukan pelanggaran."))
    if not note.strip():
        raise ValidationError(
            {"note": _("Tulis tindak lanjutnya, misalnya pengembalian uang kepada pekerja.")}
        )
    with transaction.atomic():
        before = fee.violation_followed_up
        fee.violation_followed_up = note
        fee.save(update_fields=["violation_followed_up"])
        audit_record(
            actor=actor,
            action="departure.fee_violation_follow_up",
            target=fee,
            changes={"violation_followed_up": [before, note]},
        )
    return fee


def _fee_name(fee: FeeEntry) -> str:
    """A fee as the case page lists it: what, how much, when paid."""
    what = fee.get_item_display() + (f" ({fee.description})" if fee.description else "")
    paid = (
        _(", dibayar %(date)s") % {"date": fee.paid_on.strftime("%d-%m-%Y")} if fee.paid_on else ""
    )
    return f"{what} {fee.currency} {floatformat(fee.amount, '-2g')}{paid}"


def no_fee_record(
    *, case: DepartureCase, occasion: str, signed_on: datetime.date, actor
) -> NoFeeStatement:
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("Tanggal tanda tangan tidak boleh di masa depan.")})
    with transaction.atomic():
        DepartureCase.objects.select_for_update().filter(pk=case.pk).first()
        # The worker cannot truthfully state that nothing was charged while a forbidden charge on
        # the case has not been dealt with (refunded, reported).
        unresolved = list(case.fees.filter(FEE_VIOLATION_OPEN))
        if unresolved:
            raise ValidationError(
                _(
                    "Pernyataan bebas biaya belum bisa dicatat: pungutan %(fees)s ditandai pelanggaran dan belum ditindaklanjuti. Disnakertrans harus mencatat tindak lanjutnya dulu (misalnya pengembalian uang kepada pekerja)."
                )
                % {"fees": "; ".join(_fee_name(fee) for fee in unresolved)},
                code="unresolved_fee_violation",
            )
        undecided = list(case.fees.filter(FEE_UNDECIDED))
        if undecided:
            raise ValidationError(
                _(
                    "Pernyataan bebas biaya belum bisa dicatat: biaya %(fees)s dibayar pekerja dan tidak ada dalam daftar aturan. Disnakertrans harus memutuskan dulu apakah biaya itu boleh, dengan alasan."
                )
                % {"fees": "; ".join(_fee_name(fee) for fee in undecided)},
                code="undecided_worker_fee",
            )
        statement, created = NoFeeStatement.objects.get_or_create(
            case=case, occasion=occasion, defaults={"signed_on": signed_on, "recorded_by": actor}
        )
        if not created:
            raise ValidationError(
                _("Pernyataan ini sudah tercatat (%(date)s).")
                % {"date": statement.signed_on.strftime("%d-%m-%Y")}
            )
        audit_record(
            actor=actor,
            action="departure.no_fee_statement",
            target=case,
            changes={occasion: [None, signed_on.isoformat()]},
        )
    return statement


# --- group departures -----------------------------------------------------------------------------


def group_create(
    *, agency, country: str, departs_on, flight: str, airport: str, actor
) -> DepartureGroup:
    _departure_date_check(departs_on, field="departs_on")
    with transaction.atomic():
        group = DepartureGroup.objects.create(
            agency=agency,
            country=country,
            departs_on=departs_on,
            flight=flight,
            airport=airport,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="departure.group_create",
            target=group,
            changes=diff({}, snapshot(group, ["departs_on", "flight", "airport", "country"])),
        )
    return group


def group_set_members(
    *, group: DepartureGroup, cases: list[DepartureCase], actor
) -> DepartureGroup:
    if group.status != DepartureGroup.Status.PLANNED:
        raise ValidationError(_("Rombongan ini sudah berangkat."))
    wrong = [
        c
        for c in cases
        if c.agency_id != group.agency_id
        or c.status != CaseStatus.READY
        or c.application.order.employer_country != group.country
    ]
    if wrong:
        raise ValidationError(
            _(
                "Hanya pekerja P3MI ini yang sudah siap berangkat ke negara yang sama yang bisa masuk rombongan."
            )
        )
    with transaction.atomic():
        before = sorted(group.cases.values_list("pk", flat=True))
        group.cases.exclude(pk__in=[c.pk for c in cases]).update(group=None)
        DepartureCase.objects.filter(pk__in=[c.pk for c in cases]).update(group=group)
        audit_record(
            actor=actor,
            action="departure.group_members",
            target=group,
            changes={"cases": [before, sorted(c.pk for c in cases)]},
        )
    return group


def _departed_at(departs_on: datetime.date, candidate, *, now: datetime.datetime):
    """When the worker left, as the stage history records it: the start of the flight day when the
    group is marked departed later, never before the candidate's previous stage change (the history
    stays in order)."""
    if departs_on >= timezone.localdate(now):
        return now
    start = timezone.make_aware(datetime.datetime.combine(departs_on, datetime.time.min))
    previous = candidate.stage_changed_at
    return max(start, previous) if previous else start


def group_depart(*, group: DepartureGroup, actor) -> DepartureGroup:
    """Mark the whole group departed: every member must pass the gate on the group's date, or nobody goes.
    Not before the flight date; the flight date (not the day of the click) is each worker's departure
    date, in the case, the stage history and so the protection monitoring that counts from it."""
    with transaction.atomic():
        group = DepartureGroup.objects.select_for_update().get(pk=group.pk)
        if group.status != DepartureGroup.Status.PLANNED:
            raise ValidationError(_("Rombongan ini sudah berangkat."))
        now = timezone.now()
        if group.departs_on > timezone.localdate(now):
            raise ValidationError(
                _(
                    "Rombongan dijadwalkan berangkat %(date)s; tandai berangkat pada atau setelah tanggal itu."
                )
                % {"date": group.departs_on.strftime("%d-%m-%Y")},
                code="before_departure_date",
            )
        members = list(
            group.cases.select_related("candidate", "application__order").select_for_update()
        )
        if not members:
            raise ValidationError(_("Rombongan ini belum punya anggota."))
        refusals = []
        for case in members:
            problems = gate_problems(case, group.departs_on, for_departure=True)
            if case.status != CaseStatus.READY:
                problems.insert(0, _("belum ditandai siap berangkat"))
            if problems:
                refusals.append(f"{case.candidate.full_name}: " + " ".join(problems))
        if refusals:
            raise ValidationError(refusals)
        for case in members:
            _case_move(
                case,
                CaseStatus.DEPARTED,
                actor=actor,
                action="departure.depart",
                fields={"departed_on": group.departs_on},
            )
            candidate_stage_change(
                candidate=case.candidate,
                to_stage=Stage.DEPARTED,
                actor=actor,
                at=_departed_at(group.departs_on, case.candidate, now=now),
                reason=_("Berangkat %(date)s, %(flight)s dari %(airport)s.")
                % {
                    "date": group.departs_on.strftime("%d-%m-%Y"),
                    "flight": group.flight,
                    "airport": group.airport,
                },
            )
        group.status = DepartureGroup.Status.DEPARTED
        group.departed_at = timezone.now()
        group.save(update_fields=["status", "departed_at"])
        audit_record(
            actor=actor,
            action="departure.group_depart",
            target=group,
            changes={"status": [DepartureGroup.Status.PLANNED, DepartureGroup.Status.DEPARTED]},
        )
    return group
