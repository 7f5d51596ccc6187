"""The attendance register of a session, marked for the whole session or one trainee."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jalur.accounts.decorators import capability_required
from jalur.accounts.roles import can
from jalur.core.forms_errors import post_action

from .. import services
from ..access import access_enrolment, access_session
from ..models import AttendanceStatus
from ..selectors import register_row, register_rows


def _statuses():
    return AttendanceStatus.choices


@capability_required("training.view")
def register(request, pk):
    """The register of one session: everyone present by default; tap the ones who are not."""
    session = access_session(request.user, pk, write=request.method == "POST")
    if request.method == "POST":
        statuses = {}
        for key, value in request.POST.items():
            if key.startswith("s-") and key[2:].isdigit():
                statuses[int(key[2:])] = value
        return post_action(
            request,
            None,
            save=lambda _data: services.attendance_register_save(
                session=session, statuses=statuses, actor=request.user
            ),
            success=lambda counts: (
                _(
                    "Absensi disimpan: %(present)s hadir, %(late)s terlambat, %(excused)s izin/sakit, %(absent)s tidak hadir."
                )
                % counts
            ),
            done=reverse("training:register", args=[session.pk]),
        )
    today = timezone.localdate()
    return render(
        request,
        "training/register.html",
        {
            "session": session,
            "cohort": session.cohort,
            "rows": register_rows(session),
            "statuses": _statuses(),
            "editable": can(request.user, "training.manage")
            and not session.cohort.closed_at
            and session.date <= today,
            "today": today,
        },
    )


@require_POST
@capability_required("training.manage")
def register_mark(request, pk, enrolment_pk):
    """One tap (HTMX): returns the trainee's row; without HTMX, back to the register."""
    session = access_session(request.user, pk, write=True)
    enrolment = access_enrolment(request.user, enrolment_pk, write=True)
    status = request.POST.get(f"s-{enrolment.pk}") or request.POST.get("status", "")
    error_message = ""
    try:
        services.attendance_mark(
            session=session, enrolment=enrolment, status=status, actor=request.user
        )
    except ValidationError as error:
        error_message = " ".join(error.messages)
    if not request.htmx:
        if error_message:
            messages.error(request, error_message)
        return redirect("training:register", pk=session.pk)
    return render(
        request,
        "training/_register_row.html",
        {
            "row": register_row(session, enrolment),
            "session": session,
            "statuses": _statuses(),
            "editable": True,
            "error": error_message,
        },
    )
