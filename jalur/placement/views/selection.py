"""Selection pages of a job order for the office: the ranked candidates, the recommendations,
and the fairness reports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.candidates.models import Candidate
from jalur.pathways.models import PathwayAssignment
from jalur.pathways.results import results_for
from jalur.rules.eligibility import age_on

from .. import selectors, services
from ..access import access_order
from ..eligibility import eligible_candidates, matchable_candidates, order_eligibility
from ..selection import WEIGHTS, describe_weights, ranked_paginated, score_parts
from ..states import APPLICATION_OPEN
from ..states import ApplicationStatus as AS
from ._shared import querystring

PAGE = 50


def _candidate_facts(candidates: list[Candidate], order, on) -> dict[int, dict]:
    """What a reviewer needs beside each row: age, kecamatan, official results (two queries)."""
    ids = [c.pk for c in candidates]
    results = results_for(ids)
    facts = {}
    for candidate in candidates:
        facts[candidate.pk] = {
            "age": age_on(candidate.birth_date, on),
            "results": [r.label for r in results.get(candidate.pk, []) if r.valid_on(on)],
        }
    return facts


@capability_required("placement.review")
def order_selection(request, pk):
    order = access_order(request.user, pk)
    on, now = timezone.localdate(), timezone.now()
    show_failing = request.GET.get("tidak_memenuhi") == "1"
    applications = {a.candidate_id: a for a in order.applications.all()}
    context = {
        "order": order,
        "weights": WEIGHTS,
        "weights_text": describe_weights(),
        "show_failing": show_failing,
        "querystring_base": querystring(request),
        "target": order.recommendation_target,
        "held_count": sum(
            1 for a in applications.values() if a.status in {*APPLICATION_OPEN, AS.ACCEPTED}
        ),
    }
    if show_failing:
        eligible_ids = eligible_candidates(order, on).values("pk")
        pool = (
            matchable_candidates(order)
            .exclude(pk__in=eligible_ids)
            .select_related("district")
            .order_by("full_name", "pk")
            .distinct()
        )
        page = Paginator(pool, PAGE).get_page(request.GET.get("page"))
        rows = list(page.object_list)
        results = results_for([c.pk for c in rows])
        assignments = {
            a.candidate_id: a
            for a in PathwayAssignment.objects.select_related("pathway", "job_type").filter(
                candidate__in=rows, is_active=True
            )
        }
        context["failing"] = [
            {
                "candidate": c,
                "age": age_on(c.birth_date, on),
                "failures": order_eligibility(
                    candidate=c,
                    order=order,
                    on=on,
                    results=results.get(c.pk, []),
                    assignment=assignments.get(c.pk),
                    assignment_known=True,
                ).failures,
            }
            for c in rows
        ]
    else:
        page = ranked_paginated(
            order,
            on=on,
            now=now,
            number=request.GET.get("page"),
            per_page=PAGE,
            select_related=("district",),
        )
        rows = page.object_list
        facts = _candidate_facts(rows, order, on)
        start = page.start_index()
        context["ranked"] = [
            {
                "rank": start + i,
                "candidate": c,
                "score": round(c.score, 1),
                "parts": score_parts(c),
                "facts": facts[c.pk],
                "application": applications.get(c.pk),
                "recommended_band": start + i <= order.recommendation_target,
            }
            for i, c in enumerate(rows)
        ]
    context["page_obj"] = page
    return render(request, "placement/selection.html", context)


@capability_required("placement.review")
@require_POST
def order_recommend(request, pk):
    order = access_order(request.user, pk)
    try:
        created = services.recommendations_fill(actor=request.user, order=order)
        if created:
            messages.success(
                request,
                _("%(n)s pencari kerja direkomendasikan dan diberi tahu.") % {"n": len(created)},
            )
        else:
            messages.info(
                request,
                _(
                    "Tidak ada rekomendasi baru: lamaran berjalan sudah tiga kali jumlah lowongan, atau tidak ada lagi yang memenuhi syarat."
                ),
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("placement:order_selection", pk=order.pk)


# --- fairness --------------------------------------------------------------------------------------
@capability_required("placement.fairness")
def order_fairness(request, pk):
    order = access_order(request.user, pk)
    return render(
        request,
        "placement/fairness.html",
        {"order": order, "report": selectors.fairness_for_order(order)},
    )


@capability_required("placement.fairness")
def fairness(request):
    return render(
        request,
        "placement/fairness.html",
        {
            "order": None,
            "report": selectors.fairness_overall(),
            "progress": selectors.selection_progress(request.user),
        },
    )
