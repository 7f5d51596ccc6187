import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.protection import services
from jalur.protection.models import (
    ClosingReason,
    Grievance,
    GrievanceEvent,
    GrievanceStatus,
    ReporterKind,
)
from jalur.protection.selectors import grievance_list
from jalur.rules import grievances as rules

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


_CASES = itertools.count(1)


def open_family_case(agency=None, **extra):
    data = {
        "reporter_kind": ReporterKind.FAMILY,
        "reporter_name": "Ibu Sari",
        "reporter_relation": "ibu",
        "reporter_phone": "0812-1111-2222",
        "worker_name": "Dewi Lestari",
        "category": "wages",
        # each case its own words: the same report again within a day is the same case
        "description": f"Gaji tiga bulan belum dibayar (laporan {next(_CASES)}).",
        "agency": agency,
        **extra,
    }
    return services.grievance_open(**data)


def test_the_workflow_table_covers_every_status_and_the_commitment_deadline_is_seven_days():
    assert set(rules.TRANSITIONS) == set(GrievanceStatus.values) == set(rules.State)
    assert set(GrievanceStatus.values) <= set(rules.DEADLINES)
    assert rules.days_for(GrievanceStatus.COMMITMENT) == 7
    assert rules.TRANSITIONS[GrievanceStatus.CLOSED] == frozenset()


@pytest.mark.django_db
class TestOpening:
    def test_a_family_case_gets_a_number_and_a_secret_stored_only_as_a_hash(self, manager):
        grievance, secret = open_family_case()
        assert grievance.number.startswith(f"ADU-{timezone.now():%Y}-")
        assert secret not in grievance.secret_hash
        assert (
            services.grievance_check_secret(number=grievance.number.lower(), secret=secret.lower())
            == grievance
        )
        assert services.grievance_check_secret(number=grievance.number, secret="SALAH123") is None
        assert grievance.reporter_phone == "+6281211112222"
        assert grievance.events.get().kind == GrievanceEvent.Kind.OPENED
        assert AuditLog.objects.filter(
            action="grievance.open", object_id=str(grievance.pk)
        ).exists()
        assert manager.notifications.filter(key="grievance_opened").exists()

    def test_a_family_must_leave_a_phone_number(self):
        with pytest.raises(ValidationError) as error:
            open_family_case(reporter_phone="")
        assert "nomor HP" in str(error.value)

    def test_the_case_is_due_for_assignment_within_two_days(self):
        grievance, _ = open_family_case()
        assert grievance.due_at - grievance.opened_at == datetime.timedelta(days=2)


@pytest.mark.django_db
class TestWorkflow:
    def test_asking_the_p3mi_for_clarification_sets_a_deadline_and_tells_its_staff(
        self, manager, agency, agent, agent_b
    ):
        grievance, _ = open_family_case(agency=agency)
        services.grievance_assign(grievance=grievance, officer=manager, actor=manager)
        grievance = services.grievance_move(
            grievance=grievance,
            to_status=GrievanceStatus.CLARIFICATION_1,
            actor=manager,
            text="Mohon klarifikasi gaji.",
        )
        assert grievance.status == GrievanceStatus.CLARIFICATION_1
        assert grievance.due_at > timezone.now() + datetime.timedelta(days=6)
        assert agent.notifications.filter(key="grievance_agency_turn").exists()
        assert not agent_b.notifications.exists()

    def test_a_move_the_table_forbids_is_refused_in_indonesian(self, manager):
        grievance, _ = open_family_case()
        with pytest.raises(ValidationError) as error:
            services.grievance_move(
                grievance=grievance, to_status=GrievanceStatus.COMMITMENT, actor=manager
            )
        assert "tidak bisa menjadi" in str(error.value)

    def test_closing_needs_a_reason_and_records_it(self, manager):
        grievance, _ = open_family_case()
        with pytest.raises(ValidationError):
            services.grievance_move(
                grievance=grievance, to_status=GrievanceStatus.CLOSED, actor=manager
            )
        grievance = services.grievance_move(
            grievance=grievance,
            to_status=GrievanceStatus.CLOSED,
            actor=manager,
            closing_reason=ClosingReason.DUPLICATE,
            text="Sama dengan ADU lain.",
        )
        assert grievance.closed_at is not None and grievance.due_at is None
        assert not grievance.is_overdue

    def test_an_overdue_case_stands_out_in_the_list(self, manager):
        grievance, _ = open_family_case()
        Grievance.objects.filter(pk=grievance.pk).update(
            due_at=timezone.now() - datetime.timedelta(hours=1)
        )
        fresh, _ = open_family_case(worker_name="Rina")
        overdue = list(grievance_list(manager, overdue=True))
        assert overdue == [Grievance.objects.get(pk=grievance.pk)]
        assert fresh not in overdue

    def test_a_reporter_message_counts_as_contact(self):
        grievance, _ = open_family_case()
        Grievance.objects.filter(pk=grievance.pk).update(
            last_contact_at=timezone.now() - datetime.timedelta(days=61)
        )
        services.grievance_reporter_message(grievance=grievance, text="Ada kabar baru.")
        grievance.refresh_from_db()
        assert timezone.now() - grievance.last_contact_at < datetime.timedelta(minutes=1)


