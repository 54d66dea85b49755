"""Every change to execution tasks and to the admissibility review goes through one of these functions.

Each is atomic, takes the acting user as keyword-only ``actor``, checks that the actor may do it, refuses with a
clear message (``ActionError``) and writes its audit record, and a timeline event on the matter, in the same
transaction. What a national executing authority does is recorded on the matter's timeline too, though that
authority never sees the matter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from entraide.accounts.models import Role, User
from entraide.audit import log as audit
from entraide.cases import actions as case_actions
from entraide.cases import choices as cc
from entraide.cases.models import Case, Deadline, DeadlineRule, Event, Measure, ReferenceCounter
from entraide.cases.queries import can_work_on
from entraide.cases.uploads import check_upload
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.directory.models import Authority
from entraide.execution import checklist
from entraide.execution import choices as x
from entraide.execution.models import (
    AdmissibilityItem,
    Challenge,
    Consultation,
    CustodyEvent,
    Decision,
    DisclosureDuty,
    EvidenceItem,
    ExecutionTask,
    ReturnPackage,
    StatusSchedule,
    TaskEntry,
    TaskResult,
)
from entraide.execution.queries import can_manage_tasks, can_report
from entraide.notifications.actions import notify
from entraide.notifications.models import Level

# States of an incoming matter in which its measures may be given to executing authorities.
TASKABLE_STATES = {"accepted", "in_execution"}
# Late tasks: a reminder to the executing authority every REMINDER_INTERVAL_DAYS, then, after REMINDERS_BEFORE
# _ESCALATION reminders, the head of the Central Authority is told.
REMINDER_INTERVAL_DAYS = 3
REMINDERS_BEFORE_ESCALATION = 2
CA_STAFF = {Role.HEAD, Role.OFFICER, Role.CLERK}
# Clocks a request for supplementary information does not pause: a preservation period runs on regardless (Budapest
# art. 29(7); any rule whose code names "preservation"), and so does the notice owed before notifying a person.
CLOCKS_THAT_KEEP_RUNNING = ("execution-disclosure-notice",)
# States from which a request being executed may be postponed (UNTOC art. 18(25)), after a consultation (18(26)).
POSTPONABLE_STATES = {"accepted", "in_execution"}
# The steps of an incoming MLA matter the admissibility review takes over (``apps.py`` registers the claim): the
# decisions (accept, refuse, postpone, ask for information), the return to the review when the answer arrives,
# which resumes the clocks the request paused, and resuming a postponed execution, which tells the executing
# authorities. ``cases.actions.transition`` refuses them unless taken here.
OWNER_KEY = "execution"
CLAIMED_STEPS = frozenset(
    {
        ("under_review", "accepted"),
        ("under_review", "refused"),
        ("under_review", "postponed"),
        ("under_review", "awaiting_information"),
        ("awaiting_information", "under_review"),
        *((state, "postponed") for state in POSTPONABLE_STATES),
        ("postponed", "in_execution"),
    }
)


def claims_step(case: Any, target: str) -> bool:
    """Whether the step of ``case`` to ``target`` is taken only through the admissibility review's decisions."""
    return (
        case.direction == cc.Direction.INCOMING
        and case.kind not in cc.EXTRADITION_KINDS
        and (case.status, target) in CLAIMED_STEPS
    )


def _event(case: Case, verb: str, *, actor: User | None, reason: str = "", **params: Any) -> Event:
    return Event.objects.create(case=case, actor=actor, verb=verb, params=params, reason=reason)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def task_url(task: ExecutionTask) -> str:
    return reverse("execution:task", args=[task.pk])


def authority_users(authority_id: int | None) -> list[User]:
    if authority_id is None:
        return []
    return list(User.objects.filter(role=Role.EXECUTING, authority_id=authority_id, is_active=True))


def _next_task_reference(year: int) -> str:
    prefix = f"EXEC/{year}/"
    return ReferenceCounter.reserve(
        prefix,
        lambda seq: f"{prefix}{seq:05d}",
        lambda reference: ExecutionTask.objects.filter(reference=reference).exists(),
    )


def _check_authority(authority: Any) -> None:
    if not isinstance(authority, Authority):
        raise ActionError(_("Choose the executing authority."), fields={"authority": _("Required.")})
    if authority.country_id != settings.ENTRAIDE_COUNTRY:
        raise ActionError(
            _("A task is given to an authority of this country; “{authority}” is a foreign authority.").format(
                authority=authority
            ),
            fields={"authority": _("Not an authority of this country.")},
        )
    if not authority.active:
        raise ActionError(_("This authority is no longer active."), fields={"authority": _("Inactive.")})


def _check_cleared(authority: Authority, case: Case) -> None:
    """Its users see a task only up to their clearance: a task none of them could open would sit unseen."""
    users = User.objects.filter(role=Role.EXECUTING, authority=authority, is_active=True)
    if users.exists() and not users.filter(clearance__gte=case.confidentiality).exists():
        raise ActionError(
            _(
                "No user of “{authority}” is cleared for this matter's confidentiality: they could not see the task."
            ).format(authority=authority),
            fields={"authority": _("No user cleared.")},
        )


def _check_due(due_on: Any) -> None:
    if not isinstance(due_on, date):
        raise ActionError(_("Set a deadline."), fields={"due_on": _("Required.")})
    if due_on < timezone.localdate():
        raise ActionError(_("The deadline cannot be in the past."), fields={"due_on": _("In the past.")})


def _lock(task: ExecutionTask) -> ExecutionTask:
    return ExecutionTask.objects.select_for_update(of=("self",)).select_related("case", "authority").get(pk=task.pk)


def _end_hold(task: ExecutionTask) -> dict[str, Any]:
    """A task that closes is no longer on hold; returns what the audit record keeps of the hold (nothing if none)."""
    if task.on_hold_since is None:
        return {}
    since, task.on_hold_since = task.on_hold_since, None
    return {"on_hold_since": _iso(since)}


# --- the Central Authority gives, reassigns and cancels tasks ------------------------------------------------


