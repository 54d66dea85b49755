"""Timeline sentences for the events this app writes on a matter, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from entraide.extradition import choices as x


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _state(choices: Any, value: str) -> str:
    if value in ("asked", "requested"):
        return _("asked")
    return _label(choices, value)


def describe(event: Any) -> str | None:
    p = dict(event.params or {})
    verb = event.verb
    if verb == "extradition_arrest":
        return _("Arrest of {person} recorded").format(person=p.get("person", ""))
    if verb == "extradition_formal_request":
        if p.get("late"):
            return _("Formal extradition request recorded, after its time limit")
        return _("Formal extradition request recorded")
    if verb == "extradition_step":
        return _("Judicial phase: {step}").format(step=_label(x.StepKind, p.get("step", "")))
    if verb == "extradition_status_update":
        return _("Status update sent to the counterpart")
    if verb == "extradition_status_letter":
        return _("Status letter generated")
    if verb == "extradition_assurance":
        return _("Assurance: {kind} ({state})").format(
            kind=_label(x.AssuranceKind, p.get("kind", "")), state=_state(x.Assessment, p.get("state", ""))
        )
    if verb == "extradition_speciality":
        return _("Consent: {kind} ({state})").format(
            kind=_label(x.ConsentKind, p.get("kind", "")), state=_state(x.Decision, p.get("state", ""))
        )
    if verb == "extradition_grounds":
        return _("Review of the grounds for refusal updated")
    if verb == "extradition_logistics":
        return _("Surrender logistics updated")
    if verb == "extradition_competing":
        if p.get("state"):
            return _("Competing request: {decision}").format(decision=_label(x.CompetingDecision, p["state"]))
        return _("Competing request recorded")
    if verb == "extradition_register_corrected":
        register = {"assurance": _("an assurance"), "consent": _("a request for consent")}.get(
            p.get("register", ""), _("a competing request")
        )
        return _("Correction of {entry}").format(entry=register)
    if verb == "clock_cancelled":
        return _("Clock cancelled")
    return None
