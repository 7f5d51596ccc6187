"""The Excel import: header variants, messy values, row outcomes, idempotence, dry runs, the web."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import to_excel

from jalur.accounts.models import User
from jalur.audit.models import AuditLog
from jalur.candidates import importing, services
from jalur.candidates.importing import (
    HEADERS,
    Outcome,
    import_rows,
    parse_date,
    parse_nik,
    sheet_read,
)
from jalur.candidates.importing.sheet import _norm_header
from jalur.candidates.models import (
    Candidate,
    DuplicateFlag,
    ImportJob,
    RegistrationChannel,
    StageHistory,
)
from jalur.candidates.spreadsheets import TEMPLATE_COLUMNS
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.rules.identity import nik_build

from .conftest import years_ago

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)


def nik(day, month, year, serial, *, female=False, district="36.73.01"):
    return nik_build(
        district_code=district,
        birth_date=datetime.date(year, month, day),
        female=female,
        serial=serial,
    )


HEADER = [
    "No",
    "Nama Lengkap",
    "No. KTP",
    "Tgl Lahir",
    "L/P",
    "No WA",
    "Kec.",
    "Desa/Kelurahan",
    "Keterangan",
]


def messy_rows(existing_nik: str):
    """(row in Excel, cells, expected outcome, a fragment of the reason)."""
    m = nik(17, 5, 1998, 1)
    return [
        (
            4,
            [
                1,
                "Budi Santoso",
                "3673 0117 0598 0001",
                datetime.datetime(1998, 5, 17),
                "L",
                "0812-3456-7001",
                "serang",
                "CIPARE",
                "ok",
            ],
            Outcome.FLAGGED,
            "Nomor HP sama dengan baris 16",  # a later row of the file
        ),
        (
            5,
            [
                2,
                "Agus",
                3673011705980010,
                "17-05-1998",
                "L",
                "081234567002",
                "Serang",
                "Cipare",
                "",
            ],
            Outcome.REJECTED,
            "Excel hanya menyimpan 15 angka",
        ),
        (
            6,
            [
                3,
                "Joko",
                3.67301170598e15,
                "17-05-1998",
                "L",
                "081234567003",
                "Serang",
                "Cipare",
                "",
            ],
            Outcome.REJECTED,
            "Ubah format kolom NIK menjadi Teks",
        ),
        (
            7,
            [4, "Eko", "3,67301E+15", "17-05-1998", "L", "081234567004", "Serang", "Cipare", ""],
            Outcome.REJECTED,
            "angka terakhirnya bisa hilang",
        ),
        (
            8,
            [
                5,
                "Dewi Lestari",
                "3673.0157.0598.0005",
                "17/05/1998",
                "Perempuan",
                "+62 812 3456 7005",
                "SERANG",
                "sumurpecung",
                "",
            ],
            Outcome.ACCEPTED,
            "",
        ),
        (
            9,
            [
                6,
                "Ani",
                nik(17, 8, 1998, 6, female=True),
                "17 Agustus 1998",
                "P",
                "62 812-3456-7006",
                "Serang",
                "Cipare",
                "",
            ],
            Outcome.ACCEPTED,
            "",
        ),
        (
            10,
            [
                7,
                "Fajar",
                nik(17, 5, 1998, 7),
                "1998-05-17",
                "Laki-laki",
                "0812 3456 7007",
                "Serang",
                "Cipare",
                "",
            ],
            Outcome.ACCEPTED,
            "",
        ),
        (
            11,
            [
                8,
                "Gilang",
                nik(3, 12, 1997, 8),
                "3 Des 1997",
                "laki laki",
                "0812.3456.7008",
                "Serang",
                "Kota Baru",
                "",
            ],
            Outcome.ACCEPTED,
            "",
        ),
        (
            12,
            [
                9,
                "Hadi",
                nik(1, 2, 2000, 9, district="36.73.05"),
                to_excel(datetime.datetime(2000, 2, 1)),
                "L",
                "081234567009",
                "Kec. Cipocokjaya",
                "Banjar Agung",
                "",
            ],
            Outcome.ACCEPTED,
            "",
        ),
        (
            13,
            [
                10,
                "Rusak Semua",
                "3673011705980000",
                "17-05-1998",
                "X",
                "12345",
                "Serang",
                "Tidak Ada Sama Sekali",
                "",
            ],
            Outcome.REJECTED,
            "Nomor urut NIK",
        ),
        (
            14,
            [
                11,
                "Muda Sekali",
                nik(1, 1, TODAY.year - 16, 11),
                years_ago(16).strftime("%d-%m-%Y"),
                "L",
                "081234567011",
                "Serang",
                "Cipare",
                "",
            ],
            Outcome.REJECTED,
            "Usia minimal 18 tahun",
        ),
        (
            15,
            [
                12,
                "Budi Lagi",
                "3673011705980001",
                "17-05-1998",
                "L",
                "081234567012",
                "Serang",
                "Cipare",
                "",
            ],
            Outcome.DUPLICATE,
            "baris 4",
        ),
        (
            16,
            [
                13,
                "Samsul",
                nik(2, 3, 1995, 13),
                "02-03-1995",
                "L",
                "0812-3456-7001",
                "Serang",
                "Cipare",
                "",
            ],
            Outcome.FLAGGED,
            "Nomor HP sama dengan baris 4",
        ),
        (
            17,
            [
                14,
                "Teguh",
                nik(4, 4, 1994, 14),
                "04-04-1994",
                "L",
                81234567014,
                "Serang",
                "Cipare",
                "",
            ],
            Outcome.ACCEPTED,
            "",
        ),
        (
            18,
            [
                15,
                "Irfan",
                3673010404940015,
                "04-04-1994",
                "L",
                "081234567015",
                "Serang",
                "Cipare",
                "",
            ],
            Outcome.ACCEPTED,
            "",
        ),
        (
            19,
            [
                16,
                "Sudah Ada",
                existing_nik,
                "17-05-1998",
                "L",
                "081234567016",
                "Serang",
                "Cipare",
                "",
            ],
            Outcome.DUPLICATE,
            "sudah terdaftar",
        ),
        (
            20,
            [
                17,
                "Salah Kelamin",
                m.replace("0001", "0017")[:6] + "570598" + "0017",
                "17-05-1998",
                "L",
                "081234567017",
                "Serang",
                "Cipare",
                "",
            ],
            Outcome.REJECTED,
            "tidak cocok dengan NIK",
        ),
        (
            22,
            [
                19,
                "Salah Kecamatan",
                nik(5, 5, 1995, 19),
                "05-05-1995",
                "L",
                "081234567019",
                "Taktakan",
                "Cipare",
                "",
            ],
            Outcome.REJECTED,
            "tidak berada di Kecamatan",
        ),
        (
            23,
            [
                20,
                "Bulan Aneh",
                nik(5, 5, 1995, 20),
                "5 Bulanan 1995",
                "L",
                "081234567020",
                "Serang",
                "Cipare",
                "",
            ],
            Outcome.REJECTED,
            "tidak dikenali",
        ),
        (
            24,
            [
                21,
                "Tanpa Kecamatan",
                nik(6, 6, 1996, 21),
                "06-06-1996",
                "L",
                "081234567021",
                "",
                "Sukawana",  # a kelurahan of Kec. Serang and of Kec. Curug: not guessed
                "",
            ],
            Outcome.REJECTED,
            "ada di lebih dari satu kecamatan (Curug, Serang). Isi kolom Kecamatan",
        ),
    ]


def messy_workbook(path, existing_nik):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DATA PENCARI KERJA KELURAHAN 2026"])
    sheet.append([])
    sheet.append(HEADER)
    rows = messy_rows(existing_nik)
    for number, cells, _outcome, _reason in rows:
        while sheet.max_row < number - 1:
            sheet.append([None] * len(HEADER))  # an empty row in the middle is skipped
        sheet.append(cells)
    workbook.save(path)
    return rows


@pytest.fixture
def existing():
    return CandidateFactory(nik=nik(9, 9, 1990, 99))


@pytest.fixture
def messy(tmp_path, existing):
    path = tmp_path / "pencaker.xlsx"
    return path, messy_workbook(path, existing.nik)


def run(path, **kwargs):
    return import_rows(sheet_read(path), actor=None, today=TODAY, **kwargs)


def counts():
    return (
        Candidate.objects.count(),
        User.objects.count(),
        StageHistory.objects.count(),
        DuplicateFlag.objects.count(),
        AuditLog.objects.count(),
    )


class TestMessyFile:
    def test_every_row_gets_the_expected_outcome_and_reason(self, messy):
        path, rows = messy
        summary = run(path)
        got = {r.row: r for r in summary.results}
        assert sorted(got) == [number for number, *_rest in rows]  # the empty row is skipped
        for number, _cells, outcome, reason in rows:
            result = got[number]
            assert result.outcome == outcome, (number, result)
            assert reason in " ".join(result.reasons), (number, result.reasons)

    def test_a_rejected_row_lists_every_reason(self, messy):
        path, _rows = messy
        result = next(r for r in run(path).results if r.row == 13)
        text = " | ".join(result.reasons)
        assert "Nomor urut NIK" in text
        assert "Jenis kelamin 'X' tidak dikenali" in text
        assert "Nomor HP tidak valid" in text
        assert "Kelurahan 'Tidak Ada Sama Sekali' tidak ditemukan" in text

    def test_accepted_rows_are_stored_normalised_in_registering(self, messy):
        path, _rows = messy
        run(path)
        dewi = Candidate.objects.get(full_name="Dewi Lestari")
        assert dewi.nik == "3673015705980005" and dewi.sex == "P"
        assert dewi.birth_date == datetime.date(1998, 5, 17)
        assert dewi.phone == "+6281234567005" and dewi.village_id == "36.73.01.1003"
        assert (dewi.stage, dewi.channel) == (Stage.REGISTERING, RegistrationChannel.IMPORT)
        assert Candidate.objects.get(full_name="Hadi").district_id == "36.73.05"
        assert Candidate.objects.get(full_name="Teguh").phone == "+6281234567014"
        assert dewi.user.phone == "+6281234567005" and not dewi.user.has_usable_password()
        assert StageHistory.objects.filter(candidate=dewi, to_stage=Stage.REGISTERING).exists()
        assert AuditLog.objects.filter(action="candidate.register", object_id=str(dewi.pk)).exists()

    def test_the_same_phone_on_another_nik_goes_to_the_duplicate_review(self, messy):
        path, _rows = messy
        run(path)
        budi, samsul = (
            Candidate.objects.get(full_name="Budi Santoso"),
            Candidate.objects.get(full_name="Samsul"),
        )
        flag = DuplicateFlag.objects.get()
        assert {flag.first_id, flag.second_id} == {budi.pk, samsul.pk}
        assert flag.reason == DuplicateFlag.Reason.SAME_PHONE
        assert samsul.user.phone is None  # the number already logs Budi in

    def test_importing_the_same_file_again_creates_nothing(self, messy):
        path, _rows = messy
        run(path)
        before = counts()
        summary = run(path)
        assert counts()[:4] == before[:4]
        assert summary.count(Outcome.ACCEPTED) == summary.count(Outcome.FLAGGED) == 0
        assert {r.outcome for r in summary.results} == {Outcome.DUPLICATE, Outcome.REJECTED}

    def test_a_dry_run_writes_nothing_and_predicts_the_outcomes(self, messy):
        path, rows = messy
        before = counts()
        summary = run(path, dry_run=True)
        assert counts() == before
        predicted = {r.row: r.outcome for r in summary.results}
        assert predicted == {number: outcome for number, _c, outcome, _r in rows}

    def test_a_row_is_all_or_nothing_when_a_batch_hits_a_conflict(self, messy, monkeypatch):
        path, _rows = messy
        original = services.registration._flags_create_many
        calls = []

        def failing_once(candidates, in_jalur):
            calls.append(1)
            if len(calls) == 1:
                raise IntegrityError("simulated concurrent write")
            return original(candidates, in_jalur)

        monkeypatch.setattr(services.registration, "_flags_create_many", failing_once)
        summary = run(path)
        created = Candidate.objects.filter(channel=RegistrationChannel.IMPORT)
        assert (
            created.count() == summary.count(Outcome.ACCEPTED) + summary.count(Outcome.FLAGGED) == 9
        )
        # no orphan log-ins from the rolled-back batch: one user per imported candidate
        assert User.objects.filter(role="candidate").count() == created.count()
        assert StageHistory.objects.filter(candidate__in=created).count() == 9

    def test_the_one_by_one_path_reports_a_nik_registered_meanwhile_as_a_duplicate(self, messy):
        path, _rows = messy
        sheet = sheet_read(path)
        checked = importing.rows._check_batch(
            sheet.rows, today=TODAY, job_types=importing.rows._JobTypes(), seen_niks={}
        )
        taken = checked.valid[0]
        CandidateFactory(nik=taken.data["nik"])  # someone registered it in between
        users = User.objects.count()
        importing.run._write_one_by_one(checked.valid, actor=None, today=TODAY)
        assert taken.result.outcome == Outcome.DUPLICATE
        assert User.objects.count() == users + len(checked.valid) - 1


def template_sheet(path, *rows: dict):
    """A sheet with the template's headers; each row gives some of its cells by header."""
    headers = [header for header, _example, _width in TEMPLATE_COLUMNS]
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append([row.get(header) for header in headers])
    workbook.save(path)
    return path