@pytest.mark.django_db
class TestPublicForm:
    def test_a_family_member_without_an_account_opens_and_follows_a_case(self, client, agency):
        response = client.post(
            reverse("protection:public_grievance_new"),
            {
                "reporter_name": "Ibu Sari",
                "reporter_relation": "ibu",
                "reporter_phone": "081211112222",
                "worker_name": "Dewi Lestari",
                "worker_country": "KR",
                "agency": agency.pk,
                "category": "document_withheld",
                "description": "Paspor ditahan majikan.",
                "evidence": SimpleUploadedFile("bukti.png", PNG, content_type="image/png"),
            },
        )
        assert response.status_code == 302
        response = client.get(response.url)
        grievance = Grievance.objects.get()
        secret = response.context["secret"]
        assert grievance.number in response.content.decode() and secret in response.content.decode()
        assert grievance.evidence.count() == 1

        other = client.__class__()
        assert (
            other.get(
                reverse("protection:public_grievance_status", args=[grievance.number])
            ).status_code
            == 404
        )
        wrong = other.post(
            reverse("protection:public_grievance_track"),
            {"number": grievance.number, "secret": "XXXXXXXX"},
        )
        assert "salah" in wrong.content.decode()
        right = other.post(
            reverse("protection:public_grievance_track"),
            {"number": grievance.number, "secret": secret},
            follow=True,
        )
        assert grievance.get_status_display() in right.content.decode()

    def test_a_refused_file_opens_nothing_and_keeps_what_was_typed(self, client, agency):
        """Fixing the file and sending again must not open the case twice (nor lose the first
        case's secret, which is shown only once)."""
        fields = {
            "reporter_name": "Ibu Sari",
            "reporter_relation": "ibu",
            "reporter_phone": "081211112222",
            "worker_name": "Dewi Lestari",
            "worker_country": "KR",
            "agency": agency.pk,
            "category": "document_withheld",
            "description": "Paspor ditahan majikan.",
        }
        url = reverse("protection:public_grievance_new")
        refused = client.post(
            url, {**fields, "evidence": SimpleUploadedFile("bukti.jpg", b"MZ\x90\x00" * 40)}
        )
        assert refused.status_code == 200 and not Grievance.objects.exists()
        assert refused.context["form"].errors["evidence"]
        assert "Paspor ditahan majikan." in refused.content.decode()

        sent = client.post(url, {**fields, "evidence": SimpleUploadedFile("bukti.png", PNG)})
        assert sent.status_code == 302 and client.get(sent.url).context["secret"]
        grievance = Grievance.objects.get()
        assert grievance.evidence.count() == 1
        assert list(grievance.events.values_list("kind", flat=True).order_by("pk")) == [
            GrievanceEvent.Kind.OPENED,
            GrievanceEvent.Kind.EVIDENCE,
        ]

    def test_internal_notes_are_not_shown_to_the_family(self, client, manager):
        grievance, secret = open_family_case()
        services.grievance_note(
            grievance=grievance, actor=manager, text="Catatan internal rahasia", public=False
        )
        services.grievance_note(
            grievance=grievance, actor=manager, text="Kami sudah menghubungi P3MI", public=True
        )
        client.post(
            reverse("protection:public_grievance_track"),
            {"number": grievance.number, "secret": secret},
        )
        page = client.get(
            reverse("protection:public_grievance_status", args=[grievance.number])
        ).content.decode()
        assert "Kami sudah menghubungi P3MI" in page
        assert "Catatan internal rahasia" not in page
        assert "+6281211112222" not in page

    def test_guessing_secrets_is_throttled(self, client):
        grievance, _ = open_family_case()
        for _ in range(20):
            client.post(
                reverse("protection:public_grievance_track"),
                {"number": grievance.number, "secret": "AAAAAAAA"},
            )
        response = client.post(
            reverse("protection:public_grievance_track"),
            {"number": grievance.number, "secret": "AAAAAAAA"},
        )
        assert "Terlalu banyak percobaan" in response.content.decode()

    def test_behind_the_citys_proxy_a_strangers_guesses_do_not_lock_out_the_reporter(
        self, settings
    ):
        from django.test import Client

        settings.JALUR_TRUSTED_PROXIES = 1
        grievance, secret = open_family_case()
        url = reverse("protection:public_grievance_track")
        stranger = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
        for _ in range(21):
            stranger.post(url, {"number": grievance.number, "secret": "AAAAAAAA"})
        reporter = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
        response = reporter.post(url, {"number": grievance.number, "secret": secret})
        assert response.status_code == 302


