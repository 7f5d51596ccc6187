from django.core.management.base import BaseCommand

from jalur.departure.services import cases_recheck


class Command(BaseCommand):
    help = "Daily: send 'ready' departures whose documents no longer hold back to 'open', and tell the P3MI."

    def handle(self, *args, **options):
        reopened = cases_recheck()
        self.stdout.write(f"reopened: {len(reopened)}")
