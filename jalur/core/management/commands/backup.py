from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from jalur.core.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database and every uploaded file into one zip (restore with `manage.py restore`)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="zip file to write (default: var/backups/jalur-<time>.zip)"
        )

    def handle(self, *args, **options):
        from django.conf import settings

        output = (
            options["output"]
            or settings.VAR_DIR / "backups" / f"jalur-{timezone.now():%Y%m%d-%H%M%S}.zip"
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        manifest = backup_create(path=output)
        self.stdout.write(
            f"{output}: {manifest['files']} files, {manifest['data_bytes']} bytes of data"
        )
