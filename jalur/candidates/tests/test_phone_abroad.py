"""A worker's own number in the country of placement: added by the worker or the office, audited."""

import pytest
from django.urls import reverse

from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage

from .factories import CandidateFactory

MINE = reverse("candidates:my_phone_abroad")


@pytest.fixture
def worker(candidate_user):
    return CandidateFactory(user=candidate_user, phone="+6281234567890", stage=Stage.DEPARTED)


@pytest.fixture
def own(client, worker):
    client.force_login(worker.user)
    return client


@pytest.mark.django_db
class TestTheWorkerAddsTheirNumber:
    def test_a_korean_number_in_any_format_is_saved_as_e164_and_audited(self, own, worker):
        response = own.post(MINE, {"phone_abroad": "010-1234-5678 "})
        # written without +82: told how to write it, nothing saved
        assert response.status_code == 200
        assert "+82 10-1234-5678" in response.context["form"].errors["phone_abroad"][0]

        response = own.post(MINE, {"phone_abroad": "+82 10-1234-5678"})
        assert response.status_code == 302 and response.url == MINE
        worker.refresh_from_db()
        assert worker.phone_abroad == "+821012345678"
        assert worker.phone == "+6281234567890"  # the Indonesian number stays
        row = AuditLog.objects.get(action="candidate.phone_abroad")
        assert row.actor == worker.user and row.object_id == str(worker.pk)
        assert row.changes == {"phone_abroad": ["", "+821012345678"]}
        page = own.get(MINE).content.decode()
        assert "+82 10-1234-5678" in page and "0812-3456-7890" in page

    def test_a_fixed_line_is_refused_with_the_message_and_the_saved_number_is_kept(
        self, own, worker
    ):
        worker.phone_abroad = "+819012345678"
        worker.save()
        response = own.post(MINE, {"phone_abroad": "+81 3-1234-5678"})  # Tokyo, a fixed line
        assert response.status_code == 200
        message = response.context["form"].errors["phone_abroad"][0]
        assert "telepon rumah/kantor" in message and "+81 90-1234-5678" in message
        body = response.content.decode()
        assert "+81 3-1234-5678" in body  # what was typed stays in the box to fix
        assert "+81 90-1234-5678" in body  # and the number on file is shown, unchanged
        worker.refresh_from_db()
        assert worker.phone_abroad == "+819012345678"
        assert not AuditLog.objects.filter(action="candidate.phone_abroad").exists()

    def test_an_indonesian_number_is_not_a_number_abroad(self, own, worker):
        response = own.post(MINE, {"phone_abroad": "0813-1111-2222"})
        assert "nomor Indonesia" in response.context["form"].errors["phone_abroad"][0]
        worker.refresh_from_db()
        assert worker.phone_abroad == ""

    def test_a_japanese_number_replaces_the_korean_one_and_empty_removes_it(self, own, worker):
        own.post(MINE, {"phone_abroad": "+82 10-1234-5678"})
        own.post(MINE, {"phone_abroad": "0081 80 1234 5678"})
        worker.refresh_from_db()
        assert worker.phone_abroad == "+818012345678"
        own.post(MINE, {"phone_abroad": ""})
        worker.refresh_from_db()
        assert worker.phone_abroad == ""
        changes = [
            row.changes["phone_abroad"]
            for row in AuditLog.objects.filter(action="candidate.phone_abroad").order_by("pk")
        ]
        assert changes == [
            ["", "+821012345678"],
            ["+821012345678", "+818012345678"],
            ["+818012345678", ""],
        ]

    def test_another_workers_number_is_refused(self, own, worker):
        CandidateFactory(stage=Stage.DEPARTED, phone_abroad="+821012345678")
        response = own.post(MINE, {"phone_abroad": "+82 10 1234 5678"})
        assert "sudah dipakai pekerja lain" in response.context["form"].errors["phone_abroad"][0]
        worker.refresh_from_db()
        assert worker.phone_abroad == ""

    def test_before_departure_the_page_is_closed(self, own, worker):
        Candidate.objects.filter(pk=worker.pk).update(stage=Stage.READY)
        response = own.post(MINE, {"phone_abroad": "+82 10-1234-5678"})
        assert response.url == reverse("candidates:me")
        worker.refresh_from_db()
        assert worker.phone_abroad == ""


@pytest.mark.django_db
class TestTheOfficeRecordsIt:
    def _url(self, worker, back=""):
        url = reverse("candidates:staff_phone_abroad", args=[worker.pk])
        return f"{url}?next={back}" if back else url

    def test_the_office_saves_it_with_a_reason_and_goes_back(self, client, manager, worker):
        client.force_login(manager)
        back = f"/pelindungan/pekerja/{worker.pk}/"
        page = client.get(self._url(worker, back))
        assert page.status_code == 200
        refused = client.post(self._url(worker), {"phone_abroad": "+81 90-1234-5678"})
        assert "reason" in refused.context["form"].errors  # why, for the audit trail
        response = client.post(
            self._url(worker),
            {"phone_abroad": "+81 90-1234-5678", "reason": "ditelepon pekerja", "next": back},
        )
        assert response.status_code == 302 and response.url == back
        worker.refresh_from_db()
        assert worker.phone_abroad == "+819012345678"
        row = AuditLog.objects.get(action="candidate.phone_abroad")
        assert row.actor == manager and row.reason == "ditelepon pekerja"

    def test_a_seoul_fixed_line_is_refused(self, client, manager, worker):
        client.force_login(manager)
        response = client.post(
            self._url(worker), {"phone_abroad": "+82 2-123-4567", "reason": "telepon"}
        )
        assert "telepon rumah/kantor" in response.context["form"].errors["phone_abroad"][0]
        worker.refresh_from_db()
        assert worker.phone_abroad == ""

    def test_the_p3mi_and_other_roles_may_not(self, client, agent, officer, worker):
        for user in (agent, officer):
            client.force_login(user)
            assert client.get(self._url(worker)).status_code == 403

    def test_an_outside_next_address_is_not_followed(self, client, manager, worker):
        client.force_login(manager)
        response = client.post(
            self._url(worker),
            {"phone_abroad": "+82 10-1234-5678", "reason": "x", "next": "https://evil.example/"},
        )
        assert response.url == reverse("candidates:detail", args=[worker.pk])


@pytest.mark.django_db
def test_the_number_abroad_is_in_use_only_while_abroad(worker):
    worker.phone_abroad = "+821012345678"
    assert worker.phone_abroad_in_use == "+821012345678"
    worker.stage = Stage.RETURNED
    assert worker.phone_abroad_in_use == ""
