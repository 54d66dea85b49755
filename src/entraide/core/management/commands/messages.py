"""``entraide messages``: update every translation catalogue from the source, then compile them."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from entraide.core.catalogues import LANGUAGES, PACKAGE_DIR, cwd, extract


class Command(BaseCommand):
    help = "Extract the translatable strings into every catalogue (package and apps), then compile them."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-compile", action="store_true", help="Only update the .po files.")

    def handle(self, *args: Any, **options: Any) -> None:
        found = extract(verbosity=options["verbosity"])
        for catalogue in found:
            self.stdout.write(f"{catalogue.name}: {catalogue.locale}")
        if not options["no_compile"]:
            # compilemessages compiles every locale/ directory below the current one.
            with cwd(PACKAGE_DIR):
                call_command("compilemessages", locale=LANGUAGES, verbosity=0)
