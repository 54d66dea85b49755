"""Filters of the register, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import Role, User
from entraide.cases import choices as c
from entraide.cases.catalogue import MeasureType
from entraide.cases.lifecycles import all_states
from entraide.cases.models import Case, CaseLink, Communication, Deadline, Document, Measure, Offence, Subject
from entraide.core.choices import Channel
from entraide.core.text import fold
from entraide.directory.models import Country


def search_cases(queryset: QuerySet[Case], text: str) -> QuerySet[Case]:
    """References, titles, summaries and subject names (accents and case ignored for names)."""
    text = (text or "").strip()[:200]
    if not text:
        return queryset
    folded = fold(text)
    subject_hits = Subject.objects.filter(search_name__contains=folded).values("case_id")
    return queryset.filter(
        Q(reference__icontains=text)
        | Q(counterpart_reference__icontains=text)
        | Q(title__icontains=text)
        | Q(summary__icontains=text)
        | Q(pk__in=subject_hits)
    )


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    direction = django_filters.ChoiceFilter(label=_("Direction"), choices=c.Direction.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=c.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), method="filter_status", choices=[])
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=c.Priority.choices)
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        field_name="counterpart_country",
        queryset=Country.objects.all(),
        to_field_name="code",
    )
    officer = django_filters.ModelChoiceFilter(
        label=_("Officer"),
        queryset=User.objects.filter(role__in=[Role.OFFICER, Role.HEAD], is_active=True),
        to_field_name="username",
    )
    flag = django_filters.ChoiceFilter(label=_("Flag"), choices=c.Flag.choices, method="filter_flag")
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    is_open = django_filters.BooleanFilter(label=_("Open"))
    received_after = django_filters.DateFilter(label=_("Received from"), field_name="received_on", lookup_expr="gte")
    received_before = django_filters.DateFilter(label=_("Received until"), field_name="received_on", lookup_expr="lte")
    sort = django_filters.OrderingFilter(
        label=_("Sort"),
        fields=(
            ("created_at", "registered"),
            ("reference", "reference"),
            ("priority", "priority"),
            ("next_due_at", "due"),
            ("received_on", "received"),
            ("updated_at", "updated"),
        ),
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["status"].extra["choices"] = sorted(
            ((k, str(v)) for k, v in all_states().items()), key=lambda kv: kv[1]
        )

    def filter_q(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return search_cases(queryset, value)

    def filter_status(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(status=value) if value else queryset

    def filter_flag(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(**{f"flag_{value}": True}) if value in c.Flag.values else queryset

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        if value is None:
            return queryset
        now = timezone.now()
        overdue = Q(is_open=True, next_due_at__lt=now)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


# --- the API ------------------------------------------------------------------------------------------------
# The same filters as the pages, under the API's field names; the API orders with ``?ordering=`` instead of
# ``sort``. Filters on a parent matter take its id as a number, never a model choice: a choice would answer
# "does not exist" for an unknown id but not for an invisible one, and so tell one from the other.


def _state_choices() -> list[tuple[str, str]]:
    return sorted(((k, str(v)) for k, v in all_states().items()), key=lambda kv: kv[0])


class CaseApiFilter(CaseFilter):
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=_state_choices, distinct=False)
    counterpart_country = django_filters.CharFilter(
        label=_("Counterpart country (ISO alpha-2 code)"), method="filter_counterpart_country"
    )
    officer = django_filters.CharFilter(label=_("Lead officer (username, or “me”)"), method="filter_officer")
    received_on = django_filters.DateFromToRangeFilter(label=_("Received between"))
    created_at = django_filters.DateFromToRangeFilter(label=_("Registered between"))
    country = None
    sort = None
    received_after = None
    received_before = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["status"].extra["choices"] = _state_choices

    def filter_counterpart_country(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(counterpart_country_id=value.strip().upper()) if value else queryset

    def filter_officer(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if not value:
            return queryset
        if value == "me":
            return queryset.filter(officer=self.request.user) if self.request else queryset.none()
        return queryset.filter(officer__username=value)


class _ChildFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(label=_("Matter id"), field_name="case_id")


class SubjectApiFilter(_ChildFilter):
    role = django_filters.ChoiceFilter(choices=c.SubjectRole.choices)

    class Meta:
        model = Subject
        fields: list[str] = []


class MeasureApiFilter(_ChildFilter):
    type = django_filters.ChoiceFilter(choices=MeasureType.choices)
    status = django_filters.ChoiceFilter(choices=c.MeasureStatus.choices)

    class Meta:
        model = Measure
        fields: list[str] = []


class OffenceApiFilter(_ChildFilter):
    class Meta:
        model = Offence
        fields: list[str] = []


class CommunicationApiFilter(_ChildFilter):
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    direction = django_filters.ChoiceFilter(choices=c.CommDirection.choices)

    class Meta:
        model = Communication
        fields: list[str] = []


class LinkApiFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(label=_("Matter id (either end of the link)"), method="filter_case")
    kind = django_filters.ChoiceFilter(choices=c.LinkKind.choices)

    class Meta:
        model = CaseLink
        fields: list[str] = []

    def filter_case(self, queryset: QuerySet[CaseLink], name: str, value: Any) -> QuerySet[CaseLink]:
        return queryset.filter(Q(source_id=value) | Q(target_id=value)) if value is not None else queryset


class DeadlineApiFilter(_ChildFilter):
    status = django_filters.ChoiceFilter(choices=c.DeadlineStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Deadline
        fields: list[str] = []

    def filter_overdue(self, queryset: QuerySet[Deadline], name: str, value: bool | None) -> QuerySet[Deadline]:
        if value is None:
            return queryset
        overdue = Q(status=c.DeadlineStatus.RUNNING, due_at__lt=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class DocumentApiFilter(_ChildFilter):
    kind = django_filters.ChoiceFilter(choices=c.DocumentKind.choices)

    class Meta:
        model = Document
        fields: list[str] = []
