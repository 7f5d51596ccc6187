"""manage.py import_candidates FILE.xlsx [--dry-run] [--report REPORT.csv|REPORT.xlsx] [--actor USERNAME]"""

from django.core.management.base import BaseCommand, CommandError

from jalur.accounts.models import User
from jalur.candidates.importing import (
    ImportFileError,
    Outcome,
    import_rows,
    report_write,
    report_xlsx,
    sheet_read,
)


class Command(BaseCommand):
    help = (
        "Impor pencari kerja dari berkas Excel (.xlsx). Setiap baris diterima, ditandai duplikat, "
        "atau ditolak dengan semua alasannya; impor ulang berkas yang sama tidak membuat data baru."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan")
        parser.add_argument(
            "--report",
            help="tulis laporan per baris ke berkas ini: Excel jika namanya berakhiran .xlsx "
            "(NIK tetap utuh sebagai teks), selain itu CSV",
        )
        parser.add_argument("--actor", help="nama pengguna petugas yang dicatat di jejak audit")

    def handle(self, *args, **options):
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"Pengguna '{options['actor']}' tidak ditemukan.")
        try:
            sheet = sheet_read(options["file"])
        except FileNotFoundError as error:
            raise CommandError(f"Berkas tidak ditemukan: {options['file']}") from error
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        if sheet.ignored:
            self.stderr.write(f"Kolom diabaikan (tidak dikenali): {', '.join(sheet.ignored)}")

        def progress(done, summary):
            if options["verbosity"] > 1:
                self.stderr.write(f"  {done}/{len(sheet.rows)} baris")

        summary = import_rows(sheet, actor=actor, dry_run=options["dry_run"], progress=progress)
        if options["report"] and options["report"].lower().endswith(".xlsx"):
            with open(options["report"], "wb") as handle:
                handle.write(report_xlsx(summary))
        elif options["report"]:
            with open(options["report"], "w", encoding="utf-8", newline="") as handle:
                report_write(summary, handle)
        counts = summary.counts
        mode = "UJI COBA (tidak ada yang disimpan): " if options["dry_run"] else ""
        self.stdout.write(
            f"{mode}{len(summary.results)} baris: "
            f"{counts[Outcome.ACCEPTED]} diterima, "
            f"{counts[Outcome.FLAGGED]} diterima dan perlu cek duplikat, "
            f"{counts[Outcome.DUPLICATE]} sudah terdaftar, "
            f"{counts[Outcome.REJECTED]} ditolak."
        )
        for result in summary.results:
            if result.outcome == Outcome.REJECTED and options["verbosity"] > 0:
                self.stdout.write(f"  baris {result.row}: {'; '.join(result.reasons)}")
