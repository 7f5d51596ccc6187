"""Enrolling people in a cohort: the programme manager enrols, the cohort's provider proposes, and
the manager confirms the proposals waiting (one at a time or many at once)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.candidates.access import candidates_for
from jalur.candidates.models import Candidate
from jalur.candidates.selectors import candidate_search

from . import services
from .access import access_cohort
from .forms import EnrolForm, ProposalDecisionForm
from .models import EnrolmentStatus
from .proposals import ProposalStatus
from .queues import pending_proposals, waiting_work
from .selectors import late_joining

# A provider sees no list of job seekers to browse: it looks up the person it knows by name.
STAFF_MIN_QUERY = 3


def enrol_blocked(cohort, *, today=None) -> str:
    """Why no one can be enrolled or proposed in the cohort now, said before anyone is picked."""
    today = today or timezone.localdate()
    if cohort.closed_at:
        return _(
            "Angkatan ini sudah ditutup pada %(date)s: tidak ada yang bisa didaftarkan lagi. "
            "Daftarkan di angkatan lain dari program ini."
        ) % {"date": date_format(timezone.localtime(cohort.closed_at).date(), "DATE_FORMAT")}
    if today > cohort.end_date:
        return _(
            "Angkatan ini sudah selesai pada %(date)s: tidak ada yang bisa didaftarkan lagi. "
            "Daftarkan di angkatan lain dari program ini."
        ) % {"date": date_format(cohort.end_date, "DATE_FORMAT")}
    late = late_joining(cohort, on=today)
    if late is not None and late.cannot_pass:
        return late.ruling.message
    return ""


def _candidates(request, cohort, *, manager: bool, query: str, browse: bool = False):
    """Who may be enrolled (or proposed) here; `browse`: every one of them, to check a POST."""
    busy = cohort.programme.cohorts.filter(
        enrolments__status__in=[
            EnrolmentStatus.WAITING,
            EnrolmentStatus.ENROLLED,
            EnrolmentStatus.COMPLETED,
        ]
    ).values("enrolments__candidate_id")
    proposed = cohort.programme.cohorts.filter(proposals__status=ProposalStatus.PENDING).values(
        "proposals__candidate_id"
    )
    base = candidates_for(request.user) if manager else Candidate.objects.all()
    eligible = (
        base.filter(stage__in=services.ENROLLABLE_STAGES)
        .exclude(pk__in=busy)
        .exclude(pk__in=proposed)
        .order_by("full_name", "pk")
    )
    if browse:
        return eligible
    if not manager and len(query) < STAFF_MIN_QUERY:
        return eligible.none()
    return candidate_search(eligible, query, user=request.user)


@capability_required("training.enrol", "training.manage")
def cohort_enrol(request, pk):
    """Managers enrol; the cohort's training staff propose (the manager confirms)."""
    cohort = access_cohort(request.user, pk, write=True)
    manager = can(request.user, "training.enrol")
    blocked = enrol_blocked(cohort)
    query = request.GET.get("q", "").strip()
    eligible = _candidates(request, cohort, manager=manager, query=query)
    posted = request.method == "POST" and not blocked
    if request.method == "POST" and blocked:
        messages.error(request, blocked)
    choices = _candidates(request, cohort, manager=manager, query="", browse=True)
    form = EnrolForm(request.POST if posted else None, candidates=choices)
    if posted and form.is_valid():
        done = waiting = 0
        for candidate in form.cleaned_data["candidates"]:
            try:
                if manager:
                    enrolment = services.enrolment_create(
                        cohort=cohort, candidate=candidate, actor=request.user
                    )
                    waiting += enrolment.status == EnrolmentStatus.WAITING
                    done += enrolment.status == EnrolmentStatus.ENROLLED
                else:
                    services.enrolment_propose(
                        cohort=cohort, candidate=candidate, actor=request.user
                    )
                    done += 1
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, f"{candidate.full_name}: {message}")
        if done and manager:
            messages.success(request, _("%(n)s peserta didaftarkan.") % {"n": done})
        elif done:
            messages.success(
                request,
                ngettext(
                    "%(n)s orang diusulkan. Usulan Anda menunggu persetujuan pengelola program.",
                    "%(n)s orang diusulkan. Usulan Anda menunggu persetujuan pengelola program.",
                    done,
                )
                % {"n": done},
            )
        if waiting:
            messages.warning(
                request,
                _("%(n)s orang masuk daftar tunggu karena kelas atau kuota penuh.")
                % {"n": waiting},
            )
        if manager:
            return redirect("training:cohort_detail", pk=cohort.pk)
        return redirect("training:cohort_enrol", pk=cohort.pk)
    return render(
        request,
        "training/cohort_enrol.html",
        {
            "cohort": cohort,
            "form": form,
            "query": query,
            "manager": manager,
            "blocked": blocked,
            "shown": [] if blocked else eligible[:200],
            "min_query": STAFF_MIN_QUERY,
            "late": late_joining(cohort),
            "pending": pending_proposals(request.user).filter(cohort=cohort),
            # the provider reads the manager's decisions (and why a proposal was declined) here
            "decided": cohort.proposals.exclude(status=ProposalStatus.PENDING)
            .select_related("candidate")
            .order_by("-decided_at", "-pk")[:30],
            "free": cohort.capacity
            - cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED).count(),
        },
    )


@capability_required("training.enrol")
def proposal_list(request):
    """The proposals waiting for the programme manager, oldest first, decided many at once."""
    pending = pending_proposals(request.user)
    form = ProposalDecisionForm(request.POST or None, proposals=pending)
    return render(request, "training/proposals.html", {"form": form, "pending": pending})


@capability_required("training.enrol")
@require_POST
def proposal_decide(request):
    pending = pending_proposals(request.user)
    form = ProposalDecisionForm(request.POST, proposals=pending)
    if not form.is_valid():
        return render(request, "training/proposals.html", {"form": form, "pending": pending})
    accept = form.cleaned_data["decision"] == "accept"
    decided = 0
    for proposal in form.cleaned_data["proposals"]:
        try:
            if accept:
                services.proposal_accept(proposal=proposal, actor=request.user)
            else:
                services.proposal_decline(
                    proposal=proposal, actor=request.user, reason=form.cleaned_data["reason"]
                )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, f"{proposal.candidate.full_name}: {message}")
        else:
            decided += 1
    if decided:
        messages.success(
            request,
            (_("%(n)s usulan disetujui.") if accept else _("%(n)s usulan ditolak."))
            % {"n": decided},
        )
    return redirect("training:proposals")


@capability_required("training.view")
def work_view(request):
    """Everything in training waiting for this user, each list with its direct links."""
    work = waiting_work(request.user)
    return render(
        request,
        "training/work.html",
        {"work": work, "manager": can(request.user, "training.enrol")},
    )
