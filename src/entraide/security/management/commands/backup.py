"""``entraide backup [--output FILE] [--method auto|sqlite|pg_dump|dumpdata]``: an encrypted archive of the
database and the documents (see docs/security.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from entraide.security.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent, encrypted archive of the database and the documents."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="archive to write (default: ENTRAIDE_BACKUP_DIR/entraide-….backup)"
        )
        parser.add_argument("--method", choices=["auto", "sqlite", "pg_dump", "dumpdata"], default="auto")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup(options["output"], method=options["method"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = result.counts
        how = {
            "sqlite": "SQLite online backup",
            "pg_dump": "pg_dump (custom format)",
            "dumpdata": "Django dumpdata (JSON, natural keys)",
        }[result.method]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.path} ({result.size} bytes, encrypted): database by {how}, "
                f"{counts['cases']} matters, {counts['document_versions']} document versions in {result.files} "
                f"files, {counts['audit_records']} audit records."
            )
        )