@pytest.mark.django_db
class TestAccess:
    def test_an_agency_sees_only_cases_about_its_own_workers(
        self, client_for, agency, agency_b, agent, agent_b
    ):
        mine, _ = open_family_case(agency=agency)
        theirs, _ = open_family_case(agency=agency_b, worker_name="Lain")
        client = client_for(agent)
        page = client.get(reverse("protection:grievance_list")).content.decode()
        assert mine.number in page and theirs.number not in page
        assert reverse("protection:grievance_new") not in page  # the P3MI cannot record cases
        assert (
            client.get(reverse("protection:grievance_detail", args=[theirs.pk])).status_code == 404
        )
        assert client.get(reverse("protection:grievance_detail", args=[mine.pk])).status_code == 200

    def test_the_p3mi_complained_about_never_reads_the_offices_internal_notes(
        self, client_for, agency, agent, manager
    ):
        grievance, _ = open_family_case(agency=agency)
        services.grievance_assign(grievance=grievance, officer=manager, actor=manager)
        services.grievance_note(
            grievance=grievance, actor=manager, text="Siapkan rekomendasi sanksi.", public=False
        )
        services.grievance_note(
            grievance=grievance, actor=manager, text="Kami sudah menghubungi P3MI.", public=True
        )
        url = reverse("protection:grievance_detail", args=[grievance.pk])
        page = client_for(agent).get(url).content.decode()
        assert "Kami sudah menghubungi P3MI." in page
        assert "rekomendasi sanksi" not in page
        assert str(GrievanceEvent.Kind.ASSIGNED.label) not in page
        office_page = client_for(manager).get(url).content.decode()
        assert "rekomendasi sanksi" in office_page

    def test_an_agency_responds_but_cannot_move_the_case(self, client_for, agency, agent, manager):
        grievance, _ = open_family_case(agency=agency)
        services.grievance_assign(grievance=grievance, officer=manager, actor=manager)
        client = client_for(agent)
        client.post(
            reverse("protection:grievance_respond", args=[grievance.pk]),
            {"text": "Gaji dibayar 5 Desember."},
        )
        assert grievance.events.filter(kind=GrievanceEvent.Kind.AGENCY_RESPONSE).exists()
        assert manager.notifications.filter(key="grievance_agency_responded").exists()
        response = client.post(
            reverse("protection:grievance_action", args=[grievance.pk]),
            {"action": "move", "to_status": "closed"},
        )
        assert response.status_code == 403

    def test_the_office_handles_a_case_through_the_page(self, client_for, manager):
        grievance, _ = open_family_case()
        client = client_for(manager)
        listing = client.get(reverse("protection:grievance_list")).content.decode()
        assert reverse("protection:grievance_new") in listing
        client.post(
            reverse("protection:grievance_action", args=[grievance.pk]), {"action": "assign"}
        )
        client.post(
            reverse("protection:grievance_action", args=[grievance.pk]),
            {"action": "move", "to_status": "mediation", "text": "Mediasi 3 Desember di kantor."},
        )
        grievance.refresh_from_db()
        assert grievance.status == GrievanceStatus.MEDIATION and grievance.assigned_to == manager
        response = client.post(
            reverse("protection:grievance_action", args=[grievance.pk]),
            {"action": "move", "to_status": "commitment"},
            follow=True,
        )
        assert "tidak bisa menjadi" in response.content.decode()

    @pytest.mark.parametrize(
        "role", ["registration_officer", "verifier", "training_staff", "candidate"]
    )
    def test_roles_outside_protection_cannot_open_the_case_list(self, client_for, role_users, role):
        assert (
            client_for(role_users[role]).get(reverse("protection:grievance_list")).status_code
            == 403
        )

    def test_leadership_reads_but_cannot_act(self, client_for, leader):
        grievance, _ = open_family_case()
        client = client_for(leader)
        assert (
            client.get(reverse("protection:grievance_detail", args=[grievance.pk])).status_code
            == 200
        )
        assert (
            client.post(
                reverse("protection:grievance_action", args=[grievance.pk]), {"action": "assign"}
            ).status_code
            == 403
        )

    def test_evidence_is_served_only_to_those_who_see_the_case_and_each_view_is_logged(
        self, client_for, agency, agency_b, agent, agent_b, manager
    ):
        grievance, _ = open_family_case(agency=agency)
        from django.core.files.uploadedfile import SimpleUploadedFile as Upload

        evidence = services.grievance_add_evidence(
            grievance=grievance, upload=Upload("a.png", PNG), uploaded_by_kind=ReporterKind.FAMILY
        )
        url = reverse("protection:evidence_file", args=[evidence.pk])
        response = client_for(agent).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert client_for(agent_b).get(url).status_code == 404
        assert (
            AuditLog.objects.filter(
                action="grievance.evidence_view", kind=AuditLog.Kind.VIEW
            ).count()
            == 1
        )

    def test_an_executable_renamed_as_a_photo_is_refused(self):
        grievance, _ = open_family_case()
        with pytest.raises(ValidationError):
            services.grievance_add_evidence(
                grievance=grievance,
                upload=SimpleUploadedFile("foto.jpg", b"MZ\x90\x00" + b"\x00" * 100),
                uploaded_by_kind=ReporterKind.FAMILY,
            )


