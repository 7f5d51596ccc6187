"""Messages people send to the city's WhatsApp/SMS number, delivered by the gateway's webhook.

The gateway POSTs each message as JSON (docs/gateway.md):

    {"id": "<the gateway's message id>", "from": "+821012345678", "text": "TOLONG", "at": "<ISO time>"}

with two headers: `X-Jalur-Timestamp` (Unix seconds) and `X-Jalur-Signature: sha256=<hex>`, the
HMAC-SHA256 of `<timestamp>.<raw body>` under `JALUR_PHONE_GATEWAY_INBOUND_SECRET`. A delivery is
accepted only when the signature matches and the timestamp is within five minutes of Jalur's clock,
so a captured request cannot be replayed later or altered. The same gateway id delivered again (a
retry) finds its row and gets the same answer: the message is handled once.

Notifications knows nothing of who a number belongs to: it sends the `inbound_message` signal, and
the app that handles replies (jalur.crisis) answers with an `InboundResult`. Its reply goes back to
the sender through the outbox and the phone gateway, like every other message.
"""

import datetime
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from jalur.audit.services import audit_record
from jalur.core import throttle

from .models import InboundMessage, OutboxMessage

logger = logging.getLogger(__name__)

# Sent once per accepted message, inside its transaction, with `message` (an InboundMessage). A
# receiver that handles it returns an InboundResult; one that does not returns None.
inbound_message = Signal()

SIGNATURE_HEADER = "HTTP_X_JALUR_SIGNATURE"
TIMESTAMP_HEADER = "HTTP_X_JALUR_TIMESTAMP"
MAX_SKEW = datetime.timedelta(minutes=5)
MAX_BODY = 16 * 1024  # an SMS or WhatsApp text is far shorter; anything bigger is refused
REPLY_SUBJECT = "Jalur"
REFUSED_KEY = "inbound:refused"


@dataclass(frozen=True)
class InboundResult:
    outcome: str  # an InboundMessage.Outcome value
    reply: str = ""  # sent back to the sender; empty: no reply
    candidate_id: int | None = None


class Refused(Exception):
    """A delivery Jalur does not accept; `status` is the HTTP answer, `reason` goes to the log."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The header value the gateway must send: sha256=<hex of HMAC-SHA256(secret, ts + "." + body)>."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def refused_count() -> int:
    """How many deliveries were refused today: bad or missing signatures, stale timestamps,
    malformed bodies. Their contents are never stored. "Today" is the day window every app server
    shares (`jalur.core.throttle`: a UTC day, 07.00 to 07.00 WIB); the count lasts the whole day on
    every cache backend (a bare `cache.incr` on the database cache forgot it after 300 s)."""
    return throttle.counted(REFUSED_KEY, throttle.DAY)


def _count_refusal(error: Refused, remote: str) -> None:
    throttle.count(REFUSED_KEY, throttle.DAY)
    logger.warning("pesan masuk ditolak (%s) dari %s: %s", error.status, remote, error.reason)


def verify(*, body: bytes, timestamp: str, signature_header: str, now=None) -> None:
    """Raise Refused unless the delivery is signed with the shared secret and fresh."""
    secret = settings.JALUR_PHONE_GATEWAY_INBOUND_SECRET
    if not secret:
        raise Refused(503, "JALUR_PHONE_GATEWAY_INBOUND_SECRET belum diatur: webhook mati")
    if len(body) > MAX_BODY:
        raise Refused(413, f"isi terlalu besar ({len(body)} byte)")
    if not timestamp.isdigit():
        raise Refused(403, "X-Jalur-Timestamp tidak ada atau bukan angka")
    sent = datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)
    if abs((now or timezone.now()) - sent) > MAX_SKEW:
        raise Refused(403, f"X-Jalur-Timestamp terlalu jauh dari jam Jalur ({sent.isoformat()})")
    expected = signature(secret, timestamp, body)
    if not hmac.compare_digest(expected.encode(), signature_header.strip().encode()):
        raise Refused(403, "tanda tangan X-Jalur-Signature tidak cocok")


def parse(body: bytes) -> dict:
    """The delivery's fields, checked; Refused(400) when one is missing or malformed."""
    try:
        data = json.loads(body)
    except ValueError as error:
        raise Refused(400, f"isi bukan JSON: {error}") from error
    if not isinstance(data, dict):
        raise Refused(400, "isi harus objek JSON")
    message_id, sender, text = data.get("id"), data.get("from"), data.get("text")
    if not isinstance(message_id, str | int) or not str(message_id).strip():
        raise Refused(400, "field 'id' tidak ada")
    if not isinstance(sender, str) or not sender.strip():
        raise Refused(400, "field 'from' tidak ada")
    if not isinstance(text, str):
        raise Refused(400, "field 'text' tidak ada")
    sent_at = parse_datetime(data["at"]) if isinstance(data.get("at"), str) else None
    if sent_at is not None and timezone.is_naive(sent_at):
        sent_at = timezone.make_aware(sent_at, datetime.UTC)
    provider = data.get("provider") if isinstance(data.get("provider"), str) else "gateway"
    return {
        "provider": (provider.strip() or "gateway")[:50],
        "provider_message_id": str(message_id).strip()[:200],
        "sender": sender.strip()[:32],
        "text": text[:4000],
        "sent_at": sent_at,
    }


