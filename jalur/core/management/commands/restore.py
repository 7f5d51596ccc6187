from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jalur.core.backup import backup_restore


class Command(BaseCommand):
    help = "Replace the database and uploaded files with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options):
        path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        if not options["yes"]:
            answer = input(
                "Ini akan MENGGANTI semua data dan berkas dengan isi cadangan. Lanjutkan? [ya/tidak] "
            )
            if answer.strip().lower() not in {"ya", "y", "yes"}:
                raise CommandError("Dibatalkan.")
        summary = backup_restore(path=path)
        self.stdout.write(
            f"restored backup of {summary['created_at']}: {summary['restored_files']} files"
        )
