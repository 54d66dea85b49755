"""The review's steps belong to drafting: the generic "Next steps" and the API cannot skip the four-eyes review;
an approved request can be reopened; every step of the review is on the matter's timeline; the case-page panel
is cheap."""

from __future__ import annotations

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from entraide.audit.models import AuditRecord
from entraide.cases import actions as case_actions
from entraide.cases.models import Case, Event
from entraide.cases.timeline import describe
from entraide.core import extensions
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.drafting import actions
from entraide.drafting.document import generate
from entraide.drafting.models import Draft, ReviewState
from entraide.notifications.models import Notification
from entraide.testing import UserFactory

from .helpers import complete_extradition, complete_mla


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _under_review(prosecutor, officer, head):
    draft = actions.submit(complete_mla(prosecutor), actor=prosecutor)
    case_actions.assign(Case.objects.get(pk=draft.case_id), officer, actor=head)
    return Draft.objects.get(pk=draft.pk)


def _approved(prosecutor, officer, head):
    draft = _under_review(prosecutor, officer, head)
    draft = actions.approve(draft, actor=officer)
    return actions.approve(Draft.objects.get(pk=draft.pk), actor=head)


# --- the steps drafting takes over --------------------------------------------------------------------------


def test_drafting_claims_the_review_steps_of_every_outgoing_request_and_sending_of_mla_only(db):
    def owner(kind, status, target, direction="outgoing"):
        found = extensions.step_owner(Case(direction=direction, kind=kind, status=status), target)
        return found.key if found else None

    for kind in ("mla", "preservation", "extradition", "provisional_arrest"):
        assert owner(kind, "draft", "under_review") == "drafting"
        assert owner(kind, "under_review", "draft") == "drafting"
        assert owner(kind, "under_review", "approved") == "drafting"
        assert owner(kind, "approved", "draft") == "drafting"
        assert owner(kind, "draft", "withdrawn") is None
    assert owner("mla", "approved", "sent") == "drafting"
    assert owner("preservation", "approved", "sent") == "drafting"
    # What follows the review of an extradition request is the extradition app's.
    assert owner("extradition", "approved", "sent") != "drafting"
    assert owner("provisional_arrest", "approved", "sent") != "drafting"
    assert owner("mla", "sent", "acknowledged") is None
    assert owner("mla", "under_review", "accepted", direction="incoming") != "drafting"


def test_the_generic_next_steps_cannot_skip_the_review(client, prosecutor, officer, head):
    draft = complete_mla(prosecutor)
    case = Case.objects.get(pk=draft.case_id)
    case_actions.assign(case, officer, actor=head)
    with pytest.raises(Conflict) as info:
        case_actions.transition(case, "under_review", actor=officer)
    assert info.value.code == "step_owned"
    client.force_login(officer)
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'data-taken-from href="/drafting/{case.pk}/"' in body
    assert 'data-step="under_review"' not in body and 'data-step="withdrawn"' in body
    client.post(f"/cases/{case.pk}/transition/", {"to": "under_review"})
    assert Case.objects.get(pk=case.pk).status == "draft"
    # Nor can the head approve or send an unreviewed request by the bare step.
    draft = actions.submit(Draft.objects.get(pk=draft.pk), actor=prosecutor)
    client.force_login(head)
    client.post(f"/cases/{case.pk}/transition/", {"to": "approved"})
    assert Case.objects.get(pk=case.pk).status == "under_review"
    with pytest.raises(Conflict):
        case_actions.transition(Case.objects.get(pk=case.pk), "approved", actor=head)


