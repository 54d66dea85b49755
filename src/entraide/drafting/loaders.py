"""Load the drafting rules shipped in ``drafting/data/rules.json`` into ``DraftRule``.

Idempotent: rules already present are left alone, so that an administrator's edits survive a reload, unless
``update=True``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

DATA = Path(__file__).resolve().parent / "data" / "rules.json"
FIELDS = (
    "severity",
    "condition",
    "params",
    "kinds",
    "countries",
    "instruments",
    "section",
    "source",
    "message",
    "message_fr",
    "message_ar",
)


def shipped_rules() -> list[dict[str, Any]]:
    with DATA.open(encoding="utf-8") as handle:
        return list(json.load(handle)["rules"])


@transaction.atomic
def load_rules(model: Any = None, *, update: bool = False) -> tuple[int, int]:
    """Returns (created, updated). ``model`` lets a migration pass its historical model."""
    if model is None:
        from entraide.drafting.models import DraftRule as model
    created = updated = 0
    for entry in shipped_rules():
        values = {key: entry.get(key, [] if key in {"kinds", "countries", "instruments"} else "") for key in FIELDS}
        values["params"] = entry.get("params") or {}
        existing = model.objects.filter(code=entry["code"]).first()
        if existing is None:
            model.objects.create(code=entry["code"], **values)
            created += 1
        elif update:
            for key, value in values.items():
                setattr(existing, key, value)
            existing.save()
            updated += 1
    return created, updated
