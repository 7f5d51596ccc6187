"""The import registers through the same two steps as every registration
(`services.registration_check`, then `services.candidates_create`): a row that a registration
refuses is refused with the same words, and what a registration records for a person (log-in,
history, audit rows, the reports' figures, duplicate flags) the import records too."""

import datetime

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Q
from openpyxl import Workbook

from jalur.accounts.models import User
from jalur.accounts.tests.factories import UserFactory
from jalur.audit.models import AuditLog
from jalur.candidates import importing, services
from jalur.candidates.importing import Outcome, import_rows, sheet_read
from jalur.candidates.models import Candidate, DuplicateFlag, RegistrationChannel, StageHistory
from jalur.candidates.services import candidate_register
from jalur.candidates.spreadsheets import TEMPLATE_COLUMNS
from jalur.candidates.tests.factories import CandidateFactory
from jalur.pathways.models import JobType
from jalur.rules.identity import nik_build

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)
CIPARE = "36.73.01.1002"


def nik(day, month, year, serial, *, female=False):
    return nik_build(
        district_code="36.73.01",
        birth_date=datetime.date(year, month, day),
        female=female,
        serial=serial,
    )


def cells(**overrides) -> dict:
    """One row of the template, by header."""
    return {
        "NIK": nik(17, 5, 1998, 50),
        "Nama Lengkap": "Budi Hartono",
        "Tanggal Lahir": "17-05-1998",
        "Jenis Kelamin (L/P)": "L",
        "Kecamatan": "Serang",
        "Kelurahan": "Cipare",
        "No HP": "0812-3456-0050",
        **overrides,
    }


def data(**overrides) -> dict:
    """The same person as `cells()`, as the desk form hands them to `candidate_register`."""
    return {
        "nik": nik(17, 5, 1998, 50),
        "full_name": "Budi Hartono",
        "birth_date": datetime.date(1998, 5, 17),
        "sex": "L",
        "district": "36.73.01",
        "village": CIPARE,
        "phone": "0812-3456-0050",
        **overrides,
    }


def sheet(path, *rows: dict):
    headers = [header for header, _example, _width in TEMPLATE_COLUMNS]
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append([row.get(header) for header in headers])
    workbook.save(path)
    return sheet_read(path)


# (what the sheet says, what the desk form says, words the refusal must contain)
REFUSED = {
    "under age": (
        {"NIK": nik(1, 1, 2010, 60), "Tanggal Lahir": "01-01-2010"},
        {"nik": nik(1, 1, 2010, 60), "birth_date": datetime.date(2010, 1, 1)},
        "Usia minimal 18 tahun",
    ),
    "NIK serial 0000": (
        {"NIK": nik(17, 5, 1998, 50)[:12] + "0000"},
        {"nik": nik(17, 5, 1998, 50)[:12] + "0000"},
        "tidak boleh 0000",
    ),
    "NIK too short": (
        {"NIK": nik(17, 5, 1998, 50)[:15]},
        {"nik": nik(17, 5, 1998, 50)[:15]},
        "NIK harus 16 angka",
    ),
    "sex not the NIK's": (
        {"Jenis Kelamin (L/P)": "P"},
        {"sex": "P"},
        "Jenis kelamin tidak cocok dengan NIK",
    ),
    "no sex": ({"Jenis Kelamin (L/P)": None}, {"sex": ""}, "Wajib diisi"),
    "a home phone": ({"No HP": "0254-200123"}, {"phone": "0254-200123"}, "telepon rumah"),
    "the family's phone is the person's own": (
        {"No HP Kontak Darurat": "0812-3456-0050"},
        {"emergency_phone": "0812-3456-0050"},
        "nomor orang lain",
    ),
    "digits in the name": (
        {"Nama Lengkap": "Budi 2"},
        {"full_name": "Budi 2"},
        "Nama hanya boleh berisi huruf",
    ),
    "an e-mail without a domain": ({"E-mail": "budi@"}, {"email": "budi@"}, "e-mail tidak valid"),
    "RT zero": ({"RT": "0"}, {"rt": "0"}, "Tulis angka RT"),
    "a height out of range": ({"Tinggi Badan": 300}, {"height_cm": 300}, "antara 100 dan 230"),
    "a KK number too short": (
        {"No KK": "367301010120000"},
        {"kk_number": "367301010120000"},
        "Nomor KK harus 16 angka",
    ),
}


@pytest.mark.parametrize(("sheet_cells", "desk_data", "words"), REFUSED.values(), ids=REFUSED)
def test_a_row_the_desk_refuses_is_refused_by_the_import_with_the_same_words(
    tmp_path, officer, sheet_cells, desk_data, words
):
    with pytest.raises(ValidationError) as refused:
        candidate_register(
            data=data(**desk_data),
            actor=officer,
            channel=RegistrationChannel.WALK_IN,
            today=TODAY,
        )
    messages = [m for found in refused.value.message_dict.values() for m in found]
    assert any(words in message for message in messages), messages

    rows = sheet(tmp_path / "pencaker.xlsx", cells(**sheet_cells))
    (result,) = import_rows(rows, actor=officer, today=TODAY).results
    assert result.outcome == Outcome.REJECTED
    for message in messages:  # as it is, or after the column it is about ('RT: …')
        assert any(r == message or r.endswith(f": {message}") for r in result.reasons), (
            message,
            result.reasons,
        )
    assert not Candidate.objects.exists() and not User.objects.filter(role="candidate").exists()


