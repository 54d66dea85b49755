"""``entraide load_extradition_rules [--update]``: load the clock rules shipped in ``extradition/data/``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from entraide.extradition.loaders import load_clock_rules


class Command(BaseCommand):
    help = "Load the extradition clock rules (provisional arrest, consent, appeal, surrender, status updates)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--update", action="store_true", help="Bring existing rules back to the shipped file.")

    def handle(self, *args: Any, update: bool = False, **options: Any) -> None:
        try:
            result = load_clock_rules(update=update)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(result))
