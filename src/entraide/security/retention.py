"""Retention: how long closed matters stay in the register, their archival, their purge, and legal holds.

A closed matter whose kind has a retention rule goes through two audited steps:

1. **archival**, ``years`` after it closed: the matter becomes read-only (no step of its lifecycle, no change to
   it or its documents, subjects, measures, communications), is marked *Archived* in the register and listed on
   the archive page (``/security/archive/``) for those who may see it (need-to-know still applies; the auditor
   finds it like any other); its pages, documents and audit trail stay readable;
2. **purge**, ``purge_years`` after its archival (never, when the rule has none): the matter, everything hanging
   off it and its stored files are deleted; the audit trail keeps a tombstone (reference, kind, direction, dates)
   and every earlier record, so the chain still verifies.

An active legal hold stops both. ``entraide retention`` lists what is due for each step; ``--apply`` takes them.
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
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.security.models import Archive, LegalHold, RetentionRule

__all__ = ["Archive"]


def _years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def _held() -> Any:
    return LegalHold.objects.filter(lifted_at__isnull=True).values("case_id")


def archived_ids() -> Any:
    """The archived matters' ids, as a subquery (``Case.objects.exclude(pk__in=archived_ids())``)."""
    return Archive.objects.values("case_id")


def is_archived(case_id: Any) -> bool:
    return Archive.objects.filter(case_id=case_id).exists()


def due_for_archival(now: datetime | None = None) -> QuerySet[Case]:
    """Closed matters past their kind's retention period, not archived yet, and not under a legal hold."""
    now = now or timezone.now()
    due = Q(pk__in=[])
    for rule in RetentionRule.objects.all():
        due |= Q(kind=rule.kind, closed_at__lt=_years_before(now, rule.years))
    return (
        Case.objects.filter(due, is_open=False, closed_at__isnull=False)
        .exclude(pk__in=archived_ids())
        .exclude(pk__in=_held())
        .order_by("closed_at")
    )


def due_for_purge(now: datetime | None = None) -> QuerySet[Case]:
    """Archived matters whose time in the archive has ended (rules with a purge period), not under a legal hold."""
    now = now or timezone.now()
    due = Q(pk__in=[])
    for rule in RetentionRule.objects.filter(purge_years__isnull=False):
        archived = Archive.objects.filter(archived_at__lte=_years_before(now, rule.purge_years or 0))
        due |= Q(kind=rule.kind, pk__in=archived.values("case_id"))
    return Case.objects.filter(due, is_open=False).exclude(pk__in=_held()).order_by("closed_at")


def _require_head(actor: User | None) -> None:
    if actor is not None and actor.role != Role.HEAD:
        raise Forbidden(
            _("Only the head of the Central Authority places and lifts legal holds, archives and purges matters.")
        )


@transaction.atomic
def set_retention(
    kind: str, *, actor: User, years: int | None, source: str = "", purge_years: int | None = None
) -> RetentionRule | None:
    """Set (``years`` None: remove) the rule of one kind: archived ``years`` after closure, purged ``purge_years``
    after archival (None: kept in the archive)."""
    from entraide.cases.choices import Kind
    from entraide.security.actions import may_administer

    if not may_administer(actor):
        raise Forbidden(_("Only an administrator sets retention periods."))
    if kind not in Kind.values:
        raise ActionError(_("Unknown kind of matter."), fields={"kind": _("Unknown.")})
    existing = RetentionRule.objects.filter(kind=kind).first()
    before = (
        {"years": existing.years, "purge_years": existing.purge_years, "source": existing.source} if existing else None
    )
    if years is None:
        RetentionRule.objects.filter(kind=kind).delete()
        rule = None
    else:
        if not 1 <= years <= 100:
            raise ActionError(_("Between 1 and 100 years."), fields={"years": _("Out of range.")})
        if purge_years is not None and not 0 <= purge_years <= 100:
            raise ActionError(_("Between 0 and 100 years."), fields={"purge_years": _("Out of range.")})
        rule, _created = RetentionRule.objects.update_or_create(
            kind=kind, defaults={"years": years, "purge_years": purge_years, "source": source}
        )
    audit.record(
        "retention.rule",
        actor=actor,
        object_type="security.retentionrule",
        object_id=kind,
        before=before,
        after={"years": years, "purge_years": purge_years, "source": source} if years is not None else None,
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


def _locked(case: Case) -> Case:
    locked = Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).first()
    if locked is None:
        raise ActionError(_("This matter no longer exists."))
    return locked


def _not_held(case: Case, step: str) -> None:
    if LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists():
        message = (
            _("A legal hold stops the archival of {reference}.")
            if step == "archive"
            else _("A legal hold stops the purge of {reference}.")
        )
        raise Conflict(message.format(reference=case.reference), code="legal_hold")


