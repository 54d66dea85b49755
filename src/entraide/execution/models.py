"""Incoming requests: execution tasks for national authorities, and the admissibility review.

Nothing here changes state by itself: every change goes through ``execution.actions``, which audits it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.choices import Channel
from entraide.execution import choices as x


class ExecutionTask(models.Model):
    """A part of an incoming request given to one national executing authority to carry out.

    A user of that authority sees the task (its measure, instructions, deadline and contact) and nothing else of
    the matter: not its reference, not its other measures, not the tasks of other authorities.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="execution_tasks")
    measure = models.ForeignKey(
        "cases.Measure",
        verbose_name=_("measure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="execution_tasks",
    )
    reference = models.CharField(_("task reference"), max_length=40, unique=True)
    authority = models.ForeignKey(
        "directory.Authority", verbose_name=_("executing authority"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=255)
    instructions = models.TextField(_("instructions"))
    due_on = models.DateField(_("deadline"))
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact at the Central Authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=x.TaskStatus.choices, default=x.TaskStatus.ASSIGNED)
    status_note = models.CharField(_("note on the status"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Set while the request is postponed (UNTOC art. 18(25)): the task waits, is not late, and its deadline moves by
    # the days it waited when the execution resumes (``execution.actions.resume_execution``).
    on_hold_since = models.DateField(_("on hold since"), null=True, blank=True)

    class Meta:
        verbose_name = _("execution task")
        verbose_name_plural = _("execution tasks")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["authority", "status", "due_on"]),
            models.Index(fields=["status", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in x.TASK_OPEN

    @property
    def is_on_hold(self) -> bool:
        return self.is_open and self.on_hold_since is not None

    @property
    def is_late(self) -> bool:
        return self.is_open and self.on_hold_since is None and self.due_on < timezone.localdate()

    @property
    def days_left(self) -> int:
        return (self.due_on - timezone.localdate()).days

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)


class TaskEntry(models.Model):
    """A line of a task's log: progress reported, a question asked, an answer given."""

    task = models.ForeignKey(ExecutionTask, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=12, choices=x.EntryKind.choices)
    text = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)  # for a question

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"


def _result_path(instance: TaskResult, filename: str) -> str:
    return f"execution/{instance.task.case_id}/{uuid.uuid4().hex}"


class TaskResult(models.Model):
    """A file an executing authority returned for its task, with its fingerprint."""

    task = models.ForeignKey(ExecutionTask, on_delete=models.CASCADE, related_name="results")
    description = models.CharField(_("description"), max_length=500, blank=True)
    file = models.FileField(upload_to=_result_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    late = models.BooleanField(_("after the deadline"), default=False)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "sha256"], name="unique_task_result_file")]

    def __str__(self) -> str:
        return self.original_name


