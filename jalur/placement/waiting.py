"""What waits for whom in placement: each step with its count and a direct link.

A P3MI's staff see the applications waiting for their move (a new applicant to shortlist or turn
down, an interview to schedule, one held whose result is not recorded, the employer's choice, an offer
to make) and the orders it must fix; the programme's office sees the orders and SIP2MI changes to
review. The home page shows these counts (selectors.home_widgets) and `placement:applications` lists
one step's applications. A job seeker's offers waiting for an answer head their own page
(selectors.candidate_section).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jalur.accounts.roles import can

from .access import applications_for, orders_for, permits_for
from .models import Application, PermitChangeStatus
from .states import ApplicationStatus as AS
from .states import OrderStatus


@dataclass(frozen=True)
class Step:
    key: str
    label: object
    heading: object
    statuses: tuple[str, ...]
    due_only: bool = False  # interviews whose time has come


# The applications a P3MI moves on, in the order they happen.
AGENCY_STEPS = (
    Step(
        "baru",
        _("pelamar/rekomendasi baru"),
        _("Pelamar dan rekomendasi baru: masukkan daftar pendek atau nyatakan tidak terpilih"),
        (AS.APPLIED, AS.RECOMMENDED),
    ),
    Step(
        "wawancara",
        _("wawancara perlu dijadwalkan"),
        _("Masuk daftar pendek: jadwalkan wawancara, atau catat wawancara yang sudah berlangsung"),
        (AS.SHORTLISTED,),
    ),
    Step(
        "hasil",
        _("hasil wawancara perlu dicatat"),
        _("Wawancara yang waktunya sudah lewat: catat hasilnya"),
        (AS.INTERVIEW_SCHEDULED,),
        due_only=True,
    ),
    Step(
        "keputusan",
        _("menunggu keputusan pemberi kerja"),
        _("Sudah diwawancara: catat pilihan pemberi kerja"),
        (AS.INTERVIEWED,),
    ),
    Step(
        "tawaran",
        _("tawaran perlu dibuat"),
        _("Dipilih pemberi kerja: buat tawaran kerja"),
        (AS.SELECTED,),
    ),
    Step(
        "dijawab",
        _("tawaran menunggu jawaban pencari kerja"),
        _("Tawaran yang belum dijawab pencari kerja"),
        (AS.OFFERED,),
    ),
)
STEPS = {step.key: step for step in AGENCY_STEPS}


def _step_filter(step: Step, now: datetime.datetime) -> Q:
    condition = Q(status__in=step.statuses)
    if step.due_only:
        condition &= Q(interview_at__lte=now)
    return condition


STEP_ORDER = ("status_changed_at", "pk")


def step_applications(user, key: str, *, now=None) -> QuerySet[Application]:
    step = STEPS[key]
    return (
        applications_for(user)
        .filter(_step_filter(step, now or timezone.now()))
        .order_by(*STEP_ORDER)
    )


def agency_steps(user, *, now=None) -> list[dict]:
    """[{label, value, url}] for each application step, counted in one query."""
    now = now or timezone.now()
    counts = applications_for(user).aggregate(
        **{step.key: Count("pk", filter=_step_filter(step, now)) for step in AGENCY_STEPS}
    )
    url = reverse("placement:applications")
    return [
        {"label": step.label, "value": counts[step.key], "url": f"{url}?langkah={step.key}"}
        for step in AGENCY_STEPS
    ]


def agency_orders_to_fix(user) -> dict:
    returned = orders_for(user).filter(status=OrderStatus.RETURNED).count()
    return {
        "label": _("lowongan dikembalikan, perlu diperbaiki"),
        "value": returned,
        "url": f"{reverse('placement:order_list')}?status={OrderStatus.RETURNED}",
    }


def office_steps(user) -> list[dict]:
    """What waits for the programme's office: orders to review and SIP2MI changes to decide."""
    if not can(user, "placement.review"):
        return []
    submitted = orders_for(user).filter(status=OrderStatus.SUBMITTED).count()
    changes = (
        permits_for(user).filter(changes__status=PermitChangeStatus.PENDING).distinct().count()
    )
    return [
        {
            "label": _("lowongan menunggu tinjauan"),
            "value": submitted,
            "url": f"{reverse('placement:order_list')}?status={OrderStatus.SUBMITTED}",
        },
        {
            "label": _("perubahan SIP2MI menunggu keputusan"),
            "value": changes,
            "url": reverse("placement:permit_list"),
        },
    ]
