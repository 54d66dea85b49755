"""``entraide retention [--apply]``: list the closed matters whose retention period has ended (and no legal hold
stops), and with ``--apply`` purge them, each as an audited action."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from entraide.security.retention import due_for_purge, purge_due


class Command(BaseCommand):
    help = "List (or with --apply, purge) the closed matters whose retention period has ended."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="purge them (otherwise only list)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["apply"]:
            due = list(due_for_purge().values_list("reference", "kind", "closed_at"))
            for reference, kind, closed_at in due:
                self.stdout.write(f"{reference}  {kind}  closed {closed_at:%Y-%m-%d}")
            self.stdout.write(f"{len(due)} matter(s) due for purge. Run with --apply to purge them.")
            return
        done, refused = purge_due()
        for tombstone in done:
            self.stdout.write(f"purged {tombstone['reference']} ({tombstone['documents']} documents)")
        for message in refused:
            self.stderr.write(message)
        self.stdout.write(self.style.SUCCESS(f"{len(done)} matter(s) purged, {len(refused)} refused."))