class AdmissibilityItem(models.Model):
    """One item of the admissibility checklist of a matter, as assessed, with its note."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="admissibility_items")
    code = models.CharField(max_length=40)
    value = models.CharField(_("assessment"), max_length=20, choices=x.Assessment.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="unique_admissibility_item")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.code}={self.value}"


class Consultation(models.Model):
    """A consultation of the requesting State before refusing or postponing (UNTOC art. 18(26))."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consultations")
    at = models.DateTimeField(_("date"))
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    counterpart = models.CharField(_("with whom"), max_length=255)
    summary = models.TextField(_("what was said"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.at:%Y-%m-%d}"


class Decision(models.Model):
    """A decision on an incoming request, with its reasons."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="admissibility_decisions")
    kind = models.CharField(_("decision"), max_length=20, choices=x.DecisionKind.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    grounds = models.JSONField(_("grounds"), default=list, blank=True)
    refused_measures = models.JSONField(default=list, blank=True)
    consultation = models.ForeignKey(Consultation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    # For a request for supplementary information: the clocks it paused, and when the answer came.
    paused_deadlines = models.JSONField(default=list, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_summary = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"

    @property
    def ground_labels(self) -> list[Any]:
        from entraide.execution.checklist import BY_CODE

        return [BY_CODE[code].label for code in self.grounds if code in BY_CODE]


class EvidenceItem(models.Model):
    """Something gathered in execution, to be returned to the requesting State: a file returned on a task (with
    its SHA-256) or a physical item (with its seal number), and who holds it now."""

    FILE = "file"
    PHYSICAL = "physical"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="evidence_items")
    task = models.ForeignKey(ExecutionTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    result = models.OneToOneField(
        TaskResult, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence_item"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=[(FILE, _("File")), (PHYSICAL, _("Physical item"))], default=FILE
    )
    description = models.CharField(_("description"), max_length=500)
    seal_number = models.CharField(_("seal number"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    holder = models.CharField(_("held by"), max_length=255)
    returned_in = models.ForeignKey(
        "ReturnPackage", null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.description


class CustodyEvent(models.Model):
    """A link of the chain of custody: who handed what to whom, when."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="custody")
    at = models.DateTimeField(_("date"))
    from_party = models.CharField(_("handed over by"), max_length=255)
    to_party = models.CharField(_("received by"), max_length=255)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_party} → {self.to_party}"


class ReturnPackage(models.Model):
    """What is sent back to the requesting State at one time, with its transmittal letter."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="return_packages")
    number = models.PositiveIntegerField(_("number"))
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    sent_at = models.DateTimeField(_("sent at"))
    partial = models.BooleanField(_("partial return"), default=False)
    note = models.TextField(_("note"), blank=True)
    documents = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["case", "number"], name="unique_return_package_number")]

    def __str__(self) -> str:
        return f"{self.case_id} #{self.number}"


class DisclosureDuty(models.Model):
    """National law obliges notifying a person of a measure (a bank's customer, say). The requesting Central
    Authority must be told before that notification (good practice 5; UNTOC art. 18(20)): a clock runs until the
    notice is sent."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="disclosure_duties")
    task = models.ForeignKey(ExecutionTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    person = models.CharField(_("person to be notified"), max_length=300)
    legal_basis = models.CharField(_("legal provision requiring the notification"), max_length=300)
    notify_on = models.DateField(_("notification due on"))
    deadline = models.ForeignKey("cases.Deadline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    notice_sent_at = models.DateTimeField(_("requesting State told on"), null=True, blank=True)
    notified_at = models.DateTimeField(_("person notified on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["notify_on", "id"]

    def __str__(self) -> str:
        return f"{self.person} ({self.notify_on})"


class Challenge(models.Model):
    """A challenge to an executing authority's decision on a task (good practice 6): by the Central Authority or by
    an affected person, before a court, with its hearing and outcome, and whether it holds up the execution."""

    task = models.ForeignKey(ExecutionTask, on_delete=models.CASCADE, related_name="challenges")
    by = models.CharField(_("challenged by"), max_length=20, choices=x.ChallengeBy.choices)
    challenger = models.CharField(_("challenger"), max_length=300)
    decision = models.TextField(_("decision challenged"))
    forum = models.CharField(_("court or body"), max_length=300)
    filed_on = models.DateField(_("filed on"))
    hearing_on = models.DateField(_("hearing on"), null=True, blank=True)
    suspends = models.BooleanField(_("holds up the execution"), default=False)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=x.ChallengeOutcome.choices, default=x.ChallengeOutcome.PENDING
    )
    outcome_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome_note = models.TextField(_("effect on the task"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.challenger}"


class StatusSchedule(models.Model):
    """Status letters to the requesting State on a schedule the officer sets (UNTOC art. 18(24))."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="status_schedule")
    every_days = models.PositiveSmallIntegerField(_("every (days)"))
    next_on = models.DateField(_("next letter on"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    active = models.BooleanField(_("active"), default=True)
    last_sent_on = models.DateField(_("last letter on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.case_id} every {self.every_days} days"