@transaction.atomic
def create_task(
    case: Case,
    *,
    actor: User,
    authority: Authority,
    title: str,
    instructions: str,
    due_on: date,
    measure: Measure | None = None,
    contact: User | None = None,
) -> ExecutionTask:
    if not can_manage_tasks(actor, case):
        raise Forbidden(_("You may not give execution tasks on this matter."))
    if case.direction != cc.Direction.INCOMING:
        raise Conflict(_("Execution tasks belong to incoming requests."))
    if case.status not in TASKABLE_STATES:
        raise Conflict(
            _("Tasks are given once the request is accepted; the matter is “{state}”.").format(
                state=case.lifecycle.label(case.status)
            ),
            code="not_accepted",
        )
    _check_authority(authority)
    _check_due(due_on)
    _check_cleared(authority, case)
    errors: dict[str, Any] = {}
    if not (title or "").strip():
        errors["title"] = _("A title is required.")
    if not (instructions or "").strip():
        errors["instructions"] = _("Say what the authority must do.")
    if measure is not None and measure.case_id != case.pk:
        errors["measure"] = _("This measure belongs to another matter.")
    contact = contact or actor
    if contact.role not in CA_STAFF or not contact.is_active:
        errors["contact"] = _("The contact is a member of the Central Authority.")
    if errors:
        raise ActionError(_("The task was not saved: correct the fields marked."), fields=errors)
    task = ExecutionTask.objects.create(
        case=case,
        measure=measure,
        reference=_next_task_reference(timezone.localdate().year),
        authority=authority,
        title=title.strip()[:255],
        instructions=instructions.strip(),
        due_on=due_on,
        contact=contact,
        created_by=actor,
    )
    _event(case, "execution_task", actor=actor, task=task.reference, authority=str(authority))
    audit.record(
        "execution.task.create",
        actor=actor,
        obj=task,
        case_id=case.pk,
        after={
            "reference": task.reference,
            "authority": authority.pk,
            "measure": measure.pk if measure else None,
            "due_on": _iso(due_on),
            "contact": contact.username,
        },
    )
    if measure is not None and measure.status == cc.MeasureStatus.REQUESTED:
        case_actions.set_measure_status(measure, cc.MeasureStatus.IN_PROGRESS, actor=actor)
    notify(
        authority_users(authority.pk),
        kind="execution.task",
        message=gettext_noop("A new execution task {task} was given to your authority, due on {due}."),
        params={"task": task.reference, "due": _iso(due_on)},
        url=task_url(task),
        email=True,
    )
    return task


@transaction.atomic
def reassign_task(
    task: ExecutionTask, *, actor: User, authority: Authority, reason: str, due_on: date | None = None
) -> ExecutionTask:
    locked = _lock(task)
    if not can_manage_tasks(actor, locked.case):
        raise Forbidden(_("You may not change this task."))
    if not locked.is_open:
        raise Conflict(_("Only an open task can be reassigned."))
    _check_authority(authority)
    _check_cleared(authority, locked.case)
    if authority.pk == locked.authority_id:
        raise ActionError(_("The task is already with this authority."), fields={"authority": _("Same authority.")})
    if not reason.strip():
        raise ActionError(_("Give a reason for the reassignment."), fields={"reason": _("A reason is required.")})
    if due_on is not None:
        _check_due(due_on)
    previous = locked.authority
    before = {"authority": previous.pk, "due_on": _iso(locked.due_on), "on_hold_since": _iso(locked.on_hold_since)}
    locked.authority = authority
    if due_on is not None:
        locked.due_on = due_on
        if locked.on_hold_since is not None:
            # The new deadline is set knowing the task is on hold: only the days from now on will extend it.
            locked.on_hold_since = timezone.localdate()
    locked.status = x.TaskStatus.ASSIGNED
    locked.reminders_sent = 0
    locked.last_reminder_at = None
    locked.escalated_at = None
    locked.updated_at = timezone.now()
    locked.save()
    _event(
        locked.case,
        "execution_task_reassigned",
        actor=actor,
        reason=reason,
        task=locked.reference,
        previous=str(previous),
        authority=str(authority),
    )
    audit.record(
        "execution.task.reassign",
        actor=actor,
        obj=locked,
        case_id=locked.case_id,
        before=before,
        after={
            "authority": authority.pk,
            "due_on": _iso(locked.due_on),
            "on_hold_since": _iso(locked.on_hold_since),
            "reason": reason,
        },
    )
    notify(
        authority_users(authority.pk),
        kind="execution.task",
        message=gettext_noop(
            "A new execution task {task} was given to your authority, due on {due}. It is on hold: the Central "
            "Authority has postponed the execution of the request. Wait until you are told it resumes."
        )
        if locked.on_hold_since is not None
        else gettext_noop("A new execution task {task} was given to your authority, due on {due}."),
        params={"task": locked.reference, "due": _iso(locked.due_on)},
        url=task_url(locked),
        email=True,
    )
    notify(
        authority_users(previous.pk),
        kind="execution.task_withdrawn",
        message=gettext_noop("Execution task {task} was given to another authority."),
        params={"task": locked.reference},
        email=True,
    )
    return locked


@transaction.atomic
def cancel_task(task: ExecutionTask, *, actor: User, reason: str) -> ExecutionTask:
    locked = _lock(task)
    if not can_manage_tasks(actor, locked.case):
        raise Forbidden(_("You may not change this task."))
    if not locked.is_open:
        raise Conflict(_("Only an open task can be cancelled."))
    if not reason.strip():
        raise ActionError(_("Give a reason for the cancellation."), fields={"reason": _("A reason is required.")})
    previous = locked.status
    held = _end_hold(locked)
    locked.status = x.TaskStatus.CANCELLED
    locked.status_note = reason.strip()[:500]
    locked.finished_at = locked.updated_at = timezone.now()
    locked.save()
    _event(locked.case, "execution_task_status", actor=actor, reason=reason, task=locked.reference, target="cancelled")
    audit.record(
        "execution.task.cancel",
        actor=actor,
        obj=locked,
        case_id=locked.case_id,
        before={"status": previous, **held},
        after={"status": locked.status, "reason": reason},
    )
    notify(
        authority_users(locked.authority_id),
        kind="execution.task_cancelled",
        message=gettext_noop("Execution task {task} was cancelled by the Central Authority."),
        params={"task": locked.reference},
        url=task_url(locked),
        email=True,
    )
    return locked


# --- the executing authority reports ------------------------------------------------------------------------


def _require_report(actor: User, task: ExecutionTask) -> None:
    if not (can_report(actor, task) or can_manage_tasks(actor, task.case)):
        raise Forbidden(_("You may not report on this task."))


def _tell_central_authority(task: ExecutionTask, message: str, params: dict[str, Any], level: str = Level.INFO) -> None:
    recipients = [task.contact]
    if task.case.officer_id and task.case.officer_id != task.contact_id:
        recipients.append(task.case.officer)  # type: ignore[arg-type]
    notify(
        recipients,
        kind="execution.report",
        message=message,
        params={"task": task.reference, **params},
        case=task.case,
        url=task_url(task),
        level=level,
        email=True,
    )


@transaction.atomic
def report_progress(task: ExecutionTask, *, actor: User, text: str, status: str = "") -> ExecutionTask:
    locked = _lock(task)
    _require_report(actor, locked)
    if not locked.is_open:
        raise Conflict(_("This task is closed: “{status}”.").format(status=locked.get_status_display()))
    status = status or x.TaskStatus.IN_PROGRESS
    if status not in x.TASK_REPORTABLE:
        raise ActionError(_("Unknown status."), fields={"status": _("Unknown status.")})
    if not text.strip():
        raise ActionError(_("Describe what was done."), fields={"text": _("Required.")})
    previous = locked.status
    held: dict[str, Any] = {}
    TaskEntry.objects.create(task=locked, kind=x.EntryKind.PROGRESS, text=text.strip(), author=actor)
    locked.status = status
    locked.updated_at = timezone.now()
    if status != x.TaskStatus.IN_PROGRESS:
        locked.finished_at = locked.updated_at
        locked.status_note = text.strip()[:500]
        held = _end_hold(locked)
    locked.save()
    _event(
        locked.case,
        "execution_task_status",
        actor=actor,
        task=locked.reference,
        source=previous,
        target=status,
    )
    audit.record(
        "execution.task.progress",
        actor=actor,
        obj=locked,
        case_id=locked.case_id,
        before={"status": previous, **held},
        after={"status": status, "text": text.strip()},
    )
    if status != previous:
        _tell_central_authority(
            locked,
            gettext_noop("Execution task {task} ({authority}): {status}."),
            {"authority": str(locked.authority), "status": str(locked.get_status_display())},
        )
    return locked


