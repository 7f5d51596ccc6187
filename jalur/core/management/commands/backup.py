import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jalur.core.backup import backup_create
from jalur.core.backup_crypto import BackupKeyError, encrypt, public_keys_load


class Command(BaseCommand):
    help = (
        "Back up the database and every uploaded file into one zip (restore with `manage.py "
        "restore`), encrypted for the public keys in JALUR_BACKUP_PUBLIC_KEY_FILE when it is set."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="file to write (default: var/backups/jalur-<time>.zip, or .zip.enc when encrypted)",
        )
        parser.add_argument(
            "--unencrypted",
            action="store_true",
            help="write a plain zip even in production (it holds every NIK: keep it safe)",
        )

    def handle(self, *args, **options):
        key_file = settings.JALUR_BACKUP_PUBLIC_KEY_FILE
        encrypted = bool(key_file) and not options["unencrypted"]
        if settings.PRODUCTION and not encrypted and not options["unencrypted"]:
            raise CommandError(
                "JALUR_BACKUP_PUBLIC_KEY_FILE is not set: a production backup is written only "
                "encrypted (docs/deploy.md, section 5), or with --unencrypted."
            )
        keys = []
        if encrypted:
            try:
                keys = public_keys_load(Path(key_file))
            except (BackupKeyError, OSError) as error:
                raise CommandError(str(error)) from error
        stamp = f"jalur-{timezone.now():%Y%m%d-%H%M%S}.zip" + (".enc" if encrypted else "")
        output = options["output"] or settings.VAR_DIR / "backups" / stamp
        output.parent.mkdir(parents=True, exist_ok=True)
        if not encrypted:
            manifest = backup_create(path=output)
            self.stdout.write(
                f"{output}: {manifest['files']} files, {manifest['data_bytes']} bytes of data"
            )
            return
        # The plain zip exists only in a private temporary folder, next to nothing else.
        with tempfile.TemporaryDirectory(dir=output.parent) as tmp:
            plain = Path(tmp) / "backup.zip"
            manifest = backup_create(path=plain)
            partial = output.with_name(output.name + ".part")
            with open(plain, "rb") as source, open(partial, "wb") as target:
                sealed = encrypt(source, target, keys)
                target.flush()
                os.fsync(target.fileno())
            partial.replace(output)  # never a half-written backup under the real name
        self.stdout.write(
            f"{output}: {manifest['files']} files, {manifest['data_bytes']} bytes of data, "
            f"encrypted for key(s) {', '.join(sealed['recipients'])}"
        )
