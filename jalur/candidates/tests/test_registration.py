"""Self-registration on a phone, the registration desk, consent, NIK uniqueness and log-in slips."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.accounts.tests.factories import UserFactory
from jalur.audit.models import AuditLog
from jalur.candidates.models import (
    Candidate,
    ConsentRecord,
    ConsentText,
    DocumentType,
    RegistrationChannel,
    StageHistory,
)
from jalur.candidates.selectors import consent_current, registration_missing
from jalur.candidates.services import (
    NikTaken,
    candidate_login_issue,
    candidate_register,
    candidate_submit,
    candidate_update,
)
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType

from .conftest import CIPARE, jpeg_bytes, registration_data, upload

pytestmark = pytest.mark.django_db
PASSWORD = "Serang-Maju-2026"


def step_url(step):
    return reverse("candidates:register_step", args=[step])


def identity_post(**overrides):
    data = registration_data(**overrides)
    return {
        "nik": data["nik"],
        "kk_number": data["kk_number"],
        "full_name": data["full_name"],
        "birth_place": data["birth_place"],
        "birth_date": data["birth_date"].isoformat(),
        "sex": data["sex"],
        "religion": data["religion"],
        "marital_status": data["marital_status"],
    }


ADDRESS = {
    "village": CIPARE,
    "rt": "3",
    "rw": "5",
    "street": "Jl. Kampung Baru No. 12",
    "phone": "0812-3456-7001",
    "email": "",
    "emergency_name": "Ahmad Hidayat",
    "emergency_relation": "Orang tua",
    "emergency_phone": "0813 1111 2222",
}
EDUCATION = {"education_level": "SMK", "education_major": "Tata boga", "height_cm": "158"}


def create_account(client, phone="0812-3456-7001", email=""):
    return client.post(
        reverse("candidates:register_start"),
        {
            "full_name": "Siti Rahmawati",
            "phone": phone,
            "email": email,
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )


class TestSelfRegistration:
    def test_the_first_step_creates_a_log_in_and_logs_the_person_in(self, client):
        response = create_account(client)
        assert response.status_code == 302 and response["Location"] == step_url("identitas")
        user = User.objects.get(phone="+6281234567001")
        assert user.role == Role.CANDIDATE and user.check_password(PASSWORD)
        assert client.get(reverse("candidates:me")).status_code == 200
        assert user.notifications.filter(key="welcome").exists()

    def test_the_account_form_shows_every_problem_at_once(self, client):
        response = client.post(
            reverse("candidates:register_start"),
            {
                "full_name": "Siti Aminah",
                "phone": "0812-34",
                "email": "siti@",
                "password": PASSWORD,
                "password_again": PASSWORD + "x",
            },
        )
        assert set(response.context["form"].errors) == {"phone", "email", "password_again"}
        assert "Nomor HP tidak valid" in response.context["form"].errors["phone"][0]
        short = client.post(
            reverse("candidates:register_start"),
            {
                "full_name": "Siti Aminah",
                "phone": "0812-34",
                "password": "abc",
                "password_again": "abc",
            },
        )
        assert {"phone", "password"} <= set(short.context["form"].errors)

    def test_the_account_needs_a_phone_or_an_email(self, client):
        response = create_account(client, phone="", email="")
        assert "Isi nomor HP (WhatsApp) atau e-mail" in response.content.decode()
        assert not User.objects.filter(role=Role.CANDIDATE).exists()

    def test_a_phone_already_used_is_not_said_to_be_taken(self, client, candidate_user):
        response = create_account(client, phone="0812-3456-7890")
        assert "sudah dipakai" not in response.content.decode()
        assert "Periksa HP atau e-mail Anda" in response.content.decode()

    def test_a_weak_password_is_refused_in_indonesian(self, client):
        response = client.post(
            reverse("candidates:register_start"),
            {
                "full_name": "Siti",
                "phone": "081234567001",
                "password": "12345678",
                "password_again": "12345678",
            },
        )
        assert response.status_code == 200
        assert not User.objects.filter(phone="+6281234567001").exists()

    def test_each_step_saves_and_the_person_can_resume_after_logging_in_again(self, client):
        create_account(client)
        response = client.post(step_url("identitas"), identity_post())
        assert response["Location"] == step_url("alamat")
        candidate = Candidate.objects.get()
        assert (candidate.stage, candidate.channel) == (Stage.REGISTERING, RegistrationChannel.SELF)
        client.post(step_url("alamat"), {**ADDRESS, "exit": "1"})

        client.logout()
        resumed = Client()
        assert resumed.login(username="0812 3456 7001", password=PASSWORD)
        page = resumed.get(reverse("candidates:me")).content.decode()
        assert "Yang masih kurang" in page and "Pendidikan dan pekerjaan" in page
        candidate.refresh_from_db()
        assert candidate.village_id == CIPARE and candidate.phone == "+6281234567001"

    def test_every_step_tells_what_is_still_missing(self, client):
        create_account(client)
        client.post(step_url("identitas"), identity_post())
        page = client.get(step_url("alamat")).content.decode()
        assert "Masih kurang" in page and "KTP" in page and "Persetujuan penggunaan data" in page

    def test_each_step_says_what_the_star_means(self, client):
        """QA: 'Tempat lahir *' left empty was saved; the star means needed before sending."""
        create_account(client)
        page = client.get(step_url("identitas")).content.decode()
        assert "wajib diisi sebelum pendaftaran dikirim" in page

    def test_steps_after_identity_wait_for_the_identity(self, client):
        create_account(client)
        assert client.get(step_url("alamat"))["Location"] == step_url("identitas")

    def test_a_wrong_nik_is_explained_beside_the_field(self, client):
        create_account(client)
        response = client.post(step_url("identitas"), identity_post(nik="3673011705980000"))
        assert "Nomor urut NIK (4 angka terakhir) tidak boleh 0000" in response.content.decode()
        assert not Candidate.objects.exists()

    def test_a_nik_already_registered_says_log_in_or_visit_without_revealing_the_other_record(
        self, client
    ):
        other = CandidateFactory(full_name="Rahasia Orang Lain", phone="+6281299998888")
        create_account(client)
        response = client.post(
            step_url("identitas"),
            {**identity_post(), "nik": other.nik, "sex": other.sex, "birth_date": "1998-05-17"},
        )
        page = response.content.decode()
        assert (
            "NIK ini sudah terdaftar di Jalur" in page and "datang ke kantor Disnakertrans" in page
        )
        assert "Rahasia Orang Lain" not in page and "0812-9999-8888" not in page
        assert Candidate.objects.count() == 1

    def test_an_account_cannot_go_on_testing_whose_nik_is_registered(self, client):
        """Three registered NIKs from one account, then no NIK at all (registered or not) until
        the next day: otherwise anyone could look up whether a neighbour is in the programme."""
        others = [CandidateFactory() for _ in range(3)]
        create_account(client)
        for other in others:
            page = client.post(
                step_url("identitas"),
                {**identity_post(), "nik": other.nik, "sex": other.sex, "birth_date": "1998-05-17"},
            ).content.decode()
            assert "NIK ini sudah terdaftar di Jalur" in page
        own = client.post(step_url("identitas"), identity_post()).content.decode()
        assert "tidak bisa dicoba lagi dari akun ini hari ini" in own
        assert "NIK ini sudah terdaftar" not in own
        assert Candidate.objects.count() == 3

    def test_a_birth_date_differing_from_the_nik_is_saved_with_a_warning(self, client):
        create_account(client)
        post = identity_post()
        post["birth_date"] = "1998-05-18"
        response = client.post(step_url("identitas"), post, follow=True)
        assert "berbeda dengan tanggal lahir yang diisi" in response.content.decode()
        assert Candidate.objects.get().birth_date_confirmed_at is None

    def test_the_name_given_for_the_account_is_already_in_the_identity_step(self, client):
        create_account(client)
        form = client.get(step_url("identitas")).context["form"]
        assert form["full_name"].value() == "Siti Rahmawati"

    def test_a_step_saves_what_is_filled_in_and_leaves_the_rest_for_later(self, client):
        """The KK is often kept by the head of the family: the rest is saved without it, it is
        listed as missing, and the registration cannot be sent until it is there."""
        create_account(client)
        response = client.post(
            step_url("identitas"), {**identity_post(), "kk_number": "", "exit": "1"}
        )
        assert response["Location"] == reverse("candidates:me")
        candidate = Candidate.objects.get()
        assert candidate.kk_number == "" and candidate.birth_place == "Serang"
        response = client.post(
            step_url("alamat"), {"street": "Jl. Kampung Baru No. 12", "exit": "1"}
        )
        assert response["Location"] == reverse("candidates:me")
        candidate.refresh_from_db()
        assert candidate.street == "Jl. Kampung Baru No. 12" and candidate.village_id is None
        missing = client.get(step_url("alamat")).context["missing"]
        assert {"identity", "address"} <= {item.section for item in missing}
        with pytest.raises(ValidationError):
            candidate_submit(candidate=candidate, actor=candidate.user)

    def test_a_wrong_value_is_still_refused_in_a_step(self, client):
        create_account(client)
        client.post(step_url("identitas"), identity_post())
        response = client.post(step_url("alamat"), {"phone": "0812-34", "exit": "1"})
        assert response.status_code == 200
        assert response.context["form"].errors["phone"]

    def test_a_record_is_not_created_without_nik_name_birth_date_and_sex(self, client):
        create_account(client)
        response = client.post(step_url("identitas"), {"kk_number": "3673010101200003"})
        assert response.status_code == 200 and not Candidate.objects.exists()
        assert set(response.context["form"].errors) >= {"nik", "birth_date", "sex"}

    def test_only_jobs_with_a_legal_route_can_be_chosen_and_for_their_countries(self, client):
        create_account(client)
        client.post(step_url("identitas"), identity_post())
        form = client.get(step_url("minat")).context["form"]
        offered = {j.code for j in form.fields["preferred_job_types"].queryset}
        assert "baby-sitter" not in offered and "caregiver" in offered
        assert "baby sitter" in form.fields["preferred_job_types"].help_text
        caregiver = JobType.objects.get(code="caregiver")  # a legal route to Japan only
        response = client.post(
            step_url("minat"),
            {"preferred_countries": ["KR"], "preferred_job_types": [caregiver.pk]},
        )
        assert "hanya ada jalur resmi ke Jepang" in " ".join(
            response.context["form"].errors["preferred_job_types"]
        )
        baby_sitter = JobType.objects.get(code="baby-sitter")
        response = client.post(
            step_url("minat"),
            {"preferred_countries": ["JP"], "preferred_job_types": [baby_sitter.pk]},
        )
        assert response.context["form"].errors["preferred_job_types"]
        assert not Candidate.objects.get().preferred_job_types.exists()

    def test_continuing_opens_the_first_step_with_something_missing(self, client):
        create_account(client)
        client.post(step_url("identitas"), identity_post())
        client.post(step_url("alamat"), ADDRESS)
        client.post(step_url("pendidikan"), EDUCATION)
        page = client.get(reverse("candidates:me"))
        assert page.context["resume_url"] == step_url("minat")
        assert f'href="{step_url("minat")}">Lanjutkan pendaftaran' in page.content.decode()

    def test_registration_cannot_be_sent_without_consent(self, client):
        create_account(client)
        client.post(step_url("identitas"), identity_post())
        response = client.post(step_url("persetujuan"), {})
        assert "Centang persetujuan" in response.content.decode()
        assert Candidate.objects.get().stage == Stage.REGISTERING

    def test_the_whole_form_on_a_phone_ends_in_the_verification_queue(self, client):
        create_account(client)
        client.post(step_url("identitas"), identity_post())
        client.post(step_url("alamat"), ADDRESS)
        client.post(step_url("pendidikan"), EDUCATION)
        job = JobType.objects.get(code="caregiver")
        client.post(
            step_url("minat"), {"preferred_countries": ["JP"], "preferred_job_types": [job.pk]}
        )
        candidate = Candidate.objects.get()
        for doc_type in DocumentType.objects.filter(required=True):
            response = client.post(
                reverse("candidates:upload", args=[doc_type.code]),
                {f"t{doc_type.pk}-file": upload(jpeg_bytes())},
            )
            assert response.status_code == 302, response.content.decode()[:2000]
        response = client.post(step_url("persetujuan"), {"agree": "on"})
        assert response["Location"] == reverse("candidates:me")
        candidate.refresh_from_db()
        consent = consent_current()
        assert candidate.stage == Stage.REGISTERED
        assert (candidate.consent_version, candidate.consent_at is not None) == (
            consent.version,
            True,
        )
        record = ConsentRecord.objects.get(candidate=candidate)
        assert record.consent_text == consent and record.actor == candidate.user
        assert candidate.user.notifications.filter(key="stage_changed").exists()

    def test_after_sending_the_candidate_can_no_longer_change_the_data(self, client, submitted):
        submitted.user.set_password(PASSWORD)
        submitted.user.save()
        client.force_login(submitted.user)
        response = client.get(step_url("identitas"))
        assert response["Location"] == reverse("candidates:me")
        response = client.post(
            reverse("candidates:upload", args=["ktp"]), {"t1-file": upload(jpeg_bytes())}
        )
        assert response.status_code == 403


class TestDeskRegistration:
    def walk_in_post(self, **overrides):
        data = registration_data(**overrides)
        job = JobType.objects.get(code="caregiver")
        post = {f"identity-{k}": v for k, v in identity_post().items()}
        post.update({f"address-{k}": v for k, v in ADDRESS.items()})
        post.update({f"education-{k}": v for k, v in EDUCATION.items()})
        post.update(
            {"preferences-preferred_countries": ["JP"], "preferences-preferred_job_types": [job.pk]}
        )
        post["consent-agree"] = "on"
        post["identity-birth_date"] = data["birth_date"].isoformat()
        return post

    def test_an_officer_registers_a_person_and_is_recorded_as_the_actor(self, client_for, officer):
        response = client_for(officer).post(reverse("candidates:walk_in"), self.walk_in_post())
        candidate = Candidate.objects.get()
        assert response["Location"] == reverse("candidates:detail", args=[candidate.pk])
        assert candidate.channel == RegistrationChannel.WALK_IN
        assert candidate.registered_by == officer
        assert candidate.consent_version == consent_current().version
        assert StageHistory.objects.get(candidate=candidate).actor == officer
        audit = AuditLog.objects.get(action="candidate.register")
        assert audit.actor == officer and audit.changes["channel"] == [None, "walk_in"]
        assert candidate.user.role == Role.CANDIDATE and candidate.user.phone == "+6281234567001"
        assert not candidate.user.has_usable_password()

    def test_a_birth_date_differing_from_the_nik_needs_the_officers_confirmation(
        self, client_for, officer
    ):
        post = self.walk_in_post()
        post["identity-birth_date"] = "1998-05-18"
        response = client_for(officer).post(reverse("candidates:walk_in"), post)
        assert (
            "centang &#x27;Tanggal lahir sudah saya cocokkan dengan KTP asli&#x27;"
            in response.content.decode()
        )  # the label of the box it names
        assert not Candidate.objects.exists()
        post["identity-confirm_birth_date"] = "on"
        client_for(officer).post(reverse("candidates:walk_in"), post)
        candidate = Candidate.objects.get()
        assert candidate.birth_date_confirmed_by == officer

    def test_the_desk_uses_the_same_rules_as_self_registration(self, client_for, officer):
        post = self.walk_in_post()
        post["identity-sex"] = "L"  # the NIK says woman
        response = client_for(officer).post(reverse("candidates:walk_in"), post)
        assert "Jenis kelamin tidak cocok dengan NIK" in response.content.decode()
        assert not Candidate.objects.exists()

    def test_the_desk_needs_the_signed_consent(self, client_for, officer):
        post = self.walk_in_post()
        del post["consent-agree"]
        response = client_for(officer).post(reverse("candidates:walk_in"), post)
        assert "perlu persetujuan yang ditandatangani" in response.content.decode()

    def test_the_slip_gives_a_password_that_logs_the_person_in(
        self, client_for, officer, registering
    ):
        response = client_for(officer).post(reverse("candidates:login_slip", args=[registering.pk]))
        assert "no-store" in response["Cache-Control"]
        password = response.context["password"]
        assert password in response.content.decode()
        assert Client().login(username="081234567001", password=password)
        audit = AuditLog.objects.get(action="candidate.login_issue")
        assert password not in str(audit.changes) and audit.actor == officer

    def test_the_officer_is_told_which_records_already_have_the_phone(
        self, client_for, officer, registering
    ):
        post = self.walk_in_post()
        post["identity-nik"] = registration_data(serial=2)["nik"]
        post["identity-full_name"] = "Sri Wahyuni"
        response = client_for(officer).post(reverse("candidates:walk_in"), post, follow=True)
        page = response.content.decode()
        link = reverse("candidates:detail", args=[registering.pk])
        assert "Nomor HP 0812-3456-7001 sudah tercatat pada data lain" in page
        assert f'<a href="{link}">#{registering.pk} Siti Rahmawati</a>' in page
        assert "masuk dengan nama pengguna yang tertulis di slip log-in" in page

    def test_no_phone_warning_when_the_number_is_the_persons_own(self, client_for, officer):
        response = client_for(officer).post(
            reverse("candidates:walk_in"), self.walk_in_post(), follow=True
        )
        assert "sudah tercatat pada data lain" not in response.content.decode()

    def test_the_slip_says_why_the_person_logs_in_with_the_username(
        self, client_for, officer, registering
    ):
        second = candidate_register(
            data=registration_data(serial=2, full_name="Sri Wahyuni"),
            actor=officer,
            channel=RegistrationChannel.WALK_IN,
        )
        assert second.user.phone is None  # the number logs Siti in
        response = client_for(officer).post(reverse("candidates:login_slip", args=[second.pk]))
        page = response.content.decode()
        assert second.user.username in page
        assert "Nomor HP 0812-3456-7001 sudah dipakai akun lain" in page
        own = client_for(officer).post(reverse("candidates:login_slip", args=[registering.pk]))
        assert "sudah dipakai akun lain" not in own.content.decode()

    def test_a_new_slip_replaces_the_old_password(self, officer, registering):
        _user, first = candidate_login_issue(candidate=registering, actor=officer)
        _user, second = candidate_login_issue(candidate=registering, actor=officer)
        assert first != second
        assert not Client().login(username="081234567001", password=first)

    def test_a_candidate_without_a_log_in_gets_one_with_the_slip(self, officer):
        candidate = CandidateFactory(user=None, phone="+6281277776666")
        user, password = candidate_login_issue(candidate=candidate, actor=officer)
        candidate.refresh_from_db()
        assert candidate.user == user and user.phone == "+6281277776666"

    @pytest.mark.parametrize("role", ["verifier", "leader", "trainer", "agent", "candidate_user"])
    def test_only_registration_roles_use_the_desk(self, client_for, request, role):
        user = request.getfixturevalue(role)
        assert client_for(user).get(reverse("candidates:walk_in")).status_code == 403


class TestRegistrationService:
    def test_registering_a_taken_nik_raises_and_creates_nothing(self, officer, registering):
        users = User.objects.count()
        with pytest.raises(NikTaken):
            candidate_register(
                data=registration_data(full_name="Orang Lain"),
                actor=officer,
                channel=RegistrationChannel.WALK_IN,
            )
        assert Candidate.objects.count() == 1 and User.objects.count() == users

    def test_a_desk_phone_already_logging_someone_in_is_kept_as_contact_only(
        self, officer, candidate_user
    ):
        candidate = candidate_register(
            data=registration_data(phone="0812-3456-7890"),
            actor=officer,
            channel=RegistrationChannel.WALK_IN,
        )
        assert candidate.phone == "+6281234567890" and candidate.user.phone is None

    def test_a_new_phone_becomes_the_log_in_number(self, officer, registering):
        candidate_update(candidate=registering, data={"phone": "0857-9999-0001"}, actor=officer)
        registering.user.refresh_from_db()
        assert registering.user.phone == "+6285799990001"
        assert AuditLog.objects.filter(action="user.update", object_id=str(registering.user.pk))

    def test_a_new_phone_another_log_in_uses_leaves_the_log_in_and_tells_the_office(
        self, client_for, officer, registering
    ):
        other = UserFactory(role=Role.CANDIDATE, organisation=None, phone="+6285711112222")
        old = registering.user.phone
        assert old and old != other.phone
        response = client_for(officer).post(
            reverse("candidates:edit", args=[registering.pk, "address"]),
            {**_section_post(registering, "address"), "phone": "0857-1111-2222"},
            follow=True,
        )
        registering.refresh_from_db()
        registering.user.refresh_from_db()
        assert registering.phone == other.phone and registering.user.phone == old
        assert "tetap masuk dengan nomor lamanya" in response.content.decode()

    def test_a_person_who_logs_in_by_user_name_is_told_so_with_the_record_that_has_the_number(
        self, client_for, officer, registering
    ):
        registering.user.phone = None  # their first number was someone else's log-in
        registering.user.save()
        holder = CandidateFactory(full_name="Pemilik Nomor", phone="+6285711113333")
        UserFactory(role=Role.CANDIDATE, organisation=None, phone="+6285711113333")
        response = client_for(officer).post(
            reverse("candidates:edit", args=[registering.pk, "address"]),
            {**_section_post(registering, "address"), "phone": "0857-1111-3333"},
            follow=True,
        )
        page = response.content.decode()
        assert "nama pengguna yang tertulis di slip log-in" in page
        assert f"#{holder.pk} Pemilik Nomor" in page and "nomor lamanya" not in page

    def test_submitting_lists_everything_still_missing(self, officer, registering):
        with pytest.raises(ValidationError) as error:
            candidate_submit(candidate=registering, actor=officer)
        messages = " ".join(error.value.messages)
        assert "Belum lengkap: KTP." in messages and "Persetujuan penggunaan data" in messages

    def test_age_is_checked_again_on_the_day_the_registration_is_sent(self, officer, submitted):
        missing = registration_missing(submitted, today=datetime.date(2026, 1, 1))
        assert missing == []

    def test_a_new_consent_version_is_recorded_with_its_own_time(self, officer, registering):
        from jalur.candidates.services import candidate_consent_give

        old = consent_current()
        candidate_consent_give(candidate=registering, consent=old, actor=officer)
        ConsentText.objects.filter(pk=old.pk).update(is_current=False)
        new = ConsentText.objects.create(
            version="2027-01",
            title="t",
            collected="c",
            purpose="p",
            recipients="r",
            retention="k",
            rights="h",
            is_current=True,
        )
        candidate_consent_give(candidate=registering, consent=new, actor=officer)
        registering.refresh_from_db()
        assert registering.consent_version == "2027-01"
        assert list(registering.consents.values_list("consent_text__version", flat=True)) == [
            "2027-01",
            "2026-01",
        ]


class TestPublicPages:
    def test_the_consent_text_says_what_why_who_and_how_long(self, client):
        page = client.get(reverse("candidates:consent_text")).content.decode()
        for heading in (
            "Data apa yang dikumpulkan",
            "Untuk apa",
            "Siapa yang melihat",
            "Berapa lama disimpan",
        ):
            assert heading in page
        assert "2026-01" in page

    def test_the_public_page_and_login_page_link_to_registration(self, client):
        url = reverse("candidates:register_start")
        assert url in client.get(reverse("core:public_home")).content.decode()
        assert url in client.get(reverse("accounts:login")).content.decode()

    def test_staff_opening_self_registration_go_to_the_desk_form(self, client_for, officer, agent):
        assert client_for(officer).get(reverse("candidates:register_start"))["Location"] == reverse(
            "candidates:walk_in"
        )
        assert (
            "Anda masuk sebagai petugas"
            in client_for(agent).get(reverse("candidates:register_start")).content.decode()
        )

    def test_a_logged_in_candidate_is_sent_to_their_page(self, client_for, candidate_user):
        response = client_for(candidate_user).get(reverse("candidates:register_start"))
        assert response["Location"] == reverse("candidates:me")


def test_document_types_and_which_are_required_are_data(db):
    required = set(DocumentType.objects.filter(required=True).values_list("code", flat=True))
    assert required == {
        "ktp",
        "kk",
        "ijazah",
        "akta-lahir",
        "status-kawin",
        "izin-keluarga",
        "pas-foto",
    }
    assert DocumentType.objects.get(code="skck").has_expiry


def test_the_desk_form_shows_a_rule_error_even_while_other_fields_are_empty(client_for, officer):
    response = client_for(officer).post(
        reverse("candidates:walk_in"), {"identity-nik": "3673011705980000"}
    )
    page = response.content.decode()
    assert "Nomor urut NIK (4 angka terakhir) tidak boleh 0000" in page
    assert "Wajib diisi." in page


def test_an_empty_field_at_the_desk_says_jalurs_own_wajib_diisi(client_for, officer):
    """Jalur's rules say "Wajib diisi."; Django's own catalogue says "Bidang ini tidak boleh
    kosong." for the same problem. One phrase everywhere (jalur/locale/id overrides Django's)."""
    response = client_for(officer).post(reverse("candidates:walk_in"), {})
    form = response.context["sections"][0][1]
    assert form.errors["full_name"] == ["Wajib diisi."]
    assert response.context["sections"][3][1].errors["preferred_countries"] == ["Wajib diisi."]
    page = response.content.decode()
    assert "Bidang ini tidak boleh kosong" not in page
    assert "Wajib diisi." in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_registrations_of_one_nik_at_the_same_moment_give_one_record_and_a_clear_message(
    officer,
):
    import threading

    from django.db import close_old_connections

    barrier = threading.Barrier(2)
    outcomes = []

    def register(phone):
        close_old_connections()
        try:
            barrier.wait()
            candidate_register(
                data=registration_data(phone=phone),
                actor=officer,
                channel=RegistrationChannel.WALK_IN,
            )
            outcomes.append("created")
        except NikTaken as error:
            outcomes.append(error.message_dict["nik"][0])
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=register, args=(phone,))
        for phone in ("081234567001", "081234567002")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("created") == 1
    assert any("NIK ini sudah terdaftar" in outcome for outcome in outcomes)
    assert Candidate.objects.count() == 1
    assert User.objects.filter(role=Role.CANDIDATE).count() == 1  # the loser's log-in rolled back


def _section_post(candidate, section: str) -> dict:
    """What the staff edit form for `section` posts when nothing is changed."""
    from jalur.candidates.forms import SECTION_FORMS

    form = SECTION_FORMS[section](candidate=candidate)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, ""):
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data