@transaction.atomic
def ask_question(task: ExecutionTask, *, actor: User, text: str) -> TaskEntry:
    locked = _lock(task)
    if not can_report(actor, locked):
        raise Forbidden(_("Only the executing authority asks questions on its task."))
    if not text.strip():
        raise ActionError(_("Write the question."), fields={"text": _("Required.")})
    entry = TaskEntry.objects.create(task=locked, kind=x.EntryKind.QUESTION, text=text.strip(), author=actor)
    _event(locked.case, "execution_task_question", actor=actor, task=locked.reference)
    audit.record("execution.task.question", actor=actor, obj=entry, case_id=locked.case_id, after={"text": entry.text})
    _tell_central_authority(
        locked,
        gettext_noop("Question from {authority} on execution task {task}."),
        {"authority": str(locked.authority)},
        level=Level.WARNING,
    )
    return entry


@transaction.atomic
def answer_question(question: TaskEntry, *, actor: User, text: str) -> TaskEntry:
    locked = TaskEntry.objects.select_for_update(of=("self",)).select_related("task__case").get(pk=question.pk)
    task = locked.task
    if not can_manage_tasks(actor, task.case):
        raise Forbidden(_("You may not answer on this task."))
    if locked.kind != x.EntryKind.QUESTION:
        raise ActionError(_("Only a question can be answered."))
    if locked.answered_at is not None:
        raise Conflict(_("This question was already answered."))
    if not text.strip():
        raise ActionError(_("Write the answer."), fields={"text": _("Required.")})
    now = timezone.now()
    answer = TaskEntry.objects.create(task=task, kind=x.EntryKind.ANSWER, text=text.strip(), author=actor, at=now)
    locked.answered_at = now
    locked.save(update_fields=["answered_at"])
    _event(task.case, "execution_task_answer", actor=actor, task=task.reference)
    audit.record(
        "execution.task.answer",
        actor=actor,
        obj=answer,
        case_id=task.case_id,
        after={"question": locked.pk, "text": answer.text},
    )
    notify(
        authority_users(task.authority_id),
        kind="execution.answer",
        message=gettext_noop("The Central Authority answered your question on execution task {task}."),
        params={"task": task.reference},
        url=task_url(task),
        email=True,
    )
    return answer


@transaction.atomic
def add_result(task: ExecutionTask, upload: UploadedFile, *, actor: User, description: str = "") -> TaskResult:
    """File a result of the task. The same file twice is refused; a file after the deadline is kept, marked late."""
    locked = _lock(task)
    _require_report(actor, locked)
    if locked.status == x.TaskStatus.CANCELLED:
        raise Conflict(_("This task was cancelled: its results are no longer expected."))
    content_type = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    sha256 = digest.hexdigest()
    earlier = locked.results.filter(sha256=sha256).first()
    if earlier is not None:
        raise Conflict(
            _("This file was already returned for this task on {date} as “{name}”: nothing was added.").format(
                date=timezone.localtime(earlier.uploaded_at).strftime("%Y-%m-%d %H:%M"), name=earlier.original_name
            ),
            code="duplicate",
        )
    result = TaskResult(
        task=locked,
        description=description.strip()[:500],
        original_name=(upload.name or "result")[:255],
        content_type=content_type,
        size=upload.size or 0,
        sha256=sha256,
        uploaded_by=actor,
        late=locked.on_hold_since is None and timezone.localdate() > locked.due_on,
    )
    result.file.save(upload.name or "result", upload, save=False)
    try:
        result.save()
    except Exception:
        if result.file.name:
            result.file.storage.delete(result.file.name)
        raise
    _event(
        locked.case,
        "execution_task_result",
        actor=actor,
        task=locked.reference,
        name=result.original_name,
        late=result.late,
    )
    audit.record(
        "execution.task.result",
        actor=actor,
        obj=result,
        case_id=locked.case_id,
        after={"task": locked.reference, "sha256": sha256, "size": result.size, "late": result.late},
    )
    # The file enters the chain of custody: handed over by the executing authority to the Central Authority.
    item = EvidenceItem.objects.create(
        case=locked.case,
        task=locked,
        result=result,
        kind=EvidenceItem.FILE,
        description=(result.description or result.original_name)[:500],
        sha256=sha256,
        holder=str(_("Central Authority")),
        created_by=actor,
    )
    CustodyEvent.objects.create(
        item=item,
        at=result.uploaded_at,
        from_party=f"{locked.authority} ({actor})",
        to_party=item.holder,
        note=str(_("Filed electronically on task {task}.")).format(task=locked.reference),
        recorded_by=actor,
    )
    if locked.status == x.TaskStatus.ASSIGNED:
        locked.status = x.TaskStatus.IN_PROGRESS
    locked.updated_at = timezone.now()
    locked.save(update_fields=["status", "updated_at"])
    _tell_central_authority(
        locked,
        gettext_noop("A result was returned on execution task {task}: {name}."),
        {"name": result.original_name},
        level=Level.WARNING if result.late else Level.INFO,
    )
    return result


def record_result_download(result: TaskResult, *, actor: User) -> None:
    audit.record(
        "execution.result.download",
        actor=actor,
        obj=result,
        case_id=result.task.case_id,
        after={"sha256": result.sha256},
    )


def record_task_view(task: ExecutionTask, *, actor: User) -> None:
    audit.record("execution.task.view", actor=actor, obj=task, case_id=task.case_id)


# --- late tasks ---------------------------------------------------------------------------------------------


