"""manage.py expire_programme_exports: delete web exports older than JALUR_EXPORT_KEEP_DAYS
(daily timer, deploy/systemd/jalur-expire-programme-exports.timer)."""

from django.core.management.base import BaseCommand

from jalur.exchange.services import export_files_expire


class Command(BaseCommand):
    help = "Hapus berkas ekspor program yang lebih tua dari JALUR_EXPORT_KEEP_DAYS hari."

    def handle(self, *args, **options):
        count = export_files_expire()
        self.stdout.write(f"{count} berkas ekspor program dihapus.")
