"""Build a realistic, internally consistent demo. Safe to run again: it creates only what is missing.

Each app may have a `demo.py` with `seed(ctx)`; they run in INSTALLED_APPS order and share `ctx`.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from jalur.accounts.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create demo organisations, users for every role and candidates in every stage."

    def handle(self, *args, **options):
        ctx: dict = {"password": DEMO_PASSWORD}
        with transaction.atomic():
            for config in apps.get_app_configs():
                module = f"{config.name}.demo"
                if config.name.startswith("jalur.") and find_spec(module):
                    import_module(module).seed(ctx)
        self.stdout.write(
            self.style.SUCCESS(f"Data demo siap. Log-in demo (kata sandi: {DEMO_PASSWORD}):")
        )
        for role, username in ctx.get("logins", []):
            self.stdout.write(f"  {role:<28} {username}")
        for note in ctx.get("notes", []):
            self.stdout.write(f"  {note}")
