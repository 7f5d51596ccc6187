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

from django.db.models import Q, QuerySet
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


# A step's count stops here ("1000+"): counting further would read every application the agency
# ever had at that step, which grows with the programme; nobody works a queue that long by its size.
STEP_COUNT_CAP = 1000


def agency_steps(user, *, now=None) -> list[dict]:
    """[{label, value, more, url}] for each application step, each count stopping at
    STEP_COUNT_CAP (one short query per step along the (order, status) index)."""
    now = now or timezone.now()
    url = reverse("placement:applications")
    steps = []
    for step in AGENCY_STEPS:
        # unordered, so the database stops after cap + 1 rows of the agency's orders
        n = (
            applications_for(user)
            .filter(_step_filter(step, now))
            .order_by()
            .values("pk")[: STEP_COUNT_CAP + 1]
            .count()
        )
        steps.append(
            {
                "label": step.label,
                "value": min(n, STEP_COUNT_CAP),
                "more": n > STEP_COUNT_CAP,
                "url": f"{url}?langkah={step.key}",
            }
        )
    return steps


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
