"""``entraide audit verify``: walk the hash chain and report the first record that breaks it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from entraide.audit.log import verify


class Command(BaseCommand):
    help = "Audit log tools. 'verify' checks that no record was modified, removed or reordered."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify()
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at record {result.first_bad_id} after {result.checked} good records: "
                f"{result.problem}."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {result.checked} records verified."))
