"""What a user may see. Every list, page, API endpoint and export starts here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from entraide.accounts.models import Role
from entraide.core.choices import Confidentiality

if TYPE_CHECKING:
    from entraide.cases.models import Case

NOTHING = Q(pk__in=[])


def _membership(user: Any) -> Any:
    from entraide.cases.models import CaseMember

    now = timezone.now()
    active = CaseMember.objects.filter(user=user).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    return active.order_by().values("case_id")


def _own_or_member(user: Any, *fields: str) -> Q:
    """Matters where ``user`` is in one of ``fields``, or an active member.

    The same set written for each database's planner: SQLite combines the indexes of an OR ("multi-index OR"),
    while PostgreSQL cannot combine an OR with an IN subquery and scanned every matter; it gets one IN over a
    UNION of index lookups instead."""
    from entraide.cases.models import Case

    if not fields:
        return Q(pk__in=_membership(user))
    if connection.vendor == "postgresql":
        own = [Case.objects.filter(**{field: user}).order_by().values("pk") for field in fields]
        return Q(pk__in=own[0].union(*own[1:], _membership(user)))
    either = Q(pk__in=_membership(user))
    for field in fields:
        either |= Q(**{field: user})
    return either


def visible_cases_filter(user: Any) -> Q:
    """A filter on Case for what ``user`` may see. Unknown roles see nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    # Cleared for the highest level: no condition, so that counting what a head sees needs no scan.
    cleared = Q(confidentiality__lte=user.clearance) if user.clearance < max(Confidentiality.values) else Q()
    role = user.role
    if role in (Role.HEAD, Role.AUDITOR):
        return cleared
    if role == Role.OFFICER:
        return cleared & _own_or_member(user, "officer")
    if role in (Role.CLERK, Role.REQUESTING):
        return cleared & _own_or_member(user, "created_by", "officer")
    if role == Role.EXECUTING:
        return cleared & _own_or_member(user)
    return NOTHING


def visible_cases(user: Any) -> QuerySet[Case]:
    from entraide.cases.models import Case

    return Case.objects.filter(visible_cases_filter(user))


def get_case_for(user: Any, pk: Any, *, related: Sequence[str] = ()) -> Case:
    """The case if ``user`` may see it; otherwise 404, as if it did not exist. ``related``: to select with it."""
    try:
        return visible_cases(user).select_related(*related).get(pk=int(pk))
    except (ValueError, TypeError) as exc:
        raise Http404 from exc
    except visible_cases(user).model.DoesNotExist as exc:
        raise Http404 from exc


def get_case_by_reference_for(user: Any, reference: str) -> Case:
    from entraide.cases.models import Case

    try:
        return visible_cases(user).get(reference=reference)
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def can_work_on(user: Any, case: Case) -> bool:
    """May change the case's contents (subjects, measures, status…)."""
    if not user.is_authenticated:
        return False
    if user.role == Role.HEAD:
        return True
    if user.role == Role.OFFICER:
        return (
            case.officer_id == user.pk
            or case.members.filter(user=user)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
            .exists()
        )
    if user.role in (Role.REQUESTING, Role.CLERK):
        # Whoever registered a matter completes it until it leaves its first state (the officer takes over).
        return case.created_by_id == user.pk and case.status == case.lifecycle.initial
    return False


def can_file(user: Any, case: Case) -> bool:
    """May file documents and log communications (the clerk's work too)."""
    if can_work_on(user, case):
        return True
    return bool(user.is_authenticated and user.role == Role.CLERK)


def can_assign(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.HEAD)


def can_register(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in {Role.HEAD, Role.OFFICER, Role.CLERK, Role.REQUESTING})
