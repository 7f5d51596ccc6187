"""manage.py import_programme IN.zip --actor USERNAME: load a programme's data package into this
empty instance, checked whole first, in one transaction (docs/exchange.md)."""

import time

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from jalur.exchange.package import ExchangeError
from jalur.exchange.services import programme_import
from jalur.reports.services.refresh import stats_rebuild


class Command(BaseCommand):
    help = (
        "Impor paket data program (dari export_programme) ke instans baru yang kosong. Paket "
        "diperiksa dulu; bila ada yang salah, tidak ada yang disimpan."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="berkas zip paket data")
        parser.add_argument(
            "--actor",
            required=True,
            help="log-in pengelola program atau admin sistem yang ada di paket",
        )
        parser.add_argument(
            "--frictionless-rows",
            action="store_true",
            help=(
                "periksa juga setiap baris dengan validator frictionless (lebih lambat; skema "
                "selalu diperiksa frictionless dan setiap baris selalu diperiksa Jalur)"
            ),
        )

    def handle(self, *args, source, actor, frictionless_rows, **options):
        started = time.monotonic()
        try:
            summary = programme_import(
                source=source, actor_username=actor, frictionless_rows=frictionless_rows
            )
        except (ExchangeError, PermissionDenied) as error:
            raise CommandError(str(error)) from error
        loaded = time.monotonic() - started
        stats_rebuild()  # the dashboards' summaries are not in the package: recounted here
        self.stdout.write(
            self.style.SUCCESS(
                f"{source}: {summary.total_rows:,} baris dan {summary.files:,} berkas dimuat "
                f"dalam {loaded:.1f} detik; ringkasan dasbor dihitung ulang."
            )
        )
