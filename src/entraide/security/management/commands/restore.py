"""``entraide restore FILE``: bring an archive of ``entraide backup`` back onto an empty installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from entraide.security.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore an encrypted archive made by `entraide backup` onto an empty installation (stop the server first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore(options["archive"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = result.counts
        self.stdout.write(
            f"Restored ({result.method}): {counts['cases']} matters, {counts['document_versions']} document versions "
            f"in {result.files} files, {counts['audit_records']} audit records."
        )
        if result.problems:
            raise CommandError("Restored with differences: " + "; ".join(result.problems))
        if not result.chain_ok:
            raise CommandError("Restored, but the audit chain does not verify: run `entraide audit verify`.")
        self.stdout.write(self.style.SUCCESS("Every matter and document is back and the audit chain verifies."))
