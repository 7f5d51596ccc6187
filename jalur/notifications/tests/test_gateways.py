"""Messages to phones: the HTTP gateway against a real local server, and notifications on WhatsApp."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from jalur.notifications import gateways
from jalur.notifications.models import Channel, OutboxMessage
from jalur.notifications.services import notify, outbox_deliver


class _Gateway(BaseHTTPRequestHandler):
    """Answers as the test tells it to, and keeps what it was sent."""

    received: list[dict] = []
    status = 200
    answer = b'{"status": true}'

    def do_POST(self):  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        self.received.append({"headers": dict(self.headers), "body": body, "path": self.path})
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway_server():
    _Gateway.received, _Gateway.status, _Gateway.answer = [], 200, b'{"status": true}'
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield _Gateway, f"http://127.0.0.1:{server.server_address[1]}/send"
    server.shutdown()
    server.server_close()


def test_a_form_post_carries_the_number_the_text_and_the_key(gateway_server):
    handler, url = gateway_server
    gateway = gateways.HttpGateway(url=url, token="kunci-rahasia", ok_field="status")
    gateway.send(to="+6281234567890", text="Tawaran kerja: Perawat")
    [request] = handler.received
    assert request["headers"]["Authorization"] == "kunci-rahasia"
    assert urllib.parse.parse_qs(request["body"]) == {
        "target": ["6281234567890"],
        "message": ["Tawaran kerja: Perawat"],
    }


def test_json_other_field_names_a_bearer_key_and_a_local_number(gateway_server):
    handler, url = gateway_server
    gateways.HttpGateway(
        url=url,
        token="abc",
        auth_scheme="Bearer",
        to_field="phone",
        text_field="message",
        encoding="json",
        number_format="0",
        extra={"device": "serang-1"},
    ).send(to="+6281234567890", text="Halo")
    [request] = handler.received
    assert request["headers"]["Authorization"] == "Bearer abc"
    assert json.loads(request["body"]) == {
        "device": "serang-1",
        "phone": "081234567890",
        "message": "Halo",
    }


@pytest.mark.parametrize(
    ("status", "answer", "error"),
    [
        (500, b"server error", "HTTP 500"),
        (200, b'{"status": false, "reason": "quota habis"}', "quota habis"),
        (200, b"<html>ok</html>", "bukan JSON"),
    ],
)
def test_a_refused_message_raises_with_the_gateways_reason(gateway_server, status, answer, error):
    handler, url = gateway_server
    handler.status, handler.answer = status, answer
    with pytest.raises(gateways.GatewayError, match=error):
        gateways.HttpGateway(url=url, ok_field="status").send(to="+6281234567890", text="x")


def test_an_unreachable_gateway_or_a_non_http_address_raises():
    with pytest.raises(gateways.GatewayError, match="tidak tersambung"):
        gateways.HttpGateway(url="http://127.0.0.1:9/send", timeout=2).send(
            to="+6281234567890", text="x"
        )
    with pytest.raises(gateways.GatewayError, match="http"):
        gateways.HttpGateway(url="file:///etc/passwd")


@pytest.mark.django_db
def test_the_http_backend_is_chosen_by_settings(
    gateway_server, settings, candidate_user, django_capture_on_commit_callbacks
):
    handler, url = gateway_server
    settings.JALUR_PHONE_GATEWAY = "http"
    settings.JALUR_PHONE_GATEWAY_OPTIONS = {"url": url, "token": "t"}
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=candidate_user, key="welcome")
    message = notification.outbox.get(channel=Channel.WHATSAPP)
    assert message.status == OutboxMessage.Status.SENT
    assert (
        "Selamat datang di Jalur"
        in urllib.parse.parse_qs(handler.received[0]["body"])["message"][0]
    )


@pytest.mark.django_db
class TestNotificationsOnPhones:
    @pytest.fixture
    def notify_now(self, django_capture_on_commit_callbacks):
        """notify(), then what it queued for after the commit, delivered."""

        def send(**kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return notify(**kwargs)

        return send

    def test_with_no_gateway_a_phone_only_person_gets_the_inbox_only(
        self, candidate_user, notify_now
    ):
        candidate_user.email = None
        candidate_user.save()
        notification = notify_now(user=candidate_user, key="welcome")
        assert not notification.outbox.exists()

    def test_a_phone_only_person_gets_the_message_on_whatsapp(
        self, candidate_user, phone_outbox, notify_now
    ):
        candidate_user.email = None
        candidate_user.save()
        notification = notify_now(user=candidate_user, key="welcome", link="/akun/")
        message = notification.outbox.get()
        assert (message.channel, message.recipient) == (Channel.WHATSAPP, "+6281234567890")
        assert message.status == OutboxMessage.Status.SENT
        [(number, text)] = phone_outbox
        assert number == "+6281234567890"
        assert text.startswith("Selamat datang di Jalur\n\n") and text.endswith("/akun/")

    def test_a_person_with_both_gets_both(
        self, candidate_user, phone_outbox, mailoutbox, notify_now
    ):
        candidate_user.email = "siti@contoh.id"
        candidate_user.save()
        notification = notify_now(user=candidate_user, key="welcome")
        assert sorted(notification.outbox.values_list("channel", flat=True)) == [
            Channel.EMAIL,
            Channel.WHATSAPP,
        ]
        assert len(phone_outbox) == 1 and len(mailoutbox) == 1

    def test_sms_when_the_city_chose_sms(self, candidate_user, phone_outbox, settings, notify_now):
        settings.JALUR_PHONE_CHANNEL = "sms"
        notification = notify_now(user=candidate_user, key="welcome")
        assert notification.outbox.filter(channel=Channel.SMS).exists()

    def test_a_message_left_when_the_gateway_was_switched_off_is_kept_and_retried(
        self, candidate_user, phone_outbox, settings
    ):
        candidate_user.email = None
        candidate_user.save()
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}
        }
        message = notify(user=candidate_user, key="welcome").outbox.get()
        settings.JALUR_PHONE_GATEWAY = ""
        outbox_deliver(message_id=message.pk)
        message.refresh_from_db()
        assert message.status == OutboxMessage.Status.PENDING
        assert "off" in message.last_error and message.next_attempt_at is not None
        assert phone_outbox == []


def test_an_sms_carries_the_title_and_the_link_and_whatsapp_the_whole_message():
    from jalur.notifications.channels import phone_text

    body = "Selamat, P3MI menawarkan pekerjaan. " * 12 + "\n\nhttps://jalur.serangkota.go.id/saya/"
    sms = OutboxMessage(channel=Channel.SMS, subject="Tawaran kerja", body=body)
    assert phone_text(sms) == "Tawaran kerja\nhttps://jalur.serangkota.go.id/saya/"
    whatsapp = OutboxMessage(channel=Channel.WHATSAPP, subject="Tawaran kerja", body=body)
    assert phone_text(whatsapp) == f"Tawaran kerja\n\n{body}"
    no_link = OutboxMessage(channel=Channel.SMS, subject="Kabar", body="x" * 500)
    assert len(phone_text(no_link)) == 300 and phone_text(no_link).endswith("…")