def reply_send(*, to: str, text: str) -> OutboxMessage | None:
    """Queue a reply to a phone number through the outbox (sent after the transaction commits);
    None when messages to phones are off."""
    from .services import text_send

    message = text_send(to=to, subject=REPLY_SUBJECT, body=text)
    if message is None and text:
        logger.info("balasan ke %s tidak dikirim: JALUR_PHONE_GATEWAY mati", to)
    return message


def _handle(message: InboundMessage) -> InboundResult:
    for _receiver, answer in inbound_message.send(sender=InboundMessage, message=message):
        if isinstance(answer, InboundResult):
            return answer
    return InboundResult(InboundMessage.Outcome.UNHANDLED)


def inbound_receive(*, fields: dict) -> tuple[InboundMessage, bool]:
    """Record one verified delivery and have it handled, once: (message, first time?). A handler
    that fails rolls the whole delivery back, so the gateway's retry is handled afresh."""
    existing = InboundMessage.objects.filter(
        provider=fields["provider"], provider_message_id=fields["provider_message_id"]
    ).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                **fields, received_at=timezone.now(), signature_ok=True
            )
            result = _handle(message)
            message.outcome, message.reply = result.outcome, result.reply
            message.candidate_id = result.candidate_id
            message.handled_at = timezone.now()
            message.save(update_fields=["outcome", "reply", "candidate", "handled_at"])
            audit_record(
                actor=None,
                action="notifications.inbound",
                target=message,
                changes={"outcome": [None, result.outcome]},
                label=message.audit_label(),
            )
            reply_send(to=message.sender, text=result.reply)
    except IntegrityError:  # the same delivery, arriving twice at once: the other one recorded it
        existing = InboundMessage.objects.filter(
            provider=fields["provider"], provider_message_id=fields["provider_message_id"]
        ).first()
        if existing is None:
            raise
        return existing, False
    return message, True


def inbound_request(*, body: bytes, meta: dict, remote: str = "") -> tuple[int, dict]:
    """The webhook's whole answer to one request: (HTTP status, JSON body)."""
    try:
        verify(
            body=body,
            timestamp=meta.get(TIMESTAMP_HEADER, ""),
            signature_header=meta.get(SIGNATURE_HEADER, ""),
        )
        fields = parse(body)
    except Refused as error:
        _count_refusal(error, remote)
        return error.status, {"ok": False, "error": error.reason if error.status != 403 else ""}
    message, first = inbound_receive(fields=fields)
    return 200, {"ok": True, "outcome": message.outcome, "duplicate": not first}
