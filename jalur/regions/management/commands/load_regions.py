from pathlib import Path

from django.core.management.base import BaseCommand

from jalur.regions.selectors import clear_caches
from jalur.regions.services import regions_load


class Command(BaseCommand):
    help = "Load Kemendagri region codes (provinces, kab/kota, kecamatan, historical codes, home kelurahan)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--villages",
            type=Path,
            help="CSV of the home region's kelurahan (kode,kecamatan_kode,kecamatan,kelurahan); "
            "default: Kota Serang",
        )

    def handle(self, *args, **options):
        counts = regions_load(villages_file=options.get("villages"))
        clear_caches()
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in counts.items()))
