from django.conf import settings
from django.core.management.base import BaseCommand

from jalur.departure.siskop2mi.services import reconciliations_expire
from jalur.privacy.requests import erasures_finish
from jalur.privacy.services import (
    candidate_anonymise,
    import_files_expire,
    replaced_files_expire,
    retention_due,
)


class Command(BaseCommand):
    help = (
        "Anonymise the personal data of candidates who withdrew or were rejected more than N years ago "
        "(returnees and holders of records the law keeps: 10 years), finish accepted erasure "
        "requests whose kept records may go, delete replaced checklist files (run monthly)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=settings.JALUR_RETENTION_YEARS)
        parser.add_argument(
            "--dry-run", action="store_true", help="list who would be anonymised, change nothing"
        )
        parser.add_argument(
            "--import-days",
            type=int,
            default=settings.JALUR_IMPORT_FILES_DAYS,
            help="delete Excel import files and per-row reports finished more than N days ago",
        )

    def handle(self, *args, **options):
        due = list(retention_due(years=options["years"]))
        if options["dry_run"]:
            self.stdout.write(f"would anonymise: {len(due)} ({', '.join(f'#{c.pk}' for c in due)})")
            return
        reason = (
            f"Masa simpan {options['years']} tahun sejak mengundurkan diri/ditolak "
            "(10 tahun bila ada catatan yang wajib disimpan, atau sejak pulang) telah lewat."
        )
        for candidate in due:
            candidate_anonymise(candidate=candidate, actor=None, reason=reason)
        self.stdout.write(f"anonymised: {len(due)}")
        expired = import_files_expire(days=options["import_days"])
        self.stdout.write(f"import files deleted: {expired}")
        self.stdout.write(f"erasure requests finished: {erasures_finish()}")
        self.stdout.write(f"replaced checklist files deleted: {replaced_files_expire()}")
        self.stdout.write(f"SISKOP2MI reconciliations deleted: {reconciliations_expire()}")
