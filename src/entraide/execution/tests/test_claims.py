"""The admissibility review owns the decisions on an incoming request: the case page's "Next steps" and the
register's API send the user there, and the bare lifecycle step is refused everywhere else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from entraide.audit.models import AuditRecord
from entraide.cases import actions as case_actions
from entraide.cases.models import Case
from entraide.core import extensions
from entraide.core.errors import Conflict
from entraide.execution import actions
from entraide.execution.models import Decision
from entraide.testing import make_case

pytestmark = pytest.mark.django_db

DECISION_STEPS = ("accepted", "refused", "postponed", "awaiting_information")


@pytest.fixture
def reviewing(head, officer):
    case = case_actions.assign(make_case(head), officer, actor=head)
    case_actions.add_measure(case, actor=officer, type="information", details={"information": "Bank records"})
    return case_actions.transition(case, "under_review", actor=officer)


def _consult(case, user):
    return actions.record_consultation(
        case,
        actor=user,
        at=timezone.now() - timedelta(hours=1),
        channel="phone",
        counterpart="Their Central Authority",
        summary="They have nothing to add.",
    )


def test_the_execution_app_claims_the_decisions_of_incoming_mla_only(reviewing):
    for target in DECISION_STEPS:
        owner = extensions.step_owner(reviewing, target)
        assert owner is not None and owner.key == "execution", target
    assert extensions.step_owner(reviewing, "withdrawn") is None
    registered = Case(direction="incoming", kind="mla", status="registered")
    assert extensions.step_owner(registered, "under_review") is None  # starting the review stays a plain step
    outgoing = Case(direction="outgoing", kind="mla", status="under_review")
    assert getattr(extensions.step_owner(outgoing, "approved"), "key", None) != "execution"  # drafting's review
    extradition = Case(direction="incoming", kind="extradition", status="under_review")
    assert extensions.step_owner(extradition, "refused") is None  # the extradition app's, not ours


def test_the_bare_steps_are_refused_with_a_clear_message(reviewing, officer, head):
    for target in DECISION_STEPS:
        actor = head if target == "refused" else officer
        with pytest.raises(Conflict) as refused:
            case_actions.transition(reviewing, target, actor=actor, reason="Because")
        assert refused.value.code == "step_owned"
        assert "Decide in the admissibility review" in str(refused.value)
    assert Case.objects.get(pk=reviewing.pk).status == "under_review"
    assert not AuditRecord.objects.filter(action="case.transition", case_id=reviewing.pk, after__status="accepted")


def test_the_case_page_links_to_the_review_instead(client, reviewing, officer):
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[reviewing.pk])).content.decode()
    next_steps = page.split('id="status"')[1].split("</section>")[0]
    for target in DECISION_STEPS:
        assert f'data-step="{target}"' not in next_steps
    assert 'data-step="withdrawn"' in next_steps
    review = reverse("execution:admissibility", args=[reviewing.pk])
    assert f'data-taken-from href="{review}"' in next_steps
    assert "Decide in the admissibility review" in next_steps
    # The form of the register, posted anyway, moves nothing and says why.
    response = client.post(reverse("cases:transition", args=[reviewing.pk]), {"to": "accepted"}, follow=True)
    assert Case.objects.get(pk=reviewing.pk).status == "under_review"
    assert "Decide in the admissibility review" in response.content.decode()


def test_the_api_lists_where_the_step_is_taken_and_refuses_it(reviewing, officer):
    api = APIClient()
    api.force_authenticate(officer)
    options = {o["to"]: o for o in api.get(f"/api/v1/cases/{reviewing.pk}/transitions/").json()}
    review = reverse("execution:admissibility", args=[reviewing.pk])
    for target in ("accepted", "postponed", "awaiting_information"):
        assert options[target]["available"] is False
        assert options[target]["taken_from"] == review
    assert options["withdrawn"]["taken_from"] is None
    moved = api.post(f"/api/v1/cases/{reviewing.pk}/transition/", {"to": "accepted"}, format="json")
    assert moved.status_code == 409 and moved.json()["code"] == "step_owned"
    assert "admissibility review" in str(moved.json())
    assert Case.objects.get(pk=reviewing.pk).status == "under_review"


def test_the_decisions_take_the_steps_end_to_end(client, reviewing, officer):
    client.force_login(officer)
    decide = reverse("execution:decide", args=[reviewing.pk])
    response = client.post(decide, {"kind": "ask_information", "reasons": "The purpose", "letter": "on"})
    assert response.status_code == 302
    assert Case.objects.get(pk=reviewing.pk).status == "awaiting_information"
    # Waiting for the answer: the way back to the review is the answer itself (it resumes the clocks).
    waiting = Case.objects.get(pk=reviewing.pk)
    assert extensions.step_owner(waiting, "under_review").key == "execution"
    with pytest.raises(Conflict):
        case_actions.transition(waiting, "under_review", actor=officer)
    client.post(
        reverse("execution:supplementary-answer", args=[reviewing.pk]),
        {"summary": "Purpose: trial", "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    assert Case.objects.get(pk=reviewing.pk).status == "under_review"
    response = client.post(decide, {"kind": "accept", "letter": "on"})
    assert response.status_code == 302
    accepted = Case.objects.get(pk=reviewing.pk)
    assert accepted.status == "accepted"
    assert list(Decision.objects.filter(case=accepted).order_by("decided_at").values_list("kind", flat=True)) == [
        "ask_information",
        "accept",
    ]
    assert accepted.documents.filter(title__contains="accepted").count() == 2  # the letter, DOCX and PDF
    # Starting the execution is the register's own step again.
    case_actions.transition(accepted, "in_execution", actor=officer)


def test_a_request_being_executed_is_postponed_only_after_a_consultation_and_resumed_from_the_review(
    client, reviewing, officer, executor
):
    from entraide.notifications.models import Notification

    actions.decide(reviewing, actor=officer, kind="accept")
    executing = case_actions.transition(Case.objects.get(pk=reviewing.pk), "in_execution", actor=officer)
    task = actions.create_task(
        executing,
        actor=officer,
        authority=executor.authority,
        title="Bank records",
        instructions="Obtain them",
        due_on=timezone.localdate() + timedelta(days=20),
    )
    with pytest.raises(Conflict):
        case_actions.transition(executing, "postponed", actor=officer, reason="National investigation")
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[executing.pk])).content.decode()
    assert 'data-step="postponed"' not in page and "data-taken-from" in page
    review = client.get(reverse("execution:admissibility", args=[executing.pk])).content.decode()
    assert 'id="postpone"' in review
    with pytest.raises(Conflict):  # only a postponement while it is executed
        actions.decide(executing, actor=officer, kind="accept")
    decide = reverse("execution:decide", args=[executing.pk])
    response = client.post(decide, {"kind": "postpone", "reasons": "Interferes with our investigation"})
    assert response.status_code == 200 and "Consult the requesting State first" in response.content.decode()
    assert Case.objects.get(pk=executing.pk).status == "in_execution"
    consultation = _consult(executing, officer)
    response = client.post(
        decide, {"kind": "postpone", "reasons": "Interferes with our investigation", "consultation": consultation.pk}
    )
    assert response.status_code == 302
    postponed = Case.objects.get(pk=executing.pk)
    assert postponed.status == "postponed"
    # The executing authority is told to hold, by the task's reference only.
    hold = Notification.objects.get(user=executor, kind="execution.task_on_hold")
    assert task.reference in hold.text and postponed.reference not in hold.text and hold.case_id is None
    # Resuming goes through the review too, with a reason; the authority is told it may go on.
    assert extensions.step_owner(postponed, "in_execution").key == "execution"
    with pytest.raises(Conflict):
        case_actions.transition(postponed, "in_execution", actor=officer)
    assert 'id="resume"' in client.get(reverse("execution:admissibility", args=[postponed.pk])).content.decode()
    resume = reverse("execution:resume", args=[postponed.pk])
    assert client.post(resume, {"reason": ""}).status_code == 200
    assert client.post(resume, {"reason": "Our investigation is closed"}).status_code == 302
    assert Case.objects.get(pk=postponed.pk).status == "in_execution"
    assert Notification.objects.filter(user=executor, kind="execution.task_resumed").count() == 1
    assert AuditRecord.objects.filter(action="execution.task_resumed", case_id=postponed.pk).exists()


def test_the_api_resumes_a_postponed_request(reviewing, officer):
    actions.decide(
        reviewing, actor=officer, kind="postpone", reasons="National case", consultation=_consult(reviewing, officer)
    )
    api = APIClient()
    api.force_authenticate(officer)
    url = f"/api/v1/execution-admissibility/{reviewing.pk}/resume/"
    assert api.post(url, {}, format="json").status_code == 400
    moved = api.post(url, {"reason": "Closed"}, format="json")
    assert moved.status_code == 200, moved.content
    assert Case.objects.get(pk=reviewing.pk).status == "in_execution"
    assert api.post(url, {"reason": "Again"}, format="json").status_code == 409
