"""Loading the shipped deadline rules (``cases/data/deadline_rules.json``) into ``DeadlineRule``.

The rules are data with their source (design principle 4). Loading is idempotent, like the directory's
loaders: a rule is matched by its code; missing rules are created, existing ones are left as an administrator
edited them unless ``update`` is given (even then ``active`` stays as it was set). A rule tied to an
instrument whose party list is known, and which does not list this country (``ENTRAIDE_COUNTRY``), is created
inactive.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from entraide.cases import choices as c
from entraide.cases.lifecycles import LIFECYCLES
from entraide.cases.models import DeadlineRule
from entraide.directory.loaders import LoadResult
from entraide.directory.models import Instrument

DEADLINE_RULES_FILE = Path(__file__).resolve().parent / "data" / "deadline_rules.json"
# Fields a rule of the file may give, with the value when it does not.
DEFAULTS: dict[str, Any] = {
    "name_fr": "",
    "name_ar": "",
    "kinds": [],
    "direction": "",
    "anchor": "event",
    "day_count": "calendar",
    "repeat": False,
    "stop_statuses": [],
}
FIELDS = ("name", "days", "trigger", "source", *DEFAULTS)


def _states(direction: str) -> set[str]:
    prefixes = ("incoming_", "outgoing_") if not direction else (f"{direction}_",)
    return {s for code, lc in LIFECYCLES.items() if code.startswith(prefixes) for s in lc.states}


def validate_rule(item: dict[str, Any]) -> list[str]:
    """What is wrong with one rule of the file (empty when it is sound)."""
    problems: list[str] = []
    code = item.get("code") or "?"
    missing = [f for f in ("code", "name", "trigger", "days", "source") if item.get(f) in (None, "")]
    if missing:
        return [f"{code}: missing {', '.join(missing)}"]
    direction = item.get("direction") or ""
    if direction and direction not in c.Direction.values:
        problems.append(f"{code}: unknown direction {direction!r}")
        direction = ""
    unknown_kinds = set(item.get("kinds") or []) - set(c.Kind.values)
    if unknown_kinds:
        problems.append(f"{code}: unknown kinds {sorted(unknown_kinds)}")
    states = _states(direction)
    trigger = item["trigger"]
    if trigger != "registered" and not (trigger.startswith("status:") and trigger[7:] in states):
        problems.append(f"{code}: trigger must be 'registered' or 'status:<state>', not {trigger!r}")
    unknown_states = set(item.get("stop_statuses") or []) - states
    if unknown_states:
        problems.append(f"{code}: unknown stop statuses {sorted(unknown_states)}")
    if item.get("anchor", "event") not in {"event", "received_on", "sent_on"}:
        problems.append(f"{code}: unknown anchor {item.get('anchor')!r}")
    if item.get("day_count", c.DayCount.CALENDAR) not in c.DayCount.values:
        problems.append(f"{code}: unknown day count {item.get('day_count')!r}")
    if not isinstance(item["days"], int) or item["days"] < 1:
        problems.append(f"{code}: days must be a positive integer")
    return problems


def _applies_here(instrument: Instrument | None) -> bool:
    if instrument is None or not instrument.parties_known:
        return True
    return instrument.parties.filter(code=settings.ENTRAIDE_COUNTRY).exists()


@transaction.atomic
def load_deadline_rules(path: Path | None = None, *, update: bool = False) -> LoadResult:
    """Create the rules of the file that are missing; with ``update``, bring the others back to the file."""
    source = path or DEADLINE_RULES_FILE
    rules = json.loads(source.read_text(encoding="utf-8"))["rules"]
    problems = [p for item in rules for p in validate_rule(item)]
    codes = [item["code"] for item in rules]
    problems += [f"{code}: appears twice" for code in sorted({x for x in codes if codes.count(x) > 1})]
    if problems:
        raise ValueError("Deadline rules not loaded:\n" + "\n".join(problems))
    result = LoadResult("deadline rules")
    existing = DeadlineRule.objects.in_bulk(codes, field_name="code")
    for item in rules:
        instrument = Instrument.objects.filter(code=item["instrument"]).first() if item.get("instrument") else None
        values = {name: item.get(name, DEFAULTS.get(name)) for name in FIELDS}
        values["direction"] = values["direction"] or ""
        values["instrument"] = instrument
        rule = existing.get(item["code"])
        if rule is None:
            DeadlineRule.objects.create(code=item["code"], active=_applies_here(instrument), **values)
            result.created += 1
            continue
        # Without ``update``, only what cannot lose an edit: the instrument, once the directory has it.
        changes = values if update else ({"instrument": instrument} if rule.instrument_id is None else {})
        changes = {k: v for k, v in changes.items() if getattr(rule, k) != v}
        if not changes:
            result.unchanged += 1
            continue
        if "instrument" in changes and not _applies_here(instrument):
            rule.active = False  # newly tied to a treaty this country is not a party to
        for name, value in changes.items():
            setattr(rule, name, value)
        rule.save()
        result.updated += 1
    return result
