"""Directory pages: readable by every signed-in role, in every language, with edit links only for admins."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.urls import reverse

from entraide.directory.models import Authority, AuthorityKind, CountryProfile, Instrument

pytestmark = pytest.mark.django_db


def directory_urls() -> list[str]:
    ca = Authority.objects.get(country="MA", kind=AuthorityKind.CENTRAL_AUTHORITY)
    return [
        reverse("directory:index"),
        reverse("directory:countries"),
        reverse("directory:country", args=["MA"]),
        reverse("directory:country", args=["FR"]),
        reverse("directory:country", args=["AQ"]),  # no profile, no authority
        reverse("directory:authorities"),
        reverse("directory:authority", args=[ca.pk]),
        reverse("directory:instruments"),
        reverse("directory:instrument", args=["CETS185"]),
        reverse("directory:instrument", args=["UNTOC"]),
        reverse("directory:instrument", args=["MA-FR-MLA"]),
        reverse("directory:instrument", args=["RECIPROCITY"]),
    ]


def english(client: Any, user: Any) -> Any:
    user.language = "en"
    user.save()
    client.force_login(user)
    return client


def test_every_page_renders_for_an_officer(client: Any, officer: Any, reference: None) -> None:
    client.force_login(officer)
    for url in directory_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"admin/directory" not in response.content, url


@pytest.mark.parametrize("persona", ["head", "clerk", "auditor", "prosecutor", "executor", "admin_user"])
def test_every_role_may_read_the_directory(client: Any, reference: None, persona: str, request: Any) -> None:
    client.force_login(request.getfixturevalue(persona))
    for url in directory_urls():
        assert client.get(url).status_code == 200, url


def test_anonymous_users_are_sent_to_the_login_page(client: Any, reference: None) -> None:
    for url in directory_urls():
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_pages_render_right_to_left_in_arabic(client: Any, officer: Any, reference: None) -> None:
    officer.language = "ar"
    officer.save()
    client.force_login(officer)
    for url in directory_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'dir="rtl"' in response.content, url
    countries = client.get(reverse("directory:countries")).content.decode()
    assert "المغرب" in countries and "ألمانيا" in countries
    authority = Authority.objects.get(country="MA", kind=AuthorityKind.CENTRAL_AUTHORITY)
    assert authority.name_ar in client.get(reverse("directory:authority", args=[authority.pk])).content.decode()


def test_country_names_follow_the_users_language(client: Any, officer: Any, reference: None) -> None:
    officer.language = "fr"
    officer.save()
    client.force_login(officer)
    assert "Allemagne" in client.get(reverse("directory:countries") + "?q=allem").content.decode()


def test_low_and_medium_confidence_instruments_carry_a_warning(client: Any, officer: Any, reference: None) -> None:
    english(client, officer)
    warning = "Starting data — verify with the depositary before relying on it."
    untoc = client.get(reverse("directory:instrument", args=["UNTOC"])).content.decode()
    assert warning in untoc and "May 4, 2024" in untoc and 'data-confidence="medium"' in untoc
    riyadh = client.get(reverse("directory:instrument", args=["RIYADH1983"])).content.decode()
    assert warning in riyadh and "not dated" in riyadh and 'data-confidence="low"' in riyadh
    budapest = client.get(reverse("directory:instrument", args=["CETS185"])).content.decode()
    assert warning not in budapest and 'data-confidence="high"' in budapest and "Oct. 9, 2024" in budapest
    assert "76 States on the checked list" in budapest and "Morocco" in budapest


def test_an_instrument_page_shows_its_titles_in_each_language_held(client: Any, officer: Any, reference: None) -> None:
    officer.language = "fr"
    officer.save()
    client.force_login(officer)
    untoc = client.get(reverse("directory:instrument", args=["UNTOC"])).content.decode()
    assert "Intitulé (espagnol)" in untoc and "Intitulé (portugais)" in untoc
    assert '<span lang="es" dir="ltr">Convención de las Naciones Unidas contra la Delincuencia' in untoc
    assert '<span lang="pt" dir="ltr">Convenção das Nações Unidas contra a Criminalidade' in untoc
    found = client.get(reverse("directory:instruments"), {"q": "Auxílio Judiciário"}).context["page"]
    assert {i.code for i in found} == {"ETS030", "ETS182"}
    riyadh = client.get(reverse("directory:instrument", args=["RIYADH1983"])).content.decode()
    assert 'lang="es"' not in riyadh and "Intitulé (espagnol)" not in riyadh


def test_a_country_page_shows_profile_authorities_and_instruments(client: Any, officer: Any, reference: None) -> None:
    english(client, officer)
    page = client.get(reverse("directory:country", args=["FR"])).content.decode()
    assert "Starting data for demonstration" in page
    assert "Office for International Mutual Assistance in Criminal Matters" in page
    assert "CETS185" in page and "MA-FR-MLA" in page
    iran = client.get(reverse("directory:country", args=["IR"])).content.decode()
    assert "reported as not a party" in iran
    assert client.get(reverse("directory:country", args=["ZZ"])).status_code == 404


def test_filters_narrow_the_lists(client: Any, officer: Any, reference: None) -> None:
    english(client, officer)
    page = client.get(reverse("directory:authorities"), {"country": "MA", "kind": "prosecution"})
    shown = list(page.context["page"])
    assert shown and all(a.country_id == "MA" and a.kind == "prosecution" for a in shown)
    page = client.get(reverse("directory:authorities"), {"q": "ANRF"})
    assert [a.kind for a in page.context["page"]] == ["fiu"]
    page = client.get(reverse("directory:instruments"), {"scope": "extradition", "kind": "multilateral"})
    scopes = {i.scope for i in page.context["page"]}
    assert scopes == {"extradition", "both"}
    page = client.get(reverse("directory:countries"), {"q": "mar"})
    assert "MA" in [c.code for c in page.context["page"]]
    page = client.get(reverse("directory:countries"), {"q": "DEU"})
    assert [c.code for c in page.context["page"]] == ["DE"]
    page = client.get(reverse("directory:authorities"), {"country": "not-a-country"})
    assert page.status_code == 200 and page.context["filter"].errors


def test_administrators_see_edit_links(client: Any, admin_user: Any, reference: None) -> None:
    client.force_login(admin_user)
    authority = Authority.objects.get(country="MA", kind=AuthorityKind.CENTRAL_AUTHORITY)
    page = client.get(reverse("directory:authority", args=[authority.pk])).content.decode()
    assert reverse("admin:directory_authority_change", args=[authority.pk]) in page
    budapest = Instrument.objects.get(code="CETS185")
    page = client.get(reverse("directory:instrument", args=["CETS185"])).content.decode()
    assert reverse("admin:directory_instrument_change", args=[budapest.pk]) in page
    page = client.get(reverse("directory:country", args=["FR"])).content.decode()
    assert reverse("admin:directory_country_change", args=["FR"]) in page
    assert reverse("admin:directory_countryprofile_change", args=[CountryProfile.objects.get(country="FR").pk]) in page


def test_administrators_edit_the_directory_in_the_admin(client: Any, admin_user: Any, reference: None) -> None:
    client.force_login(admin_user)
    authority = Authority.objects.get(country="MA", kind=AuthorityKind.CENTRAL_AUTHORITY)
    for url in [
        reverse("admin:directory_country_changelist"),
        reverse("admin:directory_country_change", args=["MA"]),
        reverse("admin:directory_authority_changelist"),
        reverse("admin:directory_authority_change", args=[authority.pk]),
        reverse("admin:directory_instrument_changelist"),
        reverse("admin:directory_instrument_change", args=[Instrument.objects.get(code="UNTOC").pk]),
        reverse("admin:directory_countryprofile_changelist"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_add"),
        reverse("admin:accounts_user_change", args=[admin_user.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_no_case_data_is_registered_in_the_admin() -> None:
    assert not [model for model in admin.site._registry if model._meta.app_label in {"cases", "audit"}]


def test_an_administrator_by_role_manages_the_directory_but_cannot_grant_superuser(
    client: Any, reference: None
) -> None:
    from entraide.accounts.models import Role
    from entraide.testing import UserFactory

    admin = UserFactory(username="t_role_admin", role=Role.ADMIN, is_staff=True)
    other = UserFactory(username="t_other", role=Role.OFFICER)
    client.force_login(admin)
    assert client.get(reverse("admin:directory_authority_add")).status_code == 200
    page = client.get(reverse("admin:accounts_user_change", args=[other.pk]))
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.content.decode()
    root = UserFactory(username="t_root", role=Role.ADMIN, is_staff=True, is_superuser=True)
    assert client.post(reverse("admin:accounts_user_change", args=[root.pk]), {}).status_code == 403


def test_officers_cannot_enter_the_admin(client: Any, officer: Any) -> None:
    client.force_login(officer)
    response = client.get(reverse("admin:directory_authority_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response.url