@pytest.mark.django_db
def test_a_worker_opens_a_case_from_their_own_account_and_sees_only_public_events(
    client_for, candidate_user, manager
):
    candidate = CandidateFactory(stage=Stage.DEPARTED, user=candidate_user)
    client = client_for(candidate_user)
    response = client.post(
        reverse("protection:my_grievance_new"),
        {"category": "health", "description": "Sakit, tidak boleh ke dokter."},
    )
    grievance = Grievance.objects.get(candidate=candidate)
    assert response.status_code == 302 and response.url == reverse(
        "protection:grievance_detail", args=[grievance.pk]
    )
    services.grievance_note(
        grievance=grievance, actor=manager, text="internal: cek majikan", public=False
    )
    page = client.get(response.url).content.decode()
    assert "internal: cek majikan" not in page
    assert grievance.reporter_kind == ReporterKind.WORKER


COMPLAINT = {"category": "other", "description": "Saya dimintai Rp 15 juta untuk biaya paspor."}


@pytest.mark.django_db
class TestComplaintsBeforeDeparture:
    """Fees are demanded and passports held before departure: a candidate whose registration is
    sent complains from their own account, about the P3MI placing them when there is one."""

    def test_a_candidate_preparing_to_leave_complains_about_the_p3mi_placing_them(
        self, client_for, candidate_user, agency, agent
    ):
        from jalur.departure import services as departure
        from jalur.departure.tests.conftest import accept, make_agency, make_order

        application = accept(make_order(make_agency(agency)), user=candidate_user)
        departure.case_open(application=application, actor=agent)
        client = client_for(candidate_user)
        assert client.get(reverse("protection:my_grievance_new")).status_code == 200
        response = client.post(reverse("protection:my_grievance_new"), COMPLAINT)
        grievance = Grievance.objects.get()
        assert response.status_code == 302 and response.url == reverse(
            "protection:grievance_detail", args=[grievance.pk]
        )
        assert grievance.candidate == application.candidate
        assert grievance.agency == agency
        assert grievance.reporter_kind == ReporterKind.WORKER
        assert client.get(response.url).status_code == 200  # they follow it from their account

    @pytest.mark.parametrize("stage", [Stage.REGISTERED, Stage.VERIFIED, Stage.TRAINING])
    def test_a_candidate_without_a_p3mi_yet_complains_too(self, client_for, candidate_user, stage):
        candidate = CandidateFactory(stage=stage, user=candidate_user)
        client_for(candidate_user).post(reverse("protection:my_grievance_new"), COMPLAINT)
        grievance = Grievance.objects.get()
        assert grievance.candidate == candidate and grievance.agency is None

    def test_someone_still_filling_in_the_registration_is_told_what_to_do_first(
        self, client_for, candidate_user
    ):
        CandidateFactory(stage=Stage.REGISTERING, user=candidate_user)
        response = client_for(candidate_user).post(
            reverse("protection:my_grievance_new"), COMPLAINT, follow=True
        )
        assert not Grievance.objects.exists()
        assert "Kirim pendaftaran Anda dulu" in response.content.decode()

    def test_check_in_and_arrival_stay_for_workers_abroad(self, client_for, candidate_user):
        CandidateFactory(stage=Stage.PRE_DEPARTURE, user=candidate_user)
        client = client_for(candidate_user)
        for name in ("protection:my_checkin", "protection:my_arrival"):
            response = client.get(reverse(name), follow=True)
            assert "sudah berangkat ke negara tujuan" in response.content.decode(), name


def _evidence_input(page: str) -> str:
    """The <input> tag of the evidence field on `page`."""
    import re

    return re.search(r'<input[^>]*name="evidence"[^>]*>', page).group(0)


