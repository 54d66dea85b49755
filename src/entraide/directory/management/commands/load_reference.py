"""``entraide load_reference [--demo] [--update]``: load the reference data shipped with the package."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from entraide.directory.loaders import ReferenceDataError, load_reference


class Command(BaseCommand):
    help = (
        "Load ISO 3166-1 countries (English, French, Arabic names), the legal instruments and the starting "
        "country profiles. Idempotent: existing records are left as an administrator edited them unless "
        "--update is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Also load demo authorities (fictitious contacts) and the demo country's bilateral treaties",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite existing records with the shipped data (loses administrators' edits to them).",
        )

    def handle(self, *args: Any, demo: bool = False, update: bool = False, **options: Any) -> None:
        try:
            results = load_reference(demo=demo, update=update)
        except ReferenceDataError as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            self.stdout.write(str(result))
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
