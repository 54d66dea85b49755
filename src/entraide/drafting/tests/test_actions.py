"""Starting, editing, submitting and the four-eyes review."""

from __future__ import annotations

import pytest

from entraide.audit.models import AuditRecord
from entraide.cases import actions as case_actions
from entraide.cases.queries import visible_cases
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.drafting import actions
from entraide.drafting.bases import PARTY, PROBABLE, proposed_bases
from entraide.drafting.models import Draft, ReviewState
from entraide.testing import UserFactory, country

from .helpers import complete_mla, reference_data


def test_a_prosecutor_starts_a_draft_that_only_they_and_the_head_see(prosecutor, officer, officer2, head):
    data = reference_data()
    draft = actions.start_draft(actor=prosecutor, kind="mla", counterpart_country=data["fr"], title="Bank fraud")
    case = draft.case
    assert case.direction == "outgoing" and case.status == "draft"
    assert case.national_authority == prosecutor.authority
    assert draft.content["requesting_authority"] == prosecutor.authority.name
    assert visible_cases(prosecutor).filter(pk=case.pk).exists()
    other = UserFactory(username="t_prosecutor2", role="requesting", authority=prosecutor.authority)
    assert not visible_cases(other).filter(pk=case.pk).exists()
    assert not visible_cases(officer2).filter(pk=case.pk).exists()
    assert visible_cases(head).filter(pk=case.pk).exists()
    assert AuditRecord.objects.filter(action="draft.start", case_id=case.pk).exists()


def test_an_executing_authority_cannot_draft(executor):
    with pytest.raises(Forbidden):
        actions.start_draft(actor=executor, kind="mla", counterpart_country=country("FR"), title="x")


def test_only_request_kinds_can_be_drafted(officer):
    with pytest.raises(ActionError):
        actions.start_draft(actor=officer, kind="jit", counterpart_country=country("FR"), title="x")


def test_legal_bases_proposed_between_the_two_states(db):
    data = reference_data()
    mla = {o.instrument.code: o.status for o in proposed_bases("FR", "mla")}
    assert mla["MA-FR-MLA"] == PARTY
    assert mla["UNTOC"] == PROBABLE
    assert "MA-FR-EXT" not in mla
    assert "RECIPROCITY" in mla
    assert next(iter(mla)) == "MA-FR-MLA"  # a bilateral treaty first
    assert data["untoc"].code not in {o.instrument.code for o in proposed_bases("PG", "mla")}


def test_saving_refuses_unknown_fields_too_long_text_and_bad_languages(officer):
    draft = actions.start_draft(actor=officer, kind="mla", counterpart_country=country("FR"), title="x")
    with pytest.raises(ActionError) as info:
        actions.save_content(draft, actor=officer, changes={"nonsense": "x"})
    assert "nonsense" in info.value.fields
    with pytest.raises(ActionError) as info:
        actions.save_content(draft, actor=officer, changes={"contact_name": "x" * 400})
    assert "contact_name" in info.value.fields
    with pytest.raises(ActionError):
        actions.save_content(draft, actor=officer, changes={"facts": {"xx": "text"}})
    with pytest.raises(ActionError):
        actions.save_content(draft, actor=officer, changes={"person_status": "accused"})  # not an MLA field
    draft.refresh_from_db()
    assert draft.content.get("contact_name") is None


def test_each_language_of_a_text_is_kept(officer):
    draft = actions.start_draft(actor=officer, kind="mla", counterpart_country=country("FR"), title="x")
    actions.save_content(draft, actor=officer, changes={"facts": {"fr": "Les faits."}})
    draft = actions.save_content(draft, actor=officer, changes={"facts": {"en": "The facts."}})
    assert draft.content["facts"] == {"fr": "Les faits.", "en": "The facts."}


def test_an_incomplete_draft_cannot_be_submitted(officer):
    draft = actions.start_draft(actor=officer, kind="mla", counterpart_country=country("FR"), title="x")
    with pytest.raises(Conflict) as info:
        actions.submit(draft, actor=officer)
    assert info.value.code == "blocking_findings"
    assert "MLA-05" in str(info.value.message)
    draft.case.refresh_from_db()
    assert draft.case.status == "draft"


def _assign(draft: Draft, officer, head) -> None:
    case_actions.assign(draft.case, officer, actor=head)


