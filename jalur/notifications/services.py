"""One notification service for every stage: inbox + outbox in the caller's transaction.

`notify()` renders the message in the recipient's language from
`notifications/messages/<key>.txt` (first line the title, the rest the body), writes the inbox row
and one outbox row per channel, and schedules delivery after the transaction commits. A rolled-back
transaction leaves neither row behind, so nothing is ever sent for a change that did not happen.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .channels import recipients_for, sender_for
from .gateways import phone_channel
from .models import Channel, Notification, OutboxMessage


def _render(key: str, context: dict, language: str) -> tuple[str, str]:
    with translation.override(language or settings.LANGUAGE_CODE):
        text = render_to_string(f"notifications/messages/{key}.txt", context).strip()
    title, _, body = text.partition("\n")
    return title.strip(), body.strip()


def about(context: dict) -> int | None:
    """The candidate a message is about, found in its context: a candidate, or an object that
    belongs to one (application, case, grievance, checklist item), or a `candidate_id`."""
    for value in context.values():
        if getattr(getattr(value, "_meta", None), "label", "") == "candidates.Candidate":
            return value.pk
        for owner in (value, getattr(value, "case", None)):
            candidate_id = getattr(owner, "candidate_id", None)
            if isinstance(candidate_id, int):
                return candidate_id
    candidate_id = context.get("candidate_id")
    return candidate_id if isinstance(candidate_id, int) else None


# A person who withdrew their consent (UU PDP Pasal 9) gets nothing more by e-mail, WhatsApp or SMS;
# their inbox still shows each message. Only what is owed to them goes out: news of their grievance
# or urgent case, and the office's answers to their requests about their data (privacy_*).
STILL_SENT_AFTER_WITHDRAWAL = ("grievance_", "urgent_", "privacy_")


def withdrawn(user) -> bool:
    """Whether `user` is a candidate who withdrew (one look-up, for candidates only)."""
    if getattr(user, "role", "") != "candidate" or not getattr(user, "pk", None):
        return False
    model = user._meta.get_field("candidate").related_model
    return model.objects.filter(user=user, stage="withdrawn").exists()


def notify(*, user, key: str, context: dict | None = None, link: str = "") -> Notification:
    """Put a message in `user`'s inbox and queue it on their other channels."""
    candidate_id = about(context or {})
    context = {"user": user, "site_url": settings.JALUR_SITE_URL, **(context or {})}
    title, body = _render(key, context, getattr(user, "language", ""))
    silenced = not key.startswith(STILL_SENT_AFTER_WITHDRAWAL) and withdrawn(user)
    with transaction.atomic():
        notification = Notification.objects.create(
            user=user, candidate_id=candidate_id, key=key, title=title, body=body, link=link
        )
        full_body = body + (f"\n\n{settings.JALUR_SITE_URL}{link}" if link else "")
        messages = [
            OutboxMessage.objects.create(
                notification=notification,
                channel=channel,
                recipient=address,
                subject=title,
                body=full_body,
            )
            for channel, address in recipients_for(user)
            if not silenced
        ]
        for message in messages:
            transaction.on_commit(lambda pk=message.pk: _enqueue(pk))
    return notification


def text_send(*, to: str, subject: str, body: str) -> OutboxMessage | None:
    """A text to a phone number with no account behind it (a family's number, the answer to a
    message the gateway brought in), through the city's gateway: one outbox row without a User,
    queued after the caller's transaction commits, retried like any other. None, and nothing
    written, when messages to phones are off (JALUR_PHONE_GATEWAY) or there is no number or text."""
    channel = phone_channel()
    if not channel or not to or not body:
        return None
    message = OutboxMessage.objects.create(
        channel=channel, recipient=to, subject=subject, body=body
    )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def email_send(*, to: str, subject: str, body: str) -> OutboxMessage | None:
    """An e-mail to an address with no account behind it yet (a sign-up's confirmation code), through
    the outbox like every other message. None, and nothing written, without an address or text."""
    if not to or not body:
        return None
    message = OutboxMessage.objects.create(
        channel=Channel.EMAIL, recipient=to, subject=subject, body=body
    )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id: int, run_after: datetime.datetime | None = None) -> None:
    from .tasks import deliver_outbox_message

    task = deliver_outbox_message
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the backend cannot delay; `resend_notifications` picks the message up when due
        task = task.using(run_after=run_after)
    task.enqueue(message_id)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back off 1, 2, 4, 8… minutes between attempts."""
    return datetime.timedelta(minutes=2 ** max(attempts - 1, 0))


def outbox_deliver(*, message_id: int) -> OutboxMessage | None:
    """Send one outbox message; on failure record the error and schedule a retry."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return None
        message.attempts += 1
        try:
            sender_for(message.channel)(message)
        except Exception as exc:  # noqa: BLE001 - any delivery failure is recorded and retried
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= settings.JALUR_NOTIFICATION_MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.FAILED
                message.next_attempt_at = None
            else:
                message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
                transaction.on_commit(lambda: _enqueue(message.pk, message.next_attempt_at))
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
        message.save()
    return message


def outbox_resend_due() -> int:
    """Re-queue pending messages whose retry time has passed (run by the worker's sweep command)."""
    due = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).filter(
        next_attempt_at__isnull=True, created_at__lt=timezone.now() - datetime.timedelta(minutes=5)
    ) | OutboxMessage.objects.filter(
        status=OutboxMessage.Status.PENDING, next_attempt_at__lt=timezone.now()
    )
    ids = list(due.values_list("pk", flat=True))
    for pk in ids:
        _enqueue(pk)
    return len(ids)


def notification_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    return rows.update(read_at=timezone.now())