@pytest.fixture
def heard(monkeypatch):
    """Every stage listener call for a new record: (NIK, the job types it was told about)."""
    calls = []

    def listener(candidate, new=None):
        calls.append((candidate.nik, new.job_type_ids if new else None))

    monkeypatch.setattr(
        services.stages, "STAGE_LISTENERS", [*services.stages.STAGE_LISTENERS, listener]
    )
    return calls


def recorded(candidate: Candidate, heard: list) -> dict:
    """What Jalur holds about a new person, without the values that differ between two people."""
    candidate.refresh_from_db()
    user = candidate.user
    audit = AuditLog.objects.filter(
        Q(
            content_type=ContentType.objects.get_for_model(Candidate),
            object_id=str(candidate.pk),
        )
        | Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    )
    stat = apps.get_model("reports", "CandidateStat").objects.get(candidate_id=candidate.pk)
    return {
        "record": (candidate.stage, candidate.channel, candidate.registered_by_id),
        "log-in": (user.role, user.has_usable_password(), user.phone, user.email),
        "job types": sorted(candidate.preferred_job_types.values_list("code", flat=True)),
        "history": list(
            StageHistory.objects.filter(candidate=candidate).values_list(
                "from_stage", "to_stage", "actor_id"
            )
        ),
        "audit": sorted((a.action, a.actor_id, sorted(a.changes)) for a in audit),
        "listeners": [jobs for nik, jobs in heard if nik == candidate.nik],
        "figures": (stat.stage, stat.country, stat.job_type_id, stat.district, stat.sex),
        "flags": DuplicateFlag.objects.filter(Q(first=candidate) | Q(second=candidate)).count(),
    }


def test_the_import_records_for_a_person_what_a_registration_records(tmp_path, officer, heard):
    # given one person registered by the service the desk uses, and one imported from a sheet
    caregiver = JobType.objects.get(code="caregiver")
    registered = candidate_register(
        data=data(
            preferred_countries=["JP"],
            preferred_job_types=[caregiver.pk],
            email="budi@example.com",
        ),
        actor=officer,
        channel=RegistrationChannel.IMPORT,
        today=TODAY,
    )
    rows = sheet(
        tmp_path / "pencaker.xlsx",
        cells(
            NIK=nik(1, 2, 1990, 51),
            **{
                "Nama Lengkap": "Eko Saputra",
                "Tanggal Lahir": "01-02-1990",
                "No HP": "0812-3456-0051",
                "E-mail": "eko@example.com",
                "Negara Tujuan": "Jepang",
                "Jenis Pekerjaan": "caregiver",
            },
        ),
    )
    (result,) = import_rows(rows, actor=officer, today=TODAY).results
    imported = Candidate.objects.get(pk=result.candidate_id)
    # then each has the same kinds of records, made the same way
    first, second = recorded(registered, heard), recorded(imported, heard)
    assert first["log-in"] == ("candidate", False, "+6281234560050", "budi@example.com")
    assert second["log-in"] == ("candidate", False, "+6281234560051", "eko@example.com")
    first.pop("log-in"), second.pop("log-in")
    assert first == second
    assert first["listeners"] == [(caregiver.pk,)]
    assert [a[0] for a in first["audit"]] == ["candidate.register", "user.create"]
    assert first["history"] == [("", "registering", officer.pk)]
    # and the reports' figures counted as they were registered are what a recount gives
    stats = apps.get_model("reports", "CandidateStat")
    before = sorted(stats.objects.values_list("candidate_id", "stage", "last_history_id"))
    call_command("rebuild_stats", verbosity=0)
    assert sorted(stats.objects.values_list("candidate_id", "stage", "last_history_id")) == before


def test_an_email_logging_someone_in_is_left_off_the_new_log_in_whatever_its_case(
    tmp_path, officer
):
    UserFactory(email="Budi.Hartono@Example.com")
    registered = candidate_register(
        data=data(email="budi.hartono@example.com"),
        actor=officer,
        channel=RegistrationChannel.WALK_IN,
        today=TODAY,
    )
    rows = sheet(
        tmp_path / "pencaker.xlsx",
        cells(
            NIK=nik(1, 2, 1990, 51),
            **{
                "Nama Lengkap": "Eko Saputra",
                "Tanggal Lahir": "01-02-1990",
                "No HP": "0812-3456-0051",
                "E-mail": "BUDI.HARTONO@example.com",
            },
        ),
    )
    (result,) = import_rows(rows, actor=officer, today=TODAY).results
    imported = Candidate.objects.get(pk=result.candidate_id)
    assert registered.email == imported.email == "budi.hartono@example.com"  # kept as contact
    assert registered.user.email is None and imported.user.email is None
    assert User.objects.filter(email__iexact="budi.hartono@example.com").count() == 1


def test_a_nik_registered_after_the_batch_was_checked_is_a_duplicate_and_writes_nothing(tmp_path):
    rows = sheet(
        tmp_path / "pencaker.xlsx",
        cells(),
        cells(
            NIK=nik(1, 2, 1990, 51),
            **{"Nama Lengkap": "Eko", "Tanggal Lahir": "01-02-1990", "No HP": "0812-3456-0051"},
        ),
    )
    checked = importing.rows._check_batch(
        rows.rows, today=TODAY, job_types=importing.rows._JobTypes(), seen_niks={}
    )
    CandidateFactory(nik=checked.valid[0].data["nik"])  # someone registered it in between
    users = User.objects.count()
    importing.run._write_batch(checked.valid, actor=None, today=TODAY)
    first, second = (row.result for row in checked.valid)
    assert first.outcome == Outcome.DUPLICATE and first.candidate_id is None
    assert "sudah terdaftar" in first.reasons[0]
    assert second.candidate_id and User.objects.count() == users + 1
