"""The monthly check-in of a worker abroad: its questions, in the order a reply by SMS or WhatsApp
numbers them ("1 ya 2 ya 3 tidak 6 2100000").

The questions are the programme's; what an answer means in law (a wage below the contract, a
passport held by someone else) is decided by the rules below them.
"""

import enum
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


class Kind(enum.StrEnum):
    YES_NO = "yes_no"
    NUMBER = "number"


@dataclass(frozen=True)
class Question:
    number: int  # its number in a reminder message and in a reply
    key: str  # the answer's key: the field of the check-in that keeps it
    kind: Kind
    text: str  # as asked on the page and in the reminder
    required: bool = True


QUESTIONS: tuple[Question, ...] = (
    Question(1, "wage_on_time", Kind.YES_NO, _("Gaji bulan ini dibayar tepat waktu?")),
    Question(2, "passport_held", Kind.YES_NO, _("Paspor Anda pegang sendiri?")),
    Question(3, "housing_ok", Kind.YES_NO, _("Tempat tinggal layak dan aman?")),
    Question(4, "health_ok", Kind.YES_NO, _("Anda sehat?")),
    Question(5, "need_help", Kind.YES_NO, _("Anda perlu bantuan?")),
    Question(
        6, "wage_amount", Kind.NUMBER, _("Berapa gaji yang Anda terima bulan ini?"), required=False
    ),
    Question(
        7, "hours_per_week", Kind.NUMBER, _("Berapa jam Anda bekerja seminggu?"), required=False
    ),
)
BY_NUMBER = {q.number: q for q in QUESTIONS}
BY_KEY = {q.key: q for q in QUESTIONS}
