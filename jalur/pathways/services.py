"""Writes for pathways and job types, and putting a candidate on a pathway. Each one is audited."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.audit.services import audit_record, diff, snapshot
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.rules.eligibility import ENTRY, EXTRA_TESTS
from jalur.rules.jobs import zero_cost_problem

from .models import JobType, Pathway, PathwayAssignment, PathwayState
from .selectors import pathway_eligibility

PATHWAY_FIELDS = [
    "code",
    "country",
    "name",
    "placing_party",
    "state",
    "state_reason",
    "legal_basis",
    "closes_on",
    "description",
    "min_age",
    "max_age",
    "min_education",
    "sex",
    "min_experience_years",
    "prior_years_limit",
    "eps_topik_min_score",
    "jft_min_score",
    "jlpt_min_level",
    "skill_test_required",
    "skill_test_name",
    "licence_required",
    "licence_name",
    "job_type_tests",
    "checklist_items",
    "sort_order",
]
JOB_TYPE_FIELDS = [
    "name",
    "kbji_codes",
    "ssw_field",
    "e9_sector",
    "zero_cost",
    "zero_cost_basis",
    "is_active",
    "sort_order",
]
# Stages in which a candidate may be put on (or moved to another) pathway.
ASSIGNABLE_STAGES = frozenset({Stage.VERIFIED, Stage.TRAINING, Stage.TRAINED})
_KBJI = re.compile(r"^\d{4}(\.\d{2})?$")
_CHECKLIST_CODE = re.compile(r"^[a-z0-9_]{2,40}$")


def _pathway_snapshot(pathway: Pathway) -> dict:
    data = snapshot(pathway, PATHWAY_FIELDS)
    data["job_types"] = sorted(pathway.job_types.values_list("code", flat=True))
    return data


def _pathway_validate(pathway: Pathway) -> None:
    errors = {}
    if pathway.state != PathwayState.OPEN and not pathway.state_reason.strip():
        errors["state_reason"] = _(
            "Tulis alasan skema ditangguhkan atau ditutup; alasan ini ditampilkan kepada petugas dan publik."
        )
    if pathway.closes_on and not pathway.state_reason.strip():
        errors["state_reason"] = _("Tulis alasan skema akan ditutup pada tanggal itu.")
    if pathway.licence_required and not pathway.licence_name.strip():
        errors["licence_name"] = _("Tulis nama lisensi yang diwajibkan, misalnya SIM Jepang.")
    if pathway.skill_test_required and not pathway.skill_test_name.strip():
        errors["skill_test_name"] = _("Tulis nama uji keterampilan yang diwajibkan.")
    items = pathway.checklist_items
    if not isinstance(items, list) or not all(
        isinstance(i, str) and _CHECKLIST_CODE.match(i) for i in items
    ):
        errors["checklist_items"] = _(
            "Kode dokumen ditulis huruf kecil, angka atau garis bawah (misalnya medical, passport)."
        )
    if errors:
        raise ValidationError(errors)
    pathway.full_clean()


def _job_type_tests_clean(pathway: Pathway, job_types) -> None:
    """`job_type_tests` as {test: [job type codes]}: known tests, job types the pathway covers,
    sorted, empty lists dropped (so the audit diff only shows real changes)."""
    value = pathway.job_type_tests or {}
    covered = set(
        JobType.objects.filter(pk__in=[getattr(jt, "pk", jt) for jt in job_types]).values_list(
            "code", flat=True
        )
    )
    if not isinstance(value, dict) or not all(
        isinstance(codes, list) and all(isinstance(c, str) for c in codes)
        for codes in value.values()
    ):
        raise ValidationError({"job_type_tests": _("Daftar ujian tambahan tidak valid.")})
    cleaned = {}
    for test, codes in value.items():
        if test not in EXTRA_TESTS:
            raise ValidationError(
                {"job_type_tests": _("Ujian tambahan %(test)s tidak dikenal.") % {"test": test}}
            )
        outside = sorted(set(codes) - covered)
        if outside:
            raise ValidationError(
                {
                    "job_type_tests": _(
                        "%(test)s diwajibkan untuk jenis pekerjaan yang tidak dicakup skema ini "
                        "(%(codes)s). Centang jenis pekerjaan itu pada skema, atau hapus kewajibannya."
                    )
                    % {"test": EXTRA_TESTS[test], "codes": ", ".join(outside)}
                }
            )
        if codes:
            cleaned[test] = sorted(set(codes))
    pathway.job_type_tests = cleaned


def pathway_create(*, actor, data: dict, job_types, reason: str) -> Pathway:
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan atau dasar penambahan skema ini.")})
    with transaction.atomic():
        pathway = Pathway(**{k: v for k, v in data.items() if k in PATHWAY_FIELDS})
        pathway.updated_by = actor if getattr(actor, "pk", None) else None
        job_types = list(job_types)
        _job_type_tests_clean(pathway, job_types)
        _pathway_validate(pathway)
        pathway.save()
        pathway.job_types.set(job_types)
        audit_record(
            actor=actor,
            action="pathway.create",
            target=pathway,
            changes=diff({}, _pathway_snapshot(pathway)),
            reason=reason,
        )
    return pathway


def pathway_update(*, actor, pathway: Pathway, data: dict, job_types, reason: str) -> Pathway:
    """Change a pathway's rules or state. A reason is required: it is the record of why the law changed."""
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Tulis alasan perubahan (misalnya nomor surat atau peraturan baru).")}
        )
    with transaction.atomic():
        locked = Pathway.objects.select_for_update().get(pk=pathway.pk)
        before = _pathway_snapshot(locked)
        for key, value in data.items():
            if key in PATHWAY_FIELDS:
                setattr(locked, key, value)
        locked.updated_by = actor if getattr(actor, "pk", None) else None
        job_types = list(job_types)
        _job_type_tests_clean(locked, job_types)
        _pathway_validate(locked)
        locked.save()
        locked.job_types.set(job_types)
        changes = diff(before, _pathway_snapshot(locked))
        audit_record(
            actor=actor, action="pathway.update", target=locked, changes=changes, reason=reason
        )
    return locked


