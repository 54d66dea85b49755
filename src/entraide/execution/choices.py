"""Choices of incoming requests: execution tasks, admissibility review, decisions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    PARTIAL = "partial", _("Partially executed")
    NOT_EXECUTED = "not_executed", _("Could not be executed")
    CANCELLED = "cancelled", _("Cancelled")


TASK_OPEN = {TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS}
# What an executing authority may report; cancelling is the Central Authority's.
TASK_REPORTABLE = [TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED, TaskStatus.PARTIAL, TaskStatus.NOT_EXECUTED]


class EntryKind(models.TextChoices):
    PROGRESS = "progress", _("Progress")
    QUESTION = "question", _("Question")
    ANSWER = "answer", _("Answer")


class Assessment(models.TextChoices):
    UNASSESSED = "", _("Not assessed")
    MET = "met", _("Satisfied")
    NOT_MET = "not_met", _("Missing or insufficient")
    APPLIES = "applies", _("Applies")
    DOES_NOT_APPLY = "does_not_apply", _("Does not apply")
    NOT_APPLICABLE = "na", _("Not applicable")


class DecisionKind(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    ACCEPT_IN_PART = "accept_in_part", _("Accept in part")
    ASK_INFORMATION = "ask_information", _("Ask for supplementary information")
    POSTPONE = "postpone", _("Postpone (UNTOC art. 18(25))")
    REFUSE = "refuse", _("Refuse (UNTOC art. 18(21), 18(23))")


# Where each decision moves an incoming matter (cases/lifecycles.py: INCOMING_MLA).
DECISION_TARGET = {
    DecisionKind.ACCEPT: "accepted",
    DecisionKind.ACCEPT_IN_PART: "accepted",
    DecisionKind.ASK_INFORMATION: "awaiting_information",
    DecisionKind.POSTPONE: "postponed",
    DecisionKind.REFUSE: "refused",
}
# Decisions that need a recorded consultation of the requesting state first (UNTOC art. 18(26)): refusing all or
# part of a request, or postponing it.
NEEDS_CONSULTATION = {DecisionKind.ACCEPT_IN_PART, DecisionKind.POSTPONE, DecisionKind.REFUSE}


class ChallengeBy(models.TextChoices):
    CENTRAL_AUTHORITY = "central_authority", _("The Central Authority")
    AFFECTED_PERSON = "affected_person", _("An affected person")
    OTHER = "other", _("Another party")


class ChallengeOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
