"""What training shows on other apps' pages: the staff home widget and the candidate-page section."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jalur.accounts.roles import Role, can

from .access import cohorts_for
from .models import Enrolment, EnrolmentStatus, ResultKind, Session
from .queues import count, waiting_work
from .selectors import candidate_training


def training_widgets(user) -> list[dict]:
    if not can(user, "training.view"):
        return []
    today = timezone.localdate()
    cohorts = cohorts_for(user)
    running = cohorts.filter(start_date__lte=today, end_date__gte=today, closed_at__isnull=True)
    enrolments = Enrolment.objects.filter(cohort__in=cohorts.values("pk"))
    list_url = reverse("training:cohort_list")
    stats = [
        {
            "label": _("Angkatan berjalan"),
            "value": running.count(),
            "url": f"{list_url}?status=running",
        },
        {
            "label": _("Peserta aktif"),
            "value": enrolments.filter(status=EnrolmentStatus.ENROLLED).count(),
            "url": list_url,
        },
        {
            "label": _("Daftar tunggu"),
            "value": enrolments.filter(status=EnrolmentStatus.WAITING).count(),
            "url": list_url,
        },
        {
            "label": _("Sesi hari ini belum diabsen"),
            "value": Session.objects.filter(
                cohort__in=running.values("pk"), date=today, register_saved_at__isnull=True
            ).count(),
            "url": reverse("training:today"),
        },
    ]
    widgets = [{"title": _("Pelatihan"), "stats": stats, "text": ""}]
    work = waiting_work(user, on=today)
    todo = reverse("training:work")
    waiting = []
    if "sessions" in work:
        waiting += [
            {
                "label": _("Sesi belum diabsen"),
                "value": count(work["sessions"]),
                "url": f"{todo}#absensi",
            },
            {
                "label": _("Nilai ujian belum dicatat"),
                "value": count(work["scores"]),
                "url": f"{todo}#nilai",
            },
            {
                "label": _("Kelulusan belum diputuskan"),
                "value": count(work["completions"]),
                "url": f"{todo}#kelulusan",
            },
            {
                "label": _("Angkatan menunggu ditutup dan sertifikat diterbitkan"),
                "value": count(work["closing"]),
                "url": f"{todo}#sertifikat",
            },
        ]
    if "proposals" in work:
        manager = can(user, "training.enrol")
        waiting.append(
            {
                "label": _("Usulan peserta menunggu persetujuan Anda")
                if manager
                else _("Usulan Anda menunggu persetujuan pengelola program"),
                "value": count(work["proposals"]),
                "url": reverse("training:proposals") if manager else f"{todo}#usulan",
            }
        )
    if waiting:
        widgets.append({"title": _("Pelatihan: menunggu tindakan"), "stats": waiting, "text": ""})
    return widgets


def candidate_section(candidate, user) -> list[dict]:
    """Attendance and scores on the candidate pages (the staff view and the candidate's own page)."""
    own = user.role == Role.CANDIDATE and candidate.user_id == user.pk
    staff = can(user, "training.view")
    if not (own or staff or can(user, "candidates.view")):
        return []
    data = candidate_training(candidate)
    enrolments = data["enrolments"]
    assessments = data["assessments"]
    if user.role == Role.TRAINING_STAFF:
        enrolments = [
            (e, rate)
            for e, rate in enrolments
            if e.cohort.provider.organisation_id == user.organisation_id
        ]
    if not (own or staff):
        # Agencies see official results for selection, not the attendance record.
        enrolments = []
        assessments = [a for a in assessments if a.kind == ResultKind.OFFICIAL]
    if not (enrolments or assessments) and not own:
        return []
    return [
        {
            "title": _("Pelatihan dan nilai ujian"),
            "template": "training/sections/candidate.html",
            "context": {
                "candidate": candidate,
                "enrolments": enrolments,
                "assessments": assessments,
                "own": own,
                "staff": staff,
                "can_record": can(user, "training.manage"),
            },
        }
    ]
