"""Documents: content checks, phone photos, storage names, access-checked and audited serving."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from jalur.audit.models import AuditLog
from jalur.candidates.models import CandidateDocument, DocumentStatus, DocumentType
from jalur.candidates.services import document_review, document_upload, documents_expire
from jalur.candidates.tests.factories import CandidateFactory
from jalur.candidates.uploads import document_file_check

from .conftest import jpeg_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def ktp():
    return DocumentType.objects.get(code="ktp")


class TestContentChecks:
    def test_pdf_jpeg_and_png_are_recognised_by_their_first_bytes(self):
        assert document_file_check(upload(pdf_bytes(), "a.jpg")).content_type == "application/pdf"
        assert document_file_check(upload(png_bytes(), "a.pdf")).content_type == "image/png"
        assert document_file_check(upload(jpeg_bytes(), "a.png")).content_type == "image/jpeg"

    def test_a_program_renamed_to_pdf_is_refused(self):
        with pytest.raises(ValidationError) as error:
            document_file_check(upload(b"MZ\x90\x00" + b"\x00" * 100, "ktp.pdf", "application/pdf"))
        assert "Unggah PDF, JPG atau PNG" in error.value.messages[0]

    def test_a_word_file_gets_a_message_that_says_what_to_do(self):
        with pytest.raises(ValidationError) as error:
            document_file_check(upload(b"PK\x03\x04" + b"\x00" * 100, "ijazah.docx"))
        assert "Simpan sebagai PDF" in error.value.messages[0]

    def test_an_iphone_heic_photo_gets_its_own_message(self):
        heic = b"\x00\x00\x00\x18ftypheic" + b"\x00" * 100
        with pytest.raises(ValidationError) as error:
            document_file_check(upload(heic, "IMG_0001.HEIC"))
        assert "HEIC" in error.value.messages[0]

    def test_the_size_limit_comes_from_the_settings(self, settings):
        settings.JALUR_MAX_UPLOAD_BYTES = 1024
        with pytest.raises(ValidationError) as error:
            document_file_check(upload(pdf_bytes() + b"%" * 2000))
        assert (
            "Berkas terlalu besar" in error.value.messages[0]
            and "Batasnya" in error.value.messages[0]
        )

    @pytest.mark.parametrize(
        "pdf",
        [
            pdf_bytes(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
            pdf_bytes(b"/AA << /O << /S /J#61vaScript /JS (x) >> >> "),  # hex-escaped name
            pdf_bytes(compressed=b"<< /S /JavaScript /JS (app.alert(1)) >>"),  # hidden in a stream
            pdf_bytes(b"/OpenAction << /S /Launch /F (cmd.exe) >> "),
        ],
    )
    def test_a_pdf_carrying_javascript_is_refused_with_a_clear_message(self, pdf):
        with pytest.raises(ValidationError) as error:
            document_file_check(upload(pdf, "ktp.pdf", "application/pdf"))
        assert "berisi JavaScript" in error.value.messages[0]

    def test_a_pdf_with_an_innocent_compressed_stream_passes(self):
        checked = document_file_check(upload(pdf_bytes(compressed=b"BT /F1 12 Tf (KTP) Tj ET")))
        assert checked.content_type == "application/pdf"

    def test_a_truncated_pdf_is_refused(self):
        with pytest.raises(ValidationError):
            document_file_check(upload(b"%PDF-1.4\n1 0 obj << >> endobj\n"))

    def test_a_phone_photo_is_turned_upright_and_stripped_of_its_metadata(self):
        exif = Image.Exif()
        exif[0x0112] = 6  # orientation: rotate 90° (a phone held upright)
        exif[0x010F] = "PhoneMaker"
        exif[0x0110] = "Model X"
        photo = jpeg_bytes(size=(640, 400), exif=exif.tobytes())
        checked = document_file_check(upload(photo, "IMG_2026.jpg"))
        image = Image.open(io.BytesIO(checked.content))
        assert image.size == (400, 640)
        assert not image.getexif()
        assert b"PhoneMaker" not in checked.content

    def test_a_large_photo_is_shrunk_to_a_readable_size(self):
        checked = document_file_check(upload(jpeg_bytes(size=(4000, 3000))))
        assert max(Image.open(io.BytesIO(checked.content)).size) == 2400

    @pytest.mark.parametrize(
        ("content", "name"),
        [
            (b"\x00\x00\x00" + jpeg_bytes()[3:], "IMG_2026.jpg"),  # its first bytes lost
            (b"\x00" * 4096, "ktp.jpg"),  # never written whole
            (b"\x00\x00" + png_bytes()[2:], "kk.png"),
            (b"\x00" * 8 + pdf_bytes(), "ijazah.pdf"),
        ],
    )
    def test_a_damaged_photo_or_pdf_is_called_damaged_not_the_wrong_type(self, content, name):
        with pytest.raises(ValidationError) as error:
            document_file_check(upload(content, name))
        assert error.value.code == "broken"
        assert error.value.messages == [
            "Berkas ini rusak atau tidak dapat dibaca. Foto ulang dokumennya, atau pilih berkas lain."
        ]

    def test_a_file_of_another_kind_is_still_the_wrong_type_whatever_its_name(self):
        for content, name in (
            (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "ktp.jpg"),  # a program
            (b"<html><body>KTP</body></html>", "ktp.jpg"),
            (b"\x00\x00\x00" + jpeg_bytes()[3:], "catatan.txt"),  # not sent as a photo
        ):
            with pytest.raises(ValidationError) as error:
                document_file_check(upload(content, name, "application/octet-stream"))
            assert error.value.code == "type", name
            assert "Unggah PDF, JPG atau PNG" in error.value.messages[0]

    def test_a_broken_image_is_refused(self):
        with pytest.raises(ValidationError) as error:
            document_file_check(upload(b"\xff\xd8\xff\xe0" + b"garbage" * 10))
        assert "rusak" in error.value.messages[0]


class TestUploadAndStorage:
    def test_the_file_is_stored_under_a_name_that_reveals_nothing(self, registering, officer):
        document = document_upload(
            candidate=registering,
            document_type=ktp(),
            upload=upload(jpeg_bytes(), "KTP Siti.jpg"),
            actor=officer,
        )
        name = document.file.name
        assert name.startswith("dokumen/") and name.endswith(".jpg")
        assert "Siti" not in name and registering.nik not in name
        assert len(name.rsplit("/", 1)[-1]) >= 32
        assert default_storage.exists(name)
        assert document.status == DocumentStatus.UPLOADED
        assert AuditLog.objects.filter(
            action="document.upload", object_id=str(document.pk)
        ).exists()

    def test_a_new_upload_supersedes_the_old_one_which_is_kept(self, registering, officer):
        first = document_upload(
            candidate=registering, document_type=ktp(), upload=upload(jpeg_bytes()), actor=officer
        )
        second = document_upload(
            candidate=registering, document_type=ktp(), upload=upload(png_bytes()), actor=officer
        )
        first.refresh_from_db()
        assert first.superseded_at is not None and second.superseded_at is None
        assert CandidateDocument.objects.filter(candidate=registering).count() == 2

    def test_a_document_with_an_expiry_needs_its_date_and_a_future_one(self, registering, officer):
        skck = DocumentType.objects.get(code="skck")
        with pytest.raises(ValidationError) as error:
            document_upload(
                candidate=registering,
                document_type=skck,
                upload=upload(jpeg_bytes()),
                actor=officer,
            )
        assert "berlaku sampai" in str(error.value)
        with pytest.raises(ValidationError):
            document_upload(
                candidate=registering,
                document_type=skck,
                upload=upload(jpeg_bytes()),
                actor=officer,
                expires_on=timezone.localdate() - datetime.timedelta(days=1),
            )

    def test_a_refused_file_leaves_nothing_in_storage(self, registering, officer, settings):
        with pytest.raises(ValidationError):
            document_upload(
                candidate=registering,
                document_type=ktp(),
                upload=upload(b"not a document"),
                actor=officer,
            )
        media = settings.MEDIA_ROOT
        assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))

    def test_expired_documents_are_marked_and_the_candidate_is_told(self, submitted, officer):
        skck = DocumentType.objects.get(code="skck")
        document = document_upload(
            candidate=submitted,
            document_type=skck,
            upload=upload(jpeg_bytes()),
            actor=officer,
            expires_on=timezone.localdate() + datetime.timedelta(days=10),
        )
        assert documents_expire(today=timezone.localdate() + datetime.timedelta(days=11)) == 1
        document.refresh_from_db()
        assert document.status == DocumentStatus.EXPIRED
        assert submitted.user.notifications.filter(key="document_expired").exists()


class TestServingFiles:
    def test_the_candidate_opens_their_own_document_and_the_opening_is_audited(
        self, client_for, registering, officer
    ):
        document = document_upload(
            candidate=registering, document_type=ktp(), upload=upload(jpeg_bytes()), actor=officer
        )
        response = client_for(registering.user).get(
            reverse("candidates:document_file", args=[document.pk])
        )
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
        log = AuditLog.objects.get(action="document.view")
        assert (log.actor, log.kind, log.object_id) == (
            registering.user,
            AuditLog.Kind.VIEW,
            str(document.pk),
        )

    def test_another_candidate_gets_not_found(
        self, client_for, registering, officer, candidate_user
    ):
        document = document_upload(
            candidate=registering, document_type=ktp(), upload=upload(jpeg_bytes()), actor=officer
        )
        CandidateFactory(user=candidate_user)
        response = client_for(candidate_user).get(
            reverse("candidates:document_file", args=[document.pk])
        )
        assert response.status_code == 404
        assert not AuditLog.objects.filter(action="document.view").exists()

    def test_an_agency_sees_no_candidate_documents_at_this_stage_even_of_its_own_candidates(
        self, client_for, registering, officer, agent, scope
    ):
        scope("agency_staff", lambda user, qs: qs.filter(pk=registering.pk))
        document = document_upload(
            candidate=registering, document_type=ktp(), upload=upload(jpeg_bytes()), actor=officer
        )
        client = client_for(agent)
        assert client.get(reverse("candidates:detail", args=[registering.pk])).status_code == 200
        assert (
            client.get(reverse("candidates:document_file", args=[document.pk])).status_code == 404
        )
        page = client.get(reverse("candidates:detail", args=[registering.pk])).content.decode()
        assert reverse("candidates:document_file", args=[document.pk]) not in page

    @pytest.mark.parametrize("role", ["sysadmin", "manager", "officer", "verifier"])
    def test_the_office_intake_roles_may_open_documents(
        self, client_for, request, role, registering, officer
    ):
        document = document_upload(
            candidate=registering, document_type=ktp(), upload=upload(jpeg_bytes()), actor=officer
        )
        user = request.getfixturevalue(role)
        assert (
            client_for(user)
            .get(reverse("candidates:document_file", args=[document.pk]))
            .status_code
            == 200
        )

    @pytest.mark.parametrize("role", ["leader", "trainer"])
    def test_leadership_and_training_staff_may_not(
        self, client_for, request, role, registering, officer
    ):
        document = document_upload(
            candidate=registering, document_type=ktp(), upload=upload(jpeg_bytes()), actor=officer
        )
        user = request.getfixturevalue(role)
        assert (
            client_for(user)
            .get(reverse("candidates:document_file", args=[document.pk]))
            .status_code
            == 404
        )

    def test_anonymous_visitors_are_sent_to_log_in(self, client, registering, officer):
        document = document_upload(
            candidate=registering, document_type=ktp(), upload=upload(jpeg_bytes()), actor=officer
        )
        response = client.get(reverse("candidates:document_file", args=[document.pk]))
        assert response.status_code == 302 and "/masuk/" in response["Location"]

    def test_no_media_url_serves_the_files(self, client, registering, officer):
        document = document_upload(
            candidate=registering, document_type=ktp(), upload=upload(jpeg_bytes()), actor=officer
        )
        assert client.get("/media/" + document.file.name).status_code == 404
        assert client.get("/" + document.file.name).status_code == 404


class TestUploadViews:
    def test_the_candidate_uploads_from_the_documents_step(self, client_for, registering):
        response = client_for(registering.user).post(
            reverse("candidates:upload", args=["ktp"]), {f"t{ktp().pk}-file": upload(jpeg_bytes())}
        )
        assert response.status_code == 302
        assert registering.documents.get().uploaded_by == registering.user

    def test_a_refused_upload_shows_the_reason_on_the_documents_step(self, client_for, registering):
        response = client_for(registering.user).post(
            reverse("candidates:upload", args=["ktp"]),
            {f"t{ktp().pk}-file": upload(pdf_bytes(b"/JS (x) "), "ktp.pdf", "application/pdf")},
        )
        assert response.status_code == 200
        assert "berisi JavaScript" in response.content.decode()
        assert not registering.documents.exists()
        # The page comes back at the refused card (the form's address carries its anchor) ...
        assert f'action="{reverse("candidates:upload", args=["ktp"])}#doc-ktp"' in (
            response.content.decode()
        )
        # ... and opening that address again (reload, history) leads back to the step, not a 405.
        again = client_for(registering.user).get(reverse("candidates:upload", args=["ktp"]))
        assert again.url == reverse("candidates:register_step", args=["dokumen"]) + "#doc-ktp"

    def test_an_optional_document_is_not_marked_required_but_needs_a_file_to_upload(
        self, client_for, registering
    ):
        skck = DocumentType.objects.get(code="skck")
        assert not skck.required
        client = client_for(registering.user)
        page = client.get(reverse("candidates:register_step", args=["dokumen"]))
        rows = {row["type"].code: row for row in page.context["rows"]}
        assert not rows["skck"]["form"].fields["file"].required
        assert rows["ktp"]["form"].fields["file"].required
        assert "boleh dilewati" in page.content.decode()
        own = client.get(reverse("candidates:me")).content.decode()
        assert "Dokumen pendaftaran" in own
        assert "Tidak diunggah (boleh dilewati)" in own  # SKCK: optional at registration
        response = client.post(reverse("candidates:upload", args=["skck"]), {})
        assert "Pilih berkas atau foto dulu." in response.content.decode()
        assert not registering.documents.exists()

    def test_an_officer_uploads_on_behalf_of_the_person(self, client_for, officer, registering):
        response = client_for(officer).post(
            reverse("candidates:staff_upload", args=[registering.pk, "kk"]),
            {f"t{DocumentType.objects.get(code='kk').pk}-file": upload(png_bytes())},
        )
        assert response.status_code == 302
        assert registering.documents.get().uploaded_by == officer

    def test_an_accepted_document_cannot_be_replaced_by_the_candidate(self, registering, verifier):
        document = document_upload(
            candidate=registering,
            document_type=ktp(),
            upload=upload(jpeg_bytes()),
            actor=registering.user,
        )
        document_review(document=document, actor=verifier, accept=True)
        with pytest.raises(ValidationError) as error:
            document_upload(
                candidate=registering,
                document_type=ktp(),
                upload=upload(jpeg_bytes()),
                actor=registering.user,
            )
        assert "sudah diterima" in str(error.value)
