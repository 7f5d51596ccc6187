"""Background delivery of outbox messages (django-tasks; database backend by default)."""

from django_tasks import task


@task(queue_name="notifications")
def deliver_outbox_message(message_id: int) -> str:
    from .services import outbox_deliver

    message = outbox_deliver(message_id=message_id)
    return message.status if message else "skipped"
