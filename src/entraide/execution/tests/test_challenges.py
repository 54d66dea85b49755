"""Challenges to an executing authority's decision (good practice 6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from entraide.cases import actions as case_actions
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.execution import actions
from entraide.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(case, officer, executor):
    case_actions.transition(case, "under_review", actor=officer)
    accepted = case_actions.transition(case, "accepted", actor=officer, owner="execution")
    return actions.create_task(
        accepted,
        actor=officer,
        authority=executor.authority,
        title="Production order",
        instructions="Order the bank to produce the statements",
        due_on=timezone.localdate() + timedelta(days=10),
    )


def test_challenge_with_hearing_and_outcome(task, officer, executor):
    today = timezone.localdate()
    challenge = actions.record_challenge(
        task,
        actor=officer,
        by="affected_person",
        challenger="Karim Benali",
        decision="Production order of 20 November",
        forum="Court of appeal",
        filed_on=today,
        suspends=True,
    )
    assert Notification.objects.filter(user=executor, kind="execution.challenge").exists()
    actions.record_challenge_outcome(
        challenge, actor=officer, outcome="pending", outcome_on=today, hearing_on=today + timedelta(days=7)
    )
    challenge.refresh_from_db()
    assert challenge.hearing_on == today + timedelta(days=7) and challenge.outcome == "pending"
    with pytest.raises(ActionError):
        actions.record_challenge_outcome(challenge, actor=officer, outcome="dismissed", outcome_on=today)  # no note
    actions.record_challenge_outcome(
        challenge, actor=officer, outcome="dismissed", outcome_on=today, note="The order stands; execution resumes."
    )
    challenge.refresh_from_db()
    assert challenge.outcome == "dismissed" and not challenge.suspends
    with pytest.raises(Conflict):
        actions.record_challenge_outcome(challenge, actor=officer, outcome="upheld", outcome_on=today, note="x")


def test_only_the_central_authority_records_challenges(task, executor, officer2):
    for actor in (executor, officer2):
        with pytest.raises(Forbidden):
            actions.record_challenge(
                task,
                actor=actor,
                by="central_authority",
                challenger="CA",
                decision="Refusal",
                forum="Court",
                filed_on=timezone.localdate(),
            )


def test_pages_and_api(client, task, officer, executor):
    client.force_login(officer)
    response = client.post(
        reverse("execution:challenge-add", args=[task.pk]),
        {
            "by": "central_authority",
            "challenger": "Central Authority",
            "decision": "Refusal to order production",
            "forum": "Court of appeal",
            "filed_on": timezone.localdate().isoformat(),
            "suspends": "on",
        },
    )
    assert response.status_code == 302
    client.force_login(executor)
    page = client.get(reverse("execution:task", args=[task.pk])).content.decode()
    assert "Refusal to order production" in page and 'id="add-challenge"' not in page
    headers = {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=officer)[0].key}"}
    challenge = task.challenges.get()
    response = client.post(
        f"/api/v1/execution-tasks/{task.pk}/challenge-outcome/",
        {
            "challenge": challenge.pk,
            "outcome": "upheld",
            "outcome_on": timezone.localdate().isoformat(),
            "note": "Order",
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["challenges"][0]["outcome"] == "upheld"