@pytest.mark.django_db
class TestEvidenceFromAPhone:
    """An 8 MB phone photo is shrunk in the browser (candidates.js, as on the documents step)
    before it meets the server's 5 MB limit; the file picker offers only what is accepted."""

    def assert_shrinks_photos(self, page: str) -> None:
        assert "candidates/candidates.js" in page
        tag = _evidence_input(page)
        assert 'accept="image/jpeg,image/png,application/pdf"' in tag
        assert "data-max-bytes=" in tag

    def test_the_worker_and_the_staff_complaint_forms(self, client_for, candidate_user, manager):
        CandidateFactory(stage=Stage.DEPARTED, user=candidate_user)
        self.assert_shrinks_photos(
            client_for(candidate_user).get(reverse("protection:my_grievance_new")).content.decode()
        )
        self.assert_shrinks_photos(
            client_for(manager).get(reverse("protection:grievance_new")).content.decode()
        )

    def test_the_public_family_form_and_the_public_case_page(self, client):
        self.assert_shrinks_photos(
            client.get(reverse("protection:public_grievance_new")).content.decode()
        )
        grievance, secret = open_family_case()
        client.post(
            reverse("protection:public_grievance_track"),
            {"number": grievance.number, "secret": secret},
        )
        self.assert_shrinks_photos(
            client.get(
                reverse("protection:public_grievance_status", args=[grievance.number])
            ).content.decode()
        )

    def test_the_evidence_forms_on_the_case_page(self, client_for, candidate_user, manager):
        candidate = CandidateFactory(stage=Stage.DEPARTED, user=candidate_user)
        grievance, _ = open_family_case(candidate=candidate)
        url = reverse("protection:grievance_detail", args=[grievance.pk])
        self.assert_shrinks_photos(client_for(manager).get(url).content.decode())
        self.assert_shrinks_photos(client_for(candidate_user).get(url).content.decode())


@pytest.mark.django_db
class TestCategory:
    def test_nothing_is_chosen_for_the_reporter_and_a_choice_is_required(self, client):
        page = client.get(reverse("protection:public_grievance_new")).content.decode()
        assert '<option value="" selected>— pilih jenis masalah —</option>' in page
        response = client.post(
            reverse("protection:public_grievance_new"),
            {
                "reporter_name": "Ibu Sari",
                "reporter_relation": "ibu",
                "reporter_phone": "081211112222",
                "worker_name": "Dewi Lestari",
                "description": "Paspor ditahan majikan.",
            },
        )
        assert response.status_code == 200 and not Grievance.objects.exists()
        assert response.context["form"].errors["category"] == ["Pilih jenis masalahnya."]
        assert "Paspor ditahan majikan." in response.content.decode()

    def test_the_worker_must_choose_too(self, client_for, candidate_user):
        CandidateFactory(stage=Stage.DEPARTED, user=candidate_user)
        response = client_for(candidate_user).post(
            reverse("protection:my_grievance_new"), {"description": "Gaji dipotong."}
        )
        assert response.status_code == 200 and not Grievance.objects.exists()
        assert "Pilih jenis masalahnya." in response.content.decode()