def archive_case(case: Case, *, actor: User | None, now: datetime | None = None) -> Archive:
    """Archive a matter due for archival. ``actor`` None: the retention command."""
    from entraide.cases.models import Event

    _require_head(actor)
    with transaction.atomic():
        locked = _locked(case)
        _not_held(locked, "archive")
        if is_archived(locked.pk):
            raise Conflict(_("{reference} is already archived.").format(reference=locked.reference), code="archived")
        if not due_for_archival(now).filter(pk=locked.pk).exists():
            raise ActionError(
                _("{reference} is not due for archival: it is open, or its retention period has not ended.").format(
                    reference=locked.reference
                )
            )
        archive = Archive.objects.create(case=locked, archived_by=actor)
        Event.objects.create(case=locked, actor=actor, verb="archived", params={"reference": locked.reference})
        audit.record(
            "case.archive",
            actor=actor,
            obj=locked,
            case_id=locked.pk,
            after={"reference": locked.reference, "kind": locked.kind, "closed_at": locked.closed_at},
        )
    return archive


def unarchive_case(case: Case, *, actor: User, reason: str) -> None:
    """Bring an archived matter back into the register (it can change again); the head gives the reason."""
    from entraide.cases.models import Event

    _require_head(actor)
    if not reason.strip():
        raise ActionError(_("Say why the matter comes back from the archive."), fields={"reason": _("Required.")})
    with transaction.atomic():
        locked = _locked(case)
        archive = Archive.objects.filter(case=locked).first()
        if archive is None:
            raise ActionError(_("{reference} is not archived.").format(reference=locked.reference))
        archived_at = archive.archived_at
        archive.delete()
        Event.objects.create(case=locked, actor=actor, verb="unarchived", params={}, reason=reason.strip())
        audit.record(
            "case.unarchive",
            actor=actor,
            obj=locked,
            case_id=locked.pk,
            before={"archived_at": archived_at},
            after={"reason": reason.strip()},
        )


def purge_case(case: Case, *, actor: User | None, now: datetime | None = None) -> dict[str, Any]:
    """Delete an archived matter due for purge, with its stored files. ``actor`` None: the retention command."""
    _require_head(actor)
    with transaction.atomic():
        locked = _locked(case)
        _not_held(locked, "purge")
        if not due_for_purge(now).filter(pk=locked.pk).exists():
            raise ActionError(
                _(
                    "{reference} is not due for purge: it is not archived, or its time in the archive has not ended."
                ).format(reference=locked.reference)
            )
        files = list(DocumentVersion.objects.filter(document__case=locked).values_list("file", flat=True))
        archive = Archive.objects.filter(case=locked).first()
        tombstone = {
            "reference": locked.reference,
            "kind": locked.kind,
            "direction": locked.direction,
            "created_at": locked.created_at,
            "closed_at": locked.closed_at,
            "archived_at": archive.archived_at if archive else None,
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
            with purging(locked.pk):
                locked.delete()
        except ProtectedError as exc:
            raise ActionError(
                _("{reference} cannot be purged: other records still refer to it.").format(reference=locked.reference)
            ) from exc
        transaction.on_commit(lambda: _delete_files(files))
    return tombstone


class purging:
    """While a matter is being purged, the read-only guard lets its rows be deleted."""

    active: set[Any] = set()

    def __init__(self, case_id: Any) -> None:
        self.case_id = case_id

    def __enter__(self) -> None:
        purging.active.add(self.case_id)

    def __exit__(self, *exc: Any) -> None:
        purging.active.discard(self.case_id)


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)


def archive_due(*, actor: User | None = None, now: datetime | None = None) -> tuple[list[str], list[str]]:
    """Archive every matter due; returns the references archived and the refusals (one message per matter)."""
    done, refused = [], []
    for case in list(due_for_archival(now)):
        try:
            archive_case(case, actor=actor, now=now)
            done.append(case.reference)
        except ActionError as error:
            refused.append(str(error.message))
    return done, refused


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
    """Tell the heads how many closed matters are due for archival or purge (each stays a decision). Returns it."""
    from django.urls import reverse
    from django.utils.translation import gettext_noop

    from entraide.notifications.actions import notify

    count = due_for_archival(now).count() + due_for_purge(now).count()
    if count:
        notify(
            User.objects.filter(role=Role.HEAD, is_active=True),
            kind="retention_due",
            message=gettext_noop("{count} closed matters have reached the end of their retention period."),
            params={"count": count},
            url=reverse("security:retention"),
        )
    return count
