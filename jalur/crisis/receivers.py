"""The handler of messages workers send to the city's number (notifications' `inbound_message`):
an SOS opens an urgent case and answers with the hotlines of the worker's country; numbered
answers become the month's check-in; anything else gets a reply saying how to answer."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from jalur.core.phone import normalize_phone
from jalur.notifications.inbound import InboundResult
from jalur.notifications.models import InboundMessage
from jalur.notifications.services import notify

from . import replies
from .contacts import sos_lines
from .models import UrgentCase
from .selectors import sender_worker, worker_country
from .services import _people_to_tell, sos_open

logger = logging.getLogger(__name__)
Outcome = InboundMessage.Outcome


def sender_number(raw: str) -> str | None:
    """The sender in E.164, from any country (a worker abroad writes from a Korean or Japanese SIM)."""
    return normalize_phone(raw, any_country=True)


def _unknown_sos(message: InboundMessage, number: str | None) -> InboundResult:
    """An SOS from a number Jalur cannot tie to one worker: the office is told (the message may be
    from a worker on a new SIM), and the sender gets the general hotlines, nothing about anyone."""
    for user in _people_to_tell(UrgentCase()):
        notify(
            user=user,
            key="urgent_unknown_sender",
            context={"sender": number or message.sender, "text": message.text[:500]},
        )
    return InboundResult(Outcome.UNKNOWN_SENDER, replies.reply_unknown_sos(sos_lines(None)))


def inbound_reply(sender, message: InboundMessage, **kwargs) -> InboundResult:
    with translation.override(settings.LANGUAGE_CODE):
        number = sender_number(message.sender)
        worker = sender_worker(number) if number else None
        reading = replies.read_reply(message.text)
        if worker is None:
            if reading.kind == replies.SOS:
                return _unknown_sos(message, number)
            return InboundResult(Outcome.UNKNOWN_SENDER)  # no reply: nothing about anyone
        if reading.kind == replies.SOS:
            sos_open(
                candidate=worker,
                words=message.text,
                via=UrgentCase.Via.REPLY,
                actor=f"pesan masuk #{message.pk}",
                at=message.sent_at or message.received_at,
            )
            lines = sos_lines(worker_country(worker))
            return InboundResult(Outcome.SOS, replies.reply_sos(lines), worker.pk)
        if reading.kind == replies.UNREADABLE:
            return InboundResult(
                Outcome.UNPARSED, replies.reply_unreadable(reading.problems), worker.pk
            )
        from jalur.protection.services import checkin_answers_record

        try:
            checkin_answers_record(
                candidate=worker,
                answers=reading.answers,
                reporter_kind="worker",
                actor=None,
                channel="sms",
                at=message.sent_at or message.received_at,
            )
        except ValidationError as error:
            return InboundResult(
                Outcome.REFUSED, replies.reply_refused(" ".join(error.messages)), worker.pk
            )
        return InboundResult(Outcome.CHECKIN, replies.reply_recorded(), worker.pk)
