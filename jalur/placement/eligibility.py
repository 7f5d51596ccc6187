"""Who may be matched to a job order: the pathways engine's rules plus placement's own two.

The rules themselves live in `jalur.rules.eligibility`: a job order only
tightens its pathway's `Requirements`. This module is the glue:

- `order_requirements(order)` builds those requirements;
- `order_eligibility(...)` runs the engine for one candidate and adds placement's rules (training
  finished, put on this order's pathway), each with its plain-Indonesian message;
- `eligible_candidates(order)` applies the very same rules as SQL filters, so a ranking over
  100,000 candidates never loads them into Python. Test results come from the training app's
  `Assessment` rows (official ones, still valid), exactly as its `official_results` feeds the engine.

tests/test_eligibility.py checks, over a random population, that the SQL filter and the engine agree.
"""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.pathways.models import JlptLevel, PathwayAssignment
from jalur.pathways.results import results_for
from jalur.pathways.selectors import pathway_eligibility, pathway_requirements
from jalur.rules.eligibility import (
    ENTRY,
    Eligibility,
    LanguageRequirement,
    Requirements,
    RuleResult,
)
from jalur.rules.jobs import education_at_least
from jalur.training.models import Assessment, ResultKind, SkillFacts
from jalur.training.scales import JFT_MAX, JFT_MIN, Test
from jalur.training.services.facts import JLPT_AS_JFT

# Training is finished: a candidate in one of these stages may be matched to an order.
MATCHABLE_STAGES = frozenset({Stage.TRAINED, Stage.SELECTION})
# After an accepted offer: the person is placed, other orders are no longer theirs to apply to.
PLACED_STAGES = frozenset({Stage.PRE_DEPARTURE, Stage.READY, Stage.DEPARTED, Stage.RETURNED})


def order_extra(order) -> Requirements:
    """What the order asks beyond its pathway's rules."""
    language = LanguageRequirement(
        eps_topik_min=order.eps_topik_min_score,
        jft_min=order.jft_min_score,
        jlpt_min_level=order.jlpt_min_level,
    )
    return Requirements(
        country=order.employer_country,
        min_age=order.min_age,
        max_age=order.max_age,
        min_education=order.min_education,
        sex=order.sex,
        min_height_cm=order.min_height_cm,
        min_experience_years=order.min_experience_years,
        languages=(language,) if language else (),
        licence=order.licence_required,
        licence_name=order.licence_name,
    )


def order_requirements(order) -> Requirements:
    """The order's pathway rules, tightened by what the order itself asks (stricter value wins)."""
    return pathway_requirements(order.pathway, job_type_ids=[order.job_type_id]).tightened(
        order_extra(order)
    )


def _assignment_fits(assignment, order) -> bool:
    return (
        assignment is not None
        and assignment.pathway_id == order.pathway_id
        and assignment.job_type_id in (None, order.job_type_id)
    )


def placement_rules(candidate, order, assignment) -> list[RuleResult]:
    """Placement's own rules, shown before the engine's."""
    stage_ok = candidate.stage in MATCHABLE_STAGES
    rules = [
        RuleResult(
            "training",
            _("Pelatihan"),
            stage_ok,
            _("sudah lulus pelatihan")
            if stage_ok
            else _('tahap sekarang "%(stage)s"; harus sudah lulus pelatihan')
            % {"stage": Stage(candidate.stage).label},
            phase=ENTRY,
        )
    ]
    if _assignment_fits(assignment, order):
        message, ok = _("ditetapkan pada skema %(name)s") % {"name": order.pathway.name}, True
    elif assignment is None:
        message, ok = (
            _("belum ditetapkan pada skema %(name)s") % {"name": order.pathway.name},
            False,
        )
    elif assignment.pathway_id != order.pathway_id:
        message, ok = (
            _("ditetapkan pada skema %(other)s, bukan %(name)s")
            % {"other": assignment.pathway.name, "name": order.pathway.name},
            False,
        )
    else:
        message, ok = (
            _("disiapkan untuk jenis pekerjaan %(other)s, bukan %(job)s")
            % {"other": assignment.job_type.name, "job": order.job_type.name},
            False,
        )
    rules.append(RuleResult("assignment", _("Skema penempatan"), ok, message, phase=ENTRY))
    return rules


def order_eligibility(
    *,
    candidate,
    order,
    on: datetime.date,
    results=None,
    assignment=None,
    assignment_known: bool = False,
) -> Eligibility:
    """Every rule for one candidate and one order, each with its message.

    For a page of candidates pass `results` (from `results_for`) and `assignment` (with
    `assignment_known=True`) to keep the number of queries fixed.
    """
    if not assignment_known:
        assignment = (
            PathwayAssignment.objects.select_related("pathway", "job_type")
            .filter(candidate=candidate, is_active=True)
            .first()
        )
    if results is None:
        results = results_for([candidate.pk])[candidate.pk]
    engine = pathway_eligibility(
        candidate=candidate,
        pathway=order.pathway,
        on=on,
        job_type=order.job_type,
        extra=order_extra(order),
        results=results,
    )
    return Eligibility(tuple(placement_rules(candidate, order, assignment)) + engine.rules)