def person(**cells):
    return {
        "NIK": nik(17, 5, 1998, 50),
        "Nama Lengkap": "Budi Hartono",
        "Tanggal Lahir": "17-05-1998",
        "Jenis Kelamin (L/P)": "L",
        "Kelurahan": "Cipare",
        "No HP": "0812-3456-0050",
        **cells,
    }


class TestDuplicateReasons:
    def test_a_flagged_row_names_the_record_already_in_jalur(self, tmp_path):
        siti = CandidateFactory(full_name="Siti Nurhaliza", phone="+6281234560033")
        budi = CandidateFactory(full_name="Budi Hartono", birth_date=datetime.date(1998, 5, 17))
        path = template_sheet(
            tmp_path / "a.xlsx",
            person(**{"No HP": "+62 812-3456-0033"}),
            person(NIK=nik(1, 1, 1990, 51), **{"Nama Lengkap": "Eko", "Tanggal Lahir": "1-1-1990"}),
        )
        for dry_run in (True, False):  # the dry run predicts the same reasons
            first, second = run(path, dry_run=dry_run).results
            assert first.outcome == Outcome.FLAGGED
            assert first.reasons == [
                f"Nomor HP sama dengan #{siti.pk} Siti Nurhaliza",
                f"Nama dan tanggal lahir sama dengan #{budi.pk} Budi Hartono",
            ]
            assert (second.outcome, second.reasons) == (Outcome.ACCEPTED, [])

    def test_rows_of_the_same_file_name_each_other_across_batches(self, tmp_path, monkeypatch):
        monkeypatch.setattr(importing.run, "BATCH_SIZE", 2)
        path = template_sheet(
            tmp_path / "b.xlsx",
            person(),
            person(NIK=nik(1, 1, 1990, 51), **{"Nama Lengkap": "Eko", "Tanggal Lahir": "1-1-1990"}),
            person(
                NIK=nik(2, 2, 1991, 52), **{"Nama Lengkap": "Joko", "Tanggal Lahir": "2-2-1991"}
            ),
        )
        for dry_run in (True, False):
            first, second, third = run(path, dry_run=dry_run).results
            assert first.reasons == ["Nomor HP sama dengan baris 3", "Nomor HP sama dengan baris 4"]
            assert third.reasons == ["Nomor HP sama dengan baris 2", "Nomor HP sama dengan baris 3"]
            assert third.outcome == Outcome.FLAGGED

    def test_the_one_by_one_path_gives_the_reasons_too(self, tmp_path, monkeypatch):
        original = services.registration._flags_create_many

        def failing_for_a_batch(candidates, in_jalur):
            if len(candidates) > 1:
                raise IntegrityError("simulated concurrent write")
            return original(candidates, in_jalur)

        monkeypatch.setattr(services.registration, "_flags_create_many", failing_for_a_batch)
        siti = CandidateFactory(full_name="Siti Nurhaliza", phone="+6281234560050")
        path = template_sheet(
            tmp_path / "c.xlsx",
            person(),
            person(NIK=nik(1, 1, 1990, 51), **{"Nama Lengkap": "Eko", "Tanggal Lahir": "1-1-1990"}),
        )
        first, second = run(path).results
        assert first.reasons == [
            f"Nomor HP sama dengan #{siti.pk} Siti Nurhaliza",
            "Nomor HP sama dengan baris 3",
        ]
        assert second.reasons == [
            f"Nomor HP sama dengan #{siti.pk} Siti Nurhaliza",
            "Nomor HP sama dengan baris 2",
        ]


