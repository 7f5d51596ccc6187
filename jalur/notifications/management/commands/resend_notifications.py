from django.core.management.base import BaseCommand

from jalur.notifications.services import outbox_resend_due


class Command(BaseCommand):
    help = "Re-queue outbox messages that are due for another delivery attempt."

    def handle(self, *args, **options):
        self.stdout.write(f"requeued: {outbox_resend_due()}")
