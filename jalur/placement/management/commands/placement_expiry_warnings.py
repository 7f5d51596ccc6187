"""Daily: warn programme managers and agency staff of agreements and SIP3MI licences ending in 60 days."""

from django.core.management.base import BaseCommand

from jalur.placement.services import expiry_warnings_send


class Command(BaseCommand):
    help = "Send the 60-day expiry warnings for MoU/PKS agreements and SIP3MI licences (once each)."

    def handle(self, *args, **options):
        sent = expiry_warnings_send()
        self.stdout.write(f"{sent} peringatan dikirim.")
