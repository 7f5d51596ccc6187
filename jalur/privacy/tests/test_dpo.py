"""The data-protection officer's tools: the breach register with the 3 x 24 hour clock, its warning,
and the record of processing activities generated from the data map."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jalur.audit.models import AuditLog
from jalur.privacy.breaches import breach_save, breach_warnings
from jalur.privacy.graph import candidate_links
from jalur.privacy.models import Breach
from jalur.privacy.ropa import processing_records

pytestmark = pytest.mark.django_db


def _breach(manager, hours_ago):
    return breach_save(
        breach=None,
        data={
            "discovered_at": timezone.now() - datetime.timedelta(hours=hours_ago),
            "description": "Daftar peserta terkirim ke grup WhatsApp yang salah",
            "data_kinds": "nama, NIK, nomor HP",
            "people_affected": 40,
            "risk": Breach.Risk.HIGH,
        },
        actor=manager,
    )


class TestBreaches:
    def test_the_list_flags_overdue_and_the_last_day(self, client_for, manager):
        late = _breach(manager, hours_ago=80)
        close = _breach(manager, hours_ago=50)
        _breach(manager, hours_ago=1)
        page = client_for(manager).get(reverse("privacy:breaches"))
        states = {b.pk: c for b, c in page.context["rows"]}
        assert states[late.pk].overdue and states[close.pk].warn
        assert "Terlambat" in page.content.decode()

    def test_the_dpo_is_warned_once_when_a_day_is_left(self, manager, sysadmin):
        close = _breach(manager, hours_ago=50)
        _breach(manager, hours_ago=1)
        assert breach_warnings() == 1
        assert breach_warnings() == 0  # once
        for user in (manager, sysadmin):
            assert user.notifications.filter(key="privacy_breach_deadline").count() == 1
        assert AuditLog.objects.filter(action="privacy.breach_warned", object_id=str(close.pk))

    def test_telling_both_stops_the_clock_and_is_audited(self, client_for, manager):
        breach = _breach(manager, hours_ago=10)
        now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        client_for(manager).post(
            reverse("privacy:breach_detail", args=[breach.pk]),
            {
                "discovered_at": timezone.localtime(breach.discovered_at).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
                "description": breach.description,
                "data_kinds": breach.data_kinds,
                "people_affected": 40,
                "risk": "high",
                "actions": "Pesan ditarik; peserta ditelepon",
                "people_notified_at": now,
                "authority_notified_at": now,
                "status": "open",
            },
        )
        breach.refresh_from_db()
        assert breach.status == Breach.Status.NOTIFIED and breach.notified_at
        assert breach_warnings(now=timezone.now() + datetime.timedelta(days=5)) == 0
        assert AuditLog.objects.filter(action="privacy.breach_save").count() == 2

    def test_a_discovery_in_the_future_is_refused(self, client_for, manager):
        later = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
        page = client_for(manager).post(
            reverse("privacy:breach_new"),
            {
                "discovered_at": later,
                "description": "x",
                "data_kinds": "NIK",
                "risk": "low",
                "people_affected": 1,
                "status": "open",
            },
        )
        assert "masa depan" in page.content.decode() and not Breach.objects.exists()


class TestRecordOfProcessing:
    def test_every_personal_data_table_appears_with_each_column_filled(self):
        rows = {row["table"]: row for row in processing_records()}
        assert {link.label for link in candidate_links()} | {"candidates.Candidate"} <= set(rows)
        for row in rows.values():
            for key in ("purpose", "legal_basis", "recipients", "retention", "safeguards"):
                assert row[key], (row["table"], key)

    def test_the_command_writes_markdown_and_csv(self, tmp_path):
        out = io.StringIO()
        call_command("ropa", stdout=out)
        assert "## " in out.getvalue() and "`protection.Grievance`" in out.getvalue()
        target = tmp_path / "ropa.csv"
        call_command("ropa", "--format", "csv", "--output", str(target))
        table = list(csv.DictReader(target.open(encoding="utf-8")))
        assert {r["table"] for r in table} >= {"candidates.Candidate", "departure.FeeEntry"}

    def test_the_page_and_its_csv(self, client_for, manager):
        client = client_for(manager)
        assert client.get(reverse("privacy:ropa")).status_code == 200
        assert client.get(reverse("privacy:ropa"), {"format": "csv"})["Content-Type"].startswith(
            "text/csv"
        )
