"""Demonstration content of the execution app, added by ``entraide demo`` after the register's demo
(``load_demo(now, users)``), once: execution tasks on accepted incoming requests — one for the demo executing
authority (user ``executor``), one for a court, one of them late — with a question, a result and its chain of
custody, and an admissibility review in progress."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from entraide.cases.models import Case
from entraide.directory.models import AuthorityKind
from entraide.execution import actions
from entraide.execution.models import ExecutionTask


def _court() -> Any:
    from entraide.cases.demo import national_authority

    return national_authority(AuthorityKind.COURT)


@transaction.atomic
def load_demo(now: datetime, users: dict[str, Any]) -> str:
    """Returns what was added, or "" when there was nothing to add."""
    executor, head = users.get("executor"), users.get("head")
    if executor is None or head is None or executor.authority_id is None or ExecutionTask.objects.exists():
        return ""
    today = now.date()
    incoming = Case.objects.filter(direction="incoming", kind="mla", officer__isnull=False)
    tasks = 0
    # Only matters the executing authority's user is cleared for: a task above it could not be given to them.
    taskable = incoming.filter(status__in=sorted(actions.TASKABLE_STATES), confidentiality__lte=executor.clearance)
    for case in taskable.order_by("id")[:4]:
        officer = case.officer
        if officer is None:
            continue
        for index, measure in enumerate(case.measures.all()[:2]):
            authority = executor.authority if index == 0 else _court()
            due = today + timedelta(days=20 if tasks % 3 else 45)
            task = actions.create_task(
                case,
                actor=officer,
                authority=authority,
                measure=measure,
                title=str(measure.get_type_display())[:255],
                instructions=(measure.description or str(measure.get_type_display()))
                + "\n\nReturn certified copies, with their seal numbers where items are seized.",
                due_on=due,
            )
            tasks += 1
            if index == 0 and tasks == 1:
                actions.ask_question(task, actor=executor, text="Which period must the records cover?")
                actions.add_result(
                    task,
                    SimpleUploadedFile("first-results.txt", b"Demonstration result: records of the first quarter.\n"),
                    actor=executor,
                    description="Records of the first quarter",
                )
                actions.report_progress(task, actor=executor, text="First quarter obtained; the rest is requested.")
            if tasks == 2:
                # A late task, so that the reminders and the escalation have something to show.
                ExecutionTask.objects.filter(pk=task.pk).update(due_on=today - timedelta(days=8))
    reviewing = incoming.filter(status="under_review").order_by("id").first()
    reviewed = 0
    if reviewing is not None and reviewing.officer is not None:
        actions.save_assessments(
            reviewing,
            actor=reviewing.officer,
            items={
                "authority": ("met", ""),
                "subject_matter": ("met", ""),
                "facts": ("met", "Two pages of facts"),
                "purpose": ("not_met", "The purpose of the bank records is not stated"),
                "dual_criminality": ("does_not_apply", "Fraud is an offence here too"),
            },
        )
        reviewed = 1
    if not tasks and not reviewed:
        return ""
    return f"{tasks} execution tasks, {reviewed} admissibility review in progress"
