"""Confidentiality duties: the requesting State is told before a person is notified; providers are flagged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from entraide.cases import actions as case_actions
from entraide.cases.models import Case, Communication
from entraide.core.errors import ActionError, Conflict
from entraide.execution import actions

pytestmark = pytest.mark.django_db


def test_notice_before_notification_with_its_clock(case, officer):
    notify_on = timezone.localdate() + timedelta(days=10)
    duty = actions.record_disclosure_duty(
        case, actor=officer, person="Holder of account FR76…", legal_basis="Banking law, art. 12", notify_on=notify_on
    )
    assert duty.deadline.status == "running"
    assert duty.deadline.due_at.date() == notify_on - timedelta(days=1)
    assert Case.objects.get(pk=case.pk).next_due_at == duty.deadline.due_at
    with pytest.raises(Conflict):
        actions.record_person_notified(duty, actor=officer, at=timezone.now())
    actions.record_disclosure_notice(duty, actor=officer, at=timezone.now(), channel="email")
    duty.refresh_from_db()
    duty.deadline.refresh_from_db()
    assert duty.deadline.status == "met"
    assert Communication.objects.filter(case=case, direction="sent", summary__contains="Banking law").exists()
    with pytest.raises(Conflict):
        actions.record_disclosure_notice(duty, actor=officer, at=timezone.now(), channel="email")
    actions.record_person_notified(duty, actor=officer, at=timezone.now())
    duty.refresh_from_db()
    assert duty.notified_at is not None


def test_notification_date_must_leave_time_to_tell(case, officer):
    with pytest.raises(ActionError) as error:
        actions.record_disclosure_duty(
            case, actor=officer, person="X", legal_basis="Law", notify_on=timezone.localdate()
        )
    assert "notify_on" in error.value.fields


def test_provider_warning(client, case, officer, executor):
    measure = case_actions.add_measure(
        case, actor=officer, type="subscriber_info", details={"provider": "Mail Co", "identifiers": "a@b.c"}
    )
    client.force_login(officer)
    page = client.get(reverse("execution:confidentiality", args=[case.pk]))
    assert 'id="provider-warning"' in page.content.decode()
    assert 'data-provider-warning="1"' in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    case_actions.transition(case, "under_review", actor=officer)
    accepted = case_actions.transition(case, "accepted", actor=officer, owner="execution")
    task = actions.create_task(
        accepted,
        actor=officer,
        authority=executor.authority,
        measure=measure,
        title="Subscriber",
        instructions="Ask the provider",
        due_on=timezone.localdate() + timedelta(days=5),
    )
    client.force_login(executor)
    assert 'id="provider-warning"' in client.get(reverse("execution:task", args=[task.pk])).content.decode()


def test_pages_and_api(client, case, officer):
    client.force_login(officer)
    notify_on = (timezone.localdate() + timedelta(days=8)).isoformat()
    response = client.post(
        reverse("execution:disclosure-add", args=[case.pk]),
        {"person": "Ms Account Holder", "legal_basis": "Banking law, art. 12", "notify_on": notify_on},
    )
    assert response.status_code == 302
    duty = case.disclosure_duties.get()
    page = client.get(reverse("execution:confidentiality", args=[case.pk]))
    assert 'data-notice-pending="1"' in page.content.decode()
    headers = {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=officer)[0].key}"}
    url = f"/api/v1/execution-disclosures/{duty.pk}/"
    early = client.post(
        url + "notified/", {"at": timezone.now().isoformat()}, content_type="application/json", **headers
    )
    assert early.status_code == 409
    told = client.post(
        url + "notice/",
        {"at": timezone.now().isoformat(), "channel": "email"},
        content_type="application/json",
        **headers,
    )
    assert told.status_code == 200, told.content
    assert told.json()["notice_sent_at"]
