from django.core.management.base import BaseCommand

from jalur.privacy.ropa import ropa_csv, ropa_markdown


class Command(BaseCommand):
    help = "Write the record of processing activities (UU PDP Pasal 31) as Markdown or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["md", "csv"], default="md")
        parser.add_argument("--output", help="a file to write (default: standard output)")

    def handle(self, *args, **options):
        text = ropa_csv() if options["format"] == "csv" else ropa_markdown()
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as out:
                out.write(text)
        else:
            self.stdout.write(text)