def test_four_eyes_review_from_prosecutor_to_head(prosecutor, officer, head):
    draft = complete_mla(prosecutor)
    draft = actions.submit(draft, actor=prosecutor)
    assert draft.case.status == "under_review" and draft.review_state == ReviewState.SUBMITTED
    # The prosecutor can no longer change it.
    with pytest.raises(Conflict):
        actions.save_content(draft, actor=prosecutor, changes={"contact_name": "Someone else"})
    _assign(draft, officer, head)
    actions.comment(draft, actor=officer, section="facts", text="Give the amounts.")
    draft = actions.request_changes(draft, actor=officer, reason="Amounts missing.")
    assert draft.case.status == "draft" and draft.review_state == ReviewState.CHANGES_REQUESTED
    actions.save_content(
        draft, actor=officer, changes={"facts": {"fr": "Entre janvier et décembre 2024, 1,2 M EUR ont été détournés."}}
    )
    draft = actions.submit(Draft.objects.get(pk=draft.pk), actor=officer)
    # The officer now drafted too: someone else reviews. Warnings must be fixed or accepted first.
    with pytest.raises(Forbidden):
        actions.approve(draft, actor=officer)
    draft = actions.approve(Draft.objects.get(pk=draft.pk), actor=head)
    assert draft.review_state == ReviewState.APPROVED
    assert draft.case.status == "approved"
    assert draft.approved_hash == draft.content_hash == actions.content_digest(draft)
    kinds = set(AuditRecord.objects.filter(case_id=draft.case_id).values_list("action", flat=True))
    assert {"draft.submit", "draft.comment", "draft.request_changes", "draft.review_approve", "draft.approve"} <= kinds


def test_reviewer_then_head(prosecutor, officer, head):
    draft = actions.submit(complete_mla(prosecutor), actor=prosecutor)
    _assign(draft, officer, head)
    draft = actions.approve(Draft.objects.get(pk=draft.pk), actor=officer)
    assert draft.review_state == ReviewState.REVIEWED and draft.reviewer == officer
    assert draft.case.status == "under_review"
    draft = actions.approve(Draft.objects.get(pk=draft.pk), actor=head)
    assert draft.review_state == ReviewState.APPROVED and draft.case.status == "approved"


def test_the_author_cannot_approve_their_own_draft(officer, head):
    draft = actions.submit(complete_mla(head), actor=head)
    with pytest.raises(Forbidden):
        actions.approve(draft, actor=head)
    with pytest.raises(Forbidden):
        actions.comment(draft, actor=head, section="facts", text="Fine")


def test_a_reviewer_without_need_to_know_cannot_review(prosecutor, officer2):
    draft = actions.submit(complete_mla(prosecutor), actor=prosecutor)
    with pytest.raises(ActionError) as info:
        actions.approve(draft, actor=officer2)
    assert info.value.status == 404


def test_warnings_must_be_fixed_or_accepted_with_a_justification(prosecutor, officer, head):
    draft = complete_mla(prosecutor)
    actions.save_content(draft, actor=prosecutor, changes={"confidentiality": ""})
    draft = actions.submit(Draft.objects.get(pk=draft.pk), actor=prosecutor)
    _assign(draft, officer, head)
    with pytest.raises(Conflict) as info:
        actions.approve(draft, actor=officer)
    assert info.value.code == "open_warnings" and "CNF-01" in str(info.value.message)
    with pytest.raises(ActionError):
        actions.accept_warning(draft, actor=officer, rule="CNF-01", justification=" ")
    actions.accept_warning(draft, actor=officer, rule="CNF-01", justification="Nothing confidential in this request.")
    draft = actions.approve(Draft.objects.get(pk=draft.pk), actor=officer)
    assert draft.review_state == ReviewState.REVIEWED


def test_a_blocking_finding_cannot_be_accepted(prosecutor, officer, head):
    draft = actions.submit(complete_mla(prosecutor), actor=prosecutor)
    _assign(draft, officer, head)
    from entraide.cases.models import Case

    case_actions.add_measure(
        Case.objects.get(pk=draft.case_id), actor=officer, type="information", details={"information": "Records"}
    )
    with pytest.raises(Conflict) as info:
        actions.accept_warning(Draft.objects.get(pk=draft.pk), actor=officer, rule="EVD-01", justification="x")
    assert info.value.code == "not_a_warning"
    with pytest.raises(Conflict) as info:
        actions.approve(Draft.objects.get(pk=draft.pk), actor=officer)
    assert info.value.code == "blocking_findings"


def test_a_change_after_the_reviewers_approval_sends_it_back_to_review(prosecutor, officer, head):
    draft = actions.submit(complete_mla(prosecutor), actor=prosecutor)
    _assign(draft, officer, head)
    draft = actions.approve(Draft.objects.get(pk=draft.pk), actor=officer)
    reviewed = draft.reviewed_hash
    from entraide.cases.models import Case

    case_actions.update_case(Case.objects.get(pk=draft.case_id), actor=officer, title="Bank fraud (amended)")
    draft = Draft.objects.get(pk=draft.pk)
    draft = actions.approve(draft, actor=head)  # the head reviews the new version in the same step
    assert draft.reviewer == head and draft.reviewed_hash != reviewed
    assert draft.approved_hash == draft.reviewed_hash
    assert AuditRecord.objects.filter(action="draft.review_reset", case_id=draft.case_id).exists()


def test_an_approved_request_is_frozen(prosecutor, officer, head):
    draft = actions.submit(complete_mla(prosecutor), actor=prosecutor)
    _assign(draft, officer, head)
    draft = actions.approve(Draft.objects.get(pk=draft.pk), actor=head)
    with pytest.raises(Conflict):
        actions.save_content(draft, actor=head, changes={"contact_name": "x"})
