"""The gateway's inbound webhook end to end: an SOS reply signed, retried, replayed and altered."""

import datetime
import json
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.crisis.models import UrgentCase
from jalur.notifications import inbound
from jalur.notifications.models import InboundMessage
from jalur.protection.models import CheckIn

from .conftest import WORKER_PHONE_ABROAD, message, signed

pytestmark = pytest.mark.django_db


def post(client, capture, **kwargs):
    with capture(execute=True):
        return client.post(**kwargs)


class TestSos:
    def test_a_signed_sos_opens_a_case_tells_office_and_agency_and_replies_with_hotlines(
        self,
        client,
        worker,
        manager,
        agent,
        agent_b,
        inbound_secret,
        phone_outbox,
        django_capture_on_commit_callbacks,
    ):
        response = post(
            client,
            django_capture_on_commit_callbacks,
            **signed(message("tolong saya dikunci majikan")),
        )
        assert response.status_code == 200
        assert response.json() == {"ok": True, "outcome": "sos", "duplicate": False}
        case = UrgentCase.objects.get(candidate=worker)
        assert case.kind == UrgentCase.Kind.SOS and case.opened_via == UrgentCase.Via.REPLY
        assert case.words == "tolong saya dikunci majikan"
        assert case.agency == agent.organisation and case.agency_told_at is not None
        assert [s.code for s in case.steps.all()] == [
            "call_worker",
            "agency_contact",
            "mission_report",
        ]
        assert manager.notifications.filter(key="urgent_opened").exists()
        assert agent.notifications.filter(key="urgent_opened").exists()
        assert not agent_b.notifications.exists()
        # the reply goes back to the number it came from, with the numbers for Japan
        replies = [text for to, text in phone_outbox if to == WORKER_PHONE_ABROAD]
        assert len(replies) == 1
        assert "KBRI Tokyo: +81-80-3506-8612" in replies[0]
        assert "KJRI Osaka: +81-80-3113-1003" in replies[0]
        assert "KBRI Seoul" not in replies[0]
        row = InboundMessage.objects.get()
        assert row.signature_ok and row.outcome == "sos" and row.candidate_id == worker.pk
        assert AuditLog.objects.filter(action="notifications.inbound", actor=None).count() == 1
        assert AuditLog.objects.filter(action="crisis.case_open").count() == 1

    def test_a_retried_delivery_is_recorded_once_and_answered_the_same(
        self, client, worker, inbound_secret, phone_outbox, django_capture_on_commit_callbacks
    ):
        request = signed(message("SOS", id="wa-77"))
        first = post(client, django_capture_on_commit_callbacks, **request)
        again = post(
            client, django_capture_on_commit_callbacks, **signed(message("SOS", id="wa-77"))
        )
        assert first.status_code == again.status_code == 200
        assert again.json() == {"ok": True, "outcome": "sos", "duplicate": True}
        assert InboundMessage.objects.count() == 1
        assert UrgentCase.objects.count() == 1
        assert len(phone_outbox) == 1  # one reply, not one per delivery
        assert AuditLog.objects.filter(action="notifications.inbound").count() == 1

    def test_a_second_sos_while_the_case_is_open_joins_it(
        self, client, worker, manager, inbound_secret, django_capture_on_commit_callbacks
    ):
        post(client, django_capture_on_commit_callbacks, **signed(message("tolong", id="a")))
        post(client, django_capture_on_commit_callbacks, **signed(message("BANTU cepat", id="b")))
        case = UrgentCase.objects.get()
        assert "BANTU cepat" in case.words
        assert manager.notifications.filter(key="urgent_again").exists()


