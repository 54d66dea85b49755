"""Filters of the directory, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from entraide.core.i18n import current_language
from entraide.directory.models import (
    Authority,
    AuthorityKind,
    Confidence,
    Country,
    CountryProfile,
    Instrument,
    InstrumentKind,
    InstrumentScope,
)


def localized_order(prefix: str = "") -> list[str]:
    """Order by the name in the user's language (names in French and Arabic are filled for every country)."""
    lang = current_language()
    return [f"{prefix}name_{lang}", f"{prefix}name"] if lang != "en" else [f"{prefix}name"]


def countries(request: Any) -> QuerySet[Country]:
    return Country.objects.order_by(*localized_order())


class BootstrapMixin:
    """Give the filter form's widgets Bootstrap classes (the page templates render them field by field)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for form_field in self.form.fields.values():  # type: ignore[attr-defined]
            select = isinstance(form_field.widget, forms.Select)
            form_field.widget.attrs.setdefault("class", "form-select" if select else "form-control")


def _search(queryset: QuerySet, fields: tuple[str, ...], value: str) -> QuerySet:
    query = Q()
    for term in value.split():
        term_query = Q()
        for name in fields:
            term_query |= Q(**{f"{name}__icontains": term})
        query &= term_query
    return queryset.filter(query)


class CountryFilter(BootstrapMixin, filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"), help_text=_("Name in any language, or ISO code."))

    class Meta:
        model = Country
        fields = ["q"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if len(value) in (2, 3) and value.isalpha():
            exact = queryset.filter(Q(code__iexact=value) | Q(alpha3__iexact=value))
            if exact.exists():
                return exact
        return _search(queryset, ("name", "name_fr", "name_ar"), value)


class AuthorityFilter(BootstrapMixin, filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"), help_text=_("Name, city, e-mail or contact."))
    country = filters.ModelChoiceFilter(
        queryset=countries, to_field_name="code", label=_("Country"), help_text=_("ISO 3166-1 alpha-2 code.")
    )
    kind = filters.ChoiceFilter(choices=AuthorityKind.choices, label=_("Kind"))

    class Meta:
        model = Authority
        fields = ["q", "country", "kind"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        fields = ("name", "name_fr", "name_ar", "city", "email", "contacts__name", "contacts__email")
        return _search(queryset, fields, value).distinct()


class AuthorityApiFilter(AuthorityFilter):
    active = filters.BooleanFilter(label=_("Active"))

    class Meta(AuthorityFilter.Meta):
        fields = ["q", "country", "kind", "active"]


class InstrumentFilter(BootstrapMixin, filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"), help_text=_("Code or title."))
    kind = filters.ChoiceFilter(choices=InstrumentKind.choices, label=_("Kind"))
    scope = filters.ChoiceFilter(
        choices=InstrumentScope.choices,
        method="filter_scope",
        label=_("Scope"),
        help_text=_("Instruments covering both also match mla and extradition."),
    )
    confidence = filters.ChoiceFilter(choices=Confidence.choices, label=_("Confidence"))
    party = filters.ModelChoiceFilter(
        queryset=countries,
        field_name="parties",
        to_field_name="code",
        label=_("Party"),
        help_text=_("ISO 3166-1 alpha-2 code of a State on the checked party list."),
    )

    class Meta:
        model = Instrument
        fields = ["q", "kind", "scope", "confidence", "party"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _search(queryset, ("code", "title", "title_fr", "title_ar", "title_es", "title_pt"), value)

    def filter_scope(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value in (InstrumentScope.MLA, InstrumentScope.EXTRADITION):
            return queryset.filter(scope__in=[value, InstrumentScope.BOTH])
        return queryset.filter(scope=value)


class CountryProfileFilter(filters.FilterSet):
    country = filters.ModelChoiceFilter(
        queryset=countries, to_field_name="code", label=_("Country"), help_text=_("ISO 3166-1 alpha-2 code.")
    )
    electronic_transmission = filters.BooleanFilter(label=_("Electronic transmission accepted"))

    class Meta:
        model = CountryProfile
        fields = ["country", "electronic_transmission"]