def job_type_update(*, actor, job_type: JobType, data: dict, reason: str) -> JobType:
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan perubahan.")})
    codes = [c.strip() for c in str(data.get("kbji_codes", job_type.kbji_codes)).split(",")]
    if not codes or not all(_KBJI.match(c) for c in codes):
        raise ValidationError(
            {
                "kbji_codes": _(
                    "Tulis kode KBJI 2014 empat digit (boleh dengan .NN), dipisah koma, misalnya 5311,5322.01."
                )
            }
        )
    with transaction.atomic():
        locked = JobType.objects.select_for_update().get(pk=job_type.pk)
        before = snapshot(locked, JOB_TYPE_FIELDS)
        for key, value in data.items():
            if key in JOB_TYPE_FIELDS:
                setattr(locked, key, value)
        locked.kbji_codes = ",".join(codes)
        kept = zero_cost_problem(code=locked.code, name=locked.name, zero_cost=locked.zero_cost)
        if kept:
            raise ValidationError({"zero_cost": kept})
        if locked.zero_cost and not locked.zero_cost_basis.strip():
            raise ValidationError(
                {
                    "zero_cost_basis": _(
                        "Tulis dasar hukum jabatan bebas biaya (Perban BP2MI 9/2020)."
                    )
                }
            )
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor,
            action="job_type.update",
            target=locked,
            changes=diff(before, snapshot(locked, JOB_TYPE_FIELDS)),
            reason=reason,
        )
    return locked


