import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from jalur.notifications import channels
from jalur.notifications.models import Notification, OutboxMessage
from jalur.notifications.services import notify, outbox_deliver

# These tests read django.core.mail.outbox when they assert, not the `mailoutbox` fixture's list: a
# transactional test's set-up may replace the outbox list after that fixture has taken it (seen
# once under pytest-xdist, depending on which tests ran before on the same worker).


@pytest.mark.django_db(transaction=True)
def test_a_notification_is_delivered_by_email_after_commit(manager, mailoutbox):
    with transaction.atomic():
        notify(user=manager, key="welcome")
        assert mail.outbox == []  # nothing leaves before the change is committed
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Selamat datang di Jalur"
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_a_notification_in_a_rolled_back_transaction_is_never_sent(manager, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(user=manager, key="welcome")
        raise RuntimeError("the change failed")
    assert mailoutbox == []
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_the_message_is_rendered_in_the_recipients_language(
    manager, django_capture_on_commit_callbacks, mailoutbox
):
    manager.language = "en"
    manager.save()
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=manager, key="welcome")
    assert notification.title == "Welcome to Jalur"


@pytest.mark.django_db
def test_a_failed_delivery_is_retried_then_given_up(manager, monkeypatch, settings):
    settings.JALUR_NOTIFICATION_MAX_ATTEMPTS = 2
    calls = []

    def broken(message):
        calls.append(message.pk)
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(channels, "send_email", broken)
    notification = notify(user=manager, key="welcome")
    message = notification.outbox.get()
    outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1 and "SMTP down" in message.last_error
    assert message.next_attempt_at is not None
    outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_delivers_queued_messages(manager, settings, mailoutbox):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "notifications"],
        }
    }
    notify(user=manager, key="welcome")
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload")
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


@pytest.mark.django_db
def test_a_user_without_email_still_gets_the_inbox_message(candidate_user):
    candidate_user.email = None
    candidate_user.save()
    notification = notify(user=candidate_user, key="welcome")
    assert notification.outbox.count() == 0


@pytest.mark.django_db
class TestInbox:
    def test_it_shows_only_my_messages_and_marks_them_read(self, client_for, manager, verifier):
        notify(user=manager, key="welcome")
        notify(user=verifier, key="stage_changed", context={"to_label": "Terverifikasi"})
        client = client_for(manager)
        page = client.get(reverse("notifications:inbox")).content.decode()
        assert "Selamat datang di Jalur" in page
        assert "Terverifikasi" not in page
        client.post(reverse("notifications:mark_read"))
        assert not Notification.objects.filter(user=manager, read_at__isnull=True).exists()
        assert Notification.objects.filter(user=verifier, read_at__isnull=True).exists()

    def test_anonymous_users_are_sent_to_log_in(self, client):
        response = client.get(reverse("notifications:inbox"))
        assert response.status_code == 302


def test_the_person_a_message_is_about_is_found_in_its_context():
    from types import SimpleNamespace

    from jalur.notifications.services import about

    application = SimpleNamespace(candidate_id=7)
    item = SimpleNamespace(case=SimpleNamespace(candidate_id=8))
    assert about({"order": object(), "application": application}) == 7
    assert about({"item": item, "label": "Paspor"}) == 8
    assert about({"candidate_id": 9, "note": "x"}) == 9
    assert about({"count": 3}) is None
