"""``entraide worker``: run the background worker (huey's consumer and its scheduler of periodic tasks)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker: clocks, reminders, digests and e-mail (huey consumer with its scheduler)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workers", type=int, default=None, help="Threads that run tasks.")

    def handle(self, *args: Any, **options: Any) -> None:
        extra = {"workers": options["workers"]} if options["workers"] else {}
        call_command("run_huey", **extra)
