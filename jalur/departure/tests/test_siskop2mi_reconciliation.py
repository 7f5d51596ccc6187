"""The office's reconciliation of a SISKOP2MI export with Jalur: the file read whatever its header
spelling, each person sorted (matched, different field by field, only in SISKOP2MI, only in
Jalur), nothing changed until an officer accepts a row, and the file gone after its retention."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from jalur.audit.models import AuditLog
from jalur.candidates.stages import Stage
from jalur.candidates.tests.factories import CandidateFactory
from jalur.departure import services
from jalur.departure.models import ItemStatus, Reconciliation, ReconciliationRow, RowCategory
from jalur.departure.siskop2mi import reading
from jalur.departure.siskop2mi.numbers import candidate_id_pmi_record
from jalur.departure.siskop2mi.services import (
    reconciliation_create,
    reconciliation_row_accept,
    reconciliations_expire,
)

from .conftest import GOOD, accept
from .test_checklist import PDF, parse

HEADER = "No. KTP;NAMA PMI;ID_PMI;No Paspor;Negara Tujuan;JABATAN;Nama P3MI;Status PMI"


def csv_upload(lines, *, name="ekspor.csv", encoding="cp1252") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\r\n".join(lines).encode(encoding), "text/csv")


def xlsx_upload(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["Ekspor SISKOP2MI — BP3MI Banten"])  # a title above the header row
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return SimpleUploadedFile("ekspor.xlsx", stream.getvalue())


def line(candidate, **values) -> str:
    row = {
        "nik": candidate.nik,
        "name": candidate.full_name,
        "id_pmi": "",
        "passport": "",
        "country": "JEPANG",
        "position": "OPERATOR MESIN",
        "agency": "PT. A",
        "status": "Siap OPP",
        **values,
    }
    return ";".join(
        row[k]
        for k in ("nik", "name", "id_pmi", "passport", "country", "position", "agency", "status")
    )


def passport(case, agent, number="C1234567"):
    item = case.items.get(code="passport")
    services.item_submit(
        item=item,
        data=parse({**GOOD["passport"], "number": number}),
        document=SimpleUploadedFile("d.pdf", PDF),
        actor=agent,
    )
    return item


@pytest.fixture
def people(case, order, agent, manager):
    """One person the same in both systems, one who differs, and one only Jalur knows."""
    passport(case, agent, "C1234567")
    candidate_id_pmi_record(
        candidate=case.candidate, number="PMI-3673-000001", actor=manager, reason="uji"
    )
    differs = services.case_open(application=accept(order), actor=agent)
    passport(differs, agent, "C7654321")
    missing = services.case_open(application=accept(order), actor=agent)
    return case.candidate, differs.candidate, missing.candidate


def compare_file(people, manager):
    same, differs, _missing = people
    stranger = CandidateFactory.build()  # a NIK Jalur does not hold
    return reconciliation_create(
        upload=csv_upload(
            [
                HEADER,
                line(
                    same, name=same.full_name.upper(), id_pmi="pmi 3673 000001", passport="C1234567"
                ),
                line(differs, id_pmi="PMI-3673-000002", passport="X9876543", position="Perawat"),
                line(stranger, name=stranger.full_name),
                line(same, nik="12345"),  # not a NIK
                line(differs),  # the same NIK twice
            ]
        ),
        actor=manager,
    )


def by_category(reconciliation) -> dict:
    rows = {}
    for row in reconciliation.rows.all():
        rows.setdefault(row.category, []).append(row)
    return rows


@pytest.mark.django_db
class TestReport:
    def test_each_person_is_sorted_and_each_differing_field_named(self, people, manager):
        same, differs, missing = people
        rows = by_category(compare_file(people, manager))
        [matched] = rows[RowCategory.MATCHED]
        assert matched.candidate == same and matched.differences == []
        [different] = rows[RowCategory.DIFFERENT]
        assert different.candidate == differs
        assert different.differences == ["id_pmi", "passport", "position"]
        assert different.jalur["passport"] == "C7654321"
        assert different.siskop2mi["passport"] == "X9876543"
        [only_there] = rows[RowCategory.ONLY_SISKOP2MI]
        assert only_there.candidate is None and only_there.line == 4
        assert [r.candidate for r in rows[RowCategory.ONLY_JALUR]] == [missing]
        unreadable = {r.line: r.note for r in rows[RowCategory.UNREADABLE]}
        assert unreadable[5].startswith("NIK harus 16 angka")
        assert "baris sebelumnya" in unreadable[6]

    def test_only_people_at_the_departure_stages_are_missed(self, people, manager):
        CandidateFactory(stage=Stage.VERIFIED)  # not yet in the placement process
        rows = by_category(compare_file(people, manager))
        assert len(rows[RowCategory.ONLY_JALUR]) == 1

    def test_comparing_changes_nothing_in_jalur(self, people, manager):
        _same, differs, _missing = people
        before = AuditLog.objects.exclude(action__startswith="departure.reconciliation").count()
        compare_file(people, manager)
        differs.refresh_from_db()
        assert differs.siskop2mi_id_pmi == ""
        item = differs.departure_cases.get().items.get(code="passport")
        assert item.data["number"] == "C7654321" and item.status == ItemStatus.SUBMITTED
        assert (
            AuditLog.objects.exclude(action__startswith="departure.reconciliation").count()
            == before
        )

    def test_an_excel_export_with_its_own_header_names_reads_the_same(self, people, manager):
        same, differs, _missing = people
        reconciliation = reconciliation_create(
            upload=xlsx_upload(
                [
                    [
                        "nik",
                        "Nama",
                        "ID PMI",
                        "Nomor Paspor",
                        "NEGARA",
                        "Jabatan",
                        "P3MI",
                        "STATUS",
                    ],
                    [
                        int(same.nik),
                        same.full_name,
                        "PMI-3673-000001",
                        "C1234567",
                        "Japan",
                        "Operator Mesin",
                        "A",
                        "OPP",
                    ],
                    [
                        differs.nik,
                        differs.full_name,
                        "",
                        "C7654321",
                        "JP",
                        "Operator mesin",
                        "PT A",
                        "",
                    ],
                ]
            ),
            actor=manager,
        )
        assert reconciliation.columns == [
            "nik",
            "name",
            "id_pmi",
            "passport",
            "country",
            "position",
            "agency",
            "status",
        ]
        rows = by_category(reconciliation)
        assert [r.candidate for r in rows[RowCategory.MATCHED]] == [same, differs]

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (csv_upload(["Nama;Paspor", "Siti;C1"]), "Baris judul kolom tidak ditemukan"),
            (SimpleUploadedFile("x.csv", b"\x00\x01\x02" * 100), "bukan CSV atau Excel"),
            (SimpleUploadedFile("x.xls", b"\xd0\xcf\x11\xe0" + b"0" * 100), "Format .xls lama"),
        ],
    )
    def test_a_file_that_cannot_be_read_is_refused_and_nothing_is_kept(
        self, manager, upload, message
    ):
        with pytest.raises(ValidationError) as error:
            reconciliation_create(upload=upload, actor=manager)
        assert message in error.value.message_dict["file"][0]
        assert not Reconciliation.objects.exists()

    def test_a_file_longer_than_the_office_can_wait_for_is_refused(self, manager, monkeypatch):
        monkeypatch.setattr(reading, "MAX_ROWS", 2)
        upload = csv_upload(["NIK;Nama", "1;Siti", "2;Budi", "3;Ani"])
        with pytest.raises(ValidationError) as error:
            reconciliation_create(upload=upload, actor=manager)
        assert "lebih dari 2 baris" in error.value.message_dict["file"][0]
        assert not Reconciliation.objects.exists()


@pytest.mark.django_db
class TestAccept:
    def test_accepting_a_row_writes_the_id_pmi_and_sends_the_passport_back_to_review(
        self, people, manager
    ):
        _same, differs, _missing = people
        reconciliation = compare_file(people, manager)
        row = reconciliation.rows.get(category=RowCategory.DIFFERENT)
        reconciliation_row_accept(row=row, actor=manager)
        differs.refresh_from_db()
        assert differs.siskop2mi_id_pmi == "PMI-3673-000002"
        item = differs.departure_cases.get().items.get(code="passport")
        assert item.data["number"] == "X9876543" and item.status == ItemStatus.SUBMITTED
        reason = f"Rekonsiliasi SISKOP2MI #{reconciliation.pk} (ekspor.csv, baris 3)."
        assert AuditLog.objects.get(action="departure.id_pmi_record", reason=reason)
        audit = AuditLog.objects.get(action="departure.reconciliation_accept")
        assert audit.actor == manager and audit.reason == reason
        assert audit.changes == {
            "id_pmi": ["", "PMI-3673-000002"],
            "passport": ["C7654321", "X9876543"],
        }
        row.refresh_from_db()
        assert row.accepted_by == manager and row.accepted_at
        with pytest.raises(ValidationError, match="sudah diterima"):
            reconciliation_row_accept(row=row, actor=manager)

    def test_a_row_that_cannot_be_applied_changes_nothing(self, people, order, agent, manager):
        _same, differs, _missing = people
        reconciliation = compare_file(people, manager)
        row = reconciliation.rows.get(category=RowCategory.DIFFERENT)
        holder = services.case_open(application=accept(order), actor=agent).candidate
        candidate_id_pmi_record(
            candidate=holder, number="PMI-3673-000002", actor=manager, reason="uji"
        )
        with pytest.raises(ValidationError, match="sudah tercatat untuk pekerja lain"):
            reconciliation_row_accept(row=row, actor=manager)
        differs.refresh_from_db()
        assert differs.siskop2mi_id_pmi == ""
        row.refresh_from_db()
        assert row.accepted_at is None

    def test_a_matched_row_has_nothing_to_accept(self, people, manager):
        row = compare_file(people, manager).rows.get(category=RowCategory.MATCHED)
        with pytest.raises(ValidationError):
            reconciliation_row_accept(row=row, actor=manager)


@pytest.mark.django_db
class TestPages:
    def test_the_manager_uploads_reads_the_report_and_accepts_a_row(
        self, client_for, people, manager
    ):
        _same, differs, _missing = people
        client = client_for(manager)
        home = client.get("/").content.decode()
        assert reverse("departure:siskop2mi_list") in home  # in the manager's menu
        stranger = CandidateFactory.build()
        response = client.post(
            reverse("departure:siskop2mi_list"),
            {"file": csv_upload([HEADER, line(differs, id_pmi="PMI-3673-000009"), line(stranger)])},
        )
        reconciliation = Reconciliation.objects.get()
        assert response["Location"] == reverse("departure:siskop2mi", args=[reconciliation.pk])
        page = client.get(response["Location"] + "?kategori=different").content.decode()
        assert differs.full_name in page and "PMI-3673-000009" in page
        assert 'id="kategori-only_siskop2mi"' in page
        row = reconciliation.rows.get(category=RowCategory.DIFFERENT)
        client.post(reverse("departure:siskop2mi_accept", args=[row.pk]))
        differs.refresh_from_db()
        assert differs.siskop2mi_id_pmi == "PMI-3673-000009"
        download = client.get(reverse("departure:siskop2mi_file", args=[reconciliation.pk]))
        assert download.status_code == 200
        assert AuditLog.objects.filter(action="departure.reconciliation_file").exists()

    def test_a_bad_file_says_what_to_fix_on_the_form(self, client_for, manager):
        response = client_for(manager).post(
            reverse("departure:siskop2mi_list"), {"file": csv_upload(["Nama", "Siti"])}
        )
        assert response.status_code == 200
        assert "kolom &#x27;NIK&#x27; dan &#x27;Nama&#x27;" in response.content.decode()
        assert not Reconciliation.objects.exists()

    def test_only_the_office_may_see_a_reconciliation(
        self, client, client_for, people, manager, leader, agent, verifier
    ):
        reconciliation = compare_file(people, manager)
        row = reconciliation.rows.get(category=RowCategory.DIFFERENT)
        urls = [
            ("get", reverse("departure:siskop2mi_list")),
            ("get", reverse("departure:siskop2mi", args=[reconciliation.pk])),
            ("get", reverse("departure:siskop2mi_file", args=[reconciliation.pk])),
            ("post", reverse("departure:siskop2mi_accept", args=[row.pk])),
        ]
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 302  # to the log-in page
            for user in (leader, agent, verifier):
                assert getattr(client_for(user), method)(url).status_code == 403, (url, user)
                client.logout()
        row.refresh_from_db()
        assert row.accepted_at is None


@pytest.mark.django_db
def test_a_reconciliation_is_deleted_with_its_file_after_the_retention_period(people, manager):
    reconciliation = compare_file(people, manager)
    storage, name = reconciliation.file.storage, reconciliation.file.name
    assert storage.exists(name)
    today = timezone.localdate()
    assert reconciliations_expire(today=reconciliation.delete_after) == 0
    assert (
        reconciliations_expire(today=reconciliation.delete_after + datetime.timedelta(days=1)) == 1
    )
    assert not Reconciliation.objects.exists() and not ReconciliationRow.objects.exists()
    assert not storage.exists(name)
    assert AuditLog.objects.filter(action="departure.reconciliation_expire").exists()
    assert reconciliation.delete_after > today