class TestReasonLabels:
    def test_reasons_use_the_template_headers_and_name_a_field_once(self, tmp_path):
        path = template_sheet(
            tmp_path / "d.xlsx",
            person(NIK="367301170598005", **{"No HP": "12345"}),
            person(NIK=nik(17, 5, 1998, 53, female=True), **{"No HP": None}),
        )
        first, second = run(path).results
        assert first.outcome == second.outcome == Outcome.REJECTED
        reasons = first.reasons + second.reasons
        assert any(r.startswith("NIK harus 16 angka") for r in reasons)
        assert any(r.startswith("Nomor HP tidak valid") for r in reasons)
        assert any(r.startswith("Jenis kelamin tidak cocok dengan NIK") for r in reasons)
        assert "No HP: Wajib diisi." in reasons
        for garbled in ("Nik:", "Nomor hp/whatsapp:", "Jenis kelamin:", "NIK: NIK"):
            assert not any(r.startswith(garbled) for r in reasons), reasons

    def test_every_template_column_has_a_label(self):
        assert importing.COLUMN_HEADERS["phone"] == "No HP"
        assert importing.COLUMN_HEADERS["sex"] == "Jenis Kelamin"
        assert len(importing.COLUMN_HEADERS) == len(TEMPLATE_COLUMNS)


