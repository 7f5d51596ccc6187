"""manage.py expire_documents: mark documents past their expiry date (run daily from cron)."""

from django.core.management.base import BaseCommand

from jalur.candidates.services import documents_expire


class Command(BaseCommand):
    help = "Tandai dokumen yang sudah lewat masa berlakunya sebagai kedaluwarsa dan beri tahu pemiliknya."

    def handle(self, *args, **options):
        count = documents_expire()
        self.stdout.write(f"{count} dokumen ditandai kedaluwarsa.")
