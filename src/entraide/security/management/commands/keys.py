"""``entraide keys``: the master key that wraps every document's data key.

- ``generate`` prints a new master key (base64), for ENTRAIDE_MASTER_KEY_FILE.
- ``status`` counts the stored files by the master key that wraps them (``plain``: written before encryption).
- ``rotate`` puts every stored file, and every sealed secret, under one master key: ``--new-key-file`` names it
  (offline rotation), otherwise the current ENTRAIDE_MASTER_KEY (after moving the old one to
  ENTRAIDE_PREVIOUS_MASTER_KEYS). Plain files are encrypted on the way. It can be run again after an interruption.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from entraide.audit import log as audit
from entraide.core.env import ConfigurationError
from entraide.security import conf, crypto, storage


def rotate(new: crypto.MasterKey | None = None) -> Counter[str]:
    ring = crypto.keyring()
    target = new or ring.current
    ring = crypto.Keyring(ring.current, {**ring.by_id, target.id: target})
    done: Counter[str] = Counter()
    backend = storage.default()
    for name in backend.stored_names():
        done[storage.bring_under(name, ring, target, backend)] += 1
    from entraide.security.models import reseal_secrets

    done["secrets resealed"] = reseal_secrets(ring, target)
    with transaction.atomic():
        audit.record("keys.rotate", actor=None, object_type="master_key", object_id=target.id_hex, after=dict(done))
    return done


class Command(BaseCommand):
    help = "Master key tools: generate, status, rotate (see docs/security.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("operation", choices=["generate", "status", "rotate"])
        parser.add_argument("--new-key-file", type=Path, help="rotate: the new master key (from `keys generate`)")

    def handle(self, *args: Any, **options: Any) -> None:
        operation = options["operation"]
        if operation == "generate":
            self.stdout.write(crypto.generate_key_text())
            return
        try:
            ring = crypto.keyring()
        except ConfigurationError as exc:
            raise CommandError(str(exc)) from exc
        if operation == "status":
            backend = storage.default()
            states = Counter(storage.file_state(name, backend) for name in backend.stored_names())
            self.stdout.write(f"Current master key: {ring.current.id_hex}")
            for state, count in sorted(states.items()):
                label = "written before encryption" if state == "plain" else f"under master key {state}"
                self.stdout.write(f"  {count} file(s) {label}")
            return
        new = None
        if options["new_key_file"]:
            try:
                new = crypto.parse_key(options["new_key_file"].read_text(), name=str(options["new_key_file"]))
            except (OSError, ConfigurationError) as exc:
                raise CommandError(str(exc)) from exc
        try:
            done = rotate(new)
        except crypto.CryptoError as exc:
            raise CommandError(f"Rotation stopped: {exc}. Files done so far stay readable; run it again.") from exc
        target = new or ring.current
        dev_file = conf.development_key_path()
        if new and not conf.master_key_value() and dev_file.exists():
            # Development: the generated key file is the configuration; keep the old one beside it.
            dev_file.with_name(f"master.key.old-{ring.current.id_hex}").write_text(dev_file.read_text())
            dev_file.write_text(options["new_key_file"].read_text())
            self.stdout.write(f"Development key file {dev_file} now holds the new key.")
        summary = ", ".join(f"{n} {what}" for what, n in sorted(done.items()))
        self.stdout.write(self.style.SUCCESS(f"Everything is under master key {target.id_hex}: {summary}."))
        if new and conf.master_key_value():
            self.stdout.write(
                "Now set ENTRAIDE_MASTER_KEY (or its _FILE) to the new key and restart; keep the old key in "
                "ENTRAIDE_PREVIOUS_MASTER_KEYS until backups made with it have expired."
            )
