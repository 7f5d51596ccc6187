"""Rewrite docs/rules.md from the rules layer (`jalur/rules`) and the code that calls it."""

from django.core.management.base import BaseCommand

from jalur.core import rules_page


class Command(BaseCommand):
    help = "Rewrite docs/rules.md: every rule, its legal sources, where it is enforced, its tests."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only say whether the page is current."
        )

    def handle(self, *args, check=False, **options):
        if check:
            current = (rules_page.Path(rules_page.settings.BASE_DIR) / rules_page.PAGE).read_text()
            if current != rules_page.render():
                self.stderr.write("docs/rules.md is out of date: run python manage.py rules_page")
                raise SystemExit(1)
            self.stdout.write("docs/rules.md is current.")
            return
        path = rules_page.write()
        self.stdout.write(f"Wrote {path}")
