"""Build a realistic, internally consistent demo. Safe to run again: it creates only what is missing.

Each app may have a `demo.py` with `seed(ctx)`; they run in INSTALLED_APPS order and share `ctx`.
Log-ins are created without a password; at the end every new one gets the demo password, hashed
once (an Argon2 hash is slow by design: once per demo user, that was half the seed).
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Max

from jalur.accounts.demo import DEMO_PASSWORD
from jalur.accounts.models import User


class Command(BaseCommand):
    help = "Create demo organisations, users for every role and candidates in every stage."

    def handle(self, *args, **options):
        ctx: dict = {}
        with transaction.atomic():
            last = User.objects.aggregate(last=Max("pk"))["last"] or 0
            for config in apps.get_app_configs():
                module = f"{config.name}.demo"
                if config.name.startswith("jalur.") and find_spec(module):
                    import_module(module).seed(ctx)
            User.objects.filter(pk__gt=last, password__startswith=UNUSABLE_PASSWORD_PREFIX).update(
                password=make_password(DEMO_PASSWORD)
            )
        self.stdout.write(
            self.style.SUCCESS(f"Data demo siap. Log-in demo (kata sandi: {DEMO_PASSWORD}):")
        )
        for role, username in ctx.get("logins", []):
            self.stdout.write(f"  {role:<28} {username}")
        for note in ctx.get("notes", []):
            self.stdout.write(f"  {note}")
