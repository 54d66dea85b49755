"""``entraide load_deadline_rules [--update]``: load the deadline rules shipped in ``cases/data/``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from entraide.cases.loaders import load_deadline_rules


class Command(BaseCommand):
    help = (
        "Load the shipped deadline rules (treaty clocks and internal service levels, each with its source). "
        "Idempotent: existing rules are left as an administrator edited them unless --update is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--update",
            action="store_true",
            help="Bring existing rules back to the shipped values (their 'active' flag is kept).",
        )

    def handle(self, *args: Any, update: bool = False, **options: Any) -> None:
        try:
            result = load_deadline_rules(update=update)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(result))
