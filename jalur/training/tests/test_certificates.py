"""Certificates: the PDF with its QR code, the public check, revocation, whole-cohort bundles."""

import io
import zipfile

import pytest
import segno
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.core.tests.pdf_helpers import pdf_text
from jalur.training.certificates import (
    CertificateRenderer,
    certificate_pdf,
    certificates_pdf,
    certificates_zip,
    verification_url,
)
from jalur.training.models import Certificate, CertificateStatus, Enrolment, EnrolmentStatus
from jalur.training.selectors import CompletionCheck, Rate
from jalur.training.services import certificate_issue, certificate_revoke, enrolment_create

pytestmark = pytest.mark.django_db


def issue(cohort, actor, user=None) -> Certificate:
    candidate = CandidateFactory(stage=Stage.TRAINED, user=user, full_name="Siti Nurhaliza")
    enrolment = Enrolment.objects.create(
        cohort=cohort, candidate=candidate, status=EnrolmentStatus.COMPLETED
    )
    check = CompletionCheck((), Rate(3, 3, attended_seconds=3 * 4 * 3600))  # 3 sessions of 4 h
    return certificate_issue(enrolment=enrolment, check=check, actor=actor, on=timezone.localdate())


def uncompressed(certificate) -> str:
    renderer = CertificateRenderer()
    renderer.pdf.set_compression(False)
    renderer.add(certificate)
    return renderer.output().decode("latin-1")


class TestPdf:
    def test_the_pdf_is_in_indonesian_with_every_printed_field(self, cohort, trainer):
        certificate = issue(cohort, trainer)  # 12 hours attended, not the programme's 240
        content = certificate_pdf(certificate)
        assert content.startswith(b"%PDF")
        text = pdf_text(content)
        for expected in [
            "SERTIFIKAT PELATIHAN",
            f"Nomor: {certificate.number}",
            "Siti Nurhaliza",
            cohort.programme.name,
            f"sebanyak 12 jam pelajaran di {cohort.provider}",
            "Hasil: Lulus",
        ]:
            assert expected in text, expected

    def test_the_qr_code_opens_the_public_check_page_of_this_certificate(
        self, cohort, trainer, settings
    ):
        settings.JALUR_SITE_URL = "https://jalur.serangkota.go.id"
        certificate = issue(cohort, trainer)
        url = verification_url(certificate)
        assert url == f"https://jalur.serangkota.go.id/pelatihan/sertifikat/v/{certificate.token}/"
        dark = sum(sum(row) for row in segno.make(url, error="m", micro=False).matrix)
        text = uncompressed(certificate)
        # every dark module is drawn, in runs: at least one filled rectangle per run
        assert text.count(" re f") >= dark / 10

    def test_a_revoked_certificate_prints_as_revoked(self, cohort, trainer):
        certificate = certificate_revoke(
            certificate=issue(cohort, trainer), actor=trainer, reason="Data nilai dipalsukan"
        )
        assert "DICABUT" in pdf_text(certificate_pdf(certificate))

    def test_a_whole_cohort_as_one_pdf_has_one_page_each(self, cohort, trainer):
        certificates = [issue(cohort, trainer) for _ in range(3)]
        pdf = certificates_pdf(certificates)
        assert pdf.count(b"/Type /Page\n") == 3

    def test_a_whole_cohort_as_a_zip_has_one_pdf_per_number(self, cohort, trainer):
        certificates = [issue(cohort, trainer) for _ in range(3)]
        archive = zipfile.ZipFile(io.BytesIO(certificates_zip(certificates)))
        assert sorted(archive.namelist()) == sorted(f"{c.number}.pdf" for c in certificates)
        assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())


class TestNumbers:
    def test_numbers_are_unique_and_carry_a_random_tail(self, cohort, trainer):
        numbers = [issue(cohort, trainer).number for _ in range(5)]
        assert len(set(numbers)) == 5
        assert all(len(n.split("-")[-1]) == 4 for n in numbers)