class TestRefused:
    def test_a_bad_signature_is_refused_and_nothing_is_recorded(
        self, client, worker, inbound_secret, phone_outbox, caplog
    ):
        response = client.post(**signed(message("TOLONG"), sig="sha256=" + "0" * 64))
        assert response.status_code == 403
        assert not InboundMessage.objects.exists() and not UrgentCase.objects.exists()
        assert phone_outbox == []
        assert inbound.refused_count() == 1
        assert "tidak cocok" in caplog.text

    def test_an_altered_body_under_the_old_signature_is_refused(
        self, client, worker, inbound_secret
    ):
        genuine = signed(message("1 ya 2 ya 3 ya 4 ya 5 tidak"))
        forged = json.dumps(message("TOLONG", id="wa-forged")).encode()
        response = client.post(**{**genuine, "data": forged})
        assert response.status_code == 403
        assert not InboundMessage.objects.exists()

    def test_a_replay_signed_with_another_secret_is_refused(self, client, worker, inbound_secret):
        response = client.post(**signed(message("TOLONG"), secret="bukan-rahasia-kita"))
        assert response.status_code == 403
        assert not UrgentCase.objects.exists()

    def test_a_stale_timestamp_is_refused_even_with_a_good_signature(
        self, client, worker, inbound_secret
    ):
        old = timezone.now() - datetime.timedelta(minutes=6)
        response = client.post(**signed(message("TOLONG"), at=old))
        assert response.status_code == 403
        assert not InboundMessage.objects.exists()
        recent = timezone.now() - datetime.timedelta(minutes=4)
        assert client.post(**signed(message("TOLONG"), at=recent)).status_code == 200

    def test_without_a_secret_the_webhook_is_off(self, client, settings, worker, caplog):
        settings.JALUR_PHONE_GATEWAY_INBOUND_SECRET = ""
        response = client.post(**signed(message("TOLONG")))
        assert response.status_code == 503
        assert "JALUR_PHONE_GATEWAY_INBOUND_SECRET" in caplog.text
        assert not InboundMessage.objects.exists()

    def test_a_malformed_body_is_refused_with_what_is_missing(self, client, inbound_secret):
        response = client.post(**signed({"id": "x", "text": "halo"}))
        assert response.status_code == 400
        assert "from" in response.json()["error"]

    def test_only_get_and_post(self, client):
        url = reverse("notifications:gateway_inbound")
        assert client.get(url).json() == {"ok": True, "method": "POST"}
        assert client.put(url).status_code == 405


class TestOtherReplies:
    def test_numbered_answers_are_recorded_as_the_months_check_in(
        self, client, worker, inbound_secret, phone_outbox, django_capture_on_commit_callbacks
    ):
        text = "1 ya\n2 ya\n3 ya\n4 ya\n5 tidak\n6 210000"
        response = post(client, django_capture_on_commit_callbacks, **signed(message(text)))
        assert response.json()["outcome"] == "checkin"
        checkin = CheckIn.objects.get(candidate=worker)
        assert checkin.channel == "sms" and checkin.reporter_kind == "worker"
        assert checkin.wage_on_time is True and checkin.need_help is False
        assert checkin.wage_amount == 210000
        assert "kabar Anda tercatat" in phone_outbox[0][1]

    def test_an_unreadable_reply_gets_a_reply_saying_how_to_answer(
        self, client, worker, inbound_secret, phone_outbox, django_capture_on_commit_callbacks
    ):
        response = post(
            client, django_capture_on_commit_callbacks, **signed(message("1 ya 2 mungkin"))
        )
        assert response.json()["outcome"] == "unparsed"
        assert not CheckIn.objects.exists()
        reply = phone_outbox[0][1]
        assert reply.startswith("Jalur\n\nFormat tidak dikenali")
        assert "nomor 2" in reply and "1 ya 2 ya" in reply

    def test_an_unknown_number_leaks_nothing_and_gets_no_reply(
        self, client, worker, inbound_secret, phone_outbox, django_capture_on_commit_callbacks
    ):
        response = post(
            client,
            django_capture_on_commit_callbacks,
            **signed(message("1 ya 2 ya 3 ya 4 ya 5 tidak", sender="+819099999999")),
        )
        assert response.json()["outcome"] == "unknown_sender"
        assert InboundMessage.objects.get().candidate is None
        assert phone_outbox == [] and not CheckIn.objects.exists()

    def test_an_sos_from_an_unknown_number_gets_general_hotlines_and_alerts_the_office(
        self,
        client,
        worker,
        manager,
        inbound_secret,
        phone_outbox,
        django_capture_on_commit_callbacks,
    ):
        post(
            client,
            django_capture_on_commit_callbacks,
            **signed(message("tolong", sender="+819099999999")),
        )
        assert not UrgentCase.objects.exists()
        reply = phone_outbox[0][1]
        assert worker.full_name not in reply and "belum terdaftar" in reply
        assert manager.notifications.filter(key="urgent_unknown_sender").exists()


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl is not installed")
def test_the_curl_and_openssl_example_in_docs_gateway_signs_as_jalur_checks(
    client, worker, inbound_secret, django_capture_on_commit_callbacks
):
    """docs/gateway.md signs with `printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac`."""
    body = json.dumps(message("TOLONG", id="curl-1"))
    timestamp = str(int(timezone.now().timestamp()))
    digest = subprocess.run(
        ["openssl", "dgst", "-sha256", "-hmac", inbound_secret, "-hex"],
        input=f"{timestamp}.{body}".encode(),
        capture_output=True,
        check=True,
    ).stdout.decode()
    response = post(
        client,
        django_capture_on_commit_callbacks,
        path=reverse("notifications:gateway_inbound"),
        data=body.encode(),
        content_type="application/json",
        HTTP_X_JALUR_TIMESTAMP=timestamp,
        HTTP_X_JALUR_SIGNATURE="sha256=" + digest.split()[-1],
    )
    assert response.status_code == 200 and response.json()["outcome"] == "sos"
