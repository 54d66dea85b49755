"""Country guides: written by the Central Authority, versioned, multilingual, searchable, linked from the composer."""

from __future__ import annotations

import pytest

from entraide.audit.models import AuditRecord
from entraide.core.errors import ActionError, Forbidden
from entraide.drafting import actions
from entraide.drafting.models import CountryGuide
from entraide.testing import country

from .helpers import complete_mla


def test_an_officer_writes_a_guide_and_each_edit_is_a_version(officer):
    fr = country("FR")
    guide = actions.save_guide(actor=officer, country=fr, language="fr", title="France", body="Écrire en français.")
    guide = actions.save_guide(
        actor=officer,
        country=fr,
        language="fr",
        title="France",
        body="Écrire en français. Avance par courriel.",
        note="courriel",
    )
    assert guide.version == 2 and list(guide.versions.values_list("number", flat=True)) == [2, 1]
    actions.save_guide(actor=officer, country=fr, language="ar", title="فرنسا", body="تُحرَّر الطلبات بالفرنسية.")
    assert CountryGuide.objects.filter(country=fr).count() == 2
    assert AuditRecord.objects.filter(action="guide.save").count() == 3


def test_only_the_central_authority_writes_guides(prosecutor, officer):
    with pytest.raises(Forbidden):
        actions.save_guide(actor=prosecutor, country=country("FR"), language="fr", title="x", body="y")
    with pytest.raises(ActionError) as info:
        actions.save_guide(actor=officer, country=country("FR"), language="xx", title="", body="y")
    assert {"language", "title"} <= set(info.value.fields)


def test_prosecutors_read_and_search_the_guides_and_the_composer_links_them(client, officer, prosecutor):
    actions.save_guide(
        actor=officer, country=country("FR"), language="en", title="France", body="Send an advance copy."
    )
    actions.save_guide(actor=officer, country=country("ES"), language="en", title="Spain", body="Spanish only.")
    client.force_login(prosecutor)
    body = client.get("/drafting/guides/?q=advance").content.decode()
    assert "France" in body and "Spain" not in body
    assert "Send an advance copy." in client.get("/drafting/guides/FR/").content.decode()
    assert client.get("/drafting/guides/FR/edit/").status_code == 404
    draft = complete_mla(prosecutor)
    assert 'href="/drafting/guides/FR/"' in client.get(f"/drafting/{draft.case_id}/").content.decode()


def test_an_officer_edits_through_the_page(client, officer):
    country("FR")
    client.force_login(officer)
    response = client.post(
        "/drafting/guides/FR/edit/", {"language": "fr", "title": "France", "body": "Écrire en français.", "note": ""}
    )
    assert response.status_code == 302
    assert CountryGuide.objects.get(country_id="FR", language="fr").body == "Écrire en français."


def test_guides_through_the_api(officer, prosecutor):
    from rest_framework.test import APIClient

    actions.save_guide(
        actor=officer, country=country("FR"), language="en", title="France", body="Send an advance copy."
    )
    api = APIClient()
    api.force_authenticate(prosecutor)
    rows = api.get("/api/v1/country-guides/?q=advance").json()["results"]
    assert [r["country"] for r in rows] == ["FR"]
    assert api.get("/api/v1/country-guides/?country=ES").json()["count"] == 0
