"""Delivery channels. Each takes an OutboxMessage and sends it, or raises.

E-mail goes through Django's EMAIL_BACKEND; WhatsApp or SMS through the phone gateway the city set
(gateways.py), when it set one.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import send_mail

from . import gateways
from .models import Channel, OutboxMessage


def send_email(message: OutboxMessage) -> None:
    send_mail(
        subject=message.subject,
        message=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[message.recipient],
        fail_silently=False,
    )


SMS_LENGTH = 300  # two SMS segments: each costs the city


def phone_text(message: OutboxMessage) -> str:
    """WhatsApp gets the whole message; an SMS the title and the link (or the start of the body),
    so a message does not cost five segments."""
    text = f"{message.subject}\n\n{message.body}"
    if message.channel != Channel.SMS or len(text) <= SMS_LENGTH:
        return text
    _body, _sep, last = message.body.rpartition("\n\n")
    if last.startswith(("http://", "https://")):
        return f"{message.subject}\n{last}"
    return text[: SMS_LENGTH - 1] + "…"


def send_phone(message: OutboxMessage) -> None:
    gateway = gateways.phone_gateway()
    if gateway is None:
        raise gateways.GatewayError("JALUR_PHONE_GATEWAY is off")
    gateway.send(to=message.recipient, text=phone_text(message))


def sender_for(channel: str) -> Callable[[OutboxMessage], None]:
    return send_email if channel == Channel.EMAIL else send_phone


def phone_abroad(user) -> str:
    """A worker's own number in the country of placement while they are there, else "". Read
    through the account's `candidate` relation (notifications imports nothing of candidates);
    `phone_abroad_in_use` is "" once the worker is back, when the number may be someone else's."""
    try:
        candidate = user.candidate
    except ObjectDoesNotExist:
        return ""
    return getattr(candidate, "phone_abroad_in_use", "") or ""


def recipients_for(user) -> list[tuple[str, str]]:
    """(channel, address) pairs a user can be reached on outside the app: e-mail, the account's
    Indonesian number and, while a worker is abroad, their number there (a SIM at home is often
    off or out of credit abroad; the family may keep it)."""
    pairs = []
    if user.email:
        pairs.append((Channel.EMAIL, user.email))
    phone_channel = gateways.phone_channel()
    if phone_channel:
        for number in dict.fromkeys((user.phone, phone_abroad(user))):
            if number:
                pairs.append((phone_channel, number))
    return pairs
