"""Writes for job orders: the orders themselves with their cost lines, the labour office's
decisions on cost lines, and their moves through the legal gate (`gate.order_problems`):
submission, the office's review, closing. The SIP2MI permits they recruit under are in
`permits`."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record, diff, snapshot
from jalur.pathways.models import Pathway
from jalur.rules import fees

from ..models import (
    Agency,
    Agreement,
    AttacheStatus,
    CostDecision,
    JobOrder,
    JobOrderCost,
    JobOrderEvent,
    RecruitmentPermit,
)
from ..models.orders import cost_line_key
from ..states import (
    ORDER_EDITABLE,
    OrderStatus,
)
from ._shared import (
    _actor_or_none,
    _agency_staff,
    _managers,
    _model_errors,
    _notify_all,
    _order_move,
    _reason_required,
    _stored_file,
)
from .applications import _applications_end_open
from .gate import Problem, _covering_agreements, _pathway_problems, order_problems
from .permits import _permit_errors, _permit_resolve
from .recommendations import recommendations_fill

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
        number = list(order.costs.values_list("pk", flat=True)).index(locked.pk) + 1
        _notify_all(
            _agency_staff(order.agency),
            key="placement_order_cost_decided",
            context={
                "order": order,
                "cost": locked,
                "number": number,
                "refused": locked.office_decision == CostDecision.REFUSED,
            },
            link=reverse("placement:order_detail", args=[order.pk]),
        )
    return locked


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
    """Stop recruiting. Applications still open are cancelled automatically, with the reason."""
    reason = _reason_required(reason, _("Tulis alasan lowongan ditutup."))
    with transaction.atomic():
        locked = JobOrder.objects.select_for_update().get(pk=order.pk)
        _order_move(locked, to_status=OrderStatus.CLOSED, actor=actor, reason=reason)
        _applications_end_open(
            locked,
            actor=actor,
            reason=_("Dibatalkan otomatis: lowongan %(ref)s ditutup: %(reason)s")
            % {"ref": locked.reference, "reason": reason},
        )
    return locked
