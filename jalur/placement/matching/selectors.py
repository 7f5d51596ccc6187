"""Reads for the matching pages: the list of runs, a run's comparison and shortfalls in Indonesian,
each order's proposals with the score parts, and why a person is not proposed to an order.

Explanations come from the engine (`engine.explain`) over the run's stored inputs and its proposals
as they stand (with the manager's changes), so a page months later says what the run said then.
They name no other person: only the person's own score, the lowest score proposed and counts."""

import dataclasses

from django.core.paginator import Paginator
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from jalur.regions.models import District

from ..eligibility import order_eligibility
from ..models import JobOrder
from ..selection import PART_LABELS, WEIGHTS
from . import engine
from .inputs import Inputs, inputs_load
from .models import METHODS, MatchingMethod, MatchingProposal, MatchingRun

PAGE = 25
_CACHE: dict[tuple[int, str], Inputs] = {}


def run_inputs(run: MatchingRun) -> Inputs:
    """The run's stored inputs, read once per process (a few runs kept)."""
    key = (run.pk, run.fingerprint)
    if key not in _CACHE:
        if len(_CACHE) >= 4:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = inputs_load(run.inputs)
    return _CACHE[key]


def runs() -> list[MatchingRun]:
    return list(MatchingRun.objects.select_related("created_by", "published_by")[:100])


def _number(value, digits: int = 1) -> str:
    return formats.number_format(round(float(value), digits), digits)


# --- the comparison --------------------------------------------------------------------------------
def comparison(run: MatchingRun) -> list[dict]:
    """One row per method: the figures the engine computed, with labels and the change on greedy."""
    methods = run.summary.get("methods", {})
    rows = {row["method"]: row for row in run.summary.get("rows", [])}
    out = []
    for method in METHODS:
        figures = methods.get(method)
        if figures is None:
            continue
        row = rows.get(method, {})
        out.append(
            {
                "method": method,
                "label": MatchingMethod(method).label,
                "chosen": method == run.method,
                "total_score": figures["total_score"],
                "people_matched": figures["people_matched"],
                "first_choice": figures["first_choice"],
                "blocking_pairs": figures["blocking_pairs"],
                "proposals": row.get("proposals", 0),
                "women_share": row.get("women_share"),
                "women_matched": row.get("women_matched"),
                "floors_missed": len(figures.get("floor_shortfalls", [])),
                "most_proposals_one_person": row.get("most_proposals_one_person", 0),
                "total_vs_greedy": row.get("total_score_vs_greedy"),
                "matched_vs_greedy": row.get("people_matched_vs_greedy"),
                "first_vs_greedy": row.get("first_choice_vs_greedy"),
                "seconds": figures.get("seconds"),
            }
        )
    return out


def _group_label(group: str, value: str, districts: dict[str, str]) -> str:
    if group == "sex":
        return _("perempuan") if value == "P" else _("laki-laki")
    return _("kecamatan %(name)s") % {"name": districts.get(value, value)}


def shortfalls(run: MatchingRun, method: str) -> list[dict]:
    """Each fairness floor not met by `method`, with the order and why, in Indonesian."""
    found = run.summary.get("methods", {}).get(method, {}).get("floor_shortfalls", [])
    if not found:
        return []
    refs = dict(
        JobOrder.objects.filter(pk__in={s["order_id"] for s in found}).values_list(
            "pk", "reference"
        )
    )
    codes = {s["value"] for s in found if s["group"] == "kecamatan"}
    districts = dict(District.objects.filter(code__in=codes).values_list("code", "name"))
    rows = []
    for s in found:
        numbers = {"needed": s["needed"], "got": s["got"], "eligible": s["eligible"]}
        if s["code"] == "not_enough_eligible":
            why = (
                _(
                    "hanya %(eligible)s orang dari kelompok ini yang memenuhi syarat lowongan ini, "
                    "padahal perlu %(needed)s"
                )
                % numbers
            )
        elif s["code"] == "capacity":
            why = (
                _(
                    "%(eligible)s orang dari kelompok ini memenuhi syarat, tetapi mereka sudah "
                    "diusulkan ke lowongan lain sampai batas per orang, atau dibutuhkan untuk batas "
                    "minimal lain"
                )
                % numbers
            )
        else:
            why = (
                _(
                    "metode ini tidak menegakkan batas minimal (hanya penugasan optimal); %(eligible)s "
                    "orang dari kelompok ini memenuhi syarat"
                )
                % numbers
            )
        rows.append(
            {
                "order": refs.get(s["order_id"], s["order_id"]),
                "group": _group_label(s["group"], s["value"], districts),
                "needed": s["needed"],
                "got": s["got"],
                "code": s["code"],
                "why": why,
            }
        )
    return rows


