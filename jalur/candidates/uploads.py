"""Checking uploaded document files by their content, and re-encoding photos.

Only PDF, JPEG and PNG are accepted, recognised by their first bytes, never by the file name. Images
are re-encoded with Pillow: that turns the phone camera's orientation flag into real pixels, strips
EXIF metadata (GPS position, phone model) and shrinks 12-megapixel photos to a readable size. PDFs
that carry JavaScript or launch actions are refused.
"""

import hashlib
import io
import re
import warnings
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
MAX_IMAGE_SIDE = 2400  # pixels; enough to read a KTP, small enough for a cheap phone's data plan
MAX_IMAGE_PIXELS = 60_000_000  # refuse decompression bombs before decoding
JPEG_QUALITY = 85
_PDF_DANGER = re.compile(rb"/(JS|JavaScript|Launch)\b")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_MAX_INFLATED = 64 * 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    sha256: str


def sniff(head: bytes) -> str | None:
    """The content type that the first bytes show, among the accepted ones."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


_ACCEPTED_NAMES = re.compile(r"\.(jpe?g|png|pdf)$", re.I)


def _claims_accepted(upload) -> bool:
    """Whether the file's name or the type the phone sent says it is a PDF, JPEG or PNG."""
    name = getattr(upload, "name", "") or ""
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    return bool(_ACCEPTED_NAMES.search(name)) or declared in (PDF, JPEG, PNG, "image/jpg")


# What a photo or a PDF holds near its start even when its first bytes are lost.
_INSIDES = (b"\xff\xd8\xff", b"JFIF", b"Exif\x00", b"IHDR", b"IDAT", b"%PDF-")


def _looks_damaged(content: bytes) -> bool:
    """Nothing but zeros at the start (a file never written whole), or a JPEG's, PNG's or PDF's
    markers a little way in: a damaged file rather than a program or a document of another kind."""
    head = content[:1024]
    if _what_it_is(head[:16]) != _what_it_is(b""):  # HEIC, Word/Excel: their own message
        return False
    return not head.strip(b"\x00") or any(marker in head for marker in _INSIDES)


def _what_it_is(head: bytes) -> str:
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return _(
            "Foto berformat HEIC (iPhone) belum bisa diterima. Ubah pengaturan kamera ke 'Paling Kompatibel' (JPEG), atau kirim tangkapan layar fotonya."
        )
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return _("Berkas Word/Excel tidak diterima. Simpan sebagai PDF, atau foto dokumennya.")
    return _("Jenis berkas tidak diterima. Unggah PDF, JPG atau PNG.")


def document_file_check(upload) -> CheckedFile:
    """Read an uploaded file, check it, and return the bytes to store (re-encoded if an image)."""
    limit = settings.JALUR_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(_too_big(size, limit), code="too_big")
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(_too_big(len(content), limit), code="too_big")
    if not content:
        raise ValidationError(_("Berkasnya kosong. Pilih berkas lagi."), code="empty")
    kind = sniff(content[:16])
    if kind is None and _claims_accepted(upload) and _looks_damaged(content):
        # named and sent as a photo or a PDF, with a photo's or a PDF's insides, but not its
        # first bytes: a broken file (a download cut off, a memory card error), not a wrong choice
        raise ValidationError(
            _(
                "Berkas ini rusak atau tidak dapat dibaca. Foto ulang dokumennya, atau pilih berkas lain."
            ),
            code="broken",
        )
    if kind is None:
        raise ValidationError(_what_it_is(content[:16]), code="type")
    if kind == PDF:
        _pdf_check(content)
    else:
        content, kind = _image_reencode(content, kind)
    return CheckedFile(
        content=content, content_type=kind, sha256=hashlib.sha256(content).hexdigest()
    )


def _too_big(size: int, limit: int) -> str:
    return too_big_message(f"{size / 1024 / 1024:.1f}", limit)


def upload_input_attrs() -> dict:
    """The attributes of every file input for documents and evidence: it offers only what the
    server accepts, and candidates/candidates.js (loaded by the page) shrinks a large phone photo
    and stops a file over the limit before it is sent, with the server's own message."""
    limit = settings.JALUR_MAX_UPLOAD_BYTES
    return {
        "accept": "image/jpeg,image/png,application/pdf",
        "data-max-bytes": str(limit),
        "data-too-big": too_big_message("%s", limit),
    }


