"""The office's lists of people: all candidates, the verification queue and possible duplicates,
one keyset page at a time (a page costs the same at a million people as at a thousand)."""

from django.shortcuts import render

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.audit.services import audit_read, audit_search_read
from jalur.core.pagination import bounded_count, keyset_page

from . import selectors
from .forms import CandidateFilterForm, DuplicateDecisionForm, DuplicateFilterForm, QueueFilterForm
from .models import DuplicateFlag
from .stages import Stage

PAGE_SIZE = 25
# The list's "n people" stops counting here (the dashboard has the totals).
COUNT_CAP = 1000


@capability_required("candidates.view")
def candidate_list(request):
    form = CandidateFilterForm(request.GET or None)
    filters = form.filters()
    queryset = selectors.candidate_list(request.user, **filters)
    page = keyset_page(request, queryset, order=selectors.CANDIDATE_ORDER, size=PAGE_SIZE)
    total, more = bounded_count(queryset, cap=COUNT_CAP)
    if filters.get("q"):  # who searched for whom is shown to the people found (UU PDP Pasal 7)
        audit_search_read(
            actor=request.user,
            q=filters["q"],
            found=page.object_list,
            count=total,
            purpose="candidates:list",
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "candidates/list.html",
        {
            "form": form,
            "page_obj": page,
            "total": total,
            "more": more,
            "querystring": query.urlencode(),
            "identity": can(request.user, "candidates.view_identity"),
        },
    )


@capability_required("candidates.verify")
def queue(request):
    form = QueueFilterForm(request.GET or None)
    filters = form.filters()
    rows = selectors.verification_queue(
        stage=filters.get("stage", Stage.REGISTERED),
        district=filters.get("district", ""),
        village=filters.get("village", ""),
        duplicates_only=filters.get("duplicates", False),
    )
    page = keyset_page(request, rows, order=selectors.QUEUE_ORDER, size=PAGE_SIZE)
    return render(
        request,
        "candidates/queue.html",
        {
            "form": form,
            "page_obj": page,
        },
    )


@capability_required("candidates.verify")
def duplicates(request):
    form = DuplicateFilterForm(request.GET or {"status": DuplicateFlag.Status.OPEN})
    status = form.cleaned_data["status"] if form.is_valid() else DuplicateFlag.Status.OPEN
    page = keyset_page(
        request,
        selectors.duplicate_queue(status=status),
        order=selectors.DUPLICATE_ORDER,
        size=PAGE_SIZE,
    )
    for flag in page:  # ids of their own, so each card's labels work its own radio buttons
        flag.decision_form = DuplicateDecisionForm(auto_id=f"dup{flag.pk}_%s")
    audit_read(  # both people of each pair are shown side by side: a read of each
        actor=request.user,
        action="candidate.duplicate_view",
        targets=[person for flag in page for person in (flag.first, flag.second)],
        purpose="candidates:duplicates",
    )
    return render(
        request,
        "candidates/duplicates.html",
        {
            "form": form,
            "page_obj": page,
        },
    )
