import getpass
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jalur.core.backup import backup_restore
from jalur.core.backup_crypto import BackupKeyError, decrypt, is_encrypted, private_key_load


class Command(BaseCommand):
    help = (
        "Replace the database and uploaded files with a backup made by `manage.py backup`; an "
        "encrypted one needs --key (the private key, held off the server)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--key",
            type=Path,
            help="private key (PEM) of an encrypted backup; its passphrase is asked for, or read "
            "from JALUR_BACKUP_KEY_PASSPHRASE",
        )

    def handle(self, *args, **options):
        path = options["path"]
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        encrypted = is_encrypted(path)
        if encrypted and not options["key"]:
            raise CommandError(
                f"{path} is encrypted: give the private key with --key (docs/deploy.md, section 5)"
            )
        if not options["yes"]:
            answer = input(
                "Ini akan MENGGANTI semua data dan berkas dengan isi cadangan. Lanjutkan? [ya/tidak] "
            )
            if answer.strip().lower() not in {"ya", "y", "yes"}:
                raise CommandError("Dibatalkan.")
        if not encrypted:
            summary = backup_restore(path=path)
        else:
            passphrase = os.environ.get("JALUR_BACKUP_KEY_PASSPHRASE")
            if passphrase is None:
                passphrase = getpass.getpass("Passphrase of the private key: ")
            try:
                key = private_key_load(options["key"], passphrase)
                with tempfile.TemporaryDirectory() as tmp:
                    plain = Path(tmp) / "backup.zip"
                    # Decrypted and checked whole before anything is replaced.
                    with open(path, "rb") as source, open(plain, "wb") as target:
                        decrypt(source, target, key)
                    summary = backup_restore(path=plain)
            except BackupKeyError as error:
                raise CommandError(f"nothing was restored: {error}") from error
        self.stdout.write(
            f"restored backup of {summary['created_at']}: {summary['restored_files']} files"
        )