class TestPublicCheck:
    def test_anyone_checks_a_number_and_sees_only_name_programme_number_and_status(
        self, client, cohort, trainer
    ):
        certificate = issue(cohort, trainer)
        page = client.get(
            reverse("training:certificate_check"), {"nomor": certificate.number.lower()}
        )
        html = page.content.decode()
        assert page.status_code == 200
        assert "Sertifikat asli dan berlaku" in html
        assert (
            "Siti Nurhaliza" in html
            and cohort.programme.name in html
            and certificate.number in html
        )
        candidate = certificate.enrolment.candidate
        assert candidate.nik not in html and str(cohort.provider) not in html
        assert certificate.result not in html

    def test_the_qr_link_shows_the_same_check(self, client, cohort, trainer):
        certificate = issue(cohort, trainer)
        page = client.get(reverse("training:certificate_verify", args=[certificate.token]))
        assert "Sertifikat asli dan berlaku" in page.content.decode()

    def test_a_revoked_certificate_shows_as_revoked(self, client, cohort, trainer):
        certificate = certificate_revoke(
            certificate=issue(cohort, trainer), actor=trainer, reason="Nilai dipalsukan"
        )
        html = client.get(
            reverse("training:certificate_verify", args=[certificate.token])
        ).content.decode()
        assert "DICABUT" in html and "Nilai dipalsukan" not in html

    def test_an_unknown_number_or_token_is_not_found(self, client):
        html = client.get(reverse("training:certificate_check"), {"nomor": "PLT-1-2-3-X"}).content
        assert "tidak ditemukan" in html.decode()
        assert client.get(reverse("training:certificate_verify", args=["nope"])).status_code == 404

    def test_the_check_page_is_on_the_public_page(self, client):
        assert reverse("training:certificate_check") in client.get("/publik/").content.decode()


class TestRevocation:
    def test_revocation_needs_a_reason_and_is_audited_and_told_to_the_holder(
        self, cohort, trainer, candidate_user
    ):
        certificate = issue(cohort, trainer, user=candidate_user)
        with pytest.raises(ValidationError):
            certificate_revoke(certificate=certificate, actor=trainer, reason="")
        certificate_revoke(certificate=certificate, actor=trainer, reason="Salah nama")
        certificate.refresh_from_db()
        assert certificate.status == CertificateStatus.REVOKED
        assert AuditLog.objects.get(action="training.certificate.revoke").reason == "Salah nama"
        assert candidate_user.notifications.filter(title__contains="dicabut").exists()

    def test_without_a_valid_certificate_a_trained_person_goes_back_to_verified(
        self, cohort, trainer
    ):
        certificate = issue(cohort, trainer)
        candidate = certificate.enrolment.candidate
        certificate_revoke(certificate=certificate, actor=trainer, reason="Absensi dipalsukan")
        candidate.refresh_from_db()
        assert candidate.stage == Stage.VERIFIED
        move = candidate.stage_history.order_by("-id").first()
        assert (move.from_stage, move.to_stage) == (Stage.TRAINED, Stage.VERIFIED)
        assert certificate.number in move.reason and "Absensi dipalsukan" in move.reason

    def test_another_valid_certificate_keeps_the_stage(self, cohort, cohort_b, trainer):
        certificate = issue(cohort, trainer)
        candidate = certificate.enrolment.candidate
        second = Enrolment.objects.create(
            cohort=cohort_b, candidate=candidate, status=EnrolmentStatus.COMPLETED
        )
        check = CompletionCheck((), Rate(9, 10))
        certificate_issue(enrolment=second, check=check, actor=trainer, on=timezone.localdate())
        certificate_revoke(certificate=certificate, actor=trainer, reason="Salah program")
        candidate.refresh_from_db()
        assert candidate.stage == Stage.TRAINED

    def test_a_revoked_pass_no_longer_counts_and_the_person_can_train_in_the_programme_again(
        self, cohort, cohort_b, trainer, manager
    ):
        certificate = issue(cohort, trainer)
        enrolment = certificate.enrolment
        certificate_revoke(certificate=certificate, actor=trainer, reason="Absensi dipalsukan")
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.REVOKED
        assert enrolment.get_status_display() == "Sertifikat dicabut"
        change = AuditLog.objects.get(action="training.enrolment.revoked")
        assert change.changes == {"status": ["completed", "revoked"]}
        assert change.reason == "Absensi dipalsukan"
        again = enrolment_create(cohort=cohort_b, candidate=enrolment.candidate, actor=manager)
        assert again.status == EnrolmentStatus.ENROLLED

    def test_the_pages_show_the_revoked_pass_and_offer_the_person_for_a_new_cohort(
        self, client_for, cohort, cohort_b, trainer, manager
    ):
        certificate = issue(cohort, trainer)
        enrol_page = reverse("training:cohort_enrol", args=[cohort_b.pk])
        assert "Siti Nurhaliza" not in client_for(manager).get(enrol_page).content.decode()
        certificate_revoke(certificate=certificate, actor=trainer, reason="Absensi dipalsukan")
        assert "Siti Nurhaliza" in client_for(manager).get(enrol_page).content.decode()
        page = client_for(trainer).get(
            reverse("training:enrolment_detail", args=[certificate.enrolment_id])
        )
        html = page.content.decode()
        assert "Sertifikat dicabut" in html and "kelulusan ini tidak berlaku lagi" in html

    def test_a_revoked_certificate_cannot_be_revoked_again(self, cohort, trainer):
        certificate = certificate_revoke(
            certificate=issue(cohort, trainer), actor=trainer, reason="x"
        )
        with pytest.raises(ValidationError):
            certificate_revoke(certificate=certificate, actor=trainer, reason="y")


