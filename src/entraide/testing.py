"""Factories and personas for the tests (imported by tests only)."""

from __future__ import annotations

from typing import Any, cast

import factory
from django.conf import settings

from entraide.accounts.models import Role, User
from entraide.cases import actions
from entraide.cases.choices import Direction, Kind
from entraide.cases.models import Case
from entraide.directory.models import Authority, AuthorityKind, Country

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test users only

COUNTRIES = {
    "MA": ("MAR", "Morocco", "Maroc", "المغرب"),
    "FR": ("FRA", "France", "France", "فرنسا"),
    "ES": ("ESP", "Spain", "Espagne", "إسبانيا"),
    "SN": ("SEN", "Senegal", "Sénégal", "السنغال"),
    "US": ("USA", "United States", "États-Unis", "الولايات المتحدة"),
}


def country(code: str) -> Country:
    alpha3, en, fr, ar = COUNTRIES[code]
    obj, _created = Country.objects.get_or_create(
        code=code, defaults={"alpha3": alpha3, "name": en, "name_fr": fr, "name_ar": ar}
    )
    return obj


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority

    name = factory.Sequence(lambda n: f"Authority {n}")
    kind = AuthorityKind.CENTRAL_AUTHORITY
    country = factory.LazyFunction(lambda: country("FR"))
    languages = factory.LazyFunction(lambda: ["fr"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.OFFICER
    password = factory.django.Password(PASSWORD)


def national_authority(kind: str = AuthorityKind.PROSECUTION) -> Authority:
    return cast(
        Authority, AuthorityFactory(name=f"National {kind}", kind=kind, country=country(settings.ENTRAIDE_COUNTRY))
    )


def make_case(actor: User, **overrides: Any) -> Case:
    data: dict[str, Any] = {
        "direction": Direction.INCOMING,
        "kind": Kind.MLA,
        "title": "Bank records of a fraud ring",
        "summary": "Investment fraud through shell companies.",
        "counterpart_country": country("FR"),
    }
    data.update(overrides)
    return actions.register_case(actor=actor, **data)


# The permission matrix (core/tests/test_permission_matrix.py): what each persona gets from each URL. Apps add
# their URLs from ``<app>/tests/matrix.py`` (``MATRIX``, optionally ``URLS`` and ``prepare``) with these rules.
PERSONAS = ["anonymous", "officer", "officer2", "head", "clerk", "auditor", "admin_user", "prosecutor", "executor"]


def rule(anonymous: int, default: int, **by_persona: int) -> dict[str, int]:
    """The status each persona gets: ``anonymous``, ``default`` for the rest, except those named."""
    statuses = dict.fromkeys(PERSONAS, default)
    statuses["anonymous"] = anonymous
    statuses.update(by_persona)
    return statuses


PAGE_OPEN = rule(302, 200)
API_OPEN = rule(401, 200)
CASE_READ = rule(302, 404, officer=200, head=200, auditor=200)
CASE_WORK = rule(302, 404, officer=200, head=200, auditor=403)
CASE_ASSIGN = rule(302, 404, officer=403, head=200, auditor=403)
CASE_POST = rule(302, 404, officer=302, head=302, auditor=403)
API_CASE_READ = rule(401, 404, officer=200, head=200, auditor=200)


def sign_in(page: Any, base: str, username: str) -> None:
    """Browser tests: sign ``username`` in (password ``PASSWORD``) on the live server at ``base``, from a clean
    session, and wait for the menu bar to name them."""
    from playwright.sync_api import expect

    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("nav.navbar")).to_contain_text(username)
