"""Cohort pages: today's sessions, a cohort's form, page and schedule, and closing it (the list
is in list_views.py, enrolling in enrol_views.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.core.forms_errors import apply_errors, form_page, post_action

from .. import services
from ..access import access_cohort, access_session, cohorts_for, providers_for
from ..forms import CohortForm, ScheduleForm
from ..models import EnrolmentStatus, Session
from ..selectors import (
    attendance_rates,
    cohort_completion,
    quota_used,
    requirement_label,
    schedule_progress,
    waiting_key,
)


def _errors_to_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@capability_required("training.view")
def today_view(request):
    today = timezone.localdate()
    sessions = (
        Session.objects.filter(
            cohort__in=cohorts_for(request.user).values("pk"),
            date=today,
            cohort__closed_at__isnull=True,
        )
        .select_related("cohort__programme", "cohort__provider__organisation")
        .order_by("start_time")
    )
    return render(request, "training/today.html", {"sessions": sessions, "today": today})


@capability_required("training.manage")
def cohort_create(request):
    providers = providers_for(request.user).filter(is_active=True)

    def save(data):
        programme, provider = data.pop("programme"), data.pop("provider")
        return services.cohort_create(
            actor=request.user, programme=programme, provider=provider, data=data
        )

    return form_page(
        request,
        CohortForm(request.POST or None, providers=providers),
        save=save,
        success=_("Angkatan dibuat. Tambahkan jadwal sesinya."),
        done=lambda cohort: reverse("training:cohort_schedule", args=[cohort.pk]),
        template="training/cohort_form.html",
        context={"cohort": None, "providers": providers},
    )


@capability_required("training.manage")
def cohort_edit(request, pk):
    cohort = access_cohort(request.user, pk, write=True)
    return form_page(
        request,
        CohortForm(request.POST or None, instance=cohort),
        save=lambda data: services.cohort_update(actor=request.user, cohort=cohort, data=data),
        success=_("Angkatan disimpan."),
        done=reverse("training:cohort_detail", args=[cohort.pk]),
        template="training/cohort_form.html",
        context={"cohort": cohort},
    )


@capability_required("training.view")
def cohort_detail(request, pk):
    cohort = access_cohort(request.user, pk)
    enrolments = list(
        cohort.enrolments.select_related("candidate", "certificate").order_by(
            "status", "candidate__full_name"
        )
    )
    rates = attendance_rates(e.pk for e in enrolments)
    groups = {s: [] for s in EnrolmentStatus.values}
    for e in enrolments:
        groups[e.status].append((e, rates.get(e.pk)))
    # the waiting list in the order seats are given: by the time people joined it
    groups[EnrolmentStatus.WAITING].sort(key=lambda row: waiting_key(row[0]))
    sessions = list(cohort.sessions.all())
    today = timezone.localdate()
    costs = cohort.costs.aggregate(total=Sum("amount"))["total"] or 0
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "programme": cohort.programme,
            "groups": groups,
            "enrolled": groups[EnrolmentStatus.ENROLLED],
            "waiting": groups[EnrolmentStatus.WAITING],
            "ended": groups[EnrolmentStatus.COMPLETED]
            + groups[EnrolmentStatus.FAILED]
            + groups[EnrolmentStatus.WITHDRAWN]
            + groups[EnrolmentStatus.REVOKED],
            "sessions": sessions,
            "schedule": schedule_progress(cohort, on=today, sessions=sessions),
            "sessions_held": sum(1 for s in sessions if s.register_saved_at),
            "sessions_due": [s for s in sessions if s.date <= today and not s.register_saved_at],
            "today": today,
            "quota_used": quota_used(cohort.programme),
            "cost_total": costs,
            "certificates": sum(1 for e in enrolments if hasattr(e, "certificate")),
            "requirements": [requirement_label(r) for r in cohort.programme.required_assessments],
            "may_manage": can(request.user, "training.manage"),
            "may_enrol": can(request.user, "training.enrol"),
        },
    )


@capability_required("training.manage")
def cohort_schedule(request, pk):
    cohort = access_cohort(request.user, pk, write=True)
    form = ScheduleForm(
        request.POST or None,
        initial={"first_date": cohort.start_date, "last_date": cohort.end_date},
    )
    if request.method == "POST" and form.is_valid():
        try:
            added = services.sessions_schedule(
                actor=request.user, cohort=cohort, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                ngettext("%(n)s sesi ditambahkan.", "%(n)s sesi ditambahkan.", len(added))
                % {"n": len(added)},
            )
            return redirect("training:cohort_schedule", pk=cohort.pk)
    return render(
        request,
        "training/cohort_schedule.html",
        {"cohort": cohort, "form": form, "sessions": cohort.sessions.all()},
    )


@require_POST
@capability_required("training.manage")
def session_delete(request, pk):
    session = access_session(request.user, pk, write=True)
    return post_action(
        request,
        None,
        save=lambda _data: services.session_delete(actor=request.user, session=session),
        success=_("Sesi dihapus."),
        done=reverse("training:cohort_schedule", args=[session.cohort_id]),
    )


@capability_required("training.manage")
def cohort_close(request, pk):
    cohort = access_cohort(request.user, pk, write=True)
    schedule = schedule_progress(cohort)
    outcomes = cohort_completion(cohort, schedule=schedule)
    if request.method == "POST":
        try:
            summary = services.cohort_close(cohort=cohort, actor=request.user)
        except ValidationError as error:
            _errors_to_messages(request, error)
        else:
            messages.success(
                request,
                _("Angkatan ditutup: %(completed)s lulus, %(failed)s tidak lulus.") % summary,
            )
            return redirect("training:cohort_detail", pk=cohort.pk)
    return render(
        request,
        "training/cohort_close.html",
        {
            "cohort": cohort,
            "outcomes": outcomes,
            "schedule": schedule,
            "passing": sum(1 for _e, c in outcomes if c.requirements_met),
            "undone": cohort.sessions.filter(
                date__lte=timezone.localdate(), register_saved_at__isnull=True
            ).count(),
        },
    )
