"""Retention: how long closed matters are kept, legal holds that stop a purge, and the purge itself.

A closed matter whose kind has a retention rule becomes due for purge ``years`` after it closed, unless a legal
hold is active on it. A purge deletes the matter, everything hanging off it and its stored files; the audit trail
keeps a tombstone (reference, kind, direction, dates) and every earlier record, so the chain still verifies.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import Role, User
from entraide.audit import log as audit
from entraide.cases.models import Case, DocumentVersion
from entraide.core.errors import ActionError, Forbidden
from entraide.security.models import LegalHold, RetentionRule


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def due_for_purge(now: datetime | None = None) -> QuerySet[Case]:
    now = now or timezone.now()
    due = Q(pk__in=[])
    for rule in RetentionRule.objects.all():
        due |= Q(kind=rule.kind, closed_at__lt=_years_before(now, rule.years))
    held = LegalHold.objects.filter(lifted_at__isnull=True).values("case_id")
    return Case.objects.filter(due, is_open=False, closed_at__isnull=False).exclude(pk__in=held).order_by("closed_at")


def _require_head(actor: User | None) -> None:
    if actor is not None and actor.role != Role.HEAD:
        raise Forbidden(_("Only the head of the Central Authority places and lifts legal holds and purges matters."))


@transaction.atomic
def set_retention(kind: str, *, actor: User, years: int | None, source: str = "") -> RetentionRule | None:
    from entraide.cases.choices import Kind
    from entraide.security.actions import may_administer

    if not may_administer(actor):
        raise Forbidden(_("Only an administrator sets retention periods."))
    if kind not in Kind.values:
        raise ActionError(_("Unknown kind of matter."), fields={"kind": _("Unknown.")})
    existing = RetentionRule.objects.filter(kind=kind).first()
    before = {"years": existing.years, "source": existing.source} if existing else None
    if years is None:
        RetentionRule.objects.filter(kind=kind).delete()
        rule = None
    else:
        if not 1 <= years <= 100:
            raise ActionError(_("Between 1 and 100 years."), fields={"years": _("Out of range.")})
        rule, _created = RetentionRule.objects.update_or_create(kind=kind, defaults={"years": years, "source": source})
    audit.record(
        "retention.rule",
        actor=actor,
        object_type="security.retentionrule",
        object_id=kind,
        before=before,
        after={"years": years, "source": source} if years is not None else None,
    )
    return rule


@transaction.atomic
def place_hold(case: Case, *, actor: User, reason: str) -> LegalHold:
    _require_head(actor)
    if not reason.strip():
        raise ActionError(_("Say why the matter must be kept."), fields={"reason": _("Required.")})
    hold = LegalHold.objects.create(case=case, reason=reason.strip(), placed_by=actor)
    audit.record("case.legal_hold", actor=actor, obj=hold, case_id=case.pk, after={"reason": hold.reason})
    return hold


@transaction.atomic
def lift_hold(hold: LegalHold, *, actor: User) -> LegalHold:
    _require_head(actor)
    if not hold.active:
        raise ActionError(_("This hold was already lifted."))
    hold.lifted_by = actor
    hold.lifted_at = timezone.now()
    hold.save()
    audit.record("case.legal_hold_lifted", actor=actor, obj=hold, case_id=hold.case_id)
    return hold


def purge_case(case: Case, *, actor: User | None, now: datetime | None = None) -> dict[str, Any]:
    """Delete a matter due for purge, with its stored files. ``actor`` None: the retention command."""
    _require_head(actor)
    with transaction.atomic():
        locked = Case.objects.select_for_update().filter(pk=case.pk).first()
        if locked is None:
            raise ActionError(_("This matter no longer exists."))
        if LegalHold.objects.filter(case=locked, lifted_at__isnull=True).exists():
            raise ActionError(_("A legal hold stops the purge of {reference}.").format(reference=locked.reference))
        if not due_for_purge(now).filter(pk=locked.pk).exists():
            raise ActionError(
                _("{reference} is not due for purge: it is open, or its retention period has not ended.").format(
                    reference=locked.reference
                )
            )
        files = list(DocumentVersion.objects.filter(document__case=locked).values_list("file", flat=True))
        tombstone = {
            "reference": locked.reference,
            "kind": locked.kind,
            "direction": locked.direction,
            "created_at": locked.created_at,
            "closed_at": locked.closed_at,
            "documents": len(files),
        }
        audit.record(
            "case.purge",
            actor=actor,
            object_type="cases.case",
            object_id=str(locked.pk),
            case_id=locked.pk,
            after=tombstone,
        )
        try:
            locked.delete()
        except ProtectedError as exc:
            raise ActionError(
                _("{reference} cannot be purged: other records still refer to it.").format(reference=locked.reference)
            ) from exc
        transaction.on_commit(lambda: _delete_files(files))
    return tombstone


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)


def purge_due(*, now: datetime | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Purge every matter due; returns the tombstones and the refusals (one message per matter)."""
    done, refused = [], []
    for case in list(due_for_purge(now)):
        try:
            done.append(purge_case(case, actor=None, now=now))
        except ActionError as error:
            refused.append(str(error.message))
    return done, refused


def remind_heads_of_due_purges(now: datetime | None = None) -> int:
    """Tell the heads how many closed matters are due for purge (the purge itself stays a decision). Returns it."""
    from django.urls import reverse
    from django.utils.translation import gettext_noop

    from entraide.notifications.actions import notify

    count = due_for_purge(now).count()
    if count:
        notify(
            User.objects.filter(role=Role.HEAD, is_active=True),
            kind="retention_due",
            message=gettext_noop("{count} closed matters have reached the end of their retention period."),
            params={"count": count},
            url=reverse("security:retention"),
        )
    return count
