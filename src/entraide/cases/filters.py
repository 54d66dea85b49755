"""Filters of the register, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import Role, User
from entraide.cases import choices as c
from entraide.cases.lifecycles import all_states
from entraide.cases.models import Case, Subject
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
        label=_("Country"), field_name="counterpart_country", queryset=Country.objects.all(), to_field_name="code"
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