class TestDownloads:
    def test_the_holder_downloads_their_own_certificate_and_no_one_elses(
        self, client_for, cohort, trainer, candidate_user
    ):
        mine = issue(cohort, trainer, user=candidate_user)
        other = issue(cohort, trainer)
        client = client_for(candidate_user)
        response = client.get(reverse("training:certificate_download", args=[mine.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert (
            client.get(reverse("training:certificate_download", args=[other.pk])).status_code == 404
        )
        assert AuditLog.objects.filter(
            action="training.certificate.download", kind=AuditLog.Kind.VIEW
        ).exists()

    def test_another_providers_staff_cannot_download(self, client_for, cohort, trainer, trainer_b):
        certificate = issue(cohort, trainer)
        url = reverse("training:certificate_download", args=[certificate.pk])
        assert client_for(trainer_b).get(url).status_code == 404
        assert client_for(trainer).get(url).status_code == 200

    def test_the_cohort_bundle_is_an_audited_export(self, client_for, cohort, trainer, trainer_b):
        issue(cohort, trainer)
        url = reverse("training:cohort_certificates_zip", args=[cohort.pk])
        assert client_for(trainer_b).get(url).status_code == 404
        response = client_for(trainer).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        pdf = client_for(trainer).get(reverse("training:cohort_certificates_pdf", args=[cohort.pk]))
        assert pdf.content.startswith(b"%PDF")
        assert AuditLog.objects.filter(kind=AuditLog.Kind.EXPORT).count() == 2


class TestGuessing:
    """The last part of a number is 4 random characters: about a million guesses find a certificate,
    so numbers that are not found count per address (issue 16)."""

    def test_twenty_misses_an_hour_then_the_address_waits(self, client, cohort, trainer):
        from jalur.training.certificate_check import CERTIFICATE_MISSES_PER_HOUR

        certificate = issue(cohort, trainer)
        url = reverse("training:certificate_check")
        head = certificate.number.rsplit("-", 1)[0]
        for guess in range(CERTIFICATE_MISSES_PER_HOUR):
            page = client.get(url, {"nomor": f"{head}-Z{guess:03d}"})
            assert page.status_code == 200 and "tidak ditemukan" in page.content.decode()
        page = client.get(url, {"nomor": certificate.number})
        html = page.content.decode()
        assert page.status_code == 429
        assert "Terlalu banyak nomor yang tidak ditemukan" in html
        assert "Sertifikat asli" not in html  # not even the right number is looked up now
        qr = client.get(reverse("training:certificate_verify", args=[certificate.token]))
        assert qr.status_code == 429

    def test_found_certificates_do_not_count(self, client, cohort, trainer):
        from jalur.training.certificate_check import CERTIFICATE_MISSES_PER_HOUR

        certificate = issue(cohort, trainer)
        url = reverse("training:certificate_check")
        for _ in range(CERTIFICATE_MISSES_PER_HOUR + 5):
            assert client.get(url, {"nomor": certificate.number}).status_code == 200

    def test_misses_by_token_count_too(self, client, cohort, trainer):
        from jalur.training.certificate_check import CERTIFICATE_MISSES_PER_HOUR

        certificate = issue(cohort, trainer)
        for guess in range(CERTIFICATE_MISSES_PER_HOUR):
            missed = client.get(reverse("training:certificate_verify", args=[f"x{guess}"]))
            assert missed.status_code == 404
        page = client.get(reverse("training:certificate_check"), {"nomor": certificate.number})
        assert page.status_code == 429