def pathway_assign(
    *,
    candidate: Candidate,
    pathway: Pathway,
    actor,
    job_type: JobType | None = None,
    reason: str = "",
    on: datetime.date | None = None,
) -> PathwayAssignment:
    """Put a candidate on a pathway. Refused when the pathway is not open or an entry rule fails.

    Language, skill-test and licence rules are what training achieves, so they do not block this step;
    the placement stage checks them before a candidate is matched to a job order.
    """
    on = on or timezone.localdate()
    with transaction.atomic():
        pathway = Pathway.objects.select_for_update().get(pk=pathway.pk)
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        closed = pathway.open_problem(on)
        if closed:
            raise ValidationError(closed, code="pathway_not_open")
        if locked.stage not in ASSIGNABLE_STAGES:
            raise ValidationError(
                _(
                    'Pencari kerja ini masih di tahap "%(stage)s". Skema ditetapkan setelah data diverifikasi.'
                )
                % {"stage": Stage(locked.stage).label},
                code="stage",
            )
        if job_type is not None and not pathway.job_types.filter(pk=job_type.pk).exists():
            raise ValidationError(
                _('Skema "%(name)s" tidak mencakup jenis pekerjaan "%(job)s".')
                % {"name": pathway.name, "job": job_type.name},
                code="job_type",
            )
        outcome = pathway_eligibility(candidate=locked, pathway=pathway, on=on, job_type=job_type)
        failing = [r.message for r in outcome.rules if r.phase == ENTRY and not r.passed]
        if failing:
            raise ValidationError(
                _("Belum memenuhi syarat skema: %(rules)s.") % {"rules": "; ".join(failing)},
                code="not_eligible",
            )
        previous = (
            PathwayAssignment.objects.select_for_update()
            .filter(candidate=locked, is_active=True)
            .first()
        )
        if previous is not None:
            _assignment_close(
                previous,
                actor=actor,
                reason=_("Diganti skema %(name)s") % {"name": pathway.name},
            )
        assignment = PathwayAssignment.objects.create(
            candidate=locked,
            pathway=pathway,
            job_type=job_type,
            reason=reason,
            assigned_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_record(
            actor=actor,
            action="pathway.assign",
            target=assignment,
            changes={
                "pathway": [previous.pathway.code if previous else None, pathway.code],
                "job_type": [None, job_type.code if job_type else None],
            },
            reason=reason,
        )
    return assignment


def _assignment_close(assignment: PathwayAssignment, *, actor, reason: str) -> None:
    assignment.is_active = False
    assignment.ended_at = timezone.now()
    assignment.end_reason = reason
    assignment.save(update_fields=["is_active", "ended_at", "end_reason"])
    audit_record(
        actor=actor,
        action="pathway.assignment_end",
        target=assignment,
        changes={"is_active": [True, False]},
        reason=reason,
    )


def pathway_assignment_end(
    *, assignment: PathwayAssignment, actor, reason: str
) -> PathwayAssignment:
    if not reason.strip():
        raise ValidationError({"reason": _("Tulis alasan skema ini diakhiri.")})
    with transaction.atomic():
        # the person's row first, as pathway_assign locks it: ending writes its `has_pathway`
        Candidate.objects.select_for_update().filter(pk=assignment.candidate_id).exists()
        locked = PathwayAssignment.objects.select_for_update().get(pk=assignment.pk)
        if not locked.is_active:
            raise ValidationError(_("Penetapan skema ini sudah berakhir."))
        _assignment_close(locked, actor=actor, reason=reason)
    return locked


# The actor the audit trail names when the rules themselves assign a pathway.
RULE_ACTOR = "aturan pathways.pathway_suggestion"  # suggestions.RULE_CODE


def pathway_assign_by_rule(*, candidate: Candidate, on: datetime.date | None = None):
    """After training: when the rules leave one legal pathway whose every rule the person meets,
    assign it without asking (audited with the rule as the reason), and tell the programme managers
    and the person. Returns the assignment, or None when the manager has to decide."""
    from jalur.accounts.models import User
    from jalur.accounts.roles import Role
    from jalur.notifications.services import notify

    from .suggestions import RULE_CODE, WAITING_STAGES, suggest

    on = on or timezone.localdate()
    if candidate.stage not in WAITING_STAGES:
        return None
    if PathwayAssignment.objects.filter(candidate=candidate, is_active=True).exists():
        return None
    [row] = suggest([candidate], on=on)
    if not row.suggestion.automatic:
        return None
    reason = _("Ditetapkan otomatis oleh aturan (%(rule)s): %(why)s.") % {
        "rule": RULE_CODE,
        "why": row.suggestion.reason,
    }
    with transaction.atomic():
        assignment = pathway_assign(
            candidate=candidate,
            pathway=row.pathway,
            job_type=row.job_type,
            actor=RULE_ACTOR,
            reason=reason,
            on=on,
        )
        context = {"candidate": candidate, "pathway": row.pathway.name, "reason": reason}
        for manager in User.objects.filter(role=Role.PROGRAMME_MANAGER, is_active=True):
            notify(
                user=manager,
                key="pathway_assigned_by_rule",
                context=context,
                link=reverse("pathways:candidate", args=[candidate.pk]),
            )
        if candidate.user_id:
            notify(user=candidate.user, key="pathway_assigned", context=context, link="/")
    return assignment


def pathways_assign_many(*, choices: list[tuple[Candidate, Pathway]], actor, on=None) -> dict:
    """The manager confirms the suggestion, or picks another pathway, for many people in one step.

    Each person is assigned in a transaction of their own: one refusal (the pathway just closed,
    someone moved on) leaves the others assigned and is reported with the person's name. The job
    type is the one the person chose that the pathway covers, when there is exactly one."""
    from .selectors import candidate_job_types

    chosen = candidate_job_types([c.pk for c, _p in choices])
    done, refused = [], []
    for candidate, pathway in choices:
        covered = sorted(set(pathway.job_types.values_list("pk", flat=True)) & chosen[candidate.pk])
        job_type = JobType.objects.get(pk=covered[0]) if len(covered) == 1 else None
        try:
            pathway_assign(
                candidate=candidate,
                pathway=pathway,
                job_type=job_type,
                actor=actor,
                reason=_("Dikonfirmasi dari daftar menunggu skema"),
                on=on,
            )
        except ValidationError as error:
            refused.append((candidate, error.messages))
        else:
            done.append(candidate)
    return {"done": done, "refused": refused}