class TestCells:
    @pytest.mark.parametrize(
        ("header", "key"),
        [
            ("Nama", "full_name"),
            ("Nama Lengkap", "full_name"),
            ("NIK", "nik"),
            ("No KTP", "nik"),
            ("No. KTP", "nik"),
            ("Tgl Lahir", "birth_date"),
            ("Tanggal Lahir", "birth_date"),
            ("TANGGAL LAHIR (dd-mm-yyyy)", "birth_date"),
            ("L/P", "sex"),
            ("Jenis Kelamin", "sex"),
            ("No HP", "phone"),
            ("No WA", "phone"),
            ("Telepon", "phone"),
            ("Kec", "district"),
            ("Kecamatan", "district"),
            ("Kel", "village"),
            ("Kelurahan", "village"),
            ("Desa/Kelurahan", "village"),
            ("Desa / Kelurahan", "village"),
            ("Tempat, Tgl Lahir", "place_and_date"),
        ],
    )
    def test_header_names_are_recognised_case_insensitively_with_variants(self, header, key):
        assert importing.sheet._HEADER_INDEX[_norm_header(header)] == key

    def test_every_alias_maps_to_one_field(self):
        aliases = [_norm_header(a) for names in HEADERS.values() for a in names]
        assert len(aliases) == len(set(aliases))

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("17-05-1998", datetime.date(1998, 5, 17)),
            ("17/05/1998", datetime.date(1998, 5, 17)),
            ("1998-05-17", datetime.date(1998, 5, 17)),
            ("1998-05-17 00:00:00", datetime.date(1998, 5, 17)),
            ("17 Mei 1998", datetime.date(1998, 5, 17)),
            ("17 Agustus 1998", datetime.date(1998, 8, 17)),
            ("17-Agt-1998", datetime.date(1998, 8, 17)),
            ("1 Januari 2000", datetime.date(2000, 1, 1)),
            ("5 Nopember 1990", datetime.date(1990, 11, 5)),
            ("17.05.98", datetime.date(1998, 5, 17)),
            ("05/17/1998", datetime.date(1998, 5, 17)),  # month first, from an English export
            (datetime.datetime(1998, 5, 17, 0, 0), datetime.date(1998, 5, 17)),
            (to_excel(datetime.datetime(1998, 5, 17)), datetime.date(1998, 5, 17)),
        ],
    )
    def test_dates_in_every_shape_seen_in_the_field(self, value, expected):
        assert parse_date(value, today=TODAY) == (expected, None)

    def test_an_impossible_date_is_refused(self):
        assert "tidak ada di kalender" in parse_date("31-02-1998", today=TODAY)[1]

    @pytest.mark.parametrize(
        ("value", "digits", "lost"),
        [
            ("3673015705980001", "3673015705980001", False),
            (" '3673015705980001", "3673015705980001", False),
            ("3673 0157 0598 0001", "3673015705980001", False),
            ("3673.0157.0598.0001", "3673015705980001", False),
            (3673015705980001, "3673015705980001", False),
            (3673015705980010, "", True),
            (3.67301570598e15, "", True),  # what Excel keeps: 15 digits, then 0
            (3673015705980001.0, "3673015705980001", False),  # full precision from other tools
            ("3,67302E+15", "", True),
            ("3.67302e15", "", True),
        ],
    )
    def test_niks_stored_as_numbers_are_refused_when_digits_may_be_lost(self, value, digits, lost):
        got, error = parse_nik(value)
        assert got == digits and (error is not None) == lost


