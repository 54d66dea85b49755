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


def _base_of(body: str) -> str:
    import html
    import re

    match = re.search(r'name="_base" id="draft-base" value="([^"]*)"', body)
    assert match, "no _base in the page"
    return html.unescape(match.group(1))


def test_two_people_typing_in_the_same_field_do_not_overwrite_each_other(client, officer, head):
    from django.test import Client

    draft = complete_mla(officer)
    case_actions.assign(Case.objects.get(pk=draft.case_id), officer, actor=head)
    other = Client()
    client.force_login(officer)
    other.force_login(head)
    mine = _base_of(client.get(f"/drafting/{draft.case_id}/?step=contact").content.decode())
    theirs = _base_of(other.get(f"/drafting/{draft.case_id}/?step=contact").content.decode())
    url = f"/drafting/{draft.case_id}/save/"
    # The officer saves twice in a row: their own earlier save is no conflict; the page gets its new fingerprints.
    first = client.post(
        url,
        {"step": "contact", "_fields": ["contact_name"], "contact_name": "B. Alami", "_base": mine},
        HTTP_HX_REQUEST="true",
    )
    assert first.status_code == 200 and 'hx-swap-oob="true"' in first.content.decode()
    second = client.post(
        url,
        {"step": "contact", "_fields": ["contact_name"], "contact_name": "B. Alami (2)", "_base": mine},
        HTTP_HX_REQUEST="true",
    )
    assert second.status_code == 200
    # The head's page still shows the value before: their save of that field is refused, naming who changed it.
    refused = other.post(
        url,
        {"step": "contact", "_fields": ["contact_name"], "contact_name": "C. Idrissi", "_base": theirs},
        HTTP_HX_REQUEST="true",
    )
    body = refused.content.decode()
    assert refused.status_code == 400 and 'data-save="error"' in body and officer.username in body
    assert 'hx-swap-oob="true"' not in body
    assert Draft.objects.get(pk=draft.pk).content["contact_name"] == "B. Alami (2)"
    # A field nobody else touched is saved from the same stale page; so is one set to the value already stored.
    ok = other.post(
        url,
        {
            "step": "contact",
            "_fields": ["contact_email", "contact_name"],
            "contact_email": "c.i@justice.example",
            "contact_name": "B. Alami (2)",
            "_base": theirs,
        },
        HTTP_HX_REQUEST="true",
    )
    assert ok.status_code == 200
    assert Draft.objects.get(pk=draft.pk).content["contact_email"] == "c.i@justice.example"
    # Reloading gives the head the current text; then the save goes through.
    theirs = _base_of(other.get(f"/drafting/{draft.case_id}/?step=contact").content.decode())
    done = other.post(
        url,
        {"step": "contact", "_fields": ["contact_name"], "contact_name": "C. Idrissi", "_base": theirs},
        HTTP_HX_REQUEST="true",
    )
    assert done.status_code == 200 and Draft.objects.get(pk=draft.pk).content["contact_name"] == "C. Idrissi"


def test_each_language_of_a_text_is_guarded_on_its_own(officer, head):
    import pytest

    from entraide.core.errors import ActionError
    from entraide.drafting import actions

    draft = complete_mla(officer)
    case_actions.assign(Case.objects.get(pk=draft.case_id), officer, actor=head)
    seen = actions.field_digests(draft.content, ["facts"], {"facts": ["fr", "en"]})
    actions.save_content(draft, actor=head, changes={"facts": {"en": "The facts."}})
    # The officer's page showed no English text: writing French is fine, writing English would overwrite the head's.
    actions.save_content(
        Draft.objects.get(pk=draft.pk), actor=officer, changes={"facts": {"fr": "Les faits, complétés."}}, seen=seen
    )
    with pytest.raises(ActionError) as info:
        actions.save_content(
            Draft.objects.get(pk=draft.pk), actor=officer, changes={"facts": {"en": "Other facts."}}, seen=seen
        )
    assert info.value.status == 409 and info.value.code == "stale_field" and "facts__en" in info.value.fields
    assert Draft.objects.get(pk=draft.pk).content["facts"] == {"fr": "Les faits, complétés.", "en": "The facts."}
    # The fingerprints are bookkeeping: they do not change what was approved.
    assert "edited_by" in Draft.objects.get(pk=draft.pk).content


def test_without_javascript_a_refused_text_is_given_back_in_the_message(client, officer, head):
    from entraide.drafting import actions

    draft = complete_mla(officer)
    case_actions.assign(Case.objects.get(pk=draft.case_id), officer, actor=head)
    client.force_login(officer)
    mine = _base_of(client.get(f"/drafting/{draft.case_id}/?step=contact").content.decode())
    actions.save_content(Draft.objects.get(pk=draft.pk), actor=head, changes={"contact_name": "Head's choice"})
    response = client.post(
        f"/drafting/{draft.case_id}/save/",
        {"step": "contact", "_fields": ["contact_name"], "contact_name": "My careful text", "_base": mine},
        follow=True,
    )
    body = response.content.decode()
    assert "My careful text" in body and "not saved" in body
    assert Draft.objects.get(pk=draft.pk).content["contact_name"] == "Head's choice"
