"""Print the code the demo staff's authenticator would show now (demo only, never in production)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jalur.accounts.demo import demo_code, demo_secret


class Command(BaseCommand):
    help = "Kode verifikasi dua langkah staf demo saat ini (hanya untuk demo)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Kode demo tidak ada di produksi.")
        self.stdout.write(f"{demo_code()}  (kunci demo {demo_secret()}; berganti tiap 30 detik)")