# --- the same rules in SQL ------------------------------------------------------------------------
def years_before(on: datetime.date, years: int) -> datetime.date:
    """The latest birth date of someone who is at least `years` old on `on` (29 Feb → 28 Feb)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def _official_results(on: datetime.date) -> QuerySet[Assessment]:
    return Assessment.objects.filter(candidate=OuterRef("pk"), kind=ResultKind.OFFICIAL).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )


def _language_q(language: LanguageRequirement) -> Q:
    options = Q(pk__in=[])
    if language.eps_topik_min is not None:
        options |= Q(test=Test.EPS_TOPIK, score__gte=language.eps_topik_min)
    if language.jft_min is not None:
        options |= Q(test=Test.JFT_BASIC, score__gte=language.jft_min)
    if language.jlpt_min_level:
        need = JlptLevel.rank(language.jlpt_min_level)
        levels = [level for level in JlptLevel.values if JlptLevel.rank(level) >= need]
        options |= Q(test=Test.JLPT, passed=True, jlpt_level__in=levels)
    return options


def _kept_threshold(language: LanguageRequirement) -> tuple[str, float] | None:
    """(scale group, normalised mark) when the requirement means exactly "a valid official result
    of that group at least this high on the group's scale" (`training.services.facts`): EPS-TOPIK
    alone, or JFT-Basic and the JLPT level counted as that same JFT-Basic score. Else None."""
    eps, jft, jlpt = language.eps_topik_min, language.jft_min, language.jlpt_min_level
    if eps is not None and jft is None and not jlpt:
        return "kr", eps / 2.0  # the scale's own division: score >= eps exactly when this holds
    if eps is None and jft is not None and jlpt and JLPT_AS_JFT.get(jlpt) == jft:
        return "jp", (jft - JFT_MIN) * 100.0 / (JFT_MAX - JFT_MIN)
    return None


def _language_filter(language: LanguageRequirement, on: datetime.date) -> Q:
    """Some valid official result meets the requirement. Read from the kept best of its scale
    group (`SelectionFacts`) while that has not expired: no valid result is better then; once it
    has, from the results themselves."""
    from_records = Q(Exists(_official_results(on).filter(_language_q(language))))
    kept = _kept_threshold(language)
    if kept is None:
        return from_records
    group, mark = kept
    best, until = f"selection_facts__language_{group}", f"selection_facts__language_{group}_until"
    still_valid = Q(**{f"{until}__isnull": True}) | Q(**{f"{until}__gte": on})
    return (Q(**{f"{best}__gte": mark}) & still_valid) | (Q(**{f"{until}__lt": on}) & from_records)


def _skill_filter(req: Requirements, scope: Q, on: datetime.date) -> Q:
    """A valid passed official skill test for one of the job types: read from the kept latest
    expiry of each job type's passed tests (`SkillFacts`), valid exactly when one of them is."""
    if not req.job_type_ids:
        return Q(Exists(_official_results(on).filter(scope, test=Test.SKILL, passed=True)))
    kept = SkillFacts.objects.filter(
        candidate=OuterRef("pk"), job_type_id__in=list(req.job_type_ids)
    ).filter(Q(passed_until__isnull=True) | Q(passed_until__gte=on))
    return Q(Exists(kept))


def requirements_filter(req: Requirements, on: datetime.date) -> Q:
    """`req` as a filter on Candidate: true exactly when the engine passes every rule."""
    q = Q()
    if req.min_age is not None:
        q &= Q(birth_date__lte=years_before(on, req.min_age))
    if req.max_age is not None:
        q &= Q(birth_date__gt=years_before(on, req.max_age + 1))
    if req.min_education:
        q &= Q(education_level__in=education_at_least(req.min_education))
    if req.sex:
        q &= Q(sex=req.sex)
    if req.min_height_cm is not None:
        q &= Q(height_cm__gte=req.min_height_cm)
    if req.min_experience_years is not None:
        q &= Q(experience_years__gte=req.min_experience_years)
    if req.prior_years_limit is not None:
        if req.prior_years_limit <= 0:
            return Q(pk__in=[])
        q &= ~Q(prior_abroad_country=req.country, prior_abroad_years__gte=req.prior_years_limit)
    for language in req.languages:
        q &= _language_filter(language, on)
    scope = Q(job_type_id__in=list(req.job_type_ids)) if req.job_type_ids else Q()
    if req.skill_test:
        q &= _skill_filter(req, scope, on)
    if req.licence:
        q &= Q(Exists(_official_results(on).filter(scope, test=Test.LICENCE, passed=True)))
    # the order's job type is chosen, so the tests it requires (care-Japanese for a caregiver)
    for test in req.extra_tests_for(frozenset()):
        q &= Q(Exists(_official_results(on).filter(test=test, passed=True)))
    return q


def eligible_candidates(order, on: datetime.date) -> QuerySet[Candidate]:
    """Every candidate who passes every rule of `order` on `on`, as one SQL query."""
    if not order.pathway.is_open(on):
        return Candidate.objects.none()
    assigned = PathwayAssignment.objects.filter(
        candidate=OuterRef("pk"), is_active=True, pathway_id=order.pathway_id
    ).filter(Q(job_type__isnull=True) | Q(job_type_id=order.job_type_id))
    return Candidate.objects.filter(
        Q(stage__in=MATCHABLE_STAGES),
        Q(Exists(assigned)),
        requirements_filter(order_requirements(order), on),
    )


def matchable_candidates(order) -> QuerySet[Candidate]:
    """The pool the "who does not qualify, and why" list draws from: trained and on this pathway."""
    return Candidate.objects.filter(
        stage__in=MATCHABLE_STAGES,
        pathway_assignments__is_active=True,
        pathway_assignments__pathway_id=order.pathway_id,
    )
