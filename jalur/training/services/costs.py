"""A cohort's costs and who pays them: the trainee never pays training or certification
(`jalur.rules.fees`)."""

import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record, diff, snapshot
from jalur.candidates.models import Candidate
from jalur.pathways.models import JobType, PathwayAssignment
from jalur.rules import fees, sources

from ..models import (
    Cohort,
    CostItem,
    EnrolmentStatus,
    Payer,
    TrainingCost,
)
from ._shared import _user

COST_FIELDS = ["item", "description", "amount", "payer", "legal_basis"]


def candidate_zero_cost_job_types(candidate_ids) -> list[JobType]:
    """Zero-cost job types the candidates aim for (their pathway's job type or their preferences)."""
    ids = list(candidate_ids)
    preferred = Candidate.preferred_job_types.through.objects.filter(candidate_id__in=ids)
    assigned = PathwayAssignment.objects.filter(candidate_id__in=ids, is_active=True)
    return list(
        JobType.objects.filter(zero_cost=True).filter(
            Q(pk__in=preferred.values("jobtype_id")) | Q(pk__in=assigned.values("job_type_id"))
        )
    )


def cohort_zero_cost_job_types(cohort: Cohort) -> list[JobType]:
    """Zero-cost job types this cohort trains for: the programme's own and its trainees' targets."""
    trainees = cohort.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).values_list(
        "candidate_id", flat=True
    )
    found = {j.pk: j for j in cohort.programme.job_types.filter(zero_cost=True)}
    for job_type in candidate_zero_cost_job_types(trainees):
        found.setdefault(job_type.pk, job_type)
    return list(found.values())


def cost_ruling(*, item: str, payer: str, zero_cost: bool, description: str = "") -> fees.Ruling:
    """What the rule of who may pay (`jalur.rules.fees`) says of one line of a cohort's budget.

    Each training cost item is judged as the placement cost it is (training or certification); only
    a line paid by the trainee, the future worker, can be refused. The decision is the rule's; a
    refusal is worded for training: the line's own item, the trainee, and who may pay instead."""
    if payer != Payer.CANDIDATE:
        return fees.payer_may_pay(fees.training_cost_item(item), payer, zero_cost=zero_cost)
    ruling = fees.worker_may_pay(fees.training_cost_item(item), zero_cost=zero_cost)
    if ruling.verdict != fees.Verdict.FORBIDDEN:
        return ruling
    return dataclasses.replace(ruling, message=_trainee_refusal(item, description, ruling))


def _trainee_refusal(item: str, description: str, ruling: fees.Ruling) -> str:
    label = str(CostItem(item).label) if item in CostItem.values else str(CostItem.OTHER.label)
    if description.strip():
        label = f"{label}: {description.strip()}"
    if sources.ZERO_COST in ruling.sources:
        message = _(
            'Peserta tidak membayar "%(item)s": peserta tidak pernah membayar pelatihan atau '
            "sertifikasi program ini, dan angkatan ini melatih untuk jabatan bebas biaya "
            "penempatan (%(basis)s). Ubah pembayarnya menjadi APBD, pemberi kerja, P3MI atau "
            "lembaga pelatihan."
        )
    else:
        message = _(
            'Peserta tidak membayar "%(item)s": peserta tidak pernah membayar pelatihan atau '
            "sertifikasi program ini (%(basis)s). Ubah pembayarnya menjadi APBD, pemberi kerja, "
            "P3MI atau lembaga pelatihan."
        )
    return message % {"item": label, "basis": ruling.basis}


def cost_record(*, cohort: Cohort, actor, data: dict) -> TrainingCost:
    """Record a training cost. The trainee never pays this programme's training or certification;
    a cost paid by someone the list does not name ("Lainnya") must say who and on what basis."""
    with transaction.atomic():
        locked = (
            Cohort.objects.select_for_update(of=("self",))
            .select_related("programme")
            .get(pk=cohort.pk)
        )
        cost = TrainingCost(
            cohort=locked,
            recorded_by=_user(actor),
            **{k: v for k, v in data.items() if k in COST_FIELDS},
        )
        zero = cohort_zero_cost_job_types(locked)
        ruling = cost_ruling(
            item=cost.item, payer=cost.payer, zero_cost=bool(zero), description=cost.description
        )
        if not ruling.allowed:
            message = ruling.message
            if zero:
                message += " " + _("Jabatan bebas biaya yang dilatih angkatan ini: %(jobs)s.") % {
                    "jobs": ", ".join(j.name for j in zero)
                }
            raise ValidationError({"payer": message})
        if cost.payer == Payer.OTHER and not (cost.description or "").strip():
            raise ValidationError(
                {
                    "description": _(
                        "Tulis uraiannya: siapa yang membayar biaya ini dan atas dasar apa, karena "
                        'pembayarnya "Lainnya".'
                    )
                }
            )
        if cost.amount is not None and cost.amount < 0:
            raise ValidationError({"amount": _("Jumlah biaya tidak boleh negatif.")})
        cost.full_clean()
        cost.save()
        audit_record(
            actor=actor,
            action="training.cost.record",
            target=cost,
            changes=diff({}, snapshot(cost, COST_FIELDS)),
        )
    return cost


def cost_delete(*, cost: TrainingCost, actor, reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan biaya ini dihapus.")})
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="training.cost.delete",
            target=cost,
            changes=diff(snapshot(cost, COST_FIELDS), {}),
            reason=reason,
        )
        cost.delete()