def too_big_message(size_text: str, limit: int) -> str:
    """The one wording for a file over the limit, on the server and (with "%s" for the size,
    filled in by candidates.js) in the browser before anything is sent."""
    return _(
        "Berkas terlalu besar (%(size)s MB). Batasnya %(limit)d MB: foto ulang dengan resolusi lebih kecil, atau perkecil PDF-nya."
    ) % {"size": size_text, "limit": limit // (1024 * 1024)}


def _pdf_check(content: bytes) -> None:
    if b"%%EOF" not in content:
        raise ValidationError(
            _("PDF ini rusak atau tidak lengkap. Simpan ulang lalu unggah lagi."), code="broken"
        )
    if b"/Encrypt" in content:
        raise ValidationError(_encrypted_message(), code="encrypted")
    # A quick look at the bytes and the Flate streams first, then the PDF's real structure (every
    # object, whatever filter or object stream hides it): the first misses what hex or other
    # filters hide, the second is the check that holds.
    for chunk in _pdf_texts(content):
        if _PDF_DANGER.search(_PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), chunk)):
            raise ValidationError(_pdf_script_message(), code="pdf_script")
    if _pdf_active_parts(content):
        raise ValidationError(_pdf_script_message(), code="pdf_script")


def _encrypted_message() -> str:
    return _("PDF ini dikunci dengan kata sandi. Unggah PDF tanpa kata sandi.")


def _pdf_script_message() -> str:
    return _(
        "PDF ini berisi JavaScript atau perintah otomatis, jadi tidak diterima demi keamanan. Cetak ulang sebagai PDF biasa (Print → Simpan sebagai PDF) atau foto dokumennya."
    )


# What a document for the office never needs and an attack does: scripts, actions that run or
# open something, files carried inside, forms that send data away, rich media, XFA forms.
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/XFA"}
_ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
    "/GoToR",
    "/RichMediaExecute",
    "/Rendition",
    "/Sound",
    "/Movie",
}
_ACTIVE_TYPES = {"/EmbeddedFile", "/Filespec", "/RichMedia", "/Sound", "/Movie"}


def _pdf_active_parts(content: bytes) -> list[str]:
    """What in the PDF could run or carry something (a script, a launch or other action, an embedded
    file), read from its structure with qpdf: every object, decoded from whatever filter, object
    stream or name escape hides it. An OpenAction that only opens a page is harmless and passes."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(content))
    except pikepdf.PasswordError:
        raise ValidationError(_encrypted_message(), code="encrypted") from None
    except pikepdf.PdfError:
        raise ValidationError(
            _("PDF ini rusak atau tidak lengkap. Simpan ulang lalu unggah lagi."), code="broken"
        ) from None
    found = []
    with pdf:
        if pdf.is_encrypted:
            raise ValidationError(_encrypted_message(), code="encrypted")
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                obj = obj.stream_dict
            if not isinstance(obj, pikepdf.Dictionary):
                continue
            keys = set(obj.keys())
            found += sorted(keys & _ACTIVE_KEYS)
            action = obj.get("/S")
            if isinstance(action, pikepdf.Name) and str(action) in _ACTIVE_ACTIONS:
                found.append(str(action))
            kind = obj.get("/Type")
            if isinstance(kind, pikepdf.Name) and str(kind) in _ACTIVE_TYPES:
                found.append(str(kind))
            subtype = obj.get("/Subtype")
            if isinstance(subtype, pikepdf.Name) and str(subtype) in {
                "/FileAttachment",
                "/RichMedia",
                "/Screen",
                "/Movie",
                "/Sound",
            }:
                found.append(str(subtype))
    return found


def _pdf_texts(content: bytes):
    """The raw file, then every compressed stream inflated (scripts hide in object streams)."""
    yield content
    inflated = 0
    for match in _PDF_STREAM.finditer(content):
        try:
            data = zlib.decompressobj().decompress(match.group(1), _MAX_INFLATED - inflated)
        except zlib.error:
            continue
        inflated += len(data)
        yield data
        if inflated >= _MAX_INFLATED:
            break


def _image_reencode(content: bytes, kind: str) -> tuple[bytes, str]:
    unreadable = ValidationError(
        _("Gambar ini rusak atau tidak bisa dibaca. Foto ulang dokumennya."), code="broken"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _(
                        "Gambar terlalu besar (%(w)d×%(h)d piksel). Foto ulang dengan resolusi lebih kecil."
                    )
                    % {"w": image.width, "h": image.height},
                    code="too_big",
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise unreadable from exc
    except Image.DecompressionBombWarning as exc:
        raise unreadable from exc
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    # Pillow writes some metadata it read back out on save (a JPEG comment, for one): drop it all.
    image.info = {}
    out = io.BytesIO()
    if kind == PNG:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    else:
        image = image.convert("RGB")
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), kind
