"""manage.py create_admin: the first labour office and its system administrator, on a fresh database.

A fresh database has no organisations and no log-ins, and `createsuperuser` makes a job-seeker
account that /admin/ refuses. This command creates the labour office (or takes the one with that
code) and an "Admin sistem" of it, both through the audited services, in one transaction. The
password comes from --password-file, else JALUR_ADMIN_PASSWORD, else is asked twice on the
terminal; Django's password validators refuse a weak one before anything is saved.
"""

import getpass
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from jalur.accounts.models import Organisation, User
from jalur.accounts.roles import OrganisationKind, Role
from jalur.accounts.services import organisation_create, user_create

PASSWORD_ENV = "JALUR_ADMIN_PASSWORD"  # noqa: S105 - the variable's name, not a password
REASON = "Admin sistem pertama, dibuat dengan manage.py create_admin."


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Buat kantor Disnakertrans pertama dan Admin sistem-nya (basis data baru belum punya "
        "organisasi). Kata sandi dari --password-file, JALUR_ADMIN_PASSWORD, atau ditanyakan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True, help="nama pengguna untuk log-in")
        parser.add_argument("--full-name", default="Admin Sistem", help="nama lengkap")
        parser.add_argument("--email", default="", help="e-mail (untuk atur ulang kata sandi)")
        parser.add_argument(
            "--organisation",
            default="",
            help="nama kantor Disnakertrans (bawaan: JALUR_OFFICE_NAME)",
        )
        parser.add_argument(
            "--organisation-code",
            default="",
            help="kode singkat kantor; kantor dengan kode ini dipakai bila sudah ada",
        )
        parser.add_argument(
            "--password-file",
            default="",
            help=f"berkas berisi kata sandi (baris pertama); bila tidak ada: {PASSWORD_ENV}, "
            "lalu ditanyakan di terminal",
        )

    def handle(self, *args, **options):
        username = options["username"].strip()
        email = options["email"].strip() or None
        full_name = options["full_name"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(
                f"Nama pengguna {username!r} sudah dipakai. Pilih nama lain, atau ganti kata "
                f"sandinya dengan: manage.py changepassword {username}"
            )
        admins = User.objects.filter(role=Role.SYSADMIN, is_active=True)
        if admins.exists():
            raise CommandError(
                f"Sudah ada Admin sistem aktif ({', '.join(admins.values_list('username', flat=True))}). "
                "Tambahkan admin berikutnya lewat /admin/, atau ganti kata sandi yang terlupa "
                "dengan: manage.py changepassword <nama pengguna>"
            )
        organisation, create_organisation = self._organisation(options)
        password = self._password(options)
        try:
            validate_password(
                password, user=User(username=username, full_name=full_name, email=email)
            )
        except ValidationError as error:
            raise CommandError(
                "Kata sandi ditolak: " + " ".join(error.messages) + " Tidak ada yang disimpan."
            ) from error

        try:
            with transaction.atomic():
                if create_organisation:
                    organisation = organisation_create(actor=None, **organisation)
                user = user_create(
                    actor=None,
                    username=username,
                    role=Role.SYSADMIN,
                    password=password,
                    organisation=organisation,
                    full_name=full_name,
                    email=email,
                    reason=REASON,
                )
        except ValidationError as error:
            raise CommandError(
                f"Periksa isian: {_messages(error)} Tidak ada yang disimpan."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin sistem {user.username!r} dibuat untuk {user.organisation.name} "
                f"(kode {user.organisation.code}). Masuk di /masuk/, lalu buka /admin/ "
                "untuk menambah organisasi dan pengguna lain."
            )
        )

    def _organisation(self, options) -> tuple[Organisation | dict, bool]:
        """The labour office to attach the admin to: (existing one, False) or (fields, True)."""
        name = options["organisation"].strip() or _default_office_name()
        code = options["organisation_code"].strip() or slugify(name)
        existing = Organisation.objects.filter(code=code).first() if code else None
        if existing is not None:
            if existing.kind != OrganisationKind.LABOUR_OFFICE:
                raise CommandError(
                    f"Organisasi berkode {code!r} bukan Disnakertrans ({existing.get_kind_display()}). "
                    "Beri --organisation-code lain untuk kantor Disnakertrans."
                )
            return existing, False
        if not name:
            raise CommandError(
                "Sebutkan nama kantor Disnakertrans dengan --organisation "
                '(mis. --organisation "Disnakertrans Kota Serang") atau isi JALUR_OFFICE_NAME.'
            )
        return {"kind": OrganisationKind.LABOUR_OFFICE, "name": name, "code": code}, True

    def _password(self, options) -> str:
        path = options["password_file"]
        if path:
            try:
                lines = Path(path).read_text(encoding="utf-8").splitlines()
            except OSError as error:
                raise CommandError(
                    f"Berkas kata sandi {path} tidak bisa dibaca ({error.strerror})."
                ) from error
            password = lines[0] if lines else ""
        elif os.environ.get(PASSWORD_ENV):
            password = os.environ[PASSWORD_ENV]
        else:
            if not os.isatty(0):
                raise CommandError(
                    f"Tidak ada kata sandi: beri --password-file atau {PASSWORD_ENV}, "
                    "atau jalankan perintah ini di terminal agar kata sandi ditanyakan."
                )
            password = getpass.getpass("Kata sandi: ")
            if getpass.getpass("Kata sandi (ulangi): ") != password:
                raise CommandError("Kedua kata sandi tidak sama. Tidak ada yang disimpan.")
        if not password:
            raise CommandError("Kata sandi kosong. Tidak ada yang disimpan.")
        return password


def _default_office_name() -> str:
    """JALUR_OFFICE_NAME, else "Disnakertrans <home region>" once the region tables know it."""
    from jalur.regions import naming

    if settings.JALUR_OFFICE_NAME.strip():
        return settings.JALUR_OFFICE_NAME.strip()
    if naming.home_region_name() == naming.home_region_code():  # region tables not loaded
        return ""
    return naming.office_name()
