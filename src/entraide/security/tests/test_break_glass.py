"""Emergency ("break-glass") access: justified, time-limited, within clearance, notified to the head, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from entraide.audit.models import AuditRecord
from entraide.cases.models import CaseMember, Event
from entraide.cases.queries import visible_cases
from entraide.core.choices import Confidentiality
from entraide.core.errors import ActionError
from entraide.notifications.models import Notification
from entraide.security import actions
from entraide.security.models import BreakGlass
from entraide.testing import make_case

WHY = "The requesting prosecutor calls: the suspect boards a flight tonight; the lead officer is on leave."


def test_an_officer_opens_a_matter_with_a_justification_and_the_head_is_told(client, officer2, head, case):
    assert not visible_cases(officer2).filter(pk=case.pk).exists()
    client.force_login(officer2)
    response = client.post(
        reverse("security:break-glass"),
        {"operation": "open", "reference": case.reference, "justification": WHY, "hours": 4},
    )
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])
    assert client.get(response.url).status_code == 200
    access = BreakGlass.objects.get(user=officer2)
    assert access.justification == WHY
    assert timedelta(hours=3, minutes=59) < access.expires_at - timezone.now() <= timedelta(hours=4)
    record = AuditRecord.objects.get(action="case.break_glass", actor=officer2)
    assert record.case_id == case.pk and record.after["justification"] == WHY
    note = Notification.objects.get(user=head, kind="break_glass")
    assert note.params["reference"] == case.reference
    assert Event.objects.filter(case=case, verb="access_granted", params__user="t_officer2").exists()


def test_the_access_ends_by_itself(officer2, case):
    actions.break_glass(case.reference, actor=officer2, justification=WHY, hours=1)
    CaseMember.objects.filter(case=case, user=officer2).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not visible_cases(officer2).filter(pk=case.pk).exists()


def test_the_head_reviews_and_ends_it(client, officer2, head, case):
    access = actions.break_glass(case.reference, actor=officer2, justification=WHY, hours=8)
    client.force_login(head)
    page = client.get(reverse("security:break-glass"))
    assert WHY in page.content.decode()
    client.post(
        reverse("security:break-glass"),
        {"operation": "review", "access": access.pk, "note": "Not justified", "revoke": "1"},
    )
    access.refresh_from_db()
    assert access.reviewed_by == head and access.review_note == "Not justified"
    assert not visible_cases(officer2).filter(pk=case.pk).exists()
    assert AuditRecord.objects.filter(action="case.break_glass_review", actor=head).exists()


@pytest.mark.parametrize(
    ("reference", "why", "message"),
    [
        ("NOPE/1", WHY, "No matter with that reference"),
        (None, "urgent", "at least 30 characters"),
    ],
)
def test_bad_requests_are_refused_clearly(officer2, case, reference, why, message):
    with pytest.raises(ActionError, match=message):
        actions.break_glass(reference or case.reference, actor=officer2, justification=why)
    assert not BreakGlass.objects.exists()


def test_clearance_still_holds(officer2, head):
    secret = make_case(head, confidentiality=Confidentiality.SECRET, title="Secret")
    with pytest.raises(ActionError, match="No matter with that reference"):
        actions.break_glass(secret.reference, actor=officer2, justification=WHY)


def test_only_ca_officers_and_clerks_may_use_it(executor, auditor, prosecutor, case):
    for user in (executor, auditor, prosecutor):
        with pytest.raises(ActionError):
            actions.break_glass(case.reference, actor=user, justification=WHY)


def test_someone_who_already_has_access_is_told_so(officer, case):
    with pytest.raises(ActionError, match="already have access"):
        actions.break_glass(case.reference, actor=officer, justification=WHY)
