"""The drafting pages: start, composer steps, saving as you type, review, the case-page panel and the menu."""

from __future__ import annotations

from entraide.cases import actions as case_actions
from entraide.cases.models import Case
from entraide.drafting.models import Draft

from .helpers import complete_mla, reference_data


def test_start_a_draft_and_see_the_bases_and_profile(client, prosecutor):
    reference_data()
    client.force_login(prosecutor)
    page = client.get("/drafting/")
    assert "Drafts" in page.content.decode()  # the menu entry
    response = client.post(
        "/drafting/new/", {"kind": "mla", "counterpart_country": "FR", "title": "Bank fraud", "priority": 3}
    )
    case = Case.objects.get(title="Bank fraud")
    assert response.status_code == 302 and response["Location"].endswith(f"/drafting/{case.pk}/?step=basis")
    body = client.get(response["Location"]).content.decode()
    assert "MA-FR-MLA" in body and 'data-profile="languages">fr<' in body
    partial = client.get("/drafting/legal-bases/?counterpart_country=FR&kind=extradition").content.decode()
    assert "MA-FR-EXT" in partial and "MA-FR-MLA" not in partial


def test_every_step_renders(client, officer):
    draft = complete_mla(officer)
    client.force_login(officer)
    for step in (
        "basis",
        "authority",
        "facts",
        "persons",
        "measures",
        "purpose",
        "preservation",
        "conditions",
        "contact",
        "languages",
        "annexes",
    ):
        response = client.get(f"/drafting/{draft.case_id}/?step={step}")
        assert response.status_code == 200, step


def test_saving_as_you_type_returns_the_findings(client, officer):
    draft = complete_mla(officer)
    client.force_login(officer)
    response = client.post(
        f"/drafting/{draft.case_id}/save/",
        {
            "step": "purpose",
            "_fields": ["purpose", "procedure", "admissibility"],
            "purpose__fr": "",
            "procedure": "",
            "admissibility": "x",
        },
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'data-rule="MLA-07"' in body and 'data-save="ok"' in body
    response = client.post(
        f"/drafting/{draft.case_id}/save/",
        {"step": "contact", "_fields": ["contact_name"], "contact_name": "x" * 400},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400 and 'data-save="error"' in response.content.decode()
    assert Draft.objects.get(pk=draft.pk).content["contact_name"] == "A. Benali"


def test_the_case_page_shows_the_draft_panel(client, officer):
    draft = complete_mla(officer)
    client.force_login(officer)
    body = client.get(f"/cases/{draft.case_id}/").content.decode()
    assert 'id="draft-panel"' in body and 'data-review="drafting"' in body


def test_review_on_the_composer(client, prosecutor, officer, head):
    draft = complete_mla(prosecutor)
    client.force_login(prosecutor)
    client.post(f"/drafting/{draft.case_id}/submit/")
    assert Case.objects.get(pk=draft.case_id).status == "under_review"
    case_actions.assign(Case.objects.get(pk=draft.case_id), officer, actor=head)
    client.force_login(officer)
    body = client.get(f"/drafting/{draft.case_id}/?step=facts").content.decode()
    assert 'id="approve-draft"' in body and 'id="request-changes"' in body
    client.post(f"/drafting/{draft.case_id}/review/comment/", {"section": "facts", "text": "Give the amounts."})
    client.post(f"/drafting/{draft.case_id}/review/changes/", {"reason": "Amounts missing."})
    assert Case.objects.get(pk=draft.case_id).status == "draft"
    client.force_login(prosecutor)
    body = client.get(f"/drafting/{draft.case_id}/?step=facts").content.decode()
    assert "Give the amounts." in body
