"""The family's code for sending a departed worker's news without an account."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.candidates.models import Candidate
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.protection import services
from jalur.protection.models import CheckIn, FamilyLink, ReporterKind
from jalur.protection.selectors import monitoring_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the throttle counts attempts per address in the cache


@pytest.fixture
def worker(candidate_user):
    return CandidateFactory(stage=Stage.DEPARTED, user=candidate_user, full_name="Siti Aminah")


@pytest.fixture
def issued(worker, manager):
    return services.family_link_issue(
        candidate=worker, family_name="Ibu Romlah", relation="ibu", actor=manager
    )


def report(client, link, secret, **data):
    return client.post(
        reverse("protection:family_checkin"),
        {"code": link.code, "secret": secret, "status": "baik", "note": "", **data},
    )


class TestIssuing:
    def test_the_office_prints_a_code_and_a_secret_shown_once(self, client_for, manager, worker):
        response = client_for(manager).post(
            reverse("protection:worker_family_link", args=[worker.pk]),
            {"family_name": "Ibu Romlah", "relation": "ibu"},
        )
        link = FamilyLink.objects.get(candidate=worker)
        body = response.content.decode()
        assert link.code in body and link.code.startswith("KEL-")
        assert response["Cache-Control"] == "private, no-store"
        secret = body.split("Kode rahasia</dt><dd><strong>")[1].split("<")[0]
        assert services.family_link_check(code=link.code, secret=secret) == link
        assert secret not in link.secret_hash  # stored only as a hash
        audit = AuditLog.objects.get(action="protection.family_link_issue")
        assert audit.actor == manager and audit.changes == {"family_link": [None, link.code]}

    def test_a_new_code_retires_the_old_one(self, worker, manager, issued):
        old, old_secret = issued
        new, new_secret = services.family_link_issue(
            candidate=worker, family_name="Budi", relation="suami", actor=manager
        )
        assert services.family_link_check(code=old.code, secret=old_secret) is None
        assert services.family_link_check(code=new.code, secret=new_secret) == new
        assert FamilyLink.objects.filter(candidate=worker, retired_at__isnull=True).count() == 1

    def test_only_for_a_worker_abroad_and_with_a_name(self, manager, worker):
        with pytest.raises(ValidationError) as error:
            services.family_link_issue(
                candidate=worker, family_name=" ", relation="", actor=manager
            )
        assert set(error.value.message_dict) == {"family_name", "relation"}
        waiting = CandidateFactory(stage=Stage.READY)
        with pytest.raises(ValidationError, match="sudah berangkat"):
            services.family_link_issue(
                candidate=waiting, family_name="Ibu", relation="ibu", actor=manager
            )

    def test_who_may_give_a_code(self, client_for, worker, manager, agent, trainer, candidate_user):
        url = reverse("protection:worker_family_link", args=[worker.pk])
        data = {"family_name": "Ibu Romlah", "relation": "ibu"}
        for user in (agent, trainer, candidate_user):
            assert client_for(user).post(url, data).status_code in (403, 404)
        assert not FamilyLink.objects.exists()
        assert client_for(manager).post(url, data).status_code == 200
        page = client_for(manager).get(reverse("protection:worker", args=[worker.pk]))
        assert FamilyLink.objects.get().code in page.content.decode()


class TestTheFamilyReports:
    def test_good_news_is_recorded_as_the_familys_check_in(self, client, worker, issued):
        link, secret = issued
        response = report(client, link, secret.lower(), note="Sehat, sudah gajian")
        assert response.status_code == 302
        response = client.get(response.url)
        assert "Siti" in response.content.decode() and "Aminah" not in response.content.decode()
        checkin = worker.checkins.get()
        assert checkin.reporter_kind == ReporterKind.FAMILY
        assert checkin.reporter_name == "Ibu Romlah (ibu)"
        assert checkin.recorded_by is None
        audit = AuditLog.objects.get(action="protection.checkin")
        assert audit.actor is None and audit.actor_label == f"keluarga, {link.code}"

    def test_a_problem_alerts_the_office_and_points_to_a_formal_complaint(
        self, client, worker, issued, manager
    ):
        link, secret = issued
        response = report(
            client,
            link,
            secret,
            status="masalah",
            note="Gaji 2 bulan belum dibayar",
            reporter_name="Dedi",
        )
        page = client.get(response.url).content.decode()
        assert reverse("protection:public_grievance_new") in page
        assert worker.checkins.get().reporter_name == "Dedi"
        assert manager.notifications.filter(key="checkin_problem").exists()

    def test_a_problem_without_a_note_asks_for_one_beside_the_field(self, client, worker, issued):
        link, secret = issued
        response = report(client, link, secret, status="masalah")
        assert response.status_code == 200
        assert response.context["form"].errors["note"]
        assert not CheckIn.objects.exists()

    def test_a_wrong_secret_a_wrong_code_and_a_retired_code_look_alike(
        self, client, worker, manager, issued
    ):
        link, secret = issued
        never_given = FamilyLink(code="KEL-ZZZZZZ")  # well formed, but never printed
        wrong = [
            report(client, link, "SALAH123"),
            report(client, never_given, secret),
        ]
        services.family_link_issue(
            candidate=worker, family_name="Budi", relation="suami", actor=manager
        )
        wrong.append(report(client, link, secret))
        messages = [str(r.context["form"].non_field_errors()) for r in wrong]
        assert len(set(messages)) == 1 and "salah" in messages[0]
        assert not CheckIn.objects.exists()

    def test_after_the_return_the_code_no_longer_works(self, client, worker, issued, manager):
        link, secret = issued
        services.return_record(
            candidate=worker,
            data={
                "returned_on": timezone.localdate() - datetime.timedelta(days=1),
                "reason": "contract_finished",
                "handover_to": "Ibu Romlah",
                "handover_witness": "Pak RT",
                "handover_witness_role": "Ketua RT",
                "handover_place": "Bandara Soekarno-Hatta",
                "reintegration": "none",
            },
            actor=manager,
        )
        assert report(client, link, secret).context["form"].non_field_errors()
        assert not CheckIn.objects.exists()

    def test_guessing_is_throttled(self, client, worker, issued, settings):
        link, secret = issued
        for _ in range(20):
            report(client, link, "SALAH123")
        response = report(client, link, secret)
        assert "Terlalu banyak percobaan" in response.content.decode()
        assert not CheckIn.objects.exists()

    def test_the_familys_news_counts_as_this_months_check_in(self, client, worker, issued, manager):
        long_ago = timezone.now() - datetime.timedelta(days=90)
        Candidate.objects.filter(pk=worker.pk).update(stage_changed_at=long_ago)
        assert monitoring_rows(manager)[0].checkin_overdue
        link, secret = issued
        report(client, link, secret)
        assert not monitoring_rows(manager)[0].checkin_overdue

    def test_the_form_is_listed_for_the_public(self, client):
        home = client.get(reverse("core:public_home")).content.decode()
        assert reverse("protection:family_checkin") in home


class TestAComplaintAfterTheNews:
    def complaint(self, client, **data):
        return client.post(
            reverse("protection:public_grievance_new"),
            {
                "reporter_name": "Ibu Romlah",
                "reporter_relation": "ibu",
                "reporter_phone": "0812-3456-7890",
                "category": "wages",
                "description": "Gaji dua bulan belum dibayar.",
                **data,
            },
        )

    def test_the_form_knows_the_worker_from_the_family_code(self, client, worker, issued):
        link, secret = issued
        report(client, link, secret, status="masalah", note="Gaji belum dibayar")
        page = client.get(reverse("protection:public_grievance_new"))
        assert "worker_name" not in page.context["form"].fields
        assert link.code in page.content.decode() and "Siti" in page.content.decode()
        assert page.context["form"].initial["reporter_name"] == "Ibu Romlah"
        response = self.complaint(client)
        assert response.status_code == 302
        grievance = worker.grievances.get()
        assert grievance.worker_name == "Siti Aminah" and grievance.reporter_kind == "family"

    def test_about_someone_else_the_family_code_is_forgotten(self, client, worker, issued):
        link, secret = issued
        report(client, link, secret)
        page = client.get(reverse("protection:public_grievance_new") + "?lain=1")
        assert "worker_name" in page.context["form"].fields
        self.complaint(client, worker_name="Ahmad Fauzi")
        assert not worker.grievances.exists()

    def test_without_the_code_nobody_is_linked(self, client, worker):
        page = client.get(reverse("protection:public_grievance_new"))
        assert "worker_name" in page.context["form"].fields
        self.complaint(client, worker_name="Siti Aminah")
        assert not worker.grievances.exists()


class TestNewsSentOnce:
    def test_reloading_the_page_after_the_news_records_nothing_more(self, client, worker, issued):
        link, secret = issued
        response = report(client, link, secret, status="masalah", note="Gaji belum dibayar")
        done = reverse("protection:family_checkin_done")
        assert response.status_code == 302 and response.url == done
        for _ in range(2):
            page = client.get(done).content.decode()
            assert "Siti" in page and reverse("protection:public_grievance_new") in page
        assert worker.checkins.count() == 1

    def test_the_done_page_without_news_sent_goes_to_the_form(self, client):
        response = client.get(reverse("protection:family_checkin_done"))
        assert response.status_code == 302
        assert response.url == reverse("protection:family_checkin")
