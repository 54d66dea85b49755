"""The drafting API: start, save, findings, review; 404 for what one may not see."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from entraide.cases import actions as case_actions
from entraide.cases.models import Case
from entraide.drafting.models import Draft

from .helpers import complete_mla, reference_data


@pytest.fixture
def api():
    def client_for(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for


def test_a_prosecutor_starts_fills_and_submits_through_the_api(api, prosecutor, officer, head):
    reference_data()
    client = api(prosecutor)
    response = client.post(
        "/api/v1/drafts/",
        {"kind": "mla", "counterpart_country": "FR", "title": "Bank fraud", "legal_basis": "MA-FR-MLA"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response.json()["status"] == "draft"
    assert any(f["rule"] == "MLA-05" and f["severity"] == "blocking" for f in response.json()["findings"])
    response = client.patch(f"/api/v1/drafts/{pk}/", {"content": {"contact_name": "x" * 400}}, format="json")
    assert response.status_code == 400 and "contact_name" in response.json()["fields"]
    response = client.patch(
        f"/api/v1/drafts/{pk}/", {"content": {"facts": {"fr": "Les faits."}}, "version": 999}, format="json"
    )
    assert response.status_code == 409
    response = client.patch(f"/api/v1/drafts/{pk}/", {"content": {"facts": {"fr": "Les faits."}}}, format="json")
    assert response.status_code == 200 and response.json()["content"]["facts"] == {"fr": "Les faits."}
    response = client.post(f"/api/v1/drafts/{pk}/submit/")
    assert response.status_code == 409 and response.json()["code"] == "blocking_findings"
    assert api(officer).get(f"/api/v1/drafts/{pk}/").status_code == 404


def test_review_through_the_api(api, prosecutor, officer, head):
    draft = complete_mla(prosecutor)
    pk = draft.case_id
    assert api(prosecutor).post(f"/api/v1/drafts/{pk}/submit/").json()["status"] == "under_review"
    case_actions.assign(Case.objects.get(pk=pk), officer, actor=head)
    reviewer = api(officer)
    response = reviewer.post(f"/api/v1/drafts/{pk}/comment/", {"section": "facts", "text": "Amounts?"}, format="json")
    assert response.status_code == 201 and response.json()["comments"][0]["text"] == "Amounts?"
    assert api(prosecutor).post(f"/api/v1/drafts/{pk}/approve/").status_code == 403
    assert reviewer.post(f"/api/v1/drafts/{pk}/approve/").json()["review_state"] == "reviewed"
    response = api(head).post(f"/api/v1/drafts/{pk}/approve/")
    assert response.json()["review_state"] == "approved" and response.json()["status"] == "approved"
    assert response.json()["approved_hash"] == Draft.objects.get(case_id=pk).content_hash


def test_legal_bases_and_rules(api, officer):
    reference_data()
    response = api(officer).get("/api/v1/legal-bases/?country=FR&kind=mla")
    assert response.status_code == 200
    assert response.json()[0]["code"] == "MA-FR-MLA" and response.json()[0]["settled"] is True
    assert api(officer).get("/api/v1/legal-bases/?country=ZZ").status_code == 400
    rules = api(officer).get("/api/v1/drafting-rules/").json()
    assert len(rules) >= 30
    assert {"rule", "severity", "source", "editable"} <= set(rules[0])
    assert any(r["editable"] for r in rules)