class TestCommand:
    def test_the_command_writes_a_report_with_every_row(self, messy, tmp_path):
        path, rows = messy
        report = tmp_path / "laporan.csv"
        out = io.StringIO()
        call_command("import_candidates", str(path), "--report", str(report), stdout=out)
        assert "20 baris" in out.getvalue() and "ditolak" in out.getvalue()
        with open(report, encoding="utf-8-sig") as handle:
            lines = list(csv.DictReader(handle))
        assert len(lines) == len(rows)
        row13 = next(line for line in lines if line["baris"] == "13")
        assert row13["hasil"] == "ditolak" and "Nomor urut NIK" in row13["alasan"]

    def test_the_command_writes_an_excel_report_when_the_name_ends_in_xlsx(self, messy, tmp_path):
        path, rows = messy
        report = tmp_path / "laporan.xlsx"
        call_command("import_candidates", str(path), "--report", str(report), stdout=io.StringIO())
        sheet = load_workbook(report).active
        assert sheet.max_row == len(rows) + 1
        niks = [r[2] for r in sheet.iter_rows(min_row=2) if r[2].value]
        assert niks and all(c.data_type == "s" and c.number_format == "@" for c in niks)

    def test_the_dry_run_option_writes_nothing(self, messy):
        path, _rows = messy
        before = counts()
        out = io.StringIO()
        call_command("import_candidates", str(path), "--dry-run", stdout=out)
        assert counts() == before and "UJI COBA" in out.getvalue()

    def test_a_file_without_the_required_columns_is_refused_as_a_whole(self, tmp_path):
        from django.core.management.base import CommandError

        workbook = Workbook()
        workbook.active.append(["NIK", "Nama"])
        path = tmp_path / "kurang.xlsx"
        workbook.save(path)
        with pytest.raises(CommandError) as error:
            call_command("import_candidates", str(path))
        assert (
            "Kolom wajib tidak ditemukan: Tanggal Lahir, Jenis Kelamin (L/P), Kelurahan, No HP"
            in str(error.value)
        )

    def test_an_old_xls_file_gets_a_clear_message(self, tmp_path):
        from django.core.management.base import CommandError

        path = tmp_path / "lama.xls"
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
        with pytest.raises(CommandError) as error:
            call_command("import_candidates", str(path))
        assert ".xls lama tidak didukung" in str(error.value)


