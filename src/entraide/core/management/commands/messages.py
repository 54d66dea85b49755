"""``entraide messages``: update every translation catalogue from the source, then compile them."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from entraide.core.catalogues import LANGUAGES, cwd, extract


class Command(BaseCommand):
    help = "Extract the translatable strings into every catalogue (package and apps), then compile them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-compile", action="store_true", help="Only update the .po files.")
        parser.add_argument(
            "--only", action="append", default=[], help="Only this catalogue: 'entraide' or an app's name (repeatable)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        found = extract(verbosity=options["verbosity"], only=options["only"] or None)
        for catalogue in found:
            self.stdout.write(f"{catalogue.name}: {catalogue.locale}")
        if not options["no_compile"]:
            # compilemessages compiles every locale/ directory below the current one.
            for catalogue in found:
                with cwd(catalogue.source):
                    call_command(
                        "compilemessages", locale=LANGUAGES, verbosity=0, ignore_patterns=list(catalogue.ignore)
                    )
