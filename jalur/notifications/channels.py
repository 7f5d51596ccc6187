"""Delivery channels. Each takes an OutboxMessage and sends it, or raises.

SMS and WhatsApp plug in here: register a sender for Channel.SMS / Channel.WHATSAPP and add the
recipient in `recipients_for`.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.mail import send_mail

from .models import Channel, OutboxMessage


def send_email(message: OutboxMessage) -> None:
    send_mail(
        subject=message.subject,
        message=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[message.recipient],
        fail_silently=False,
    )


SENDERS: dict[str, Callable[[OutboxMessage], None]] = {Channel.EMAIL: send_email}


def recipients_for(user) -> list[tuple[str, str]]:
    """(channel, address) pairs a user can be reached on, for channels that have a sender."""
    pairs = []
    if user.email:
        pairs.append((Channel.EMAIL, user.email))
    return [(channel, address) for channel, address in pairs if channel in SENDERS]
