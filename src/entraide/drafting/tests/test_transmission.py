"""Advance copy to the foreign Central Authority, their comments, and the recorded transmission."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from entraide.audit.models import AuditRecord
from entraide.cases import actions as case_actions
from entraide.cases.models import Case, Communication
from entraide.core.errors import Conflict, Forbidden
from entraide.drafting import actions
from entraide.drafting.document import generate
from entraide.drafting.models import Draft

from .helpers import complete_mla


def _approved(prosecutor, officer, head):
    draft = actions.submit(complete_mla(prosecutor), actor=prosecutor)
    case_actions.assign(Case.objects.get(pk=draft.case_id), officer, actor=head)
    return actions.approve(Draft.objects.get(pk=draft.pk), actor=head)


def test_an_advance_copy_and_their_comments_are_communications_attached_to_the_draft(prosecutor, officer, head):
    draft = actions.submit(complete_mla(prosecutor), actor=prosecutor)
    with pytest.raises(Forbidden):
        actions.send_advance_copy(draft, actor=prosecutor, channel="email")
    case_actions.assign(Case.objects.get(pk=draft.case_id), officer, actor=head)
    copy = actions.send_advance_copy(
        Draft.objects.get(pk=draft.pk), actor=officer, channel="email", counterpart="BEPI Paris"
    )
    assert copy.content_hash == Draft.objects.get(pk=draft.pk).content_hash
    assert copy.sent.direction == "sent" and copy.sent.counterpart == "BEPI Paris"
    copy = actions.record_advance_comments(
        copy, actor=officer, comments="Please add the account holders.", channel="email"
    )
    assert copy.answer.direction == "received" and "account holders" in copy.answer.summary
    assert Communication.objects.filter(case_id=draft.case_id).count() == 2
    assert AuditRecord.objects.filter(action="draft.advance_comments", case_id=draft.case_id).exists()


def test_transmission_needs_the_document_then_moves_the_matter_to_sent(prosecutor, officer, head):
    draft = _approved(prosecutor, officer, head)
    with pytest.raises(Conflict) as info:
        actions.record_transmission(draft, actor=officer, channel="post")
    assert info.value.code == "no_document"
    docx, pdf = generate(Draft.objects.get(pk=draft.pk), actor=officer)
    draft = actions.record_transmission(
        Draft.objects.get(pk=draft.pk), actor=officer, channel="post", counterpart="BEPI"
    )
    case = Case.objects.get(pk=draft.case_id)
    assert case.status == "sent" and case.sent_on is not None
    sent = Communication.objects.filter(case=case, direction="sent").latest("recorded_at")
    assert pdf.current.sha256 in sent.summary and docx.current.sha256 in sent.summary
    record = AuditRecord.objects.filter(action="draft.transmit", case_id=case.pk).get()
    assert record.after["approved_hash"] == draft.approved_hash
    with pytest.raises(Conflict):
        actions.send_advance_copy(Draft.objects.get(pk=draft.pk), actor=officer, channel="email")


def test_advance_copy_and_transmission_through_the_api_and_pages(client, prosecutor, officer, head):
    draft = _approved(prosecutor, officer, head)
    api = APIClient()
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/drafts/{draft.case_id}/advance-copy/", {"channel": "email"}, format="json")
    assert response.status_code == 201 and len(response.json()["advance_copies"]) == 1
    copy_id = response.json()["advance_copies"][0]["id"]
    response = api.post(
        f"/api/v1/drafts/{draft.case_id}/advance-comments/",
        {"advance_copy": copy_id, "channel": "email", "comments": "Fine."},
        format="json",
    )
    assert response.json()["advance_copies"][0]["comments"] == "Fine."
    assert api.post(f"/api/v1/drafts/{draft.case_id}/transmit/", {"channel": "post"}, format="json").status_code == 409
    client.force_login(officer)
    client.post(f"/drafting/{draft.case_id}/document/")
    body = client.get(f"/drafting/{draft.case_id}/").content.decode()
    assert 'id="transmit"' in body and "Fine." in body
    client.post(f"/drafting/{draft.case_id}/transmit/", {"channel": "post"})
    assert Case.objects.get(pk=draft.case_id).status == "sent"


def test_sending_a_preservation_request_starts_its_clock(officer, head):
    from entraide.cases.loaders import load_deadline_rules

    from .helpers import complete_preservation

    load_deadline_rules()
    draft = actions.submit(complete_preservation(officer), actor=officer)
    draft = actions.approve(Draft.objects.get(pk=draft.pk), actor=head)
    generate(Draft.objects.get(pk=draft.pk), actor=officer)
    actions.record_transmission(Draft.objects.get(pk=draft.pk), actor=officer, channel="email")
    case = Case.objects.get(pk=draft.case_id)
    deadline = case.deadlines.get(rule__code="outgoing-preservation-follow-up")
    assert (deadline.due_at - deadline.starts_at).days == 60
