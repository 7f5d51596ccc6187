"""Pathway pages: the list and each pathway, editing (managers), job types, a candidate's
eligibility with the assignment form, and the public page of open and closed channels."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required, public
from jalur.accounts.roles import can
from jalur.candidates.access import access_candidate, candidates_for
from jalur.candidates.selectors import candidate_search
from jalur.candidates.stages import Stage
from jalur.core.forms_errors import apply_errors
from jalur.core.pagination import keyset_page

from .forms import AssignForm, EndAssignmentForm, JobTypeForm, PathwayForm
from .models import Country, JobType, Pathway, PathwayAssignment, PathwayState
from .selectors import (
    active_assignment,
    candidate_eligibility,
    eligibility_summary,
    job_type_list,
    pathway_list,
    pathway_rule_lines,
)
from .services import (
    ASSIGNABLE_STAGES,
    job_type_update,
    pathway_assign,
    pathway_assignment_end,
    pathway_create,
    pathway_update,
)


def _get_pathway(pk) -> Pathway:
    # Pathways are reference data every role with pathways.view may read: no organisation scope.
    pathway = Pathway.objects.prefetch_related("job_types").filter(pk=pk).first()
    if pathway is None:
        raise Http404
    return pathway


def _state_tag(pathway: Pathway, today) -> str:
    if not pathway.is_open(today):
        return "tag-warn" if pathway.state == PathwayState.SUSPENDED else "tag-bad"
    return "tag-warn" if pathway.closes_on else "tag-ok"


def _rows(pathways):
    today = timezone.localdate()
    return [
        {
            "pathway": p,
            "rules": pathway_rule_lines(p),
            "open": p.is_open(today),
            "state": p.state_display(today),
            "tag": _state_tag(p, today),
        }
        for p in pathways
    ]


@capability_required("pathways.view")
def pathway_list_view(request):
    pathways = pathway_list()
    country = request.GET.get("negara", "")
    if country in Country.values:
        pathways = pathways.filter(country=country)
    return render(
        request,
        "pathways/list.html",
        {"rows": _rows(pathways), "country": country, "countries": Country.choices},
    )


@capability_required("pathways.view")
def pathway_detail(request, pk):
    pathway = _get_pathway(pk)
    active = (
        PathwayAssignment.objects.filter(pathway=pathway, is_active=True)
        .select_related("candidate", "job_type")
        .filter(candidate__in=candidates_for(request.user).values("pk"))
    )
    return render(
        request,
        "pathways/detail.html",
        {
            "pathway": pathway,
            "row": _rows([pathway])[0],
            "active": active[:200],
            "active_count": active.count(),
        },
    )


@capability_required("pathways.manage")
def pathway_edit(request, pk=None):
    pathway = _get_pathway(pk) if pk else Pathway()
    form = PathwayForm(request.POST or None, instance=pathway)
    if request.method == "POST" and form.is_valid():
        try:
            if pk:
                pathway = pathway_update(
                    actor=request.user,
                    pathway=pathway,
                    data=form.service_data(),
                    job_types=form.cleaned_data["job_types"],
                    reason=form.cleaned_data["reason"],
                )
            else:
                pathway = pathway_create(
                    actor=request.user,
                    data=form.service_data(),
                    job_types=form.cleaned_data["job_types"],
                    reason=form.cleaned_data["reason"],
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Skema disimpan. Perubahan tercatat di jejak audit."))
            return redirect("pathways:detail", pk=pathway.pk)
    return render(request, "pathways/edit.html", {"form": form, "pathway": pathway})


@capability_required("pathways.view")
def job_type_list_view(request):
    today = timezone.localdate()
    rows = [
        {"job_type": jt, "open": jt.open_pathways(today), "all": list(jt.pathways.all())}
        for jt in job_type_list()
    ]
    return render(request, "pathways/job_types.html", {"rows": rows})


@capability_required("pathways.manage")
def job_type_edit(request, pk):
    job_type = JobType.objects.filter(pk=pk).first()
    if job_type is None:
        raise Http404
    form = JobTypeForm(request.POST or None, instance=job_type)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            job_type_update(
                actor=request.user,
                job_type=job_type,
                data=data,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Jenis pekerjaan disimpan."))
            return redirect("pathways:job_types")
    return render(request, "pathways/job_type_edit.html", {"form": form, "job_type": job_type})


@capability_required("pathways.view")
def eligibility_list(request):
    """Candidates ready for a pathway decision, each with how many pathways they may start."""
    stage = request.GET.get("tahap", Stage.VERIFIED)
    if stage not in ASSIGNABLE_STAGES:
        stage = Stage.VERIFIED
    candidates = candidates_for(request.user).filter(stage=stage)
    query = request.GET.get("q", "").strip()
    candidates = candidate_search(candidates, query, user=request.user)
    page = keyset_page(request, candidates, order=("full_name", "pk"), size=25)
    summary = eligibility_summary(page.object_list)
    assignments = {
        a.candidate_id: a
        for a in PathwayAssignment.objects.filter(
            candidate__in=[c.pk for c in page.object_list], is_active=True
        ).select_related("pathway")
    }
    rows = [
        {"candidate": c, "summary": summary[c.pk], "assignment": assignments.get(c.pk)}
        for c in page.object_list
    ]
    return render(
        request,
        "pathways/eligibility_list.html",
        {
            "rows": rows,
            "page_obj": page,
            "stage": stage,
            "stages": [
                (s, Stage(s).label) for s in (Stage.VERIFIED, Stage.TRAINING, Stage.TRAINED)
            ],
            "query": query,
        },
    )


@capability_required("pathways.view")
def candidate_eligibility_view(request, candidate_pk):
    candidate = access_candidate(request.user, candidate_pk)
    rows = candidate_eligibility(candidate)
    today = timezone.localdate()
    startable = [p for p, outcome in rows if outcome.can_start and p.is_open(today)]
    may_assign = can(request.user, "pathways.assign") and candidate.stage in ASSIGNABLE_STAGES
    form = AssignForm(pathways=startable) if may_assign else None
    return render(
        request,
        "pathways/candidate.html",
        {
            "candidate": candidate,
            "rows": rows,
            "assignment": active_assignment(candidate),
            "form": form,
            "end_form": EndAssignmentForm() if can(request.user, "pathways.assign") else None,
            "assignable": candidate.stage in ASSIGNABLE_STAGES,
        },
    )


@require_POST
@capability_required("pathways.assign")
def assign(request, candidate_pk):
    candidate = access_candidate(request.user, candidate_pk)
    form = AssignForm(request.POST, pathways=Pathway.objects.all())
    if not form.is_valid():
        messages.error(request, _("Pilih skema yang akan ditetapkan."))
        return redirect("pathways:candidate", candidate_pk=candidate.pk)
    try:
        pathway_assign(
            candidate=candidate,
            pathway=form.cleaned_data["pathway"],
            job_type=form.cleaned_data["job_type"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Skema %(name)s ditetapkan.") % {"name": form.cleaned_data["pathway"].name},
        )
    return redirect("pathways:candidate", candidate_pk=candidate.pk)


@require_POST
@capability_required("pathways.assign")
def assignment_end(request, candidate_pk):
    candidate = access_candidate(request.user, candidate_pk)
    assignment = active_assignment(candidate)
    form = EndAssignmentForm(request.POST)
    if assignment is None:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Tulis alasan skema ini diakhiri."))
    else:
        pathway_assignment_end(
            assignment=assignment, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Penetapan skema diakhiri."))
    return redirect("pathways:candidate", candidate_pk=candidate.pk)


@public
def public_pathways(request):
    """Which legal channels are open, suspended or closed (PP 59/2021 Pasal 4: public information)."""
    rows = _rows(pathway_list())
    return render(
        request,
        "pathways/public.html",
        {
            "open_rows": [r for r in rows if r["open"]],
            "closed_rows": [r for r in rows if not r["open"]],
            "job_types": [
                {"job_type": jt, "open": jt.open_pathways()}
                for jt in job_type_list().filter(is_active=True)
            ],
            "states": PathwayState,
        },
    )
