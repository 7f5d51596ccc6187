from django.core.management.base import BaseCommand

from jalur.protection.services import follow_ups_remind


class Command(BaseCommand):
    help = (
        "The reintegration follow-up's daily run (1, 3 and 6 months after a worker came home, "
        "jalur.rules.reintegration): remind the returnee when a follow-up is due, and tell the "
        "programme managers of those still not done 14 days after their day."
    )

    def handle(self, *args, **options):
        told = follow_ups_remind()
        self.stdout.write(
            "returnees reminded: {returnees}, overdue follow-ups told to the office: {office}".format(
                **told
            )
        )