@pytest.mark.django_db
class TestStaffSteps:
    def test_a_refused_step_shows_the_case_again_with_the_text_kept_beside_the_error(
        self, client_for, manager
    ):
        grievance, _ = open_family_case()
        client = client_for(manager)
        response = client.post(
            reverse("protection:grievance_action", args=[grievance.pk]),
            {
                "action": "move",
                "to_status": "closed",
                "text": "Pelapor sudah tidak bisa dihubungi.",
            },
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "Pelapor sudah tidak bisa dihubungi.</textarea>" in page
        assert '<option value="closed" selected>' in page
        # the error sits beside the closing reason, not in a banner
        assert response.context["move_form"].errors["closing_reason"] == [
            "Pilih alasan penutupan pengaduan."
        ]
        reason_field = page.split('id="closing"')[0].rsplit('<div class="field', 1)[1]
        assert "has-error" in reason_field
        assert (
            "Pilih alasan penutupan pengaduan." in page.split('id="closing"')[1].split("</div>")[0]
        )
        grievance.refresh_from_db()
        assert grievance.status == GrievanceStatus.RECEIVED
        # the rest of the case page is there as on a plain visit
        assert grievance.description in page and response.context["events"]

    def test_an_empty_note_says_what_to_write_beside_the_note(self, client_for, manager):
        grievance, _ = open_family_case()
        response = client_for(manager).post(
            reverse("protection:grievance_action", args=[grievance.pk]),
            {"action": "note", "text": " ", "public": "on"},
        )
        assert response.status_code == 200
        assert response.context["note_form"].errors["text"] == ["Catatan tidak boleh kosong."]
        assert not response.context["move_form"].is_bound


@pytest.mark.django_db
def test_the_reporters_phone_is_shown_as_people_write_it(client_for, manager):
    grievance, _ = open_family_case(reporter_phone="+6281312345566")
    page = (
        client_for(manager)
        .get(reverse("protection:grievance_detail", args=[grievance.pk]))
        .content.decode()
    )
    assert "0813-1234-5566" in page and "+6281312345566" not in page


@pytest.mark.django_db
class TestFeesCategory:
    def test_being_asked_to_pay_fees_is_offered_first(self, client):
        page = client.get(reverse("protection:public_grievance_new"))
        choices = page.context["form"].fields["category"].choices
        assert choices[1] == (
            "fees",
            "Diminta membayar biaya (penempatan, pelatihan, seleksi)",
        )

    def test_a_candidate_in_training_complains_about_a_fee(self, client_for, candidate_user):
        candidate = CandidateFactory(stage=Stage.TRAINING, user=candidate_user)
        client_for(candidate_user).post(
            reverse("protection:my_grievance_new"), {**COMPLAINT, "category": "fees"}
        )
        grievance = Grievance.objects.get(candidate=candidate)
        assert grievance.get_category_display().startswith("Diminta membayar biaya")


@pytest.mark.django_db
class TestWithdrawn:
    def withdrawn(self, user, *, submitted: bool):
        from jalur.candidates.services import candidate_stage_change

        candidate = CandidateFactory(stage=Stage.REGISTERING, user=user)
        if submitted:
            candidate_stage_change(candidate=candidate, to_stage=Stage.REGISTERED, actor=user)
        candidate_stage_change(candidate=candidate, to_stage=Stage.WITHDRAWN, actor=user)
        return candidate

    def test_withdrawn_before_sending_is_pointed_to_the_public_form_or_the_office(
        self, client_for, candidate_user
    ):
        self.withdrawn(candidate_user, submitted=False)
        client = client_for(candidate_user)
        response = client.get(reverse("protection:my_grievance_new"))
        assert response.status_code == 302
        assert response.url == reverse("protection:public_grievance_new")
        body = client.get(response.url).content.decode()
        assert "Kirim pendaftaran Anda dulu" not in body
        assert "mengundurkan diri" in body and "kantor Disnakertrans" in body

    def test_withdrawn_after_sending_still_complains_from_the_account(
        self, client_for, candidate_user
    ):
        candidate = self.withdrawn(candidate_user, submitted=True)
        response = client_for(candidate_user).post(
            reverse("protection:my_grievance_new"), COMPLAINT
        )
        assert response.status_code == 302
        assert Grievance.objects.get().candidate == candidate


PUBLIC_FIELDS = {
    "reporter_name": "Ibu Sari",
    "reporter_relation": "ibu",
    "reporter_phone": "081211112222",
    "worker_name": "Dewi Lestari",
    "worker_country": "KR",
    "category": "document_withheld",
    "description": "Paspor ditahan majikan.",
}


@pytest.mark.django_db
class TestSentOnce:
    """Post/redirect/get: the page after sending is a GET, so reloading it sends nothing again;
    the secret waits in the session only until that page shows it."""

    def test_the_family_sees_the_number_and_secret_once_and_a_reload_files_nothing(self, client):
        response = client.post(reverse("protection:public_grievance_new"), PUBLIC_FIELDS)
        received = reverse("protection:public_grievance_received")
        assert response.status_code == 302 and response.url == received
        grievance = Grievance.objects.get()

        page = client.get(received)
        secret = page.context["secret"]
        assert services.grievance_check_secret(number=grievance.number, secret=secret) == grievance
        assert grievance.number in page.content.decode() and secret in page.content.decode()
        assert page["Cache-Control"] == "private, no-store"
        assert secret not in str(dict(client.session))  # no longer kept in clear

        again = client.get(received)
        body = again.content.decode()
        assert Grievance.objects.count() == 1
        assert secret not in body and "sudah ditampilkan" in body
        assert grievance.number in body
        assert reverse("protection:public_grievance_track") in body
        status = reverse("protection:public_grievance_status", args=[grievance.number])
        assert status in body and client.get(status).status_code == 200

    def test_the_received_page_without_a_case_sent_points_to_tracking(self, client):
        response = client.get(reverse("protection:public_grievance_received"))
        assert response.status_code == 302
        assert response.url == reverse("protection:public_grievance_track")

    def test_the_staff_record_shows_the_secret_once_too(self, client_for, manager):
        client = client_for(manager)
        response = client.post(
            reverse("protection:grievance_new"), {**PUBLIC_FIELDS, "reporter_kind": "family"}
        )
        received = reverse("protection:grievance_received")
        assert response.status_code == 302 and response.url == received
        grievance = Grievance.objects.get()
        page = client.get(received)
        secret = page.context["secret"]
        assert services.grievance_check_secret(number=grievance.number, secret=secret) == grievance
        assert page["Cache-Control"] == "private, no-store"
        again = client.get(received).content.decode()
        assert Grievance.objects.count() == 1
        assert secret not in again and "sudah ditampilkan" in again
        assert reverse("protection:grievance_detail", args=[grievance.pk]) in again

    def test_back_then_send_again_opens_no_second_case(self, client):
        """QA: Back after sending showed the filled form; sending it again opened a copy."""
        url = reverse("protection:public_grievance_new")
        token = client.get(url).context["form"]["submission"].value()
        first = client.post(url, {**PUBLIC_FIELDS, "submission": token})
        assert first.status_code == 302
        grievance = Grievance.objects.get()
        again = client.post(url, {**PUBLIC_FIELDS, "submission": token}, follow=True)
        assert Grievance.objects.count() == 1
        body = again.content.decode()
        assert f"sudah terkirim sebelumnya dengan nomor {grievance.number}" in body
        assert again.request["PATH_INFO"] == reverse(
            "protection:public_grievance_status", args=[grievance.number]
        )
        # a new form is a new complaint
        other = client.get(url).context["form"]["submission"].value()
        assert other != token
        client.post(
            url, {**PUBLIC_FIELDS, "description": "Paspor juga ditahan.", "submission": other}
        )
        assert Grievance.objects.count() == 2

    def test_a_page_reloaded_on_back_with_a_new_form_id_still_opens_one_case(self, client):
        """QA: a phone's browser fetched the form again on Back (a new form id) and filled in
        the typed text: the same reporter, problem and words within a day are the same case."""
        url = reverse("protection:public_grievance_new")
        first = client.get(url).context["form"]["submission"].value()
        client.post(url, {**PUBLIC_FIELDS, "submission": first})
        second = client.get(url).context["form"]["submission"].value()
        again = client.post(url, {**PUBLIC_FIELDS, "submission": second}, follow=True)
        assert Grievance.objects.count() == 1
        assert "sudah terkirim sebelumnya" in again.content.decode()
        other = {**PUBLIC_FIELDS, "description": "Gaji bulan ini juga belum dibayar."}
        client.post(
            url, {**other, "submission": client.get(url).context["form"]["submission"].value()}
        )
        assert Grievance.objects.count() == 2  # another problem is another case

    def test_the_same_words_about_another_worker_or_p3mi_are_another_case(
        self, client_for, manager, agency, agency_b
    ):
        """QA: the office recorded Agus Salim's complaint (PT Duta), then Dewi Lestari's (PT Sakura)
        from the same reporter phone, category and text: the second was taken for a resend."""
        client = client_for(manager)
        url = reverse("protection:grievance_new")
        fields = {**PUBLIC_FIELDS, "reporter_kind": "family"}
        client.post(url, {**fields, "worker_name": "Agus Salim", "agency": agency.pk})
        client.post(url, {**fields, "worker_name": "Dewi Lestari", "agency": agency_b.pk})
        assert Grievance.objects.count() == 2
        client.post(url, {**fields, "worker_name": "Dewi Lestari", "agency": agency.pk})
        assert Grievance.objects.count() == 3  # the same worker, another P3MI
        again = client.post(
            url, {**fields, "worker_name": " dewi  lestari", "agency": agency_b.pk}, follow=True
        )
        assert Grievance.objects.count() == 3  # the same worker and P3MI again: a resend
        assert "sudah terkirim sebelumnya" in again.content.decode()

    def test_the_same_words_about_another_registered_worker_are_another_case(self, agency):
        first, second = CandidateFactory(), CandidateFactory()
        fields = {
            "reporter_kind": ReporterKind.FAMILY,
            "reporter_name": "Ibu Sari",
            "reporter_phone": "0812-1111-2222",
            "category": "wages",
            "description": "Gaji belum dibayar.",
            "agency": agency,
        }
        services.grievance_open(candidate=first, **fields)
        services.grievance_open(candidate=second, **fields)
        assert Grievance.objects.count() == 2
        with pytest.raises(services.AlreadySent):
            services.grievance_open(candidate=second, **fields)

    def test_a_worker_sending_the_same_form_twice_lands_on_the_first_case(
        self, client_for, candidate_user
    ):
        from jalur.candidates.stages import Stage
        from jalur.candidates.tests.factories import CandidateFactory

        CandidateFactory(user=candidate_user, stage=Stage.DEPARTED)
        client = client_for(candidate_user)
        url = reverse("protection:my_grievance_new")
        token = client.get(url).context["form"]["submission"].value()
        fields = {"category": "wages", "description": "Gaji belum dibayar.", "submission": token}
        client.post(url, fields)
        again = client.post(url, fields)
        grievance = Grievance.objects.get()
        assert again.url == reverse("protection:grievance_detail", args=[grievance.pk])

    def test_every_problem_of_the_public_form_shows_at_once(self, client):
        """QA: with no category and phone "0813", the phone error came only on the next send."""
        response = client.post(
            reverse("protection:public_grievance_new"),
            {**PUBLIC_FIELDS, "category": "", "reporter_phone": "0813"},
        )
        errors = response.context["form"].errors
        assert "Pilih jenis masalahnya." in errors["category"]
        assert "0812-3456-7890" in errors["reporter_phone"][0]
        assert not Grievance.objects.exists()

    def test_the_staff_received_page_is_for_the_office_only(self, client_for, agent, leader):
        for user in (agent, leader):
            response = client_for(user).get(reverse("protection:grievance_received"))
            assert response.status_code == 403


def _input(page: str, name: str) -> str:
    import re

    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)


