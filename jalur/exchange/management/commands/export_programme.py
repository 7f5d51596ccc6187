"""manage.py export_programme OUT.zip --actor USERNAME [--with-files]: the whole programme as an
open data package (docs/exchange.md). Audited, for the programme manager or the administrator."""

import time

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from jalur.exchange.package import ExchangeError
from jalur.exchange.services import programme_export, user_by_username


class Command(BaseCommand):
    help = (
        "Ekspor seluruh data program sebagai Frictionless Data Package (zip): satu CSV per tabel, "
        "skema, kunci, dan (dengan --with-files) berkas unggahan dengan sha256."
    )

    def add_arguments(self, parser):
        parser.add_argument("out", help="berkas zip yang ditulis")
        parser.add_argument(
            "--actor", required=True, help="log-in pengelola program atau admin sistem"
        )
        parser.add_argument("--with-files", action="store_true", help="sertakan berkas unggahan")

    def handle(self, *args, out, actor, with_files, **options):
        user = user_by_username(actor)
        if user is None:
            raise CommandError(f"Pengguna {actor} tidak ada.")
        started = time.monotonic()
        try:
            summary = programme_export(target=out, actor=user, with_files=with_files)
        except (ExchangeError, PermissionDenied) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{out}: {summary.total_rows:,} baris dari {len(summary.rows)} tabel, "
                f"{summary.files:,} berkas, {time.monotonic() - started:.1f} detik "
                f"(sha256 datapackage.json {summary.sha256})."
            )
        )
