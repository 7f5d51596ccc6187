"""Create N synthetic candidates with realistic stage histories (for the dashboard benchmark)."""

import time

from django.core.management.base import BaseCommand, CommandError

from jalur.reports.services.refresh import stats_rebuild
from jalur.reports.synthetic import Generator


class Command(BaseCommand):
    help = (
        "Buat N pencari kerja sintetis dengan riwayat tahap yang realistis (dan pelatihan, "
        "lowongan, keberangkatan serta pengaduan mereka), lalu hitung ulang ringkasan dasbor. "
        "Hanya untuk basis data uji beban atau demo."
    )

    def add_arguments(self, parser):
        parser.add_argument("n", type=int, help="jumlah pencari kerja yang dibuat")
        parser.add_argument("--seed", type=int, default=7, help="benih acak (hasil dapat diulang)")
        parser.add_argument("--months", type=int, default=24, help="rentang pendaftaran (bulan)")
        parser.add_argument("--sessions", type=int, default=12, help="sesi absensi per angkatan")
        parser.add_argument(
            "--batch", type=int, default=200_000, help="pencari kerja per transaksi"
        )
        parser.add_argument(
            "--national",
            action="store_true",
            help="sebar pencari kerja ke semua kecamatan yang dimuat (load_regions), bukan Kota Serang",
        )
        parser.add_argument(
            "--minutes",
            type=float,
            help="berhenti memulai kelompok baru sesudah sekian menit (yang sudah dibuat tetap)",
        )
        parser.add_argument(
            "--no-rebuild", action="store_true", help="jangan hitung ulang ringkasan sesudahnya"
        )

    def handle(
        self, *args, n, seed, months, sessions, batch, national, minutes, no_rebuild, **options
    ):
        if n < 1:
            raise CommandError("N harus 1 atau lebih.")
        if months < 1:
            raise CommandError("--months harus 1 atau lebih.")
        started = time.monotonic()
        verbose = options["verbosity"] > 1
        generator = Generator(
            seed=seed,
            months=months,
            sessions=sessions,
            national=national,
            log=(lambda text: self.stdout.write(f"  {text}")) if verbose else (lambda text: None),
        )
        totals = generator.run(n, batch=batch, minutes=minutes)
        made = time.monotonic() - started
        for key, value in totals.items():
            self.stdout.write(f"  {key}: {value:,}")
        self.stdout.write(
            f"Data sintetis dibuat dalam {made:.1f} detik "
            f"({totals.get('candidates', 0) / max(made, 1e-9):,.0f} pencari kerja per detik)."
        )
        if not no_rebuild:
            clock = time.monotonic()
            counted = stats_rebuild()
            self.stdout.write(
                f"Ringkasan dihitung ulang ({counted:,} pencari kerja) dalam {time.monotonic() - clock:.1f} detik."
            )
        self.stdout.write(self.style.SUCCESS("Selesai."))
