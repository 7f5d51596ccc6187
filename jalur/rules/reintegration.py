"""After the return home: when the office asks a returnee how they are doing.

Protection after work includes social reintegration and the economic empowerment of the worker and
their family (UU 18/2017 Pasal 24 ayat (1) huruf d-e), carried out by BP2MI with the kab/kota
government (PP 59/2021 Pasal 21-22: vocational training, entrepreneurship guidance, counselling).
How often the city follows a returnee up is the programme's own rule: 1, 3 and 6 months after the
return day, each follow-up asking whether they found work, started a business, what they earn, what
they need, and whether they want to go abroad again.

Months are calendar months (`documents.add_months`): a return on 31 January is followed up on
28 (or 29) February, 30 April and 31 July. A follow-up not done 14 days after its day is overdue:
the office is told, and calls the returnee.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from . import sources
from .documents import add_months
from .registry import rule
from .sources import Source

AFTER_WORK = Source(*sources.UU_18_2017, article="Pasal 24 ayat (1) huruf d-e")
REINTEGRATION = Source(*sources.PP_59_2021, article="Pasal 21-22")

# The months after the return day at which the returnee is asked how they are doing.
FOLLOW_UP_MONTHS: tuple[int, ...] = (1, 3, 6)
# Days after a follow-up's day before the office is told it was not done.
OVERDUE_AFTER_DAYS = 14


@dataclass(frozen=True)
class FollowUpDue:
    month: int  # 1, 3 or 6: the months after the return day
    due_on: datetime.date


def _table() -> list[tuple[str, ...]]:
    header = (
        str(gettext_lazy("Tindak lanjut")),
        str(gettext_lazy("Jatuh tempo")),
        str(gettext_lazy("Kantor diberi tahu bila belum")),
    )
    return [header] + [
        (
            str(gettext_lazy("bulan ke-%(n)d") % {"n": month}),
            str(gettext_lazy("%(n)d bulan kalender setelah tanggal pulang") % {"n": month}),
            str(gettext_lazy("%(n)d hari setelah jatuh tempo") % {"n": OVERDUE_AFTER_DAYS}),
        )
        for month in FOLLOW_UP_MONTHS
    ]


@rule(
    title=gettext_lazy("Tindak lanjut reintegrasi 1, 3 dan 6 bulan setelah pulang"),
    sources=(AFTER_WORK, REINTEGRATION, sources.PROGRAMME),
    table=_table,
)
def follow_up_schedule(returned_on: datetime.date) -> tuple[FollowUpDue, ...]:
    """The follow-ups of a return on `returned_on`: 1, 3 and 6 calendar months later (on the same
    day of the month, or that month's last day when it is shorter)."""
    return tuple(FollowUpDue(month, add_months(returned_on, month)) for month in FOLLOW_UP_MONTHS)


def follow_up_overdue(due_on: datetime.date, today: datetime.date) -> bool:
    """Whether a follow-up due on `due_on` and not done is overdue on `today`: more than
    `OVERDUE_AFTER_DAYS` days have passed."""
    return today > due_on + datetime.timedelta(days=OVERDUE_AFTER_DAYS)


def overdue_since(today: datetime.date) -> datetime.date:
    """The latest due day of a follow-up that is overdue on `today` (for a query: due on or before)."""
    return today - datetime.timedelta(days=OVERDUE_AFTER_DAYS + 1)
