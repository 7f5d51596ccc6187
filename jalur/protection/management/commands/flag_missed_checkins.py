from django.core.management.base import BaseCommand
from django.db import transaction

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.notifications.services import notify
from jalur.protection.selectors import overdue_checkin_count
from jalur.protection.services import checkin_escalations_run


class Command(BaseCommand):
    help = (
        "The monthly check-in's daily run: remind workers abroad before their check-in is due, tell "
        "the P3MI of a missed one (it must answer), the family (if the worker agreed) and the office "
        "of a second miss, and tell the programme managers how many are overdue."
    )

    def handle(self, *args, **options):
        steps = checkin_escalations_run()
        self.stdout.write(
            "reminders: {reminded}, told to the P3MI: {agency_told}, "
            "told to the family and office: {family_office_told}".format(**steps)
        )
        managers = list(User.objects.filter(role=Role.PROGRAMME_MANAGER, is_active=True))
        if not managers:
            return
        overdue = overdue_checkin_count(managers[0])
        if overdue:
            with transaction.atomic():
                for manager in managers:
                    notify(
                        user=manager,
                        key="checkins_missed",
                        context={"count": overdue},
                        link="/pelindungan/pemantauan/?overdue=1",
                    )
        self.stdout.write(f"overdue check-ins: {overdue}")
