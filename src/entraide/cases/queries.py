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


def _own_or_member_now(user: Any, *fields: str) -> Q:
    """``_own_or_member`` with the user's active memberships read now, as a list of ids.

    For a page that runs its queries at once: the same matters as the subquery, but each database can then serve
    the register's order and counts from an index on ``officer`` (most users are members of no matter, and the
    condition is then one column), where an OR with a subquery made both read and sort all of a user's matters."""
    ids = list(_membership(user).values_list("case_id", flat=True))
    conditions = [Q(**{field: user}) for field in fields] + ([Q(pk__in=ids)] if ids else [])
    if not conditions:
        return NOTHING
    either = conditions[0]
    for condition in conditions[1:]:
        either |= condition
    return either


def visible_cases_filter(user: Any, *, now: bool = False) -> Q:
    """A filter on Case for what ``user`` may see. Unknown roles see nothing.

    ``now``: read the user's memberships at once instead of leaving a subquery in the condition (same matters; see
    ``_own_or_member_now``). For pages that evaluate their querysets in the same request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    # Cleared for the highest level: no condition, so that counting what a head sees needs no scan.
    cleared = Q(confidentiality__lte=user.clearance) if user.clearance < max(Confidentiality.values) else Q()
    role = user.role
    own_or_member = _own_or_member_now if now else _own_or_member
    if role in (Role.HEAD, Role.AUDITOR):
        return cleared
    if role == Role.OFFICER:
        return cleared & own_or_member(user, "officer")
    if role in (Role.CLERK, Role.REQUESTING):
        return cleared & own_or_member(user, "created_by", "officer")
    if role == Role.EXECUTING:
        return cleared & own_or_member(user)
    return NOTHING


def visible_cases(user: Any, *, now: bool = False) -> QuerySet[Case]:
    """What ``user`` may see. ``now``: the user's memberships are read at once (``visible_cases_filter``)."""
    from entraide.cases.models import Case

    return Case.objects.filter(visible_cases_filter(user, now=now))


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


# --- rows of the register's lists -----------------------------------------------------------------------------

ROW_COLUMNS = (
    "pk",
    "reference",
    "direction",
    "kind",
    "status",
    "title",
    "counterpart_country_id",
    "priority",
    "officer_id",
    "is_open",
    "next_due_at",
    "counterpart_country__name",
    "counterpart_country__name_fr",
    "counterpart_country__name_ar",
    "officer__username",
)


class RowCountry:
    """The counterpart country of a row: its names, and ``str()`` in the reader's language as ``Country``."""

    __slots__ = ("name", "name_ar", "name_fr")

    def __init__(self, name: str, name_fr: str, name_ar: str) -> None:
        self.name, self.name_fr, self.name_ar = name, name_fr, name_ar

    def __str__(self) -> str:
        from entraide.core.i18n import localized

        return localized(self)


class RowOfficer:
    __slots__ = ("username",)

    def __init__(self, username: str) -> None:
        self.username = username

    def __str__(self) -> str:
        return self.username


class CaseRow:
    """What a row of the register shows (``{% case_rows %}``), read as values rather than as a model instance with
    its country and officer: building three model instances a row was most of a list's time in the ORM."""

    __slots__ = (
        "counterpart_country",
        "counterpart_country_id",
        "direction",
        "is_open",
        "kind",
        "marks",
        "next_due_at",
        "officer",
        "officer_id",
        "pk",
        "priority",
        "reference",
        "status",
        "title",
    )

    def __init__(self, values: tuple[Any, ...]) -> None:
        (
            self.pk,
            self.reference,
            self.direction,
            self.kind,
            self.status,
            self.title,
            self.counterpart_country_id,
            self.priority,
            self.officer_id,
            self.is_open,
            self.next_due_at,
            name,
            name_fr,
            name_ar,
            username,
        ) = values
        self.counterpart_country = RowCountry(name, name_fr, name_ar)
        self.officer = RowOfficer(username) if self.officer_id is not None else None
        self.marks: list[Any] = []

    @property
    def id(self) -> Any:
        return self.pk

    @property
    def status_label(self) -> str:
        from entraide.cases.lifecycles import lifecycle_for

        return str(lifecycle_for(self.kind, self.direction).label(self.status))


def case_rows(queryset: QuerySet[Case]) -> list[CaseRow]:
    """The rows of ``queryset`` (already ordered and sliced) for ``{% case_rows %}``, in one query, with the marks
    the apps put on them (``core.extensions.register_case_marks``: at most one query each)."""
    from entraide.core.extensions import case_marks

    rows = [CaseRow(values) for values in queryset.values_list(*ROW_COLUMNS)]
    by_pk = {row.pk: row for row in rows}
    for pk, marks in case_marks(rows).items():
        if pk in by_pk:
            by_pk[pk].marks = marks
    return rows
