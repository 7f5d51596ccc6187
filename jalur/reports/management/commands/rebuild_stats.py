"""Recount the reports' summary tables from the records (after an import, a restore, or nightly)."""

import time

from django.core.management.base import BaseCommand

from jalur.reports.services.refresh import stats_rebuild


class Command(BaseCommand):
    help = "Hitung ulang semua tabel ringkasan dasbor dari data (mis. setiap malam atau sesudah impor)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=20_000, help="pencari kerja per putaran")

    def handle(self, *args, batch, **options):
        started = time.monotonic()
        verbose = options["verbosity"] > 1

        def progress(done: int) -> None:
            if verbose:
                self.stdout.write(f"  {done:,} pencari kerja dihitung")

        total = stats_rebuild(batch_size=batch, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Ringkasan dihitung ulang: {total:,} pencari kerja dalam {time.monotonic() - started:.1f} detik."
            )
        )