UNSENT = "Berkas bukti belum terkirim: pilih lagi sebelum mengirim."


@pytest.mark.django_db
class TestARefusedFormLosesTheFile:
    """A browser cannot keep a chosen file in a form sent back with an error: say so beside it."""

    def test_a_phone_typo_says_the_photo_must_be_chosen_again(self, client):
        response = client.post(
            reverse("protection:public_grievance_new"),
            {
                **PUBLIC_FIELDS,
                "reporter_phone": "0812",
                "evidence": SimpleUploadedFile("bukti.png", PNG),
            },
        )
        assert response.status_code == 200 and not Grievance.objects.exists()
        errors = response.context["form"].errors
        assert errors["reporter_phone"] and errors["evidence"] == [UNSENT]
        evidence_field = response.content.decode().split('name="evidence"')[1].split("</div>")[0]
        assert UNSENT in evidence_field

    def test_nothing_is_said_when_no_file_was_chosen(self, client):
        response = client.post(
            reverse("protection:public_grievance_new"), {**PUBLIC_FIELDS, "reporter_phone": "0812"}
        )
        assert "evidence" not in response.context["form"].errors

    def test_a_refused_file_keeps_its_own_reason(self, client):
        response = client.post(
            reverse("protection:public_grievance_new"),
            {**PUBLIC_FIELDS, "evidence": SimpleUploadedFile("bukti.jpg", b"MZ\x90\x00" * 40)},
        )
        assert UNSENT not in response.context["form"].errors["evidence"]

    def test_the_worker_and_staff_forms_say_it_too(self, client_for, candidate_user, manager):
        CandidateFactory(stage=Stage.DEPARTED, user=candidate_user)
        worker = client_for(candidate_user).post(
            reverse("protection:my_grievance_new"),
            {"description": "Gaji dipotong.", "evidence": SimpleUploadedFile("a.png", PNG)},
        )
        assert worker.context["form"].errors["evidence"] == [UNSENT]
        staff = client_for(manager).post(
            reverse("protection:grievance_new"),
            {**PUBLIC_FIELDS, "category": "", "evidence": SimpleUploadedFile("a.png", PNG)},
        )
        assert staff.context["form"].errors["evidence"] == [UNSENT]
        assert not Grievance.objects.exists()

    def test_the_phone_field_opens_the_number_keypad(self, client, client_for, manager):
        tag = _input(
            client.get(reverse("protection:public_grievance_new")).content.decode(),
            "reporter_phone",
        )
        assert 'type="tel"' in tag and 'inputmode="tel"' in tag and 'autocomplete="tel"' in tag
        # staff type someone else's number: a keypad, but not their own number suggested
        tag = _input(
            client_for(manager).get(reverse("protection:grievance_new")).content.decode(),
            "reporter_phone",
        )
        assert 'type="tel"' in tag and 'inputmode="tel"' in tag and 'autocomplete="off"' in tag


