"""Timeline sentences for the events this app writes on a matter, in the reader's language."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from entraide.execution import choices as x


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _date(value: Any) -> str:
    try:
        return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
    except ValueError:
        return str(value or "")


def describe(event: Any) -> str | None:
    p = dict(event.params or {})
    verb = event.verb
    task = p.get("task", "")
    if verb == "execution_task":
        return _("Execution task {task} given to {authority}").format(task=task, authority=p.get("authority", ""))
    if verb == "execution_task_reassigned":
        return _("Execution task {task} reassigned from {previous} to {authority}").format(
            task=task, previous=p.get("previous", ""), authority=p.get("authority", "")
        )
    if verb == "execution_task_status":
        return _("Execution task {task}: {status}").format(task=task, status=_label(x.TaskStatus, p.get("target", "")))
    if verb == "execution_task_question":
        return _("Question from the executing authority on {task}").format(task=task)
    if verb == "execution_task_answer":
        return _("Answer to the executing authority on {task}").format(task=task)
    if verb == "execution_task_result":
        if p.get("late"):
            return _("Result returned on {task} after the deadline: {name}").format(task=task, name=p.get("name", ""))
        return _("Result returned on {task}: {name}").format(task=task, name=p.get("name", ""))
    if verb == "execution_task_deadline_extended":
        days = int(p.get("days") or 0)
        return ngettext(
            "Execution task {task} was on hold {days} day: its deadline moves to {due}",
            "Execution task {task} was on hold {days} days: its deadline moves to {due}",
            days,
        ).format(task=task, days=days, due=_date(p.get("due_on")))
    if verb == "execution_task_escalated":
        return _("Execution task {task} {days} days late: escalated to the head").format(
            task=task, days=p.get("days", "")
        )
    if verb == "admissibility_assessed":
        return _("Admissibility checklist updated ({count} items)").format(count=len(p.get("items", [])))
    if verb == "consultation":
        return _("Consultation of the requesting State recorded")
    if verb == "admissibility_decision":
        return _("Decision on the request: {decision}").format(decision=_label(x.DecisionKind, p.get("kind", "")))
    if verb == "execution_letter":
        if p.get("asked"):
            return _("Letter filed: {title} ({language}; no letter text in {asked})").format(
                title=p.get("title", ""), language=p.get("language", ""), asked=p.get("asked", "")
            )
        return _("Letter filed: {title} ({language})").format(title=p.get("title", ""), language=p.get("language", ""))
    if verb == "evidence_added":
        return _("Evidence recorded: {description} (seal {seal})").format(
            description=p.get("description", ""), seal=p.get("seal", "")
        )
    if verb == "evidence_returned":
        if p.get("partial"):
            return _("Evidence returned (partial return {number}, {items} items)").format(
                number=p.get("number", ""), items=p.get("items", "")
            )
        return _("Evidence returned (return {number}, {items} items)").format(
            number=p.get("number", ""), items=p.get("items", "")
        )
    if verb == "disclosure_notified":
        return _("{person} notified, the requesting State having been told").format(person=p.get("person", ""))
    if verb == "execution_challenge":
        return _("Challenge recorded on {task}").format(task=task)
    if verb == "execution_challenge_outcome":
        return _("Challenge on {task}: {outcome}").format(
            task=task, outcome=_label(x.ChallengeOutcome, p.get("outcome", ""))
        )
    return None
