"""Pages of the directory. Every signed-in user may read it; administrators edit it in the admin site."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from entraide.directory.filters import AuthorityFilter, CountryFilter, InstrumentFilter, localized_order
from entraide.directory.models import (
    Authority,
    AuthorityKind,
    Confidence,
    Country,
    CountryProfile,
    Instrument,
    InstrumentKind,
)

PAGE_SIZE = 50


def _page(request: HttpRequest, queryset: Any, size: int = PAGE_SIZE) -> Any:
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, {"nav": "directory", **context})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    authorities = Authority.objects.filter(active=True)
    by_kind = dict(authorities.values_list("kind").annotate(n=Count("id")))
    instruments = dict(Instrument.objects.values_list("kind").annotate(n=Count("id")))
    return _render(
        request,
        "directory/index.html",
        {
            "countries_count": Country.objects.count(),
            "profiles_count": CountryProfile.objects.count(),
            "authorities_count": authorities.count(),
            "authority_kinds": [(kind, label, by_kind.get(kind, 0)) for kind, label in AuthorityKind.choices],
            "instruments_count": sum(instruments.values()),
            "instrument_kinds": [(kind, label, instruments.get(kind, 0)) for kind, label in InstrumentKind.choices],
            "central_authorities_countries": authorities.filter(kind=AuthorityKind.CENTRAL_AUTHORITY)
            .values("country")
            .distinct()
            .count(),
        },
    )


@login_required
def countries(request: HttpRequest) -> HttpResponse:
    queryset = Country.objects.annotate(authorities_count=Count("authorities")).select_related("profile")
    flt = CountryFilter(request.GET, queryset=queryset.order_by(*localized_order()), request=request)
    return _render(request, "directory/countries.html", {"filter": flt, "page": _page(request, flt.qs, 100)})


@login_required
def country(request: HttpRequest, code: str) -> HttpResponse:
    obj = get_object_or_404(Country, code=code.upper())
    profile = CountryProfile.objects.filter(country=obj).first()
    # Instruments whose parties are known only as a rule may still bind this country: list them apart.
    unlisted = Instrument.objects.filter(parties_known=False).exclude(parties=obj)
    return _render(
        request,
        "directory/country.html",
        {
            "country": obj,
            "profile": profile,
            "authorities": obj.authorities.prefetch_related("contacts").order_by("-active", "kind", "name"),
            "instruments": obj.instruments.order_by("kind", "code"),
            "rule_instruments": [(i, obj.code in (i.non_parties or [])) for i in unlisted],
        },
    )


@login_required
def authorities(request: HttpRequest) -> HttpResponse:
    queryset = Authority.objects.select_related("country").order_by(
        *localized_order("country__"), "-active", "kind", "name"
    )
    flt = AuthorityFilter(request.GET, queryset=queryset, request=request)
    return _render(request, "directory/authorities.html", {"filter": flt, "page": _page(request, flt.qs)})


@login_required
def authority(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_object_or_404(Authority.objects.select_related("country"), pk=pk)
    return _render(request, "directory/authority.html", {"authority": obj, "contacts": obj.contacts.all()})


@login_required
def instruments(request: HttpRequest) -> HttpResponse:
    queryset = Instrument.objects.annotate(parties_count=Count("parties")).order_by("kind", "code")
    flt = InstrumentFilter(request.GET, queryset=queryset, request=request)
    return _render(request, "directory/instruments.html", {"filter": flt, "page": _page(request, flt.qs)})


@login_required
def instrument(request: HttpRequest, code: str) -> HttpResponse:
    parties = Prefetch("parties", queryset=Country.objects.order_by(*localized_order()))
    obj = get_object_or_404(Instrument.objects.prefetch_related(parties), code=code)
    non_parties = Country.objects.filter(code__in=obj.non_parties or []).order_by(*localized_order())
    uncertain = Country.objects.filter(code__in=(obj.details or {}).get("parties_uncertain") or []).order_by(
        *localized_order()
    )
    return _render(
        request,
        "directory/instrument.html",
        {
            "instrument": obj,
            "parties": obj.parties.all(),
            "non_parties": non_parties,
            "uncertain": uncertain,
            "articles": sorted((obj.articles or {}).items()),
            "needs_verification": obj.confidence != Confidence.HIGH,
        },
    )