# --- orders and their proposals --------------------------------------------------------------------
def order_rows(run: MatchingRun, method: str, page: str | None):
    """A page of the run's orders, each with its places and how many are proposed by `method`."""
    inputs = run_inputs(run)
    counts: dict[int, int] = {}
    for order_id in MatchingProposal.objects.filter(
        run=run, method=method, removed=False
    ).values_list("order_id", flat=True):
        counts[order_id] = counts.get(order_id, 0) + 1
    facts = sorted(inputs.orders.values(), key=lambda f: f.sequence)
    paged = Paginator(facts, PAGE).get_page(page)
    orders = JobOrder.objects.in_bulk([f.id for f in paged.object_list])
    paged.object_list = [
        {"facts": f, "order": orders.get(f.id), "proposed": counts.get(f.id, 0)}
        for f in paged.object_list
    ]
    return paged


def order_proposals(run: MatchingRun, method: str, order_id: int) -> list[dict]:
    rows = (
        MatchingProposal.objects.filter(run=run, method=method, order_id=order_id)
        .select_related("candidate__district")
        .order_by("removed", "rank")
    )
    return [
        {
            "proposal": p,
            "parts": [
                {
                    "label": PART_LABELS[code],
                    "weight": weight,
                    "value": p.score_parts.get(code, 0.0),
                }
                for code, weight in WEIGHTS.items()
            ],
        }
        for p in rows
    ]


def _result(run: MatchingRun, method: str, inputs: Inputs) -> engine.Result:
    """The run's proposals for `method` as they stand, as an engine result (for `explain`)."""
    from .services import engine_settings

    assignment: dict[int, list[int]] = {o.id: [] for o in inputs.problem.orders}
    for order_id, person in MatchingProposal.objects.filter(
        run=run, method=method, removed=False
    ).values_list("order_id", "candidate_id"):
        assignment.setdefault(order_id, []).append(person)
    scores = inputs.problem.scores
    figures = run.summary.get("methods", {}).get(method, {})
    return engine.Result(
        method=method,
        assignment={
            o: tuple(sorted(people, key=lambda p, o=o: (-scores[(p, o)], p)))
            for o, people in assignment.items()
        },
        total_score=figures.get("total_score", 0.0),
        people_matched=figures.get("people_matched", 0),
        first_choice=figures.get("first_choice", 0),
        fairness={},
        floor_shortfalls=(),
        blocking_pairs=figures.get("blocking_pairs", 0),
        seconds=0.0,
        settings=engine_settings(run.settings, method),
    )


def _checked(run: MatchingRun, method: str, inputs: Inputs, result, explanation):
    """The engine says "floor" for a full order whenever floors are set; keep it only when someone
    with a lower score holds a place there for a floor of that order, else it is "total"."""
    if explanation.code != "floor":
        return explanation
    floors = run.summary.get("methods", {}).get(method, {}).get("fairness", {}).get("floors", [])
    wanted = {(f["group"], f["value"]) for f in floors if f["order"] == explanation.order_id}
    groups = {p.id: p.group for p in inputs.problem.people}
    scores = inputs.problem.scores
    for other in result.assignment.get(explanation.order_id, ()):
        lower = scores[(other, explanation.order_id)] < (explanation.score or 0)
        if lower and any(groups[other].get(g) == v for g, v in wanted):
            return explanation
    return dataclasses.replace(explanation, code="total")


def explanation_text(explanation: engine.Explanation, *, cap: int, rules: str = "") -> str:
    """The reason in Indonesian, fit to show the person themself: scores and counts, no names."""
    numbers = {
        "score": _number(explanation.score) if explanation.score is not None else "—",
        "lowest": _number(explanation.lowest_score)
        if explanation.lowest_score is not None
        else "—",
        "n": len(explanation.held),
        "cap": cap,
    }
    code = explanation.code
    if code == "proposed":
        return _("Diusulkan, dengan skor %(score)s.") % numbers
    if code == "not_eligible":
        return _("Belum memenuhi syarat: %(rules)s.") % {"rules": rules or _("syarat lowongan")}
    if code == "order_full":
        return _("Lowongan ini tidak punya tempat tersisa: lamaran yang berjalan sudah penuh.")
    if code == "outranked":
        return (
            _("Semua tempat diisi pencari kerja dengan skor lebih tinggi: ")
            + _("skor Anda %(score)s; skor terendah yang diusulkan %(lowest)s.") % numbers
        )
    if code == "cap":
        return (
            _(
                "Anda sudah diusulkan ke %(n)s lowongan lain yang lebih Anda minati (paling banyak "
                "%(cap)s lowongan per orang)."
            )
            % numbers
        )
    if code == "floor":
        return (
            _("Tempat diberikan untuk memenuhi batas keterwakilan yang ditetapkan pengelola: ")
            + _("skor Anda %(score)s; skor terendah yang diusulkan %(lowest)s.") % numbers
        )
    return (
        _("Usulan disusun agar jumlah skor semua lowongan paling tinggi")
        + (_(" (Anda diusulkan di lowongan lain)") if explanation.held else "")
        + ": "
        + _("skor Anda %(score)s; skor terendah yang diusulkan %(lowest)s.") % numbers
    )


