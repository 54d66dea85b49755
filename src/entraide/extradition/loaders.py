"""Loading the shipped clock rules (``extradition/data/clock_rules.json``) into ``ClockRule``.

Idempotent like ``cases.loaders``: a rule is matched by its code; missing rules are created; existing ones are
left as an administrator edited them unless ``update`` is given (``active`` stays as it was set).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from entraide.cases import choices as cc
from entraide.directory.loaders import LoadResult
from entraide.extradition import choices as c

CLOCK_RULES_FILE = Path(__file__).resolve().parent / "data" / "clock_rules.json"
DEFAULTS: dict[str, Any] = {
    "name_fr": "",
    "name_ar": "",
    "direction": "",
    "instrument_code": "",
    "country_code": "",
    "unit": c.Unit.DAYS.value,
    "day_count": cc.DayCount.CALENDAR.value,
    "repeat": False,
}
FIELDS = ("name", "clock", "amount", "source", *DEFAULTS)


def validate_rule(item: dict[str, Any]) -> list[str]:
    code = item.get("code") or "?"
    missing = [f for f in ("code", "name", "clock", "amount", "source") if item.get(f) in (None, "")]
    if missing:
        return [f"{code}: missing {', '.join(missing)}"]
    problems = []
    if item["clock"] not in c.Clock.values:
        problems.append(f"{code}: unknown clock {item['clock']!r}")
    if item.get("unit", "days") not in c.Unit.values:
        problems.append(f"{code}: unknown unit {item.get('unit')!r}")
    if item.get("day_count", "calendar") not in cc.DayCount.values:
        problems.append(f"{code}: unknown day count {item.get('day_count')!r}")
    if (item.get("direction") or "") not in {"", *cc.Direction.values}:
        problems.append(f"{code}: unknown direction {item.get('direction')!r}")
    if not isinstance(item["amount"], int) or item["amount"] < 1:
        problems.append(f"{code}: amount must be a positive integer")
    return problems


@transaction.atomic
def load_clock_rules(path: Path | None = None, *, update: bool = False, model: Any = None) -> LoadResult:
    """Create the rules of the file that are missing; with ``update``, bring the others back to the file.

    ``model`` lets a data migration pass its historical model.
    """
    if model is None:
        from entraide.extradition.models import ClockRule as model
    rules = json.loads((path or CLOCK_RULES_FILE).read_text(encoding="utf-8"))["rules"]
    problems = [p for item in rules for p in validate_rule(item)]
    codes = [item["code"] for item in rules]
    problems += [f"{code}: appears twice" for code in sorted({x for x in codes if codes.count(x) > 1})]
    if problems:
        raise ValueError("Clock rules not loaded:\n" + "\n".join(problems))
    result = LoadResult("extradition clock rules")
    existing = model.objects.in_bulk(codes, field_name="code")
    for item in rules:
        values = {name: item.get(name, DEFAULTS.get(name)) for name in FIELDS}
        rule = existing.get(item["code"])
        if rule is None:
            model.objects.create(code=item["code"], active=item.get("active", True), **values)
            result.created += 1
            continue
        changes = {k: v for k, v in values.items() if getattr(rule, k) != v} if update else {}
        if not changes:
            result.unchanged += 1
            continue
        for name, value in changes.items():
            setattr(rule, name, value)
        rule.save()
        result.updated += 1
    return result
