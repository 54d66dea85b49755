"""The directory API: every signed-in user reads it, administrators write it; bad input gets a clear 4xx."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from entraide.directory.models import Authority, CountryProfile, Instrument

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def client_for(user: Any) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def new_authority(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "name": "Ministry of Justice — Directorate of Criminal Affairs",
        "name_fr": "Ministère de la Justice — Direction des affaires pénales",
        "kind": "central_authority",
        "country": "sn",
        "city": "Dakar",
        "email": "dap@justice.sn.example",
        "languages": ["fr"],
        "channels": ["email", "post"],
        "contacts": [{"name": "Fatou Ndiaye", "position": "Magistrate", "email": "f.ndiaye@justice.sn.example"}],
    }
    payload.update(overrides)
    return payload


def test_anonymous_requests_are_refused(reference: None) -> None:
    for path in ("countries/", "countries/MA/", "authorities/", "instruments/", "country-profiles/"):
        response = APIClient().get(API + path)
        assert response.status_code == 401, path
    assert APIClient().post(API + "authorities/", new_authority(), format="json").status_code == 401


def test_every_signed_in_user_reads_the_directory(officer: Any, reference: None) -> None:
    api = client_for(officer)
    countries = api.get(API + "countries/", {"q": "allemagne"}).json()
    assert [c["code"] for c in countries["results"]] == ["DE"]
    morocco = api.get(API + "countries/ma/").json()
    assert (morocco["name"], morocco["name_ar"]) == ("Morocco", "المغرب")
    budapest = api.get(API + "instruments/CETS185/").json()
    assert budapest["confidence"] == "high" and budapest["parties_as_of"] == "2024-10-09"
    assert len(budapest["parties"]) == 76 and "MA" in budapest["parties"]
    assert api.get(API + "instruments/ETS030/").json()["details"]["parties_uncertain"] == ["RU"]
    untoc = api.get(API + "instruments/UNTOC/").json()
    assert untoc["title_es"] == "Convención de las Naciones Unidas contra la Delincuencia Organizada Transnacional"
    assert untoc["title_pt"] == "Convenção das Nações Unidas contra a Criminalidade Organizada Transnacional"
    assert api.get(API + "instruments/CETS224/").json()["title_es"] == ""
    found = api.get(API + "instruments/", {"q": "Criminalidade Organizada"}).json()["results"]
    assert [i["code"] for i in found] == ["UNTOC"]
    profile = api.get(API + "country-profiles/fr/").json()
    assert profile["languages"] == ["fr"] and "verify" in profile["source"]
    authorities = api.get(API + "authorities/", {"country": "MA", "kind": "fiu"}).json()["results"]
    assert len(authorities) == 1 and authorities[0]["contacts"]


def test_instrument_filters(officer: Any, reference: None) -> None:
    api = client_for(officer)
    codes = {i["code"] for i in api.get(API + "instruments/", {"party": "MA"}).json()["results"]}
    assert {"CETS185", "MA-FR-MLA"} <= codes and "OAS_A55" not in codes
    mla = api.get(API + "instruments/", {"scope": "mla", "kind": "multilateral"}).json()["results"]
    assert {i["scope"] for i in mla} == {"mla", "both"}
    low = api.get(API + "instruments/", {"confidence": "low"}).json()["results"]
    assert low and all(i["confidence"] == "low" for i in low)


def test_officers_cannot_write(officer: Any, reference: None) -> None:
    api = client_for(officer)
    response = api.post(API + "authorities/", new_authority(), format="json")
    assert response.status_code == 403
    assert "administrators" in response.json()["detail"]
    ca = Authority.objects.filter(country="MA").first()
    assert api.patch(API + f"authorities/{ca.pk}/", {"city": "Fès"}, format="json").status_code == 403
    assert api.delete(API + f"authorities/{ca.pk}/").status_code == 403
    assert api.patch(API + "instruments/UNTOC/", {"confidence": "high"}, format="json").status_code == 403
    assert api.patch(API + "country-profiles/FR/", {"notes": "x"}, format="json").status_code == 403
    assert Instrument.objects.get(code="UNTOC").confidence == "medium"


def test_administrators_write_authorities_with_contacts(admin_user: Any, reference: None) -> None:
    api = client_for(admin_user)
    response = api.post(API + "authorities/", new_authority(), format="json")
    assert response.status_code == 201, response.json()
    created = Authority.objects.get(pk=response.json()["id"])
    assert created.country_id == "SN" and created.contacts.get().name == "Fatou Ndiaye"

    response = api.patch(API + f"authorities/{created.pk}/", {"city": "Thiès"}, format="json")
    assert response.status_code == 200 and response.json()["city"] == "Thiès"
    assert created.contacts.count() == 1  # contacts untouched when not given
    contacts = [{"name": "Moussa Sarr"}, {"name": "Awa Fall", "languages": ["fr", "wo"]}]
    response = api.patch(API + f"authorities/{created.pk}/", {"contacts": contacts}, format="json")
    assert sorted(created.contacts.values_list("name", flat=True)) == ["Awa Fall", "Moussa Sarr"]

    assert api.delete(API + f"authorities/{created.pk}/").status_code == 204
    assert not Authority.objects.filter(pk=created.pk).exists()


def test_an_administrator_by_role_may_write_too(reference: None) -> None:
    from entraide.accounts.models import Role
    from entraide.testing import UserFactory

    api = client_for(UserFactory(username="t_role_admin", role=Role.ADMIN))
    assert api.post(API + "authorities/", new_authority(), format="json").status_code == 201


def test_administrators_write_instruments_and_profiles(admin_user: Any, reference: None) -> None:
    api = client_for(admin_user)
    payload = {
        "code": "MA-SN-MLA",
        "title": "Convention on judicial cooperation between Morocco and Senegal",
        "kind": "bilateral",
        "scope": "both",
        "parties_known": True,
        "parties": ["MA", "sn"],
        "confidence": "low",
        "articles": {"central_authority": "art. 3"},
    }
    response = api.post(API + "instruments/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert sorted(Instrument.objects.get(code="MA-SN-MLA").parties.values_list("code", flat=True)) == [
        "MA",
        "SN",
    ]

    response = api.patch(
        API + "instruments/MA-SN-MLA/",
        {"title_pt": "Convenção de cooperação judiciária entre Marrocos e Senegal"},
        format="json",
    )
    assert response.status_code == 200 and Instrument.objects.get(code="MA-SN-MLA").title_pt.startswith("Convenção")

    response = api.patch(API + "instruments/UNTOC/", {"non_parties": ["ir", "SO"]}, format="json")
    assert response.status_code == 200 and response.json()["non_parties"] == ["IR", "SO"]

    response = api.patch(API + "country-profiles/SN/", {"electronic_transmission": True}, format="json")
    assert response.status_code == 200 and CountryProfile.objects.get(country="SN").electronic_transmission is True
    response = api.post(API + "country-profiles/", {"country": "KE", "languages": ["en", "sw"]}, format="json")
    assert response.status_code == 201
    assert api.post(API + "countries/", {"code": "XK"}, format="json").status_code == 405


def test_unknown_country_codes_are_refused_clearly(admin_user: Any, reference: None) -> None:
    api = client_for(admin_user)
    response = api.post(API + "authorities/", new_authority(country="XX"), format="json")
    assert response.status_code == 400
    assert "Unknown country code “XX”" in response.json()["fields"]["country"]
    response = api.post(
        API + "instruments/",
        {
            "code": "T",
            "title": "T",
            "kind": "bilateral",
            "scope": "mla",
            "parties_known": True,
            "parties": ["MA", "QQ"],
        },
        format="json",
    )
    assert response.status_code == 400 and "QQ" in str(response.json()["fields"]["parties"])
    response = api.patch(API + "instruments/UNTOC/", {"non_parties": ["ZZ"]}, format="json")
    assert response.status_code == 400 and "ZZ" in str(response.json()["fields"]["non_parties"])
    assert api.get(API + "countries/ZZ/").status_code == 404
    response = api.get(API + "authorities/", {"country": "ZZ"})
    assert response.status_code == 400 and "country" in response.json()["fields"]


def test_bad_input_gets_a_clear_400(admin_user: Any, reference: None) -> None:
    api = client_for(admin_user)
    response = api.post(API + "authorities/", '{"name": "broken", ', content_type="application/json")
    assert response.status_code == 400 and "JSON parse error" in response.json()["detail"]
    response = api.post(API + "authorities/", new_authority(languages=["French"], channels=["pigeon"]), format="json")
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert "ISO 639-1" in str(fields) and "pigeon" in str(fields)
    assert any(key.startswith("languages") for key in fields) and any(key.startswith("channels") for key in fields)
    response = api.post(API + "authorities/", new_authority(kind="embassy"), format="json")
    assert response.status_code == 400 and "kind" in response.json()["fields"]
    response = api.post(
        API + "instruments/",
        {"code": "X", "title": "X", "kind": "bilateral", "scope": "mla", "parties": ["MA"]},
        format="json",
    )
    assert response.status_code == 400 and "parties_known" in response.json()["fields"]


def test_an_authority_still_in_use_cannot_be_deleted(admin_user: Any, prosecutor: Any, reference: None) -> None:
    response = client_for(admin_user).delete(API + f"authorities/{prosecutor.authority.pk}/")
    assert response.status_code == 409 and "cannot be deleted" in response.json()["detail"]
    assert Authority.objects.filter(pk=prosecutor.authority.pk).exists()