def send_reminders(now: datetime | None = None) -> dict[str, int]:
    """Remind the executing authorities of their late tasks; after a few reminders, tell the head.

    Called every morning by the worker (``execution.tasks``). Returns what it did, for the log and the tests.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    done = {"reminded": 0, "escalated": 0}
    # A postponed request's tasks are on hold (UNTOC art. 18(25)): no reminder while it stays postponed.
    late = (
        ExecutionTask.objects.filter(status__in=x.TASK_OPEN, due_on__lt=today, on_hold_since__isnull=True)
        .exclude(case__status="postponed")
        .select_related("case", "authority", "contact")
    )
    for task in late:
        with transaction.atomic():
            locked = (
                ExecutionTask.objects.select_for_update(of=("self",))
                .select_related("case", "authority")
                .get(pk=task.pk)
            )
            if locked.status not in x.TASK_OPEN or locked.on_hold_since is not None:
                continue
            if locked.last_reminder_at and now - locked.last_reminder_at < timedelta(days=REMINDER_INTERVAL_DAYS):
                continue
            days = (today - locked.due_on).days
            if locked.reminders_sent < REMINDERS_BEFORE_ESCALATION:
                notify(
                    authority_users(locked.authority_id),
                    kind="execution.reminder",
                    message=gettext_noop("Execution task {task} is {days} days late. Report on it or ask for help."),
                    params={"task": locked.reference, "days": days},
                    url=task_url(locked),
                    level=Level.WARNING,
                    email=True,
                )
                locked.reminders_sent += 1
                locked.last_reminder_at = now
                locked.save(update_fields=["reminders_sent", "last_reminder_at"])
                audit.record(
                    "execution.task.remind",
                    actor=None,
                    obj=locked,
                    case_id=locked.case_id,
                    after={"reminder": locked.reminders_sent, "days_late": days},
                )
                done["reminded"] += 1
            elif locked.escalated_at is None:
                heads = list(User.objects.filter(role=Role.HEAD, is_active=True))
                notify(
                    [*heads, locked.contact],
                    kind="execution.escalation",
                    message=gettext_noop(
                        "Execution task {task} ({authority}) is {days} days late despite {reminders} reminders."
                    ),
                    params={
                        "task": locked.reference,
                        "authority": str(locked.authority),
                        "days": days,
                        "reminders": locked.reminders_sent,
                    },
                    case=locked.case,
                    url=task_url(locked),
                    level=Level.DANGER,
                    email=True,
                )
                locked.escalated_at = now
                locked.save(update_fields=["escalated_at"])
                _event(locked.case, "execution_task_escalated", actor=None, task=locked.reference, days=days)
                audit.record(
                    "execution.task.escalate",
                    actor=None,
                    obj=locked,
                    case_id=locked.case_id,
                    after={"days_late": days, "heads": [h.username for h in heads]},
                )
                done["escalated"] += 1
    return done


# --- admissibility review -----------------------------------------------------------------------------------


def _require_incoming_work(actor: User, case: Case) -> None:
    if not can_work_on(actor, case):
        raise Forbidden(_("You may not change this matter."))
    if case.direction != cc.Direction.INCOMING or case.kind in cc.EXTRADITION_KINDS:
        raise Conflict(_("The admissibility review is for incoming requests for mutual legal assistance."))


@transaction.atomic
def save_assessments(case: Case, *, actor: User, items: dict[str, tuple[str, str]]) -> list[AdmissibilityItem]:
    """Record the assessment and note of checklist items: ``{code: (value, note)}``."""
    _require_incoming_work(actor, case)
    if not case.is_open:
        raise Conflict(_("The matter is closed."))
    errors: dict[str, Any] = {}
    for code, (value, _note) in items.items():
        item = checklist.BY_CODE.get(code)
        if item is None:
            errors[code] = _("Unknown item.")
        elif value not in dict(item.choices):
            errors[code] = _("Not a possible assessment of this item.")
    if errors:
        raise ActionError(_("The review was not saved: correct the items marked."), fields=errors)
    existing = {a.code: a for a in case.admissibility_items.select_for_update()}
    saved, before, after = [], {}, {}
    now = timezone.now()
    for code, (value, note) in items.items():
        note = (note or "").strip()
        current = existing.get(code)
        if current is not None and current.value == value and current.note == note:
            continue
        if current is None and not value and not note:
            continue  # left unassessed
        before[code] = [current.value, current.note] if current else None
        after[code] = [value, note]
        if current is None:
            current = AdmissibilityItem(case=case, code=code)
        current.value, current.note, current.assessed_by, current.assessed_at = value, note, actor, now
        current.save()
        saved.append(current)
    if saved:
        _event(case, "admissibility_assessed", actor=actor, items=sorted(after))
        audit.record(
            "execution.admissibility.assess",
            actor=actor,
            obj=case,
            case_id=case.pk,
            before=before,
            after=after,
        )
    return saved


@transaction.atomic
def record_consultation(
    case: Case, *, actor: User, at: datetime, channel: str, counterpart: str, summary: str
) -> Consultation:
    """A consultation of the requesting State (UNTOC art. 18(26)), before refusing or postponing."""
    _require_incoming_work(actor, case)
    from entraide.core.choices import Channel

    errors: dict[str, Any] = {}
    if channel not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    if not counterpart.strip():
        errors["counterpart"] = _("Say whom you consulted.")
    if not summary.strip():
        errors["summary"] = _("Say what was said.")
    if at > timezone.now() + timedelta(minutes=5):
        errors["at"] = _("The date cannot be in the future.")
    if errors:
        raise ActionError(_("The consultation was not saved: correct the fields marked."), fields=errors)
    consultation = Consultation.objects.create(
        case=case,
        at=at,
        channel=channel,
        counterpart=counterpart.strip()[:255],
        summary=summary.strip(),
        recorded_by=actor,
    )
    _event(case, "consultation", actor=actor, channel=channel)
    audit.record(
        "execution.consultation",
        actor=actor,
        obj=consultation,
        case_id=case.pk,
        after={"at": _iso(at), "channel": channel, "counterpart": consultation.counterpart},
    )
    return consultation


@transaction.atomic
def decide(
    case: Case,
    *,
    actor: User,
    kind: str,
    reasons: str = "",
    grounds: list[str] | None = None,
    refused_measures: list[Measure] | None = None,
    consultation: Consultation | None = None,
) -> Decision:
    """Decide on an incoming request under review, or postpone one being executed (UNTOC art. 18(25)); the matter
    moves with ``cases.actions.transition``, as the owner of the step (``CLAIMED_STEPS``)."""
    _require_incoming_work(actor, case)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if kind not in x.DecisionKind.values:
        raise ActionError(_("Choose a decision."), fields={"kind": _("Unknown decision.")})
    if locked.status in POSTPONABLE_STATES and kind != x.DecisionKind.POSTPONE:
        raise Conflict(
            _("The request is “{state}”: it may only be postponed now (UNTOC art. 18(25)).").format(
                state=locked.lifecycle.label(locked.status)
            ),
            code="not_under_review",
        )
    if locked.status != "under_review" and locked.status not in POSTPONABLE_STATES:
        raise Conflict(
            _("A decision is taken during the admissibility review; the matter is “{state}”.").format(
                state=locked.lifecycle.label(locked.status)
            ),
            code="not_under_review",
        )
    grounds = list(grounds or [])
    refused_measures = list(refused_measures or [])
    reasons = (reasons or "").strip()
    errors: dict[str, Any] = {}
    if kind != x.DecisionKind.ACCEPT and not reasons:
        errors["reasons"] = _("Give the reasons for this decision.")
    unknown = [g for g in grounds if checklist.BY_CODE.get(g) is None or checklist.BY_CODE[g].group != checklist.GROUND]
    if unknown:
        errors["grounds"] = _("Only the grounds for refusal of the checklist may be cited.")
    if kind == x.DecisionKind.REFUSE and not grounds:
        errors["grounds"] = _("Cite at least one ground for refusal (UNTOC art. 18(21), 18(23)).")
    if kind == x.DecisionKind.ACCEPT_IN_PART:
        measures = list(locked.measures.all())
        if not refused_measures:
            errors["refused_measures"] = _("Choose the measures that are refused.")
        elif any(m.case_id != locked.pk for m in refused_measures):
            errors["refused_measures"] = _("These measures belong to another matter.")
        elif len(refused_measures) >= len(measures):
            errors["refused_measures"] = _("Every measure is refused: refuse the request instead.")
    if kind == x.DecisionKind.ACCEPT:
        missing = locked.admissibility_items.filter(value=x.Assessment.NOT_MET).values_list("code", flat=True)
        if missing:
            errors["kind"] = _(
                "Some content requirements are marked missing: ask for supplementary information, "
                "or correct the checklist."
            )
    if kind in x.NEEDS_CONSULTATION:
        if consultation is None:
            errors["consultation"] = _(
                "Consult the requesting State first (UNTOC art. 18(26)) and record the consultation."
            )
        elif consultation.case_id != locked.pk:
            errors["consultation"] = _("This consultation belongs to another matter.")
    if errors:
        raise ActionError(_("The decision was not recorded: correct the fields marked."), fields=errors)
    target = x.DECISION_TARGET[x.DecisionKind(kind)]
    paused: list[int] = []
    if kind == x.DecisionKind.ASK_INFORMATION:
        # The clocks running now stop until the answer arrives; a clock the new state starts keeps running.
        running = Deadline.objects.filter(case=locked, status=cc.DeadlineStatus.RUNNING).select_related("rule")
        for deadline in running.exclude(rule__code__in=CLOCKS_THAT_KEEP_RUNNING).exclude(
            rule__code__contains="preservation"
        ):
            case_actions.pause_deadline(
                deadline, actor=actor, reason=str(_("Supplementary information asked of the requesting State."))
            )
            paused.append(deadline.pk)
    case_actions.transition(locked, target, actor=actor, reason=reasons, owner=OWNER_KEY)
    decision = Decision.objects.create(
        case=locked,
        kind=kind,
        reasons=reasons,
        grounds=grounds,
        refused_measures=[m.pk for m in refused_measures],
        consultation=consultation,
        decided_by=actor,
        paused_deadlines=paused,
    )
    for measure in refused_measures:
        case_actions.set_measure_status(measure, cc.MeasureStatus.REFUSED, actor=actor, note=reasons[:500])
    if kind == x.DecisionKind.POSTPONE:
        _hold_open_tasks(locked, actor=actor)
        _tell_open_tasks(
            locked,
            actor=actor,
            kind="execution.task_on_hold",
            message=gettext_noop(
                "Execution task {task} is on hold: the Central Authority has postponed the execution of the request. "
                "Wait until you are told it resumes."
            ),
        )
    elif kind in {x.DecisionKind.ACCEPT, x.DecisionKind.ACCEPT_IN_PART} and _release_holds(locked, actor=actor):
        # A postponed request whose review was reopened is accepted again: the tasks it held go on.
        _tell_resumed(locked, actor=actor)
    _event(locked, "admissibility_decision", actor=actor, reason=reasons, kind=kind)
    audit.record(
        "execution.admissibility.decide",
        actor=actor,
        obj=decision,
        case_id=locked.pk,
        after={
            "kind": kind,
            "reasons": reasons,
            "grounds": grounds,
            "refused_measures": decision.refused_measures,
            "consultation": consultation.pk if consultation else None,
            "paused_deadlines": decision.paused_deadlines,
        },
    )
    return decision


def _tell_open_tasks(
    case: Case,
    *,
    actor: User,
    kind: str,
    message: str,
    params: Callable[[ExecutionTask], dict[str, Any]] | None = None,
) -> list[str]:
    """Notify the executing authorities whose tasks on the matter are open (the task's reference only, and what
    ``params`` adds for each task)."""
    told = []
    for task in case.execution_tasks.filter(status__in=x.TASK_OPEN).order_by("id"):
        notify(
            authority_users(task.authority_id),
            kind=kind,
            message=message,
            params={"task": task.reference, **(params(task) if params else {})},
            url=task_url(task),
            level=Level.WARNING,
            email=True,
        )
        told.append(task.reference)
    if told:
        audit.record(kind, actor=actor, obj=case, case_id=case.pk, after={"tasks": told})
    return told


@transaction.atomic
def resume_execution(case: Case, *, actor: User, reason: str) -> Case:
    """A postponed request is executed again (UNTOC art. 18(25) no longer applies): the matter returns to *In
    execution*, the deadline of each task on hold moves by the days it waited, and the executing authorities whose
    tasks are open are told they may go on, and by when."""
    _require_incoming_work(actor, case)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != "postponed":
        raise Conflict(
            _("Only a postponed request resumes; the matter is “{state}”.").format(
                state=locked.lifecycle.label(locked.status)
            ),
            code="not_postponed",
        )
    if not (reason or "").strip():
        raise ActionError(_("Say why the execution resumes."), fields={"reason": _("A reason is required.")})
    moved = case_actions.transition(locked, "in_execution", actor=actor, reason=reason.strip(), owner=OWNER_KEY)
    _release_holds(moved, actor=actor)
    _tell_resumed(moved, actor=actor)
    return moved


def _hold_open_tasks(case: Case, *, actor: User) -> list[ExecutionTask]:
    """The request is postponed: its open tasks are on hold from today (a task already on hold, since the matter
    was postponed before its review was reopened, keeps its date)."""
    today = timezone.localdate()
    held = list(
        ExecutionTask.objects.select_for_update(of=("self",))
        .filter(case=case, status__in=x.TASK_OPEN, on_hold_since__isnull=True)
        .order_by("id")
    )
    for task in held:
        task.on_hold_since = today
        task.updated_at = timezone.now()
        task.save(update_fields=["on_hold_since", "updated_at"])
        audit.record(
            "execution.task.hold",
            actor=actor,
            obj=task,
            case_id=case.pk,
            before={"on_hold_since": None},
            after={"on_hold_since": _iso(today), "due_on": _iso(task.due_on)},
        )
    return held


def _release_holds(case: Case, *, actor: User) -> list[ExecutionTask]:
    """The execution goes on: each open task on hold gets back the days it waited, added to its deadline. Its
    reminders start again from nothing if the new deadline is not yet past; a task already late when the request was
    postponed stays late by as many days, with its reminders and escalation as they were."""
    today = timezone.localdate()
    released = list(
        ExecutionTask.objects.select_for_update(of=("self",))
        .filter(case=case, status__in=x.TASK_OPEN, on_hold_since__isnull=False)
        .order_by("id")
    )
    for task in released:
        since = task.on_hold_since
        assert since is not None  # the filter above
        days = max(0, (today - since).days)
        before = {
            "due_on": _iso(task.due_on),
            "on_hold_since": _iso(since),
            "reminders_sent": task.reminders_sent,
            "escalated_at": _iso(task.escalated_at),
        }
        task.due_on += timedelta(days=days)
        task.on_hold_since = None
        if task.due_on >= today:
            task.reminders_sent = 0
            task.last_reminder_at = None
            task.escalated_at = None
        task.updated_at = timezone.now()
        task.save(
            update_fields=[
                "due_on",
                "on_hold_since",
                "reminders_sent",
                "last_reminder_at",
                "escalated_at",
                "updated_at",
            ]
        )
        if days:
            _event(
                case,
                "execution_task_deadline_extended",
                actor=actor,
                task=task.reference,
                due_on=_iso(task.due_on),
                days=days,
            )
        audit.record(
            "execution.task.deadline_extended",
            actor=actor,
            obj=task,
            case_id=case.pk,
            before=before,
            after={
                "due_on": _iso(task.due_on),
                "on_hold_since": None,
                "days_on_hold": days,
                "reminders_sent": task.reminders_sent,
                "escalated_at": _iso(task.escalated_at),
            },
        )
    return released


def _tell_resumed(case: Case, *, actor: User) -> list[str]:
    return _tell_open_tasks(
        case,
        actor=actor,
        kind="execution.task_resumed",
        message=gettext_noop(
            "Execution task {task} may go on: the Central Authority has resumed the execution. New deadline: {due}."
        ),
        params=lambda task: {"due": _iso(task.due_on)},
    )


@transaction.atomic
def record_supplementary_answer(
    case: Case, *, actor: User, summary: str, received_at: datetime | None = None
) -> Decision | None:
    """The requesting State's answer to a request for supplementary information arrived.

    The answer is always kept (as a communication received). If the matter awaits it, the clocks paused by the
    request resume and the review resumes; otherwise nothing else moves and ``None`` is returned, so the page can
    say so.
    """
    if not summary.strip():
        raise ActionError(_("Summarise the answer."), fields={"summary": _("Required.")})
    received_at = received_at or timezone.now()
    case_actions.log_communication(
        case,
        actor=actor,
        at=received_at,
        channel="email",
        direction=cc.CommDirection.RECEIVED,
        summary=str(_("Supplementary information received: {summary}")).format(summary=summary.strip()),
        counterpart=str(case.counterpart_authority or case.counterpart_country),
    )
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status != "awaiting_information":
        audit.record(
            "execution.admissibility.late_answer",
            actor=actor,
            obj=locked,
            case_id=locked.pk,
            after={"status": locked.status, "summary": summary.strip()},
        )
        return None
    _require_incoming_work(actor, locked)
    asked = (
        locked.admissibility_decisions.filter(kind=x.DecisionKind.ASK_INFORMATION, answered_at__isnull=True)
        .order_by("-decided_at")
        .first()
    )
    for deadline in Deadline.objects.filter(
        case=locked, status=cc.DeadlineStatus.PAUSED, pk__in=asked.paused_deadlines if asked else []
    ):
        case_actions.resume_deadline(deadline, actor=actor)
    case_actions.transition(locked, "under_review", actor=actor, reason=summary.strip(), owner=OWNER_KEY)
    if asked is not None:
        asked.answered_at = received_at
        asked.answer_summary = summary.strip()
        asked.save(update_fields=["answered_at", "answer_summary"])
        audit.record(
            "execution.admissibility.answer",
            actor=actor,
            obj=asked,
            case_id=locked.pk,
            after={"answered_at": _iso(received_at), "summary": summary.strip()},
        )
    return asked


# --- evidence, chain of custody, return -----------------------------------------------------------------------


def _require_evidence_work(actor: User, case: Case) -> None:
    if not can_work_on(actor, case) or actor.role not in {Role.HEAD, Role.OFFICER}:
        raise Forbidden(_("You may not change this matter."))
    if case.direction != cc.Direction.INCOMING:
        raise Conflict(_("Evidence is returned on incoming requests."))


@transaction.atomic
def add_physical_item(
    case: Case,
    *,
    actor: User,
    description: str,
    seal_number: str,
    received_from: str,
    holder: str,
    at: datetime | None = None,
    task: ExecutionTask | None = None,
) -> EvidenceItem:
    """A physical item seized or handed over in execution (documents, devices…), under seal."""
    _require_evidence_work(actor, case)
    errors: dict[str, Any] = {}
    if not description.strip():
        errors["description"] = _("Describe the item.")
    if not seal_number.strip():
        errors["seal_number"] = _("Give the seal number.")
    if not received_from.strip():
        errors["received_from"] = _("Say who handed it over.")
    if not holder.strip():
        errors["holder"] = _("Say who holds it now.")
    if task is not None and task.case_id != case.pk:
        errors["task"] = _("This task belongs to another matter.")
    if errors:
        raise ActionError(_("The item was not recorded: correct the fields marked."), fields=errors)
    item = EvidenceItem.objects.create(
        case=case,
        task=task,
        kind=EvidenceItem.PHYSICAL,
        description=description.strip()[:500],
        seal_number=seal_number.strip()[:100],
        holder=holder.strip()[:255],
        created_by=actor,
    )
    CustodyEvent.objects.create(
        item=item,
        at=at or timezone.now(),
        from_party=received_from.strip()[:255],
        to_party=item.holder,
        recorded_by=actor,
    )
    _event(case, "evidence_added", actor=actor, description=item.description, seal=item.seal_number)
    audit.record(
        "execution.evidence.add",
        actor=actor,
        obj=item,
        case_id=case.pk,
        after={"description": item.description, "seal": item.seal_number, "from": received_from, "holder": item.holder},
    )
    return item


@transaction.atomic
def record_custody(item: EvidenceItem, *, actor: User, to_party: str, at: datetime, note: str = "") -> CustodyEvent:
    """The item changes hands."""
    locked = EvidenceItem.objects.select_for_update(of=("self",)).select_related("case").get(pk=item.pk)
    _require_evidence_work(actor, locked.case)
    if locked.returned_in_id is not None:
        raise Conflict(_("This item was already returned to the requesting State."))
    if not to_party.strip():
        raise ActionError(_("Say who receives the item."), fields={"to_party": _("Required.")})
    if at > timezone.now() + timedelta(minutes=5):
        raise ActionError(_("The date cannot be in the future."), fields={"at": _("In the future.")})
    event = CustodyEvent.objects.create(
        item=locked,
        at=at,
        from_party=locked.holder,
        to_party=to_party.strip()[:255],
        note=note.strip()[:500],
        recorded_by=actor,
    )
    previous = locked.holder
    locked.holder = event.to_party
    locked.save(update_fields=["holder"])
    audit.record(
        "execution.evidence.custody",
        actor=actor,
        obj=locked,
        case_id=locked.case_id,
        before={"holder": previous},
        after={"holder": locked.holder, "at": _iso(at), "note": event.note},
    )
    return event


@transaction.atomic
def return_evidence(
    case: Case,
    *,
    actor: User,
    items: list[EvidenceItem],
    channel: str,
    sent_at: datetime | None = None,
    note: str = "",
    language: str = "",
    letter: bool = True,
) -> ReturnPackage:
    """Send items back to the requesting State in one package, with a transmittal letter. A return is partial while
    other items are held or measures are still being executed."""
    from entraide.core.choices import Channel

    _require_evidence_work(actor, case)
    if not items:
        raise ActionError(_("Choose the items to return."), fields={"items": _("Required.")})
    if channel not in Channel.values:
        raise ActionError(_("Unknown channel."), fields={"channel": _("Unknown channel.")})
    locked = list(EvidenceItem.objects.select_for_update().filter(pk__in=[i.pk for i in items]))
    if len(locked) != len({i.pk for i in items}) or any(i.case_id != case.pk for i in locked):
        raise ActionError(_("These items belong to another matter."), fields={"items": _("Not on this matter.")})
    already = [i for i in locked if i.returned_in_id is not None]
    if already:
        raise Conflict(
            _("Already returned: {items}. Nothing was sent again.").format(
                items=", ".join(i.description for i in already)
            )
        )
    sent_at = sent_at or timezone.now()
    number = (case.return_packages.aggregate(n=models.Max("number"))["n"] or 0) + 1
    remaining = case.evidence_items.filter(returned_in__isnull=True).exclude(pk__in=[i.pk for i in locked]).exists()
    pending_measures = case.measures.exclude(status__in=list(cc.MEASURE_DONE)).exists()
    package = ReturnPackage.objects.create(
        case=case,
        number=number,
        channel=channel,
        sent_at=sent_at,
        partial=remaining or pending_measures,
        note=note.strip(),
        created_by=actor,
    )
    recipient = str(case.counterpart_authority or case.counterpart_country)
    for item in locked:
        CustodyEvent.objects.create(
            item=item,
            at=sent_at,
            from_party=item.holder,
            to_party=recipient,
            note=str(_("Return package {number}")).format(number=number),
            recorded_by=actor,
        )
        item.holder = recipient
        item.returned_in = package
        item.save(update_fields=["holder", "returned_in"])
    if letter:
        from entraide.execution.letters import file_transmittal

        package.documents = [d.pk for d in file_transmittal(case, package, actor=actor, language=language)]
        package.save(update_fields=["documents"])
    _event(case, "evidence_returned", actor=actor, number=number, items=len(locked), partial=package.partial)
    audit.record(
        "execution.evidence.return",
        actor=actor,
        obj=package,
        case_id=case.pk,
        after={
            "number": number,
            "items": [i.pk for i in locked],
            "channel": channel,
            "sent_at": _iso(sent_at),
            "partial": package.partial,
            "documents": package.documents,
        },
    )
    return package


# --- confidentiality duties ---------------------------------------------------------------------------------

NOTICE_RULE = "execution-disclosure-notice"


def _notice_rule() -> DeadlineRule:
    rule, _created = DeadlineRule.objects.get_or_create(
        code=NOTICE_RULE,
        defaults={
            "name": "Tell the requesting State before a person is notified",
            "name_fr": "Aviser l'État requérant avant la notification d'une personne",
            "name_ar": "إشعار الدولة الطالبة قبل إعلام الشخص المعني",
            "direction": cc.Direction.INCOMING,
            # Started by execution.actions.record_disclosure_duty only: no trigger of the register starts it.
            "trigger": "execution:disclosure",
            "days": 0,
            "source": "Good practice 5 (IIJ Good Practices for Central Authorities); UNTOC art. 18(20)",
            "active": True,
        },
    )
    return rule


@transaction.atomic
def record_disclosure_duty(
    case: Case,
    *,
    actor: User,
    person: str,
    legal_basis: str,
    notify_on: date,
    note: str = "",
    task: ExecutionTask | None = None,
) -> DisclosureDuty:
    """National law obliges notifying ``person`` on ``notify_on``: the requesting Central Authority must be told
    first. A clock, due the day before the notification, runs on the matter until the notice is sent."""
    _require_evidence_work(actor, case)
    errors: dict[str, Any] = {}
    if not person.strip():
        errors["person"] = _("Say who must be notified.")
    if not legal_basis.strip():
        errors["legal_basis"] = _("Cite the provision that requires the notification.")
    if not isinstance(notify_on, date) or notify_on <= timezone.localdate():
        errors["notify_on"] = _("The notification date must be after today, so that the requesting State can be told.")
    if task is not None and task.case_id != case.pk:
        errors["task"] = _("This task belongs to another matter.")
    if errors:
        raise ActionError(_("The duty was not recorded: correct the fields marked."), fields=errors)
    now = timezone.now()
    due = timezone.make_aware(datetime.combine(notify_on - timedelta(days=1), time(0, 0)))
    deadline = Deadline.objects.create(case=case, rule=_notice_rule(), starts_at=now, due_at=due)
    duty = DisclosureDuty.objects.create(
        case=case,
        task=task,
        person=person.strip()[:300],
        legal_basis=legal_basis.strip()[:300],
        notify_on=notify_on,
        deadline=deadline,
        note=note.strip(),
        created_by=actor,
    )
    case_actions._refresh_next_due(case)
    _event(case, "deadline_started", actor=actor, rule=NOTICE_RULE, due_at=due.isoformat())
    audit.record(
        "execution.disclosure.record",
        actor=actor,
        obj=duty,
        case_id=case.pk,
        after={"person": duty.person, "legal_basis": duty.legal_basis, "notify_on": _iso(notify_on), "due": _iso(due)},
    )
    return duty


@transaction.atomic
def record_disclosure_notice(duty: DisclosureDuty, *, actor: User, at: datetime, channel: str) -> DisclosureDuty:
    """The requesting Central Authority was told of the coming notification: logged as a communication sent; the
    clock is met."""
    locked = DisclosureDuty.objects.select_for_update(of=("self",)).select_related("case", "deadline").get(pk=duty.pk)
    _require_evidence_work(actor, locked.case)
    if locked.notice_sent_at is not None:
        raise Conflict(_("The requesting State was already told."))
    case_actions.log_communication(
        locked.case,
        actor=actor,
        at=at,
        channel=channel,
        direction=cc.CommDirection.SENT,
        summary=str(
            _("Notice that national law ({law}) requires notifying {person} on {date}.").format(
                law=locked.legal_basis, person=locked.person, date=_iso(locked.notify_on)
            )
        ),
        counterpart=str(locked.case.counterpart_authority or locked.case.counterpart_country),
    )
    locked.notice_sent_at = at
    locked.save(update_fields=["notice_sent_at"])
    if locked.deadline is not None and locked.deadline.status in {cc.DeadlineStatus.RUNNING, cc.DeadlineStatus.PAUSED}:
        case_actions.meet_deadline(locked.deadline, actor=actor, note=str(_("Requesting State told.")))
    audit.record(
        "execution.disclosure.notice",
        actor=actor,
        obj=locked,
        case_id=locked.case_id,
        after={"at": _iso(at), "channel": channel},
    )
    return locked


@transaction.atomic
def record_person_notified(duty: DisclosureDuty, *, actor: User, at: datetime) -> DisclosureDuty:
    locked = DisclosureDuty.objects.select_for_update(of=("self",)).select_related("case").get(pk=duty.pk)
    _require_evidence_work(actor, locked.case)
    if locked.notice_sent_at is None:
        raise Conflict(
            _("Tell the requesting Central Authority first: the person may not be notified before it knows.")
        )
    if locked.notified_at is not None:
        raise Conflict(_("The notification was already recorded."))
    locked.notified_at = at
    locked.save(update_fields=["notified_at"])
    _event(locked.case, "disclosure_notified", actor=actor, person=locked.person)
    audit.record(
        "execution.disclosure.notified", actor=actor, obj=locked, case_id=locked.case_id, after={"at": _iso(at)}
    )
    return locked


# Measures carried out by communication service providers: their confidentiality cannot be guaranteed (a provider
# may tell its customer), which the requesting State must know (good practice 5).
PROVIDER_MEASURES = {
    "preservation",
    "traffic_disclosure",
    "stored_data",
    "realtime_traffic",
    "interception",
    "domain_registration",
    "subscriber_info",
    "emergency_disclosure",
}


# --- challenges (good practice 6) ---------------------------------------------------------------------------


@transaction.atomic
def record_challenge(
    task: ExecutionTask,
    *,
    actor: User,
    by: str,
    challenger: str,
    decision: str,
    forum: str,
    filed_on: date,
    hearing_on: date | None = None,
    suspends: bool = False,
) -> Challenge:
    locked = _lock(task)
    if not can_manage_tasks(actor, locked.case):
        raise Forbidden(_("You may not change this task."))
    errors: dict[str, Any] = {}
    if by not in x.ChallengeBy.values:
        errors["by"] = _("Say who challenges the decision.")
    for name, value in (("challenger", challenger), ("decision", decision), ("forum", forum)):
        if not (value or "").strip():
            errors[name] = _("Required.")
    if filed_on > timezone.localdate():
        errors["filed_on"] = _("The date cannot be in the future.")
    if hearing_on is not None and hearing_on < filed_on:
        errors["hearing_on"] = _("The hearing cannot be before the challenge was filed.")
    if errors:
        raise ActionError(_("The challenge was not recorded: correct the fields marked."), fields=errors)
    challenge = Challenge.objects.create(
        task=locked,
        by=by,
        challenger=challenger.strip()[:300],
        decision=decision.strip(),
        forum=forum.strip()[:300],
        filed_on=filed_on,
        hearing_on=hearing_on,
        suspends=suspends,
        created_by=actor,
    )
    _event(locked.case, "execution_challenge", actor=actor, task=locked.reference, by=by, suspends=suspends)
    audit.record(
        "execution.challenge.record",
        actor=actor,
        obj=challenge,
        case_id=locked.case_id,
        after={
            "task": locked.reference,
            "by": by,
            "forum": challenge.forum,
            "filed_on": _iso(filed_on),
            "hearing_on": _iso(hearing_on),
            "suspends": suspends,
        },
    )
    notify(
        authority_users(locked.authority_id),
        kind="execution.challenge",
        message=gettext_noop("A challenge to your decision on execution task {task} was recorded."),
        params={"task": locked.reference},
        url=task_url(locked),
        email=True,
    )
    return challenge


@transaction.atomic
def record_challenge_outcome(
    challenge: Challenge, *, actor: User, outcome: str, outcome_on: date, note: str = "", hearing_on: date | None = None
) -> Challenge:
    locked = Challenge.objects.select_for_update(of=("self",)).select_related("task__case").get(pk=challenge.pk)
    if not can_manage_tasks(actor, locked.task.case):
        raise Forbidden(_("You may not change this task."))
    if outcome not in x.ChallengeOutcome.values:
        raise ActionError(_("Choose the outcome."), fields={"outcome": _("Unknown outcome.")})
    if locked.outcome != x.ChallengeOutcome.PENDING:
        raise Conflict(_("The outcome of this challenge is already recorded."))
    before = {"outcome": locked.outcome, "hearing_on": _iso(locked.hearing_on)}
    if hearing_on is not None:
        locked.hearing_on = hearing_on
    if outcome != x.ChallengeOutcome.PENDING:
        if outcome_on > timezone.localdate():
            raise ActionError(_("The date cannot be in the future."), fields={"outcome_on": _("In the future.")})
        if not note.strip():
            raise ActionError(_("Say what the outcome means for the task."), fields={"note": _("A note is required.")})
        locked.outcome_on = outcome_on
        locked.suspends = False
    locked.outcome = outcome
    locked.outcome_note = note.strip()
    locked.save()
    _event(locked.task.case, "execution_challenge_outcome", actor=actor, task=locked.task.reference, outcome=outcome)
    audit.record(
        "execution.challenge.outcome",
        actor=actor,
        obj=locked,
        case_id=locked.task.case_id,
        before=before,
        after={
            "outcome": outcome,
            "outcome_on": _iso(locked.outcome_on),
            "hearing_on": _iso(locked.hearing_on),
            "note": note,
        },
    )
    return locked


# --- status letters on a schedule (UNTOC art. 18(24)) -------------------------------------------------------


@transaction.atomic
def set_status_schedule(
    case: Case, *, actor: User, every_days: int, next_on: date, language: str = "", active: bool = True
) -> StatusSchedule:
    if not can_manage_tasks(actor, case):
        raise Forbidden(_("You may not change this matter."))
    if not 7 <= every_days <= 366:
        raise ActionError(_("Every 7 to 366 days."), fields={"every_days": _("Out of range.")})
    if active and next_on < timezone.localdate():
        raise ActionError(_("The next letter cannot be in the past."), fields={"next_on": _("In the past.")})
    schedule, _created = StatusSchedule.objects.update_or_create(
        case=case,
        defaults={
            "every_days": every_days,
            "next_on": next_on,
            "language": language[:8],
            "active": active,
            "created_by": actor,
        },
    )
    audit.record(
        "execution.status_schedule",
        actor=actor,
        obj=schedule,
        case_id=case.pk,
        after={"every_days": every_days, "next_on": _iso(next_on), "language": language, "active": active},
    )
    return schedule


def send_scheduled_status_letters(today: date | None = None) -> int:
    """File the status letters that are due, in the name of the matter's officer, and tell them to send it.
    Called every morning by the worker."""
    from entraide.execution.letters import STATUS, generate_letter

    today = today or timezone.localdate()
    filed = 0
    due = StatusSchedule.objects.filter(active=True, next_on__lte=today).select_related("case", "case__officer")
    for schedule in due:
        case = schedule.case
        with transaction.atomic():
            if not case.is_open:
                schedule.active = False
                schedule.save(update_fields=["active"])
                continue
            officer = case.officer
            if officer is None or not officer.is_active:
                continue  # kept due: it is filed once an officer has the matter
            generate_letter(case, actor=officer, kind=STATUS, language=schedule.language)
            schedule.last_sent_on = today
            while schedule.next_on <= today:
                schedule.next_on += timedelta(days=schedule.every_days)
            schedule.save(update_fields=["last_sent_on", "next_on"])
            notify(
                [officer],
                kind="execution.status_letter",
                message=gettext_noop("The scheduled status letter of {reference} is filed: check it and send it."),
                params={"reference": case.reference},
                case=case,
                url=reverse("cases:detail", args=[case.pk]) + "#documents",
                email=True,
            )
            filed += 1
    return filed


@transaction.atomic
def settle_measure(task: ExecutionTask, *, actor: User) -> Measure:
    """Carry a finished task's outcome to its measure: completed → executed, partially executed → partially
    executed (with the authority's note). Refused while another task on the same measure is still open."""
    locked = _lock(task)
    if not can_manage_tasks(actor, locked.case):
        raise Forbidden(_("You may not change this task."))
    measure = locked.measure
    if measure is None:
        raise Conflict(_("This task is not linked to a measure."))
    target = {
        x.TaskStatus.COMPLETED: cc.MeasureStatus.EXECUTED,
        x.TaskStatus.PARTIAL: cc.MeasureStatus.PARTIALLY_EXECUTED,
    }.get(x.TaskStatus(locked.status))
    if target is None:
        raise Conflict(_("Only a completed or partially executed task settles its measure."))
    if measure.execution_tasks.filter(status__in=x.TASK_OPEN).exclude(pk=locked.pk).exists():
        raise Conflict(_("Another task on this measure is still open."))
    note = locked.status_note or str(_("Executed by {authority} ({task}).")).format(
        authority=locked.authority, task=locked.reference
    )
    return case_actions.set_measure_status(measure, target, actor=actor, note=note)
