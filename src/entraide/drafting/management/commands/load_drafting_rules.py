from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from entraide.drafting.loaders import load_rules


class Command(BaseCommand):
    help = "Load the drafting rules shipped with Entraide (existing rules are kept unless --update)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--update", action="store_true", help="Overwrite existing rules with the shipped ones.")

    def handle(self, *args: Any, **options: Any) -> None:
        created, updated = load_rules(update=options["update"])
        self.stdout.write(f"drafting rules: {created} created, {updated} updated")
