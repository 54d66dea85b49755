"""``entraide retention [--apply]``: the closed matters due for archival (their retention period has ended) and the
archived ones due for purge (their time in the archive has ended), unless a legal hold stops them; with
``--apply``, archive and purge them, each as an audited action."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from entraide.security.retention import archive_due, due_for_archival, due_for_purge, purge_due


class Command(BaseCommand):
    help = "List (or with --apply, take) the archivals and purges that retention periods make due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="archive and purge them (otherwise only list)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["apply"]:
            to_archive = list(due_for_archival().values_list("reference", "kind", "closed_at"))
            for reference, kind, closed_at in to_archive:
                self.stdout.write(f"archive  {reference}  {kind}  closed {closed_at:%Y-%m-%d}")
            to_purge = list(due_for_purge().values_list("reference", "kind", "closed_at"))
            for reference, kind, closed_at in to_purge:
                self.stdout.write(f"purge    {reference}  {kind}  closed {closed_at:%Y-%m-%d}")
            self.stdout.write(
                f"{len(to_archive)} matter(s) due for archival, {len(to_purge)} due for purge. "
                "Run with --apply to archive and purge them."
            )
            return
        # Purge first what had already served its time in the archive, then archive: a matter archived now is
        # never purged in the same run unless its rule says 0 years.
        purged, refused = purge_due()
        archived, refused_archival = archive_due()
        for tombstone in purged:
            self.stdout.write(f"purged {tombstone['reference']} ({tombstone['documents']} documents)")
        for reference in archived:
            self.stdout.write(f"archived {reference}")
        for message in refused + refused_archival:
            self.stderr.write(message)
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(archived)} matter(s) archived, {len(purged)} purged, "
                f"{len(refused) + len(refused_archival)} refused."
            )
        )
