"""The two state machines of placement, each on one screen: job orders and applications.

Every move goes through one service in services.py that checks these tables, writes the history row
and the audit row in the same transaction, and notifies the people concerned.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Menunggu tinjauan Disnakertrans")
    RETURNED = "returned", _("Dikembalikan untuk perbaikan")
    APPROVED = "approved", _("Disetujui, menerima pelamar")
    REJECTED = "rejected", _("Ditolak")
    FILLED = "filled", _("Terisi penuh")
    CLOSED = "closed", _("Ditutup")


S = OrderStatus
ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.CLOSED}),
    S.SUBMITTED: frozenset({S.APPROVED, S.RETURNED, S.REJECTED}),
    S.RETURNED: frozenset({S.SUBMITTED, S.CLOSED}),
    S.APPROVED: frozenset({S.FILLED, S.CLOSED}),
    S.REJECTED: frozenset(),
    # A filled order opens again when a worker who accepted withdraws before departure.
    S.FILLED: frozenset({S.APPROVED, S.CLOSED}),
    S.CLOSED: frozenset(),
}
# The agency may change the order's content only while it is its own draft or sent back to it.
ORDER_EDITABLE = frozenset({S.DRAFT, S.RETURNED})
# Orders in these states hold their positions against the SIP2MI permit and the PKS quota; they get
# there only through a submission, which checks the quota under a row lock. A draft or an order
# returned for correction holds nothing (its positions may still change), and a closed order keeps
# only the positions its accepted offers used (see services.positions_used).
ORDER_HOLDS_QUOTA = frozenset({S.SUBMITTED, S.APPROVED, S.FILLED})
ORDER_PUBLIC = frozenset({S.APPROVED})


class ApplicationStatus(models.TextChoices):
    RECOMMENDED = "recommended", _("Direkomendasikan Jalur")
    APPLIED = "applied", _("Melamar")
    SHORTLISTED = "shortlisted", _("Masuk daftar pendek")
    INTERVIEW_SCHEDULED = "interview", _("Wawancara dijadwalkan")
    INTERVIEWED = "interviewed", _("Sudah diwawancara")
    SELECTED = "selected", _("Dipilih pemberi kerja")
    OFFERED = "offered", _("Ditawari kerja")
    ACCEPTED = "accepted", _("Menerima tawaran")
    DECLINED = "declined", _("Menolak tawaran")
    NOT_SELECTED = "not_selected", _("Tidak terpilih")
    WITHDRAWN = "withdrawn", _("Mengundurkan diri")
    # Ended by Jalur, not by anyone's choice: the person accepted another offer, or the order was
    # filled or closed. The reason says which ("Dibatalkan otomatis: …").
    CANCELLED = "cancelled", _("Dibatalkan otomatis")


A = ApplicationStatus
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    A.RECOMMENDED: frozenset({A.APPLIED, A.SHORTLISTED, A.NOT_SELECTED, A.WITHDRAWN, A.CANCELLED}),
    A.APPLIED: frozenset({A.SHORTLISTED, A.NOT_SELECTED, A.WITHDRAWN, A.CANCELLED}),
    # Straight to "interviewed" when an interview already held is entered with its result.
    A.SHORTLISTED: frozenset(
        {A.INTERVIEW_SCHEDULED, A.INTERVIEWED, A.NOT_SELECTED, A.WITHDRAWN, A.CANCELLED}
    ),
    # Scheduling again is a reschedule.
    A.INTERVIEW_SCHEDULED: frozenset(
        {A.INTERVIEW_SCHEDULED, A.INTERVIEWED, A.NOT_SELECTED, A.WITHDRAWN, A.CANCELLED}
    ),
    A.INTERVIEWED: frozenset({A.SELECTED, A.NOT_SELECTED, A.WITHDRAWN, A.CANCELLED}),
    A.SELECTED: frozenset({A.OFFERED, A.NOT_SELECTED, A.WITHDRAWN, A.CANCELLED}),
    A.OFFERED: frozenset({A.ACCEPTED, A.DECLINED, A.NOT_SELECTED, A.WITHDRAWN, A.CANCELLED}),
    # After accepting, the candidate may still withdraw (for example after an unfit medical check).
    A.ACCEPTED: frozenset({A.WITHDRAWN}),
    A.DECLINED: frozenset(),
    A.NOT_SELECTED: frozenset(),
    A.WITHDRAWN: frozenset(),
    A.CANCELLED: frozenset(),
}
# A candidate with one of these is "in selection" (candidate stage SELECTION).
APPLICATION_LIVE = frozenset(
    {A.APPLIED, A.SHORTLISTED, A.INTERVIEW_SCHEDULED, A.INTERVIEWED, A.SELECTED, A.OFFERED}
)
# Still open: the live ones plus a recommendation the candidate has not answered yet.
APPLICATION_OPEN = APPLICATION_LIVE | {A.RECOMMENDED}
APPLICATION_ENDED = frozenset({A.DECLINED, A.NOT_SELECTED, A.WITHDRAWN, A.CANCELLED})
# From here on the agency needs to reach the person, so it sees their phone number.
APPLICATION_CONTACT = frozenset(
    {A.SHORTLISTED, A.INTERVIEW_SCHEDULED, A.INTERVIEWED, A.SELECTED, A.OFFERED, A.ACCEPTED}
)


def application_can_move(from_status: str, to_status: str) -> bool:
    return to_status in APPLICATION_TRANSITIONS.get(from_status, frozenset())
