"""The whole journey in a real browser, on a 360 px phone screen: a job seeker registers, is verified,
trained and certified, shortlisted, accepts an offer, departs, misses a check-in, and the family's
complaint is taken up by the office. Each person uses their own browser context and every step
asserts what that person sees on the page.

Set-up data that has no page of its own in this journey (the agency's licence and agreements, the
official test results, the interview and the offer, most checklist items) is made through the apps'
services in the arrange step of each stage; the steps the journey names go through the browser."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from jalur.candidates.models import Candidate, DocumentType
from jalur.candidates.stages import Stage
from jalur.candidates.tests.conftest import (
    CIPARE,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    registration_data,
)
from jalur.departure import services as departure
from jalur.departure.tests.test_checklist import fill, sign_no_fee
from jalur.pathways.models import JobType, Pathway, PathwayAssignment
from jalur.placement import services as placement
from jalur.placement.models import Agreement, AgreementKind, Application
from jalur.placement.tests.conftest import (
    add_result,
    make_agency,
    make_pks,
    order_data,
    pdf_upload,
)
from jalur.protection.models import Grievance
from jalur.protection.selectors import worker_contract
from jalur.training.models import Certificate, Enrolment
from jalur.training.scales import Test as ScaleTest
from jalur.training.tests.factories import (
    CohortFactory,
    ProgrammeFactory,
    ProviderFactory,
    SessionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "rahasia-uji-123"
CANDIDATE_PASSWORD = "Serang-Maju-2026"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


# --- browser helpers --------------------------------------------------------------------------------


@pytest.fixture
def open_page(request, _browser, live_server):
    """open_page(name) -> a new 360×740 page in its own browser context (its own cookies).

    Every page opened here is saved as a screenshot in test-artifacts/ when the test fails."""
    pages = {}

    def _open(name: str):
        context = _browser.new_context(
            viewport={"width": 360, "height": 740}, locale="id-ID", base_url=live_server.url
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("dialog", lambda dialog: dialog.accept())  # data-confirm buttons
        pages[name] = page
        return page

    yield _open
    failed = getattr(request.node, "rep_call", None)
    for name, page in pages.items():
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=True)
        page.context.close()


def login(page, user, password=PASSWORD):
    page.goto("/masuk/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Selamat datang")


def press(page, name):
    """Tap the button with exactly this label."""
    page.get_by_role("button", name=name, exact=True).click()


def heading(page):
    return page.locator("h1")


def message(page):
    return page.locator(".messages")


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 360


# --- 1. self-registration -------------------------------------------------------------------------

UPLOADS = [  # small valid files, in turn: a phone photo, a screenshot, a scanned PDF
    ("jpg", "image/jpeg", jpeg_bytes()),
    ("png", "image/png", png_bytes()),
    ("pdf", "application/pdf", pdf_bytes()),
]


def register_on_the_phone(page) -> Candidate:
    data = registration_data()
    page.goto("/pencaker/daftar/")
    expect(heading(page)).to_have_text("Daftar sebagai pencari kerja")
    page.fill("#id_full_name", data["full_name"])
    page.fill("#id_phone", data["phone"])
    page.fill("#id_password", CANDIDATE_PASSWORD)
    page.fill("#id_password_again", CANDIDATE_PASSWORD)
    press(page, "Buat akun dan lanjutkan")

    page.wait_for_url("**/pencaker/daftar/identitas/")
    expect(page.locator(".stepnav")).to_contain_text("Langkah 1 dari 6")
    page.fill("#id_nik", data["nik"])
    page.fill("#id_kk_number", data["kk_number"])
    page.fill("#id_full_name", data["full_name"])
    page.fill("#id_birth_place", data["birth_place"])
    page.fill("#id_birth_date", data["birth_date"].isoformat())
    page.check(f"input[name=sex][value={data['sex']}]")
    page.select_option("#id_religion", data["religion"])
    page.select_option("#id_marital_status", data["marital_status"])
    press(page, "Simpan dan lanjut")

    page.wait_for_url("**/pencaker/daftar/alamat/")
    expect(page.locator(".stepnav")).to_contain_text("Langkah 2 dari 6")
    page.select_option("#id_village", CIPARE)
    page.fill("#id_rt", data["rt"])
    page.fill("#id_rw", data["rw"])
    page.fill("#id_street", data["street"])
    page.fill("#id_phone", data["phone"])
    page.fill("#id_emergency_name", data["emergency_name"])
    page.fill("#id_emergency_relation", data["emergency_relation"])
    page.fill("#id_emergency_phone", data["emergency_phone"])
    press(page, "Simpan dan lanjut")

    page.wait_for_url("**/pencaker/daftar/pendidikan/")
    page.select_option("#id_education_level", data["education_level"])
    page.fill("#id_education_major", data["education_major"])
    page.fill("#id_height_cm", "158")
    page.fill("#id_weight_kg", "50")
    press(page, "Simpan dan lanjut")

    page.wait_for_url("**/pencaker/daftar/minat/")
    page.check("input[name=preferred_countries][value=JP]")
    industrial = JobType.objects.get(code="industrial")
    page.check(f"input[name=preferred_job_types][value='{industrial.pk}']")
    press(page, "Simpan dan lanjut")

    page.wait_for_url("**/pencaker/daftar/dokumen/")
    required = list(DocumentType.objects.filter(required=True).order_by("pk"))
    for n, doc_type in enumerate(required):
        ext, mime, content = UPLOADS[n % len(UPLOADS)]
        section = page.locator(f"#doc-{doc_type.code}")
        section.locator("input[type=file]").set_input_files(
            {"name": f"{doc_type.code}.{ext}", "mimeType": mime, "buffer": content}
        )
        section.locator("button[type=submit]").click()
        expect(message(page)).to_contain_text(f"{doc_type.name} tersimpan.")
        expect(page.locator(f"#doc-{doc_type.code}")).to_contain_text("Menunggu diperiksa")
    page.click("a.btn:has-text('Lanjut')")

    page.wait_for_url("**/pencaker/daftar/persetujuan/")
    expect(page.locator(".warnbox")).to_have_count(0)  # nothing left to complete
    page.check("#id_agree")
    press(page, "Setuju dan kirim pendaftaran")
    page.wait_for_url("**/pencaker/saya/")
    expect(heading(page)).to_contain_text(f"Halo, {data['full_name']}")
    expect(message(page)).to_contain_text("Pendaftaran terkirim")
    assert fits_the_phone(page)
    candidate = Candidate.objects.get(nik=data["nik"])
    assert candidate.stage == Stage.REGISTERED
    return candidate


# --- 2. verification -------------------------------------------------------------------------------


def verify_in_the_queue(page, candidate):
    page.goto("/pencaker/verifikasi/")
    expect(heading(page)).to_have_text("Verifikasi pendaftaran")
    page.click(f"a:has-text('{candidate.full_name}')")
    page.wait_for_url(f"**/pencaker/verifikasi/{candidate.pk}/")
    expect(heading(page)).to_contain_text(candidate.full_name)
    # the verifier sees every uploaded image beside its row (PDFs get an "open" button)
    required = DocumentType.objects.filter(required=True).count()
    pdfs = required // len(UPLOADS)  # every third upload is a PDF
    previews = page.locator("img.doc-preview")
    expect(previews).to_have_count(required - pdfs)
    expect(page.get_by_role("link", name="Buka PDF")).to_have_count(pdfs)
    for n in range(previews.count()):
        previews.nth(n).scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")  # one request at a time (SQLite: one writer)
    assert page.evaluate(
        "[...document.querySelectorAll('img.doc-preview')].every(i => i.naturalWidth > 0)"
    )
    count = page.locator(".review-form").count()
    assert count == required
    for n in range(count):
        # each tap on "Terima" swaps its row (HTMX): the row now says "Diterima"
        row = page.locator(".doc-review").nth(n)
        row.scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")  # the preview images first (SQLite: one writer)
        row.locator("button[value='1']").click()
        expect(page.locator(".doc-review .tag-ok")).to_have_count(n + 1)
    expect(page.locator(".doc-review").first).to_contain_text("Diterima")
    page.reload()
    page.check("input[name=decision][value=verified]")
    press(page, "Simpan keputusan")
    page.wait_for_url("**/pencaker/verifikasi/")
    expect(message(page)).to_contain_text(
        "Keputusan tersimpan dan pencari kerja sudah diberi tahu."
    )


# --- 3. training ------------------------------------------------------------------------------------


def enrol(page, cohort, candidate):
    page.goto(f"/pelatihan/angkatan/{cohort.pk}/daftarkan/")
    expect(heading(page)).to_have_text("Daftarkan peserta")
    page.check(f"#c{candidate.pk}")
    press(page, "Daftarkan yang dipilih")
    page.wait_for_url(f"**/pelatihan/angkatan/{cohort.pk}/")
    expect(message(page)).to_contain_text("1 peserta didaftarkan.")
    expect(page.locator("body")).to_contain_text(candidate.full_name)


def attend_score_and_close(page, session, enrolment):
    page.goto(f"/pelatihan/sesi/{session.pk}/absensi/")
    expect(heading(page)).to_contain_text("Absensi")
    expect(page.locator(f"#row-{enrolment.pk}")).to_contain_text(enrolment.candidate.full_name)
    press(page, "Simpan absensi")
    expect(message(page)).to_contain_text("Absensi disimpan: 1 hadir")
    assert fits_the_phone(page)

    page.goto(f"/pelatihan/peserta/{enrolment.pk}/")
    page.click("a:has-text('+ JFT-Basic')")
    expect(heading(page)).to_contain_text("Catat hasil JFT-Basic")
    page.select_option("#id_kind", "mock")
    page.fill("#id_taken_on", days(0).isoformat())
    page.fill("#id_score", "220")
    press(page, "Simpan")
    page.wait_for_url(f"**/pelatihan/peserta/{enrolment.pk}/")
    expect(message(page)).to_contain_text("Hasil ujian dicatat.")
    expect(page.locator(".rules")).not_to_contain_text("✗")

    page.goto(f"/pelatihan/angkatan/{enrolment.cohort_id}/tutup/")
    expect(heading(page)).to_have_text("Tutup angkatan dan terbitkan sertifikat")
    expect(page.locator("body")).to_contain_text("1 dari 1 peserta memenuhi syarat lulus")
    press(page, "Tutup angkatan")
    page.wait_for_url(f"**/pelatihan/angkatan/{enrolment.cohort_id}/")
    expect(message(page)).to_contain_text("Angkatan ditutup: 1 lulus, 0 tidak lulus.")
    certificate = Certificate.objects.get(enrolment=enrolment)
    page.goto(f"/pelatihan/peserta/{enrolment.pk}/")
    expect(page.locator("body")).to_contain_text(certificate.number)
    return certificate


# --- 5. placement set-up ---------------------------------------------------------------------------


def agency_with_agreements(agency_org):
    ssw = Pathway.objects.get(code="jp-ssw-p2p")
    industrial = JobType.objects.get(code="industrial")
    p3mi = make_agency(agency_org)
    mou = Agreement.objects.create(
        kind=AgreementKind.MOU,
        number="MOU/01/PEMKOT-APJATI/XII/2025",
        title="Nota Kesepakatan penempatan PMI",
        parties="Pemerintah Kota Serang\nDPP APJATI",
        signed_on=days(-300),
        starts_on=days(-300),
        ends_on=days(800),
        quota=1000,
    )
    make_pks(p3mi, mou, job_types=[industrial], pathways=[ssw], quota=100)
    return p3mi, ssw, industrial


def officially_tested(candidate, ssw, industrial):
    PathwayAssignment.objects.create(candidate=candidate, pathway=ssw, job_type=industrial)
    add_result(candidate, ScaleTest.JFT_BASIC, score=220, passed=True)
    add_result(candidate, ScaleTest.SKILL, score=80, passed=True, job_type=industrial)


# --- the journey ------------------------------------------------------------------------------------


def test_a_job_seeker_goes_from_registration_to_departure_and_the_family_is_heard(
    phone_page, open_page, verifier, manager, trainer, provider, agent, agency
):
    # 1. the candidate registers on a phone
    me = phone_page
    me.on("dialog", lambda dialog: dialog.accept())
    candidate = register_on_the_phone(me)

    # 2. a verifier accepts the documents and verifies the person
    desk = open_page("verifier")
    login(desk, verifier)
    verify_in_the_queue(desk, candidate)
    me.goto("/pencaker/saya/")
    expect(me.locator("body")).to_contain_text("Terverifikasi")

    # 3. the programme manager enrols; the trainer takes attendance, scores and closes the cohort
    cohort = CohortFactory(
        provider=ProviderFactory(organisation=provider),
        programme=ProgrammeFactory(),
        start_date=days(-10),
        end_date=days(0),
        capacity=3,
    )
    session = SessionFactory(cohort=cohort, date=days(0))
    office = open_page("manager")
    login(office, manager)
    enrol(office, cohort, candidate)
    enrolment = Enrolment.objects.get(cohort=cohort, candidate=candidate)
    lpk = open_page("trainer")
    login(lpk, trainer)
    certificate = attend_score_and_close(lpk, session, enrolment)
    candidate.refresh_from_db()
    assert candidate.stage == Stage.TRAINED

    # 4. anyone checks the certificate through its QR link, without logging in
    public = open_page("public")
    public.goto(f"/pelatihan/sertifikat/v/{certificate.token}/")
    expect(public.locator("h2")).to_have_text("Sertifikat asli dan berlaku")
    expect(public.locator(".cert-result")).to_contain_text(candidate.full_name)
    expect(public.locator(".cert-result")).to_contain_text(certificate.number)

    # 5. a P3MI submits a job order, the city approves it, and the agency shortlists the candidate
    p3mi, ssw, industrial = agency_with_agreements(agency)
    officially_tested(candidate, ssw, industrial)
    order = placement.job_order_create(
        actor=agent,
        agency=p3mi,
        data=order_data(ssw, industrial, positions=1),
        costs=[],
        attache_file=pdf_upload(),
    )
    company = open_page("agent")
    login(company, agent)
    company.goto(f"/penempatan/lowongan/{order.pk}/")
    expect(heading(company)).to_contain_text(order.position_title)
    press(company, "Ajukan ke Disnakertrans")
    expect(message(company)).to_contain_text("Lowongan diajukan ke Disnakertrans untuk ditinjau.")

    office.goto(f"/penempatan/lowongan/{order.pk}/tinjau/")
    expect(heading(office)).to_contain_text(f"Tinjau lowongan {order.reference}")
    office.check("input[name=decision][value=approve]")
    press(office, "Simpan keputusan")
    expect(message(office)).to_contain_text("Keputusan disimpan dan P3MI diberi tahu.")
    # approving fills the recommendations (three times the positions) from the ranking
    office.goto(f"/penempatan/lowongan/{order.pk}/seleksi/")
    expect(heading(office)).to_have_text("Peringkat dan rekomendasi")
    expect(office.locator("body")).to_contain_text(candidate.full_name)
    expect(office.locator("body")).to_contain_text("Lamaran: Direkomendasikan Jalur")

    company.goto(f"/penempatan/lowongan/{order.pk}/")
    company.click(f"a:has-text('{candidate.full_name}')")
    expect(heading(company)).to_have_text(candidate.full_name)
    press(company, "Masukkan ke daftar pendek")
    expect(company.locator("body")).to_contain_text("Masuk daftar pendek")
    application = Application.objects.get(order=order, candidate=candidate)
    assert application.status == "shortlisted"

    # 6. interview, selection and offer (services); the candidate accepts in their own account
    application = placement.interview_schedule(
        actor=agent,
        application=application,
        at=timezone.now() + datetime.timedelta(days=1),
        mode="online",
        place="Zoom",
    )
    application = placement.interview_record(
        actor=agent,
        application=application,
        result="passed",
        now=application.interview_at + datetime.timedelta(hours=1),  # recorded after it was held
    )
    application = placement.application_select(actor=agent, application=application)
    placement.offer_make(
        actor=agent,
        application=application,
        position_title=order.position_title,
        wage_amount=order.wage_amount,
        contract_months=order.contract_months,
        terms="Mulai Februari 2027",
        respond_by=days(7),
    )
    me.goto(f"/penempatan/saya/lamaran/{application.pk}/")
    expect(heading(me)).to_have_text(order.position_title)
    press(me, "Terima tawaran")
    expect(message(me)).to_contain_text("Anda menerima tawaran ini.")
    assert fits_the_phone(me)

    # 7. the checklist (services), then ready and the group departure in the browser
    case = departure.case_open(application=Application.objects.get(pk=application.pk), actor=agent)
    fill(
        case,
        agent,
        manager,
        overrides={
            "employment_contract": {
                "employer": order.employer_name,
                "position": order.position_title,
            }
        },
    )
    sign_no_fee(case, agent)
    company.goto(f"/keberangkatan/{case.pk}/")
    expect(heading(company)).to_have_text(candidate.full_name)
    company.fill("#id_planned_departure_on", days(0).isoformat())
    press(company, "Tandai siap berangkat")
    expect(message(company)).to_contain_text("Pekerja siap berangkat.")

    company.goto("/keberangkatan/rombongan/")
    expect(heading(company)).to_have_text("Rombongan keberangkatan")
    company.select_option("#id_country", "JP")
    company.fill("#id_departs_on", days(0).isoformat())
    company.fill("#id_flight", "GA 874")
    press(company, "Buat rombongan")
    company.wait_for_url(re.compile(r"/keberangkatan/rombongan/\d+/$"))
    expect(heading(company)).to_contain_text("GA 874")
    company.check(f"input[name=case][value='{case.pk}']")
    press(company, "Simpan anggota")
    expect(message(company)).to_contain_text("Anggota rombongan tersimpan.")
    # the gate is checked for the day of departure: the no-fee statement at departure is missing
    missing = "Pernyataan tanpa biaya saat keberangkatan belum ditandatangani."
    expect(company.locator("main")).to_contain_text(missing)
    press(company, "Tandai rombongan berangkat")
    expect(message(company)).to_contain_text("Rombongan belum bisa diberangkatkan:")
    expect(message(company)).to_contain_text(missing)
    group_url = company.url

    company.goto(f"/keberangkatan/{case.pk}/")
    no_fee = company.locator(f"form[action='/keberangkatan/{case.pk}/tanpa-biaya/']")
    no_fee.locator("select[name=occasion]").select_option("departure")
    no_fee.locator("input[name=signed_on]").fill(days(0).isoformat())
    no_fee.get_by_role("button", name="Catat tanda tangan").click()
    expect(message(company)).to_contain_text("Tanggal pernyataan tanpa biaya tercatat.")

    company.goto(group_url)
    expect(company.locator("main")).not_to_contain_text(missing)
    press(company, "Tandai rombongan berangkat")
    expect(message(company)).to_contain_text("Rombongan tercatat berangkat.")
    candidate.refresh_from_db()
    assert candidate.stage == Stage.DEPARTED

    # 8. two months without news: the office sees the missed check-in
    Candidate.objects.filter(pk=candidate.pk).update(
        stage_changed_at=timezone.now() - datetime.timedelta(days=60)
    )
    office.goto("/pelindungan/pemantauan/")
    expect(heading(office)).to_have_text("Pemantauan pekerja di luar negeri")
    late = office.locator("tr.overdue")
    expect(late).to_contain_text(candidate.full_name)
    expect(late).to_contain_text("terlambat")

    # the family files a complaint with the public form, without logging in
    public.goto("/pelindungan/lapor/")
    public.fill("#id_reporter_name", "Ahmad Hidayat")
    public.fill("#id_reporter_relation", "ayah")
    public.fill("#id_reporter_phone", "0813 1111 2222")
    public.fill("#id_worker_name", candidate.full_name)
    public.select_option("#id_worker_country", "JP")
    public.select_option("#id_agency", str(agency.pk))
    public.select_option("#id_category", index=1)
    public.fill(
        "#id_description", "Anak kami tidak bisa dihubungi sejak dua bulan dan gaji belum dibayar."
    )
    public.click("button[type=submit]")
    expect(heading(public)).to_have_text("Pengaduan diterima")
    grievance = Grievance.objects.get()
    expect(public.locator(".kv")).to_contain_text(grievance.number)

    # the office takes the case and asks the P3MI for clarification
    office.goto(f"/pelindungan/pengaduan/{grievance.pk}/")
    expect(heading(office)).to_contain_text(grievance.number)
    press(office, "Tangani pengaduan ini")
    expect(message(office)).to_contain_text("Pengaduan ini sekarang Anda tangani.")
    office.select_option("#to-status", "clarification_1")
    office.fill("#move-text", "P3MI diminta menjelaskan kabar pekerja dan pembayaran gaji.")
    press(office, "Simpan langkah")
    expect(message(office)).to_contain_text("Status pengaduan diperbarui.")
    expect(office.locator("body")).to_contain_text("Menunggu klarifikasi pertama P3MI")
    grievance.refresh_from_db()
    assert grievance.status == "clarification_1"

    # 9. the daily run: the missed check-in is told to the P3MI, which answers on the worker's page
    call_command("flag_missed_checkins", stdout=io.StringIO())
    company.goto(f"/pelindungan/pekerja/{candidate.pk}/")
    expect(company.locator("main")).to_contain_text("belum masuk")
    company.fill("textarea[name=text]", "Kami sudah menelepon majikan: pekerja sehat, HP rusak.")
    press(company, "Kirim jawaban")
    expect(message(company)).to_contain_text("Jawaban P3MI tersimpan")

    # 10. abroad, the worker sends the monthly check-in on the phone: a wage below the contract
    wage, currency, _hours = worker_contract(candidate)
    me.goto("/pelindungan/saya/kabar/")
    expect(me.locator("main")).to_contain_text(f"Menurut kontrak: {wage:,.0f}".replace(",", "."))
    for question, answer in (
        ("wage_on_time", "ya"),
        ("passport_held", "ya"),
        ("housing_ok", "ya"),
        ("health_ok", "ya"),
        ("need_help", "tidak"),
    ):
        me.check(f"input[name={question}][value={answer}]")
    me.fill("#id_wage_amount", f"{wage - 20000:,.0f}".replace(",", "."))
    me.fill("#id_hours_per_week", "40")
    assert fits_the_phone(me)
    press(me, "Kirim kabar")
    expect(message(me)).to_contain_text("kabar Anda sudah kami terima")
    violation = Grievance.objects.get(candidate=candidate, category="contract")
    assert currency in violation.description

    # the office's list puts the worker's problem first, by name, with the answer as a badge
    office.goto("/pelindungan/pemantauan/?tampil=masalah")
    first = office.locator("tbody tr").first
    expect(first).to_contain_text(candidate.full_name)
    expect(first).to_contain_text("gaji di bawah kontrak")
    office.goto(f"/pelindungan/pekerja/{candidate.pk}/")
    expect(office.locator(".timeline")).to_contain_text("HP rusak")
    expect(office.locator(".timeline")).to_contain_text(violation.number)
