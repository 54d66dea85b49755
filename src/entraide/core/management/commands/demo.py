"""``entraide demo``: a working Central Authority on this machine in one command.

Creates the SQLite database under ``ENTRAIDE_DATA_DIR`` (``./var`` by default), migrates it, loads the
reference data with the demo authorities and the deadline rules, creates the demo users and — once — the demo
register, then serves the system with waitress.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import signal
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from entraide.cases.demo import DEMO_MATTERS, DEMO_PASSWORD, DEMO_USERS, build_demo, ensure_demo_users
from entraide.cases.loaders import load_deadline_rules
from entraide.cases.models import Case


class Command(BaseCommand):
    help = "Create (once) and serve a demonstration Central Authority at http://127.0.0.1:8000."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default 8000).")
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve on (default 127.0.0.1).")
        parser.add_argument("--no-serve", action="store_true", help="Prepare the database and stop.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo database and its documents first, and start again.",
        )
        parser.add_argument(
            "--matters",
            type=int,
            default=DEMO_MATTERS,
            help=f"How many demo matters to create (default {DEMO_MATTERS}).",
        )
        parser.add_argument("--seed", type=int, default=20261128, help="Seed of the demo data.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo creates users whose password is published. It runs only with ENTRAIDE_DEBUG=1 "
                "(the default); never on a production database."
            )
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        if options["reset"]:
            self._reset()
        database = settings.DATABASES["default"]
        self.stdout.write(f"Database: {database['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        call_command("load_reference", demo=True, stdout=self.stdout)
        self.stdout.write(str(load_deadline_rules()))
        users = ensure_demo_users()
        started = time.monotonic()
        created = build_demo(
            users, count=options["matters"], seed=options["seed"], log=lambda msg: self.stdout.write(msg)
        )
        if created:
            self.stdout.write(
                self.style.SUCCESS(f"{len(created)} demo matters created in {time.monotonic() - started:.0f} s.")
            )
        else:
            self.stdout.write("Demo matters already there: nothing added.")
        self._load_app_demos(users)
        self.stdout.write(f"The register holds {Case.objects.count()} matters.")
        url = f"http://{self.options_host(options)}:{options['port']}/"
        self._print_users(url)
        if not options["no_serve"]:
            self._serve(options["host"], options["port"])

    def _load_app_demos(self, users: dict[str, Any]) -> None:
        """Let each app built on the register add its own demo content (``<app>/demo.py: load_demo``), once."""
        from django.utils import timezone

        from entraide.api_urls import FEATURE_APPS

        for app in FEATURE_APPS:
            try:
                module = importlib.import_module(f"entraide.{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"entraide.{app}.demo":
                    raise
                continue
            result = module.load_demo(now=timezone.now(), users=users)
            if result:
                self.stdout.write(f"{app}: {result}")

    @staticmethod
    def options_host(options: dict[str, Any]) -> str:
        host = options["host"]
        return "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104 - only displayed

    def _reset(self) -> None:
        database = settings.DATABASES["default"]
        connections.close_all()
        if database["ENGINE"] == "django.db.backends.sqlite3":
            for suffix in ("", "-wal", "-shm"):
                path = f"{database['NAME']}{suffix}"
                if os.path.exists(path):
                    os.remove(path)
        else:
            call_command("flush", interactive=False, verbosity=0)
        shutil.rmtree(settings.MEDIA_ROOT / "cases", ignore_errors=True)
        self.stdout.write("Demo database and documents deleted.")

    def _print_users(self, url: str) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Entraide demo: {url}"))
        self.stdout.write(f"Every demo user's password is {DEMO_PASSWORD!r} (demonstration data only).")
        self.stdout.write("")
        self.stdout.write(f"  {'user':<12} {'role':<40} {'name'}")
        for spec in DEMO_USERS:
            self.stdout.write(f"  {spec.username:<12} {spec.description:<40} {spec.first_name} {spec.last_name}")
        self.stdout.write("")

    def _serve(self, host: str, port: int) -> None:
        from waitress import serve

        os.environ["ENTRAIDE_DEMO"] = "1"
        settings.ENTRAIDE_DEMO = True
        from entraide.wsgi import application

        consumer = self._start_worker()
        self.stdout.write(f"Serving on http://{host}:{port}/ — press Ctrl+C to stop.")
        try:
            serve(application, host=host, port=port, threads=8, ident="entraide")
        except OSError as exc:
            raise CommandError(f"Cannot serve on {host}:{port}: {exc}. Try --port {port + 1}.") from exc
        except KeyboardInterrupt:
            pass
        finally:
            # A second Ctrl+C (uv may pass the signal on too) must not interrupt the shutdown.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            with contextlib.suppress(KeyboardInterrupt):
                consumer.stop()
            self.stdout.write("Stopped.")

    def _start_worker(self) -> Any:
        """Run the background worker in this process, so the demo's clocks, reminders and e-mail work too."""
        from huey.contrib.djhuey import HUEY

        if "ENTRAIDE_EMAIL_BACKEND" not in os.environ and "ENTRAIDE_SMTP_HOST" not in os.environ:
            settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
            self.stdout.write(f"E-mail: no SMTP server configured, messages are written to {settings.EMAIL_FILE_PATH}/")
        consumer = HUEY.create_consumer(workers=1, worker_type="thread", periodic=True)
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        consumer.start()
        for sig, handler in handlers.items():  # huey takes Ctrl+C for itself; give it back to the server
            signal.signal(sig, handler)
        self.stdout.write("Background worker started (clocks, reminders, e-mail).")
        return consumer