def _failing_rules(candidate, order_id: int, on) -> tuple[str, list]:
    order = JobOrder.objects.select_related("pathway", "job_type").get(pk=order_id)
    failures = order_eligibility(candidate=candidate, order=order, on=on).failures
    if not failures:
        # eligible now but not in the run: an application of theirs already there, or the data
        # changed after the run
        return _("sudah punya lamaran untuk lowongan ini, atau data berubah sesudah pencocokan"), []
    return "; ".join(f"{r.label}: {r.message}" for r in failures), list(failures)


def explain_for_candidate(run: MatchingRun, method: str, person_id: int, order_id: int) -> str:
    inputs = run_inputs(run)
    if person_id not in {p.id for p in inputs.problem.people}:
        return explanation_text(
            engine.Explanation(person_id, order_id, "not_eligible"),
            cap=run.settings.get("max_orders_per_person", 1),
        )
    result = _result(run, method, inputs)
    explanation = engine.explain(inputs.problem, result, person_id, order_id)
    return explanation_text(
        _checked(run, method, inputs, result, explanation),
        cap=run.settings.get("max_orders_per_person", 1),
    )


def person_explanations(run: MatchingRun, method: str, candidate) -> list[dict]:
    """For one person, every order of the run: proposed or why not (the failing rule for an order
    they are not eligible for, asked of the rules now, for this person only)."""
    inputs = run_inputs(run)
    cap = run.settings.get("max_orders_per_person", 1)
    known = candidate.pk in {p.id for p in inputs.problem.people}
    result = _result(run, method, inputs) if known else None
    on = run.scored_on or timezone.localdate()
    refs = JobOrder.objects.in_bulk(list(inputs.orders))
    rows = []
    for facts in sorted(inputs.orders.values(), key=lambda f: f.sequence):
        rules: list = []
        if known and (candidate.pk, facts.id) in inputs.problem.scores:
            explanation = engine.explain(inputs.problem, result, candidate.pk, facts.id)
            explanation = _checked(run, method, inputs, result, explanation)
            text = explanation_text(explanation, cap=cap)
        else:
            explanation = engine.Explanation(candidate.pk, facts.id, "not_eligible")
            why, rules = _failing_rules(candidate, facts.id, on)
            text = explanation_text(explanation, cap=cap, rules=why)
        rows.append(
            {
                "order": refs.get(facts.id),
                "code": explanation.code,
                "text": text,
                "rules": rules,
            }
        )
    rows.sort(key=lambda r: (r["code"] != "proposed", r["code"] == "not_eligible"))
    return rows


def wanted_not_proposed(run: MatchingRun, method: str, order_id: int, page: str | None):
    """People who wanted this order (it matches their chosen country and job type, or they applied)
    and are eligible but not proposed by `method`, a page at a time, each with the reason."""
    inputs = run_inputs(run)
    proposed = set(
        MatchingProposal.objects.filter(
            run=run, method=method, order_id=order_id, removed=False
        ).values_list("candidate_id", flat=True)
    )
    scores = inputs.problem.scores
    wanted = sorted(
        (
            p.id
            for p in inputs.problem.people
            if (order_id in p.wants or order_id in p.preferences)
            and (p.id, order_id) in scores
            and p.id not in proposed
        ),
        key=lambda pid: (-scores[(pid, order_id)], pid),
    )
    paged = Paginator(wanted, PAGE).get_page(page)
    result = _result(run, method, inputs)
    cap = run.settings.get("max_orders_per_person", 1)
    from jalur.candidates.models import Candidate

    people = Candidate.objects.in_bulk(list(paged.object_list))
    paged.object_list = [
        {
            "candidate": people.get(pid),
            "score": scores[(pid, order_id)],
            "text": explanation_text(
                _checked(
                    run,
                    method,
                    inputs,
                    result,
                    engine.explain(inputs.problem, result, pid, order_id),
                ),
                cap=cap,
            ),
        }
        for pid in paged.object_list
    ]
    return paged


def proposals_for_candidate(candidate) -> list:
    """The candidate's published, still unanswered proposals (recommendations from a run)."""
    from ..models import ApplicationOrigin
    from ..states import ApplicationStatus

    return list(
        candidate.applications.filter(
            origin=ApplicationOrigin.MATCHING, status=ApplicationStatus.RECOMMENDED
        ).select_related("order__agency__organisation")
    )
