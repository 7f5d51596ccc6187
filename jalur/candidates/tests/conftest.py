"""Fixtures for the candidates app: valid registration data, real document files, ready candidates."""

import datetime
import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from jalur.candidates.models import DocumentStatus, DocumentType, RegistrationChannel, Sex
from jalur.candidates.selectors import consent_current
from jalur.candidates.services import (
    candidate_consent_give,
    candidate_register,
    candidate_submit,
    document_review,
    document_upload,
)
from jalur.pathways.models import JobType
from jalur.rules.identity import nik_build

CIPARE = "36.73.01.1002"  # kelurahan Cipare, kecamatan Serang
SERANG = "36.73.01"


def years_ago(years: int, *, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - datetime.timedelta(days=days)


def registration_data(**overrides) -> dict:
    """Everything a complete registration needs (as the forms hand it to the services)."""
    birth = overrides.pop("birth_date", datetime.date(1998, 5, 17))
    sex = overrides.pop("sex", Sex.FEMALE)
    serial = overrides.pop("serial", 1)
    data = {
        "nik": nik_build(
            district_code=SERANG, birth_date=birth, female=sex == Sex.FEMALE, serial=serial
        ),
        "kk_number": "3673010101200003",
        "full_name": "Siti Rahmawati",
        "birth_place": "Serang",
        "birth_date": birth,
        "sex": sex,
        "religion": "islam",
        "marital_status": "belum_kawin",
        "village": CIPARE,
        "rt": "3",
        "rw": "5",
        "street": "Jl. Kampung Baru No. 12",
        "phone": "0812-3456-7001",
        "email": "",
        "emergency_name": "Ahmad Hidayat",
        "emergency_relation": "Orang tua",
        "emergency_phone": "0813 1111 2222",
        "education_level": "SMK",
        "education_major": "Tata boga",
        "work_experience": "",
        "experience_years": 1,
        "height_cm": 158,
        "weight_kg": 50,
        "prior_abroad_country": "",
        "prior_abroad_years": None,
        "preferred_countries": ["JP"],
        "preferred_job_types": [JobType.objects.get(code="caregiver").pk],
    }
    data.update(overrides)
    return data


def jpeg_bytes(size=(640, 400), color=(200, 180, 160), exif=None) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG", exif=exif or b"")
    return buffer.getvalue()


def png_bytes(size=(300, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", size, (10, 120, 200, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_bytes(extra: bytes = b"", compressed: bytes | None = None) -> bytes:
    """A small one-page PDF; `extra` goes into the catalog, `compressed` into a Flate stream."""
    objects = [
        b"1 0 obj << /Type /Catalog /Pages 2 0 R " + extra + b">> endobj\n",
        b"2 0 obj << /Type /Pages /Kids [4 0 R] /Count 1 >> endobj\n",
        b"4 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n",
    ]
    if compressed is not None:
        body = zlib.compress(compressed)
        objects.append(
            b"3 0 obj << /Filter /FlateDecode /Length "
            + str(len(body)).encode()
            + b" >>\nstream\n"
            + body
            + b"\nendstream\nendobj\n"
        )
    return b"%PDF-1.4\n" + b"".join(objects) + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def upload(content: bytes, name="dokumen.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def scope():
    """Register an access scope for a role for one test only (training/agency apps do it for real)."""
    from jalur.candidates import access

    saved = {role: list(scopes) for role, scopes in access._SCOPES.items()}
    yield access.register_scope
    access._SCOPES.clear()
    access._SCOPES.update(saved)


@pytest.fixture
def data():
    return registration_data()


@pytest.fixture
def registering(db, officer):
    """A desk-registered candidate with data complete but no documents or consent yet."""
    return candidate_register(
        data=registration_data(), actor=officer, channel=RegistrationChannel.WALK_IN
    )


def documents_upload_all(candidate, actor):
    for doc_type in DocumentType.objects.filter(required=True):
        document_upload(
            candidate=candidate,
            document_type=doc_type,
            upload=upload(jpeg_bytes()),
            actor=actor,
        )


@pytest.fixture
def submitted(registering, officer):
    """A complete registration waiting for a verifier."""
    documents_upload_all(registering, officer)
    candidate_consent_give(
        candidate=registering, consent=consent_current(), actor=officer, channel="walk_in"
    )
    return candidate_submit(candidate=registering, actor=officer)


@pytest.fixture
def checked(submitted, verifier):
    """Submitted, with every current document accepted by a verifier."""
    for document in submitted.documents.filter(superseded_at__isnull=True):
        document_review(document=document, actor=verifier, accept=True)
    assert not submitted.documents.exclude(status=DocumentStatus.ACCEPTED).exists()
    return submitted
