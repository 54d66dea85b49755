"""The channel advisor: for a measure, a country and a purpose, formal request or informal channel, and why.

Its rules are data (``ChannelRule``, editable in the admin, loaded from ``data/channel_rules.json``); the
country's known requirements come from the directory's country profile."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import translation

from entraide.cases.catalogue import DEFINITIONS
from entraide.informal.models import ChannelRule, Verdict

RULES_FILE = Path(__file__).resolve().parent / "data" / "channel_rules.json"
# A formal request outweighs the informal channel when two rules apply.
STRENGTH = {Verdict.FORMAL: 3, Verdict.INFORMAL_THEN_FORMAL: 2, Verdict.INFORMAL: 1}


@dataclass
class Advice:
    verdict: str
    reasons: list[dict[str, str]] = field(default_factory=list)  # {"code", "text", "source"}
    watch: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    country_requirements: list[str] = field(default_factory=list)
    country_source: str = ""


def _text(values: dict[str, str]) -> str:
    language = (translation.get_language() or "en")[:2]
    return values.get(language) or values.get("en") or next(iter(values.values()), "")


def applies(rule: ChannelRule, *, measure: str, country: str, purpose: str) -> bool:
    definition = DEFINITIONS.get(measure)
    if rule.measures and measure not in rule.measures:
        return False
    if rule.coercive is not None and (definition is None or definition.coercive != rule.coercive):
        return False
    if rule.purposes and purpose not in rule.purposes:
        return False
    return not (rule.countries and country.upper() not in [c.upper() for c in rule.countries])


def advise(*, measure: str, country: str, purpose: str) -> Advice:
    rules = [r for r in ChannelRule.objects.filter(active=True) if applies(r, measure=measure, country=country,
                                                                             purpose=purpose)]  # fmt: skip
    specific = [r for r in rules if r.code != "default-formal"] or rules
    verdict = max((r.verdict for r in specific), key=lambda v: STRENGTH.get(Verdict(v), 0), default=Verdict.FORMAL)
    advice = Advice(verdict=verdict)
    for rule in specific:
        advice.reasons.append({"code": rule.code, "text": _text(rule.reason), "source": rule.source})
        if rule.watch:
            advice.watch.append(_text(rule.watch))
        if rule.verdict != Verdict.FORMAL:
            advice.channels.extend(c for c in rule.channels if c not in advice.channels)
    _country(advice, country, measure)
    return advice


def _country(advice: Advice, code: str, measure: str) -> None:
    from django.utils.translation import gettext as _

    from entraide.directory.models import CountryProfile

    profile = CountryProfile.objects.filter(country_id=code.upper()).first()
    if profile is None:
        advice.country_requirements.append(_("The directory has no requirement profile for this country."))
        return
    definition = DEFINITIONS.get(measure)
    if profile.dual_criminality_required and definition is not None and definition.coercive:
        advice.country_requirements.append(_("Dual criminality is required for coercive measures."))
    if profile.originals_required:
        advice.country_requirements.append(_("Signed originals are required."))
    if profile.certification_required:
        advice.country_requirements.append(_("Certified or authenticated documents are required."))
    if profile.notes:
        advice.country_requirements.append(profile.notes)
    advice.country_source = profile.source


def load_rules(apps: Any = None, schema_editor: Any = None) -> int:
    """Create or update the shipped rules (by code); rules added by users are left alone."""
    model = apps.get_model("informal", "ChannelRule") if apps is not None else ChannelRule
    count = 0
    for item in json.loads(RULES_FILE.read_text(encoding="utf-8")):
        data = dict(item)
        code = data.pop("code")
        model.objects.update_or_create(code=code, defaults=data)
        count += 1
    return count