@pytest.mark.django_db
def test_a_case_moved_on_without_an_officer_is_taken_by_the_one_who_moved_it(manager):
    grievance, _ = open_family_case()
    services.grievance_move(
        grievance=grievance, to_status=GrievanceStatus.ASSIGNED, actor=manager, text=""
    )
    grievance.refresh_from_db()
    assert grievance.assigned_to == manager
    log = AuditLog.objects.filter(action="grievance.move").latest("pk")
    assert log.changes["assigned_to_id"] == [None, manager.pk]


@pytest.mark.django_db
class TestEnglish:
    """QA: the case page read "Complaints ADU-…" and a new case's status "Accepted"."""

    def test_the_case_page_names_one_complaint(self, client_for, manager, client):
        grievance, secret = open_family_case()
        office = client_for(manager)
        office.post(reverse("set_language"), {"language": "en", "next": "/"})
        page = office.get(reverse("protection:grievance_detail", args=[grievance.pk]))
        assert f"Complaints {grievance.number}" not in page.content.decode()
        assert grievance.number in page.content.decode()
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        client.post(
            reverse("protection:public_grievance_track"),
            {"number": grievance.number, "secret": secret},
        )
        status = client.get(reverse("protection:public_grievance_status", args=[grievance.number]))
        assert status.status_code == 200
        assert f"Complaints {grievance.number}" not in status.content.decode()

    def test_a_received_case_is_not_accepted(self):
        from django.utils import translation

        with translation.override("en"):
            assert str(GrievanceStatus.RECEIVED.label) != "Accepted"
        with translation.override("id"):
            assert str(GrievanceStatus.RECEIVED.label) == "Diterima"


@pytest.mark.django_db
def test_the_staff_form_asks_about_the_reporter_and_the_public_one_about_you(
    client, client_for, manager
):
    """QA: the office's form said "Nama Anda" and "Jangan tulis kata sandi" to the officer."""
    staff = client_for(manager).get(reverse("protection:grievance_new")).content.decode()
    assert "Nama pelapor" in staff and "Nomor HP pelapor" in staff
    assert "Nama Anda" not in staff and "kata sandi" not in staff
    public = client.get(reverse("protection:public_grievance_new")).content.decode()
    assert "Nama Anda" in public and "Jangan tulis kata sandi" in public
