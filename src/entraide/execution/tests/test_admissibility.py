"""Admissibility review: checklist, consultation, decisions moving the matter, clocks paused and resumed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from entraide.audit.models import AuditRecord
from entraide.cases import actions as case_actions
from entraide.cases.models import Case, Communication, DeadlineRule
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.execution import actions
from entraide.execution.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule_ack(db):
    return DeadlineRule.objects.create(code="t-review", name="Review", trigger="registered", days=30, source="SLA")


@pytest.fixture
def reviewing(rule_ack, head, officer):
    from entraide.testing import make_case

    case = case_actions.assign(make_case(head), officer, actor=head)
    case_actions.add_measure(case, actor=officer, type="information", details={"information": "Bank records"})
    case_actions.add_measure(case, actor=officer, type="information", details={"information": "Phone records"})
    return case_actions.transition(case, "under_review", actor=officer)


def _consult(case, officer):
    return actions.record_consultation(
        case,
        actor=officer,
        at=timezone.now() - timedelta(hours=1),
        channel="phone",
        counterpart="French Central Authority, Ms Martin",
        summary="Explained the concern; they have nothing to add.",
    )


def test_checklist_is_saved_and_audited(reviewing, officer):
    saved = actions.save_assessments(
        reviewing,
        actor=officer,
        items={"facts": ("met", "Two pages of facts"), "dual_criminality": ("does_not_apply", "")},
    )
    assert len(saved) == 2
    assert AuditRecord.objects.filter(action="execution.admissibility.assess", case_id=reviewing.pk).exists()
    # Saving the same again changes nothing and records nothing.
    assert actions.save_assessments(reviewing, actor=officer, items={"facts": ("met", "Two pages of facts")}) == []
    with pytest.raises(ActionError):
        actions.save_assessments(reviewing, actor=officer, items={"facts": ("applies", "")})  # not for a requirement


def test_accept(reviewing, officer):
    decision = actions.decide(reviewing, actor=officer, kind="accept")
    assert Case.objects.get(pk=reviewing.pk).status == "accepted"
    assert AuditRecord.objects.filter(action="execution.admissibility.decide", object_id=str(decision.pk)).exists()


def test_accept_is_refused_while_content_is_missing(reviewing, officer):
    actions.save_assessments(reviewing, actor=officer, items={"purpose": ("not_met", "Purpose not stated")})
    with pytest.raises(ActionError) as error:
        actions.decide(reviewing, actor=officer, kind="accept")
    assert "kind" in error.value.fields


def test_accept_in_part_refuses_the_measures_after_consultation(reviewing, officer):
    phone = reviewing.measures.order_by("id").last()
    with pytest.raises(ActionError) as error:
        actions.decide(
            reviewing, actor=officer, kind="accept_in_part", reasons="No interception here", refused_measures=[phone]
        )
    assert "consultation" in error.value.fields
    consultation = _consult(reviewing, officer)
    actions.decide(
        reviewing,
        actor=officer,
        kind="accept_in_part",
        reasons="Phone records need a judge's order unavailable for this offence",
        refused_measures=[phone],
        consultation=consultation,
    )
    phone.refresh_from_db()
    assert phone.status == "refused"
    assert Case.objects.get(pk=reviewing.pk).status == "accepted"


def test_ask_for_information_pauses_and_the_answer_resumes(reviewing, officer):
    deadline = reviewing.deadlines.get()
    due = deadline.due_at
    decision = actions.decide(reviewing, actor=officer, kind="ask_information", reasons="Say the purpose")
    deadline.refresh_from_db()
    assert deadline.status == "paused"
    assert decision.paused_deadlines == [deadline.pk]
    assert Case.objects.get(pk=reviewing.pk).status == "awaiting_information"
    answered = actions.record_supplementary_answer(
        Case.objects.get(pk=reviewing.pk), actor=officer, summary="Purpose: trial of Mr X"
    )
    assert answered is not None and answered.answered_at is not None
    deadline.refresh_from_db()
    assert deadline.status == "running"
    assert deadline.due_at >= due
    assert Case.objects.get(pk=reviewing.pk).status == "under_review"
    assert Communication.objects.filter(case=reviewing, direction="received").exists()


def test_answer_for_a_closed_matter_is_kept_and_nothing_moves(reviewing, officer):
    case_actions.transition(reviewing, "withdrawn", actor=officer, reason="Withdrawn by the requesting State")
    case_actions.transition(Case.objects.get(pk=reviewing.pk), "closed", actor=officer)
    result = actions.record_supplementary_answer(
        Case.objects.get(pk=reviewing.pk), actor=officer, summary="Late supplement"
    )
    assert result is None
    assert Case.objects.get(pk=reviewing.pk).status == "closed"
    assert Communication.objects.filter(case=reviewing, summary__contains="Late supplement").exists()
    assert AuditRecord.objects.filter(action="execution.admissibility.late_answer", case_id=reviewing.pk).exists()


def test_postpone_needs_consultation(reviewing, officer):
    with pytest.raises(ActionError):
        actions.decide(reviewing, actor=officer, kind="postpone", reasons="Ongoing national investigation")
    actions.decide(
        reviewing,
        actor=officer,
        kind="postpone",
        reasons="Ongoing national investigation",
        consultation=_consult(reviewing, officer),
    )
    assert Case.objects.get(pk=reviewing.pk).status == "postponed"


def test_refuse_needs_grounds_consultation_and_the_head(reviewing, officer, head):
    consultation = _consult(reviewing, officer)
    with pytest.raises(ActionError) as error:
        actions.decide(reviewing, actor=head, kind="refuse", reasons="Essential interests", consultation=consultation)
    assert "grounds" in error.value.fields
    with pytest.raises(ActionError):
        actions.decide(
            reviewing,
            actor=head,
            kind="refuse",
            reasons="Bank secrecy",
            grounds=["bank_secrecy"],
            consultation=consultation,
        )
    with pytest.raises(Forbidden):  # the lifecycle gives refusal to the head
        actions.decide(
            reviewing,
            actor=officer,
            kind="refuse",
            reasons="Essential interests",
            grounds=["essential_interests"],
            consultation=consultation,
        )
    assert not Decision.objects.exists()
    actions.decide(
        reviewing,
        actor=head,
        kind="refuse",
        reasons="Essential interests",
        grounds=["essential_interests"],
        consultation=consultation,
    )
    assert Case.objects.get(pk=reviewing.pk).status == "refused"


def test_decision_outside_the_review_is_refused(case, officer):
    with pytest.raises(Conflict):
        actions.decide(case, actor=officer, kind="accept")


def test_officer2_cannot_review(reviewing, officer2):
    with pytest.raises(Forbidden):
        actions.save_assessments(reviewing, actor=officer2, items={"facts": ("met", "")})


def test_pages(client, reviewing, officer):
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[reviewing.pk]))
    assert 'id="admissibility-panel"' in page.content.decode()
    url = reverse("execution:admissibility", args=[reviewing.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"facts": "met", "facts_note": "Clear", "language": "not_met"})
    assert response.status_code == 302
    assert reviewing.admissibility_items.count() == 2
    response = client.post(
        reverse("execution:decide", args=[reviewing.pk]), {"kind": "ask_information", "reasons": "The language"}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=reviewing.pk).status == "awaiting_information"
    response = client.post(
        reverse("execution:supplementary-answer", args=[reviewing.pk]),
        {"summary": "Translation supplied", "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=reviewing.pk).status == "under_review"


def test_api(client, reviewing, officer):
    headers = {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=officer)[0].key}"}
    base = f"/api/v1/execution-admissibility/{reviewing.pk}/"
    data = client.get(base, **headers).json()
    assert {i["code"] for i in data["items"]} >= {"facts", "essential_interests"}
    response = client.post(
        base + "assess/",
        {"items": {"facts": {"value": "met", "note": "ok"}}},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    response = client.post(base + "decide/", {"kind": "accept"}, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    response = client.post(base + "decide/", {"kind": "accept"}, content_type="application/json", **headers)
    assert response.status_code == 409


def test_preservation_period_keeps_running(reviewing, officer):
    from entraide.cases.models import Deadline

    rule = DeadlineRule.objects.create(
        code="incoming-preservation-period", name="Preserve", trigger="manual", days=60, source="Budapest 29(7)"
    )
    kept = Deadline.objects.create(case=reviewing, rule=rule, starts_at=timezone.now(), due_at=timezone.now())
    actions.decide(reviewing, actor=officer, kind="ask_information", reasons="Purpose")
    kept.refresh_from_db()
    assert kept.status == "running"
    assert reviewing.deadlines.get(rule__code="t-review").status == "paused"
