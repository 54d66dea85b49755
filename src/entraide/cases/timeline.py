"""Timeline sentences, rendered in the reader's language from each event's verb and parameters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from entraide.cases import choices as c
from entraide.cases.catalogue import MeasureType
from entraide.core.choices import Channel


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def describe(event: Any, rule_names: Mapping[str, str] | None = None) -> str:
    """``rule_names``: the deadline rules' names by code (``rule_names(events)``), to look none up one by one."""
    p = dict(event.params or {})
    verb = event.verb
    case = event.case
    if verb == "registered":
        return _("Registered as {reference}").format(reference=p.get("reference", ""))
    if verb == "transition":
        lc = case.lifecycle
        return _("Status changed from “{source}” to “{target}”").format(
            source=lc.label(p.get("source", "")), target=lc.label(p.get("target", ""))
        )
    if verb == "assigned":
        return _("Assigned to {officer}").format(officer=p.get("officer", ""))
    if verb == "reassigned":
        return _("Reassigned from {previous} to {officer}").format(
            previous=p.get("previous", ""), officer=p.get("officer", "")
        )
    if verb == "updated":
        return _("Details changed: {fields}").format(fields=", ".join(p.get("fields", [])))
    if verb == "offence_added":
        return _("Offence added: {description}").format(description=p.get("description", ""))
    if verb == "offence_removed":
        return _("Offence removed: {description}").format(description=p.get("description", ""))
    if verb == "subject_added":
        return _("Subject added: {name} ({role})").format(
            name=p.get("name", ""), role=_label(c.SubjectRole, p.get("role", ""))
        )
    if verb == "subject_updated":
        return _("Subject changed: {name}").format(name=p.get("name", ""))
    if verb == "subject_removed":
        return _("Subject removed: {name}").format(name=p.get("name", ""))
    if verb == "identifier_added":
        return _("Identifier added to {name}: {type}").format(
            name=p.get("name", ""), type=_label(c.IdentifierType, p.get("type", ""))
        )
    if verb == "measure_added":
        return _("Measure requested: {measure}").format(measure=_label(MeasureType, p.get("type", "")))
    if verb == "measure_updated":
        return _("Measure details changed: {measure}").format(measure=_label(MeasureType, p.get("type", "")))
    if verb == "measure_status":
        return _("Measure “{measure}”: {source} → {target}").format(
            measure=_label(MeasureType, p.get("type", "")),
            source=_label(c.MeasureStatus, p.get("source", "")),
            target=_label(c.MeasureStatus, p.get("target", "")),
        )
    if verb == "document_added":
        return _("Document filed: {title}").format(title=p.get("title", ""))
    if verb == "document_version":
        return _("New version {version} of {title}").format(version=p.get("version", ""), title=p.get("title", ""))
    if verb == "communication":
        return _("Communication logged ({channel}, {direction})").format(
            channel=_label(Channel, p.get("channel", "")), direction=_label(c.CommDirection, p.get("direction", ""))
        )
    if verb == "linked":
        # The other matter's reference is not named: the reader may not be allowed to see it. The links
        # section of the case page lists the linked matters the reader may see.
        return _("Linked to another matter: {kind}").format(kind=_label(c.LinkKind, p.get("kind", "")))
    if verb == "access_granted":
        return _("Access granted to {user}").format(user=p.get("user", ""))
    if verb == "access_revoked":
        return _("Access revoked for {user}").format(user=p.get("user", ""))
    if verb == "deadline_started":
        return _("Deadline started: {rule}").format(rule=_rule_name(p.get("rule", ""), rule_names))
    if verb == "deadline_met":
        return _("Deadline met: {rule}").format(rule=_rule_name(p.get("rule", ""), rule_names))
    if verb == "deadline_paused":
        return _("Deadline paused: {rule}").format(rule=_rule_name(p.get("rule", ""), rule_names))
    if verb == "deadline_resumed":
        return _("Deadline resumed: {rule}").format(rule=_rule_name(p.get("rule", ""), rule_names))
    if verb == "deadline_extended":
        return _("Deadline extended by {days} days: {rule}").format(
            days=p.get("days", ""), rule=_rule_name(p.get("rule", ""), rule_names)
        )
    if verb == "waiting":
        return _("Marked as waiting on others")
    if verb == "not_waiting":
        return _("No longer waiting on others")
    from entraide.core.extensions import describe_event  # the apps built on the register describe their own events

    return describe_event(event) or verb


def rule_names(events: Iterable[Any], known: Iterable[Any] = ()) -> dict[str, str]:
    """The names of the deadline rules these events mention, in one query; none if ``known`` (deadlines loaded
    with their rule, as the case page has them) names them all."""
    from entraide.cases.models import DeadlineRule

    codes = {(e.params or {}).get("rule") for e in events if e.verb.startswith("deadline_")} - {None}
    names = {deadline.rule.code: deadline.rule.display_name for deadline in known if deadline.rule.code in codes}
    missing = codes - set(names)
    if missing:
        names.update({rule.code: rule.display_name for rule in DeadlineRule.objects.filter(code__in=missing)})
    return names


def _rule_name(code: str, names: Mapping[str, str] | None = None) -> str:
    from entraide.cases.models import DeadlineRule

    if names is not None:
        return names.get(code, code)
    rule = DeadlineRule.objects.filter(code=code).first()
    return rule.display_name if rule else code