class TestWeb:
    def upload(self, path, name="pencaker.xlsx"):
        return SimpleUploadedFile(name, path.read_bytes())

    def test_a_manager_imports_and_downloads_the_report(self, client_for, manager, messy):
        path, rows = messy
        client = client_for(manager)
        response = client.post(reverse("candidates:import"), {"file": self.upload(path)})
        job = ImportJob.objects.get()
        assert response["Location"] == reverse("candidates:import_job", args=[job.pk])
        assert job.status == ImportJob.Status.DONE and job.total_rows == len(rows)
        assert (job.accepted, job.flagged, job.duplicates, job.rejected) == (7, 2, 2, 9)
        assert not job.file  # the uploaded sheet is not kept once the report exists
        page = client.get(reverse("candidates:import_job", args=[job.pk])).content.decode()
        assert "Unduh laporan per baris" in page and "hx-trigger" not in page
        assert "Kolom yang tidak dikenali dan diabaikan: No, Keterangan" in page
        report = client.get(reverse("candidates:import_report", args=[job.pk]))
        assert report["Content-Disposition"].endswith(f'laporan-impor-{job.pk}.xlsx"')
        assert "Unduh laporan per baris (Excel)" in page
        sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
        assert sheet.max_row == len(rows) + 1
        assert AuditLog.objects.filter(
            action="candidate.import_report", kind=AuditLog.Kind.EXPORT, actor=manager
        ).exists()
        created = Candidate.objects.filter(channel=RegistrationChannel.IMPORT).first()
        assert created.registered_by == manager

    def test_import_files_and_reports_are_deleted_after_the_retention_period(
        self, client_for, manager, messy
    ):
        """The per-row report and the problem rows hold NIKs and names of people who may never
        have been registered: kept JALUR_IMPORT_FILES_DAYS, then deleted; the counts stay."""
        import datetime

        from django.core.management import call_command
        from django.utils import timezone

        from jalur.privacy.services import import_files_expire

        path, _rows = messy
        client = client_for(manager)
        client.post(reverse("candidates:import"), {"file": self.upload(path)})
        job = ImportJob.objects.get()
        report_name = job.report.name
        assert job.problems and job.report.storage.exists(report_name)
        assert import_files_expire(days=90) == 0  # finished today: kept
        call_command("apply_retention", "--import-days", "0", stdout=io.StringIO())
        job.refresh_from_db()
        assert not job.report and job.problems == [] and job.rejected == 9
        assert not job.report.storage.exists(report_name)
        assert AuditLog.objects.filter(action="privacy.import_files_expire").count() == 1
        assert client.get(reverse("candidates:import_report", args=[job.pk])).status_code == 404
        page = client.get(reverse("candidates:import_job", args=[job.pk])).content.decode()
        assert "Laporan per baris sudah dihapus" in page
        later = timezone.now() + datetime.timedelta(days=1)
        assert import_files_expire(days=0, now=later) == 0  # nothing left to delete

    def test_the_report_is_excel_with_the_nik_kept_as_text(self, client_for, manager, messy):
        path, _rows = messy
        client = client_for(manager)
        client.post(reverse("candidates:import"), {"file": self.upload(path)})
        job = ImportJob.objects.get()
        report = client.get(reverse("candidates:import_report", args=[job.pk]))
        assert report["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
        header = [c.value for c in sheet[1]]
        nik_column = header.index("NIK") + 1
        dewi = next(r for r in sheet.iter_rows(min_row=2) if r[3].value == "Dewi Lestari")
        nik_cell = dewi[nik_column - 1]
        assert nik_cell.value == "3673015705980005"  # whole, not 3.67302E+15
        assert nik_cell.data_type == "s" and nik_cell.number_format == "@"
        flagged = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == 16)
        assert flagged[header.index("alasan")].value == "Nomor HP sama dengan baris 4."

    def test_a_report_written_before_as_csv_still_downloads_as_csv(self, client_for, manager):
        from django.core.files.base import ContentFile

        job = ImportJob.objects.create(original_name="lama.xlsx", status=ImportJob.Status.DONE)
        job.report.save("laporan.csv", ContentFile(b"baris,hasil\n"))
        page = client_for(manager).get(reverse("candidates:import_job", args=[job.pk]))
        assert "Unduh laporan per baris (CSV)" in page.content.decode()
        report = client_for(manager).get(reverse("candidates:import_report", args=[job.pk]))
        assert report["Content-Type"].startswith("text/csv")

    def test_a_job_still_running_shows_progress_that_polls(self, client_for, manager):
        job = ImportJob.objects.create(
            original_name="besar.xlsx",
            status=ImportJob.Status.RUNNING,
            total_rows=10_000,
            processed_rows=2_500,
        )
        fragment = client_for(manager).get(reverse("candidates:import_progress", args=[job.pk]))
        text = fragment.content.decode()
        assert 'hx-trigger="every 1s"' in text and "2500 dari 10000 baris" in text
        assert 'value="25"' in text

    def test_imports_run_on_their_own_background_queue(self):
        from jalur.candidates.tasks import import_candidates_task

        assert import_candidates_task.queue_name == "imports"

    def test_a_broken_file_fails_the_job_with_a_message(self, client_for, manager):
        client_for(manager).post(
            reverse("candidates:import"),
            {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04 not really a workbook")},
        )
        job = ImportJob.objects.get()
        assert job.status == ImportJob.Status.FAILED and "rusak" in job.error

    def test_a_non_excel_upload_is_refused_by_the_form(self, client_for, manager):
        response = client_for(manager).post(
            reverse("candidates:import"), {"file": SimpleUploadedFile("x.xlsx", b"nik,nama\n")}
        )
        assert "bukan berkas Excel" in response.content.decode()
        assert not ImportJob.objects.exists()

    def test_the_template_imports_cleanly_as_downloaded(self, client_for, manager, tmp_path):
        """Its sample row is refused only for being the sample (an untouched template uploaded
        by mistake creates nobody); given a real name, every cell of it reads correctly."""
        response = client_for(manager).get(reverse("candidates:import_template"))
        path = tmp_path / "templat.xlsx"
        path.write_bytes(response.content)
        workbook = load_workbook(path)
        assert workbook.sheetnames == ["Pencari kerja", "Petunjuk", "Wilayah", "Jenis pekerjaan"]
        assert workbook["Pencari kerja"]["A2"].number_format == "@"
        (sample,) = run(path).results
        assert sample.outcome == Outcome.REJECTED
        assert sample.reasons == [
            "Ini baris contoh dari templat: hapus baris ini atau ganti dengan data sebenarnya."
        ]
        assert not Candidate.objects.exists()
        workbook["Pencari kerja"]["C2"] = "Siti Rahmawati Putri"
        workbook.save(path)
        summary = run(path)
        assert [r.outcome for r in summary.results] == [Outcome.ACCEPTED], summary.results[
            0
        ].reasons
        siti = Candidate.objects.get(full_name="Siti Rahmawati Putri")
        assert siti.preferred_countries == ["JP"]
        assert list(siti.preferred_job_types.values_list("code", flat=True)) == ["caregiver"]
        assert (siti.kk_number, siti.rt, siti.education_level) == ("3673010101200003", "003", "SMK")

    @pytest.mark.parametrize(
        "role", ["officer", "verifier", "leader", "trainer", "agent", "candidate_user"]
    )
    def test_only_programme_managers_import(self, client_for, request, role, manager):
        job = ImportJob.objects.create(original_name="x.xlsx", created_by=manager)
        client = client_for(request.getfixturevalue(role))
        assert client.get(reverse("candidates:import")).status_code == 403
        assert client.get(reverse("candidates:import_template")).status_code == 403
        assert client.get(reverse("candidates:import_job", args=[job.pk])).status_code == 403
        assert client.get(reverse("candidates:import_report", args=[job.pk])).status_code == 403


def test_a_dry_run_predicts_exactly_what_the_import_does_across_batches(messy, monkeypatch):
    monkeypatch.setattr(importing.run, "BATCH_SIZE", 3)  # pairs of rows fall into different batches
    path, _rows = messy
    predicted = {r.row: r.outcome for r in run(path, dry_run=True).results}
    done = {r.row: r.outcome for r in run(path).results}
    assert done == predicted


class TestLegalRoutes:
    """The import holds preferences to the same rule as the forms: only a job with a legal route,
    and to a country it leads to."""

    def test_a_job_with_no_legal_route_or_not_to_that_country_is_refused(self, tmp_path):
        path = template_sheet(
            tmp_path / "routes.xlsx",
            person(**{"Jenis Pekerjaan": "baby-sitter", "Negara Tujuan": "Jepang"}),
            person(
                NIK=nik(1, 1, 1990, 51),
                **{
                    "Nama Lengkap": "Eko",
                    "Tanggal Lahir": "1-1-1990",
                    "No HP": "0812-3456-0051",
                    "Jenis Pekerjaan": "caregiver",  # a legal route to Japan only
                    "Negara Tujuan": "Korea",
                },
            ),
            person(
                NIK=nik(2, 2, 1991, 52),
                **{
                    "Nama Lengkap": "Joko",
                    "Tanggal Lahir": "2-2-1991",
                    "No HP": "0812-3456-0052",
                    "Jenis Pekerjaan": "caregiver",
                    "Negara Tujuan": "Jepang",
                },
            ),
        )
        sitter, korea, japan = run(path).results
        assert sitter.outcome == Outcome.REJECTED
        assert any("belum ada jalur resmi" in r for r in sitter.reasons)
        assert korea.outcome == Outcome.REJECTED
        assert any("hanya ada jalur resmi ke Jepang" in r for r in korea.reasons)
        assert japan.outcome == Outcome.ACCEPTED

    def test_the_template_lists_only_jobs_with_a_legal_route(self):
        from openpyxl import load_workbook

        from jalur.candidates.spreadsheets import import_template

        sheet = load_workbook(io.BytesIO(import_template()))["Jenis pekerjaan"]
        codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert "caregiver" in codes and "baby-sitter" not in codes


def test_several_reasons_read_as_one_sentence():
    from jalur.candidates.importing import reasons_text

    assert reasons_text(
        ["Tanggal tidak ada di kalender.", "Jenis kelamin 'X' tidak dikenali."]
    ) == ("Tanggal tidak ada di kalender; Jenis kelamin 'X' tidak dikenali.")
    assert reasons_text(["Nomor HP sama dengan baris 4"]) == "Nomor HP sama dengan baris 4."
    assert reasons_text([]) == ""
