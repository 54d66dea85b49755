"""Retention periods per kind, legal holds that stop a purge, purge as an audited action."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from entraide.audit.log import verify
from entraide.audit.models import AuditRecord
from entraide.cases import actions
from entraide.cases.models import Case
from entraide.core.errors import ActionError
from entraide.security import retention
from entraide.security.models import RetentionRule


@pytest.fixture
def closed(case, officer):
    """``case`` with a document, closed eleven years ago."""
    doc = actions.add_document(case, SimpleUploadedFile("a.txt", b"old evidence"), actor=officer, kind="annex")
    Case.objects.filter(pk=case.pk).update(is_open=False, closed_at=timezone.now() - timedelta(days=11 * 366))
    case.refresh_from_db()
    return case, Path(doc.versions.get().file.path)


def test_a_matter_past_its_retention_is_purged_with_its_files_and_a_tombstone(
    admin_user, head, closed, django_capture_on_commit_callbacks
):
    case, path = closed
    assert not retention.due_for_purge().exists()  # no rule: kept
    retention.set_retention(case.kind, actor=admin_user, years=10, source="Décret 2020-12, art. 4")
    assert list(retention.due_for_purge()) == [case]
    with django_capture_on_commit_callbacks(execute=True):
        tombstone = retention.purge_case(case, actor=head)
    assert tombstone["reference"] == case.reference
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not path.exists()
    record = AuditRecord.objects.get(action="case.purge")
    assert record.after["reference"] == case.reference and record.actor == head
    assert AuditRecord.objects.filter(case_id=case.pk, action="case.register").exists()  # history kept
    assert verify().ok


def test_a_legal_hold_stops_the_purge_until_lifted(admin_user, head, closed):
    case, _path = closed
    retention.set_retention(case.kind, actor=admin_user, years=10)
    hold = retention.place_hold(case, actor=head, reason="Appeal pending before the Court of Cassation")
    assert not retention.due_for_purge().exists()
    with pytest.raises(ActionError, match="legal hold"):
        retention.purge_case(case, actor=head)
    retention.lift_hold(hold, actor=head)
    assert retention.due_for_purge().exists()


def test_an_open_or_recent_matter_is_not_purged(admin_user, head, case):
    retention.set_retention(case.kind, actor=admin_user, years=1)
    with pytest.raises(ActionError, match="not due"):
        retention.purge_case(case, actor=head)


def test_only_the_head_purges_and_holds_and_only_the_administrator_sets_periods(officer, closed):
    case, _path = closed
    with pytest.raises(ActionError):
        retention.purge_case(case, actor=officer)
    with pytest.raises(ActionError):
        retention.place_hold(case, actor=officer, reason="x")
    with pytest.raises(ActionError):
        retention.set_retention(case.kind, actor=officer, years=5)


def test_the_command_lists_then_purges(admin_user, closed):
    case, _path = closed
    RetentionRule.objects.create(kind=case.kind, years=10)
    out = io.StringIO()
    call_command("retention", stdout=out)
    assert case.reference in out.getvalue() and "1 matter(s) due" in out.getvalue()
    call_command("retention", "--apply", stdout=io.StringIO())
    assert not Case.objects.filter(pk=case.pk).exists()
    assert AuditRecord.objects.get(action="case.purge").actor is None


def test_the_page_lets_the_head_hold_and_purge(client, admin_user, head, closed):
    case, _path = closed
    client.force_login(admin_user)
    client.post(reverse("security:retention"), {"operation": "rule", "kind": case.kind, "years": "10"})
    assert RetentionRule.objects.get(kind=case.kind).years == 10
    client.force_login(head)
    assert case.reference in client.get(reverse("security:retention")).content.decode()
    client.post(reverse("security:retention"), {"operation": "hold", "reference": case.reference, "reason": "Inquiry"})
    assert not retention.due_for_purge().exists()
    hold = retention.LegalHold.objects.get()
    client.post(reverse("security:retention"), {"operation": "lift", "hold": hold.pk})
    client.post(reverse("security:retention"), {"operation": "purge", "case": case.pk})
    assert not Case.objects.filter(pk=case.pk).exists()


def test_the_heads_are_reminded_of_matters_due(head, closed):
    from entraide.notifications.models import Notification
    from entraide.security.tasks import security_retention_reminder

    case, _path = closed
    assert retention.remind_heads_of_due_purges() == 0
    RetentionRule.objects.create(kind=case.kind, years=10)
    assert security_retention_reminder.call_local() == 1
    assert Notification.objects.get(user=head, kind="retention_due").params == {"count": 1}


def test_old_login_failures_are_forgotten(db):
    from entraide.security.models import LoginFailure
    from entraide.security.tasks import security_forget_old_login_failures

    LoginFailure.objects.create(username="x", at=timezone.now() - timedelta(days=2))
    LoginFailure.objects.create(username="y")
    assert security_forget_old_login_failures.call_local() == 1
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["y"]
