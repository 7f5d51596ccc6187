from django.core.management.base import BaseCommand
from django.db import transaction

from jalur.accounts.models import User
from jalur.accounts.roles import Role
from jalur.notifications.services import notify
from jalur.protection.selectors import overdue_checkin_count


class Command(BaseCommand):
    help = "Tell the programme managers which workers abroad have missed their periodic check-in (run daily)."

    def handle(self, *args, **options):
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
