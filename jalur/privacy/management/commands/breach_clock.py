from django.core.management.base import BaseCommand

from jalur.privacy.breaches import breach_warnings


class Command(BaseCommand):
    help = "Warn the data-protection officer of breaches with 24 hours or less left to notify (run hourly)."

    def handle(self, *args, **options):
        self.stdout.write(f"warned: {breach_warnings()}")
