"""Reads for pathways: the list, a candidate's eligibility for each pathway, active assignments."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.core.text import years
from jalur.rules.eligibility import (
    EXTRA_TESTS,
    CandidateFacts,
    Eligibility,
    ExtraTest,
    LanguageRequirement,
    Requirements,
    eligibility_evaluate,
)
from jalur.rules.pathways import pathway_is_open, pathway_state

from .models import JobType, Pathway, PathwayAssignment
from .results import results_for


def pathway_list() -> QuerySet[Pathway]:
    return Pathway.objects.prefetch_related("job_types").annotate(
        active_count=Count("assignments", filter=Q(assignments__is_active=True))
    )


def job_type_list() -> QuerySet[JobType]:
    return JobType.objects.prefetch_related(
        Prefetch("pathways", queryset=Pathway.objects.order_by("sort_order"))
    )


def pathway_state_rule(pathway: Pathway, on: datetime.date) -> tuple[bool, str]:
    """(open?, message) for the pathway itself, used as the first eligibility rule."""
    return pathway_state(
        state=pathway.state, reason=pathway.state_reason, closes_on=pathway.closes_on, on=on
    )


def pathway_requirements(pathway, job_type_ids: Iterable[int] | None = None) -> Requirements:
    """The pathway's rules as plain values. `job_type_ids` is the one job in question when there is
    one (a job order's, or the job type the candidate is put on the pathway for); left out, every
    job type the pathway covers is in question (prefetch `job_types` to avoid the query)."""
    language = LanguageRequirement(
        eps_topik_min=pathway.eps_topik_min_score,
        jft_min=pathway.jft_min_score,
        jlpt_min_level=pathway.jlpt_min_level,
    )
    chosen = job_type_ids is not None
    if job_type_ids is None:
        job_type_ids = [jt.pk for jt in pathway.job_types.all()]
    return Requirements(
        country=pathway.country,
        min_age=pathway.min_age,
        max_age=pathway.max_age,
        min_education=pathway.min_education,
        sex=pathway.sex,
        min_experience_years=pathway.min_experience_years,
        prior_years_limit=pathway.prior_years_limit,
        languages=(language,) if language else (),
        skill_test=pathway.skill_test_required,
        skill_test_name=pathway.skill_test_name,
        licence=pathway.licence_required,
        licence_name=pathway.licence_name,
        job_type_ids=frozenset(job_type_ids),
        job_type_chosen=chosen,
        extra_tests=tuple(
            ExtraTest(test, ids) for test, ids in pathway.extra_test_job_type_ids().items()
        ),
    )


FACT_FIELDS = (
    "birth_date",
    "sex",
    "education_level",
    "height_cm",
    "experience_years",
    "prior_abroad_country",
    "prior_abroad_years",
)


def candidate_facts(candidate) -> CandidateFacts:
    """What the eligibility rules read of a candidate, as plain values.

    Kept on the instance while those fields stay the same, so checking one person against every
    pathway (a page of the waiting list: 50 people x every pathway) reads the education label,
    a translated choice, once a person."""
    key = tuple(getattr(candidate, name) for name in FACT_FIELDS)
    cached = candidate.__dict__.get("_pathway_facts")
    if cached is not None and cached[0] == key:
        return cached[1]
    facts = CandidateFacts(
        birth_date=candidate.birth_date,
        sex=candidate.sex,
        education=candidate.education_level or "",
        education_label=candidate.get_education_level_display()
        if candidate.education_level
        else "",
        height_cm=candidate.height_cm,
        experience_years=candidate.experience_years or 0,
        prior_country=candidate.prior_abroad_country or "",
        prior_years=Decimal(candidate.prior_abroad_years or 0),
    )
    candidate.__dict__["_pathway_facts"] = (key, facts)
    return facts


def candidate_job_types(candidate_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """The job types each candidate is headed for: preferred ones and the active assignment's
    (two queries for any number of candidates)."""
    from jalur.candidates.models import Candidate

    ids = list(candidate_ids)
    found: dict[int, set[int]] = defaultdict(set)
    preferred = Candidate.preferred_job_types.through.objects.filter(candidate_id__in=ids)
    for candidate_id, job_type_id in preferred.values_list("candidate_id", "jobtype_id"):
        found[candidate_id].add(job_type_id)
    assigned = PathwayAssignment.objects.filter(
        candidate_id__in=ids, is_active=True, job_type__isnull=False
    )
    for candidate_id, job_type_id in assigned.values_list("candidate_id", "job_type_id"):
        found[candidate_id].add(job_type_id)
    return {pk: frozenset(found.get(pk, ())) for pk in ids}


def pathway_eligibility(
    *,
    candidate,
    pathway: Pathway,
    on: datetime.date | None = None,
    job_type: JobType | None = None,
    extra: Requirements | None = None,
    results=None,
    job_type_ids: frozenset[int] | None = None,
) -> Eligibility:
    """Evaluate one pathway (plus a job order's extra requirements) for one candidate.

    `job_type_ids` are the candidate's own job types (`candidate_job_types`); they decide whether a
    test the pathway asks of some job types only applies when no job type is chosen. Pass them for
    a page of candidates; left out, they are read when needed.
    """
    on = on or timezone.localdate()
    requirements = pathway_requirements(
        pathway, job_type_ids=[job_type.pk] if job_type is not None else None
    )
    if extra is not None:
        requirements = requirements.tightened(extra)
    if results is None:
        results = results_for([candidate.pk])[candidate.pk]
    facts = candidate_facts(candidate)
    if requirements.extra_tests and not requirements.job_type_chosen:
        if job_type_ids is None:
            job_type_ids = candidate_job_types([candidate.pk])[candidate.pk]
        facts = replace(facts, job_type_ids=frozenset(job_type_ids))
    return eligibility_evaluate(
        candidate=facts,
        requirements=requirements,
        results=results,
        on=on,
        state=pathway_state_rule(pathway, on),
    )


def candidate_eligibility(
    candidate, *, on: datetime.date | None = None
) -> list[tuple[Pathway, Eligibility]]:
    """Every pathway with the candidate's result, eligible ones first, then those that can start."""
    on = on or timezone.localdate()
    results = results_for([candidate.pk])[candidate.pk]
    job_types = candidate_job_types([candidate.pk])[candidate.pk]
    rows = [
        (
            p,
            pathway_eligibility(
                candidate=candidate, pathway=p, on=on, results=results, job_type_ids=job_types
            ),
        )
        for p in Pathway.objects.prefetch_related("job_types")
    ]
    return sorted(rows, key=lambda row: (not row[1].eligible, not row[1].can_start))


def eligibility_summary(candidates, *, on: datetime.date | None = None) -> dict[int, dict]:
    """For a page of candidates: {pk: {"eligible": [pathways], "can_start": [pathways]}} in fixed queries."""
    on = on or timezone.localdate()
    pathways = list(Pathway.objects.prefetch_related("job_types"))
    candidates = list(candidates)
    results = results_for([c.pk for c in candidates])
    job_types = candidate_job_types([c.pk for c in candidates])
    summary = {}
    for candidate in candidates:
        eligible, can_start = [], []
        for p in pathways:
            outcome = pathway_eligibility(
                candidate=candidate,
                pathway=p,
                on=on,
                results=results.get(candidate.pk, []),
                job_type_ids=job_types[candidate.pk],
            )
            if outcome.eligible:
                eligible.append(p)
            elif outcome.can_start:
                can_start.append(p)
        summary[candidate.pk] = {"eligible": eligible, "can_start": can_start}
    return summary


def active_assignment(candidate) -> PathwayAssignment | None:
    return (
        PathwayAssignment.objects.select_related("pathway", "job_type")
        .filter(candidate=candidate, is_active=True)
        .first()
    )


def open_pathways(on: datetime.date | None = None) -> list[Pathway]:
    return [p for p in Pathway.objects.all() if p.is_open(on)]


def job_type_countries(on: datetime.date | None = None) -> dict[int, set[str]]:
    """Job type id -> the countries an open legal pathway takes it to today (a job type absent
    here has no legal route at the moment, e.g. baby sitters)."""
    # Read on every preferences step and desk registration: one query over the link table with
    # only the columns the rule needs (the whole rows were a quarter of a preferences step, and
    # two queries an eighth of it; issue 20). A pathway without job types leads nowhere anyway.
    on = on or timezone.localdate()
    routes: dict[int, set[str]] = {}
    links = Pathway.job_types.through.objects.order_by().values_list(
        "jobtype_id", "pathway__country", "pathway__state", "pathway__closes_on"
    )
    for job_type_id, country, state, closes_on in links:
        if pathway_is_open(state=state, closes_on=closes_on, on=on):
            routes.setdefault(job_type_id, set()).add(country)
    return routes


def pathway_rule_lines(pathway: Pathway) -> list[str]:
    """The pathway's rules in plain words, for lists and the public page."""
    lines = []
    if pathway.min_age is not None and pathway.max_age is not None:
        lines.append(
            _("umur %(min)s–%(max)s tahun") % {"min": pathway.min_age, "max": pathway.max_age}
        )
    elif pathway.min_age is not None:
        lines.append(_("umur minimal %(min)s tahun") % {"min": pathway.min_age})
    elif pathway.max_age is not None:
        lines.append(_("umur paling tinggi %(max)s tahun") % {"max": pathway.max_age})
    if pathway.min_education:
        lines.append(_("pendidikan minimal %(edu)s") % {"edu": pathway.min_education})
    if pathway.sex:
        lines.append(_("hanya %(sex)s") % {"sex": pathway.get_sex_display().lower()})
    if pathway.min_experience_years:
        lines.append(
            _("pengalaman kerja minimal %(n)s") % {"n": years(pathway.min_experience_years)}
        )
    if pathway.prior_years_limit is not None:
        lines.append(
            _("kurang dari %(n)s bekerja sebelumnya di negara tujuan")
            % {"n": years(pathway.prior_years_limit.normalize())}
        )
    language = LanguageRequirement(
        pathway.eps_topik_min_score, pathway.jft_min_score, pathway.jlpt_min_level
    )
    if language:
        lines.append(_("bahasa: %(need)s") % {"need": language.describe()})
    if pathway.skill_test_required:
        lines.append(_("lulus %(name)s") % {"name": pathway.skill_test_name})
    if pathway.licence_required:
        lines.append(_("memiliki %(name)s") % {"name": pathway.licence_name})
    for test, codes in (pathway.job_type_tests or {}).items():
        jobs = [jt.name for jt in pathway.job_types.all() if jt.code in codes]
        if jobs:
            lines.append(
                _("lulus %(test)s (hasil resmi) untuk %(jobs)s")
                % {"test": EXTRA_TESTS.get(test, test), "jobs": ", ".join(jobs)}
            )
    return lines