def test_the_api_refuses_the_bare_steps_and_lists_where_they_are_taken(prosecutor, officer, head):
    draft = _under_review(prosecutor, officer, head)
    client = _api(head)
    options = {o["to"]: o for o in client.get(f"/api/v1/cases/{draft.case_id}/transitions/").json()}
    assert options["approved"]["taken_from"] == f"/drafting/{draft.case_id}/"
    assert not options["approved"]["available"]
    response = client.post(f"/api/v1/cases/{draft.case_id}/transition/", {"to": "approved"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "step_owned"
    response = client.post(
        f"/api/v1/cases/{draft.case_id}/transition/", {"to": "draft", "reason": "skip"}, format="json"
    )
    assert response.status_code == 409 and response.json()["code"] == "step_owned"
    assert Case.objects.get(pk=draft.case_id).status == "under_review"
    # Through drafting's own endpoint the step is taken, with its checks.
    assert _api(officer).post(f"/api/v1/drafts/{draft.case_id}/approve/").status_code == 200
    assert _api(head).post(f"/api/v1/drafts/{draft.case_id}/approve/").json()["status"] == "approved"
    response = client.post(f"/api/v1/cases/{draft.case_id}/transition/", {"to": "sent"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "step_owned"


def test_an_outgoing_extradition_is_reviewed_through_drafting_too(officer, head):
    draft = complete_extradition(officer)
    case = Case.objects.get(pk=draft.case_id)
    with pytest.raises(Conflict) as info:
        case_actions.transition(case, "under_review", actor=officer)
    assert info.value.code == "step_owned"
    draft = actions.submit(draft, actor=officer)
    assert draft.case.status == "under_review"


# --- reopening an approved request --------------------------------------------------------------------------


def test_the_head_reopens_an_approved_request_which_must_be_reviewed_again(prosecutor, officer, head):
    draft = _approved(prosecutor, officer, head)
    approved_hash = draft.approved_hash
    generate(Draft.objects.get(pk=draft.pk), actor=officer)
    draft = actions.reopen(Draft.objects.get(pk=draft.pk), actor=head, reason="The bank's name is wrong.")
    assert draft.case.status == "draft" and draft.review_state == ReviewState.CHANGES_REQUESTED
    assert not draft.approved_hash and draft.approved_by is None and draft.reviewer is None
    record = AuditRecord.objects.get(action="draft.reopen", case_id=draft.case_id)
    assert record.after["reason"] == "The bank's name is wrong." and record.before["approved_hash"] == approved_hash
    event = Event.objects.get(case_id=draft.case_id, verb="draft_reopened")
    assert event.reason == "The bank's name is wrong." and event.actor == head
    told = set(Notification.objects.filter(kind="draft.reopened").values_list("user__username", flat=True))
    assert told == {prosecutor.username, officer.username}  # the author and the reviewer, not the head who did it
    # Editable again; it goes through the whole review once more before it can be generated and sent.
    actions.save_content(draft, actor=prosecutor, changes={"contact_name": "B. Alami"})
    with pytest.raises(Conflict):
        generate(Draft.objects.get(pk=draft.pk), actor=officer)
    draft = actions.submit(Draft.objects.get(pk=draft.pk), actor=prosecutor)
    draft = actions.approve(Draft.objects.get(pk=draft.pk), actor=officer)
    draft = actions.approve(Draft.objects.get(pk=draft.pk), actor=head)
    assert draft.case.status == "approved" and draft.approved_hash != approved_hash
    # The document generated for the earlier approval may not be sent as this one.
    with pytest.raises(Conflict) as info:
        actions.record_transmission(Draft.objects.get(pk=draft.pk), actor=officer, channel="post")
    assert info.value.code == "no_document"
    generate(Draft.objects.get(pk=draft.pk), actor=officer)
    assert actions.record_transmission(Draft.objects.get(pk=draft.pk), actor=officer, channel="post").case.status == (
        "sent"
    )


def test_who_may_reopen_and_why(prosecutor, officer, officer2, head, clerk, auditor):
    draft = _approved(prosecutor, officer, head)
    with pytest.raises(Forbidden):  # the author, from the requesting authority, asks the Central Authority
        actions.reopen(Draft.objects.get(pk=draft.pk), actor=prosecutor, reason="x")
    for user in (clerk, officer2, auditor):  # not a reviewer / no need to know / reads only
        with pytest.raises(ActionError) as info:
            actions.reopen(Draft.objects.get(pk=draft.pk), actor=user, reason="x")
        assert info.value.status in {403, 404}, user
    with pytest.raises(ActionError) as info:
        actions.reopen(Draft.objects.get(pk=draft.pk), actor=officer, reason="  ")
    assert "reason" in info.value.fields
    assert Case.objects.get(pk=draft.case_id).status == "approved"
    assert not AuditRecord.objects.filter(action="draft.reopen").exists()
    # The assigned officer may.
    assert actions.reopen(Draft.objects.get(pk=draft.pk), actor=officer, reason="Wrong bank.").case.status == "draft"
    with pytest.raises(Conflict) as info:  # only an approved request
        actions.reopen(Draft.objects.get(pk=draft.pk), actor=officer, reason="again")
    assert info.value.code == "not_approved"


def test_a_sent_request_cannot_be_reopened(prosecutor, officer, head):
    draft = _approved(prosecutor, officer, head)
    generate(Draft.objects.get(pk=draft.pk), actor=officer)
    actions.record_transmission(Draft.objects.get(pk=draft.pk), actor=officer, channel="post")
    with pytest.raises(Conflict):
        actions.reopen(Draft.objects.get(pk=draft.pk), actor=head, reason="Too late")


def test_reopening_from_the_page(client, prosecutor, officer, head):
    draft = _approved(prosecutor, officer, head)
    client.force_login(prosecutor)
    assert 'id="reopen-draft"' not in client.get(f"/drafting/{draft.case_id}/").content.decode()
    client.force_login(head)
    assert 'id="reopen-draft"' in client.get(f"/drafting/{draft.case_id}/").content.decode()
    response = client.post(f"/drafting/{draft.case_id}/reopen/", {"reason": ""}, follow=True)
    assert "Say why" in response.content.decode()
    assert Case.objects.get(pk=draft.case_id).status == "approved"
    response = client.post(f"/drafting/{draft.case_id}/reopen/", {"reason": "Add an account."}, follow=True)
    assert "must be reviewed and approved again" in response.content.decode()
    assert Case.objects.get(pk=draft.case_id).status == "draft"
    body = client.get(f"/cases/{draft.case_id}/").content.decode()
    assert "reopened for changes" in body and "Add an account." in body


def test_reopening_through_the_api(prosecutor, officer, head):
    draft = _approved(prosecutor, officer, head)
    url = f"/api/v1/drafts/{draft.case_id}/reopen/"
    assert _api(prosecutor).post(url, {"reason": "x"}, format="json").status_code == 403
    assert _api(head).post(url, {}, format="json").status_code == 400
    response = _api(head).post(url, {"reason": "Add an account."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "draft"
    assert response.json()["review_state"] == "changes_requested" and not response.json()["approved_hash"]
    assert _api(head).post(url, {"reason": "again"}, format="json").status_code == 409


# --- the timeline -------------------------------------------------------------------------------------------


def test_every_step_of_the_review_is_on_the_timeline_in_the_readers_language(prosecutor, officer, head):
    draft = complete_mla(prosecutor)
    actions.save_content(draft, actor=prosecutor, changes={"confidentiality": ""})
    draft = _under_review_of(draft, prosecutor, officer, head)
    actions.comment(draft, actor=officer, section="facts", text="Give the amounts.")
    actions.accept_warning(draft, actor=officer, rule="CNF-01", justification="Nothing confidential here.")
    draft = actions.request_changes(draft, actor=officer, reason="Amounts missing.")
    draft = actions.submit(Draft.objects.get(pk=draft.pk), actor=prosecutor)
    draft = actions.approve(Draft.objects.get(pk=draft.pk), actor=officer)
    draft = actions.approve(Draft.objects.get(pk=draft.pk), actor=head)
    actions.reopen(Draft.objects.get(pk=draft.pk), actor=head, reason="Wrong bank.")
    events = {
        e.verb: e for e in Event.objects.filter(case_id=draft.case_id, verb__startswith="draft_").select_related("case")
    }
    assert set(events) == {
        "draft_submitted",
        "draft_comment",
        "draft_warning_accepted",
        "draft_changes_requested",
        "draft_review_approved",
        "draft_approved",
        "draft_reopened",
    }
    assert events["draft_warning_accepted"].reason == "Nothing confidential here."
    assert events["draft_changes_requested"].reason == "Amounts missing."
    assert "Give the amounts." not in str(events["draft_comment"].params)  # the text stays on the draft
    with translation.override("en"):
        assert describe(events["draft_comment"]) == "Reviewer's comment on the step “Facts and offences”"
        assert describe(events["draft_warning_accepted"]) == "Warning CNF-01 accepted by the reviewer"
        assert describe(events["draft_approved"]).startswith("Request approved (version ")
        english = {verb: describe(e) for verb, e in events.items()}
    for lang in ("fr", "ar"):
        with translation.override(lang):
            for verb, event in events.items():
                text = describe(event)
                assert text and text != verb and text != english[verb], (lang, verb, text)


def _under_review_of(draft, prosecutor, officer, head):
    draft = actions.submit(Draft.objects.get(pk=draft.pk), actor=prosecutor)
    case_actions.assign(Case.objects.get(pk=draft.case_id), officer, actor=head)
    return Draft.objects.get(pk=draft.pk)


# --- the case-page panel ------------------------------------------------------------------------------------


def test_the_case_page_panel_costs_one_query_and_its_findings_load_after(
    client, rf, prosecutor, officer, head, django_assert_num_queries
):
    from entraide.drafting.apps import _panel

    draft = _under_review(prosecutor, officer, head)
    actions.comment(draft, actor=officer, section="facts", text="Give the amounts.")
    case = Case.objects.get(pk=draft.case_id)
    request = rf.get("/")
    request.user = officer
    with django_assert_num_queries(1):
        context = _panel(request, case, {})
    assert context is not None and context["comment_count"] == 1 and context["draft"].pk == draft.pk
    incoming = UserFactory(username="t_other")  # a matter that is not an outgoing request: no query at all
    with django_assert_num_queries(0):
        assert _panel(request, Case(direction="incoming", kind="mla", created_by=incoming), {}) is None
    client.force_login(officer)
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'hx-get="/drafting/{case.pk}/panel-findings/"' in body
    findings = client.get(f"/drafting/{case.pk}/panel-findings/")
    assert findings.status_code == 200 and "data-findings-loaded" in findings.content.decode()
    client.force_login(UserFactory(username="t_stranger", role="officer"))
    assert client.get(f"/drafting/{case.pk}/panel-findings/").status_code == 404


def test_a_request_changed_after_approval_says_to_reopen_it(client, prosecutor, officer, head):
    draft = _approved(prosecutor, officer, head)
    client.force_login(head)
    assert 'id="changed-since-approval"' not in client.get(f"/drafting/{draft.case_id}/").content.decode()
    case_actions.add_offence(Case.objects.get(pk=draft.case_id), actor=head, iccs_section="07", description="Forgery")
    body = client.get(f"/drafting/{draft.case_id}/").content.decode()
    assert 'id="changed-since-approval"' in body and 'id="reopen-draft"' in body
    with pytest.raises(Conflict) as info:
        generate(Draft.objects.get(pk=draft.pk), actor=head)
    assert "reopen" in str(info.value.message)
    draft = actions.reopen(Draft.objects.get(pk=draft.pk), actor=head, reason="Forgery added.")
    assert 'id="changed-since-approval"' not in client.get(f"/drafting/{draft.case_id}/").content.decode()
