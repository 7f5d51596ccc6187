import getpass
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jalur.core.backup_crypto import BackupKeyError, key_id, key_pair_create


class Command(BaseCommand):
    help = (
        "Make a key pair for encrypted backups. Run it on the officer's own computer, not on the "
        "server: the server gets only the public key (docs/deploy.md, section 5)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--private", type=Path, required=True, help="private key file to write")
        parser.add_argument("--public", type=Path, required=True, help="public key file to write")

    def handle(self, *args, **options):
        for path in (options["private"], options["public"]):
            if path.exists():
                raise CommandError(f"{path} exists already: nothing was written")
        passphrase = os.environ.get("JALUR_BACKUP_KEY_PASSPHRASE")
        if passphrase is None:
            passphrase = getpass.getpass("Passphrase for the private key (12+ characters): ")
            if getpass.getpass("Again: ") != passphrase:
                raise CommandError("the two passphrases differ: nothing was written")
        try:
            private_pem, public_pem = key_pair_create(passphrase)
        except BackupKeyError as error:
            raise CommandError(str(error)) from error
        descriptor = os.open(options["private"], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(private_pem)
        options["public"].write_bytes(public_pem)
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        ident = key_id(load_pem_public_key(public_pem))
        self.stdout.write(
            f"key {ident}: private key in {options['private']} (keep it off the server), "
            f"public key in {options['public']} (for JALUR_BACKUP_PUBLIC_KEY_FILE)"
        )
