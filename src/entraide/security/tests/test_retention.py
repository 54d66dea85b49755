"""Retention periods per kind; archival (read-only, out of the register's way, still found) then purge, each an
audited action; legal holds stop both."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from entraide.audit.log import verify
from entraide.audit.models import AuditRecord
from entraide.cases import actions
from entraide.cases.models import Case, Event
from entraide.core import extensions
from entraide.core.errors import ActionError, Conflict
from entraide.security import retention
from entraide.security.models import Archive, RetentionRule


@pytest.fixture
def closed(case, officer):
    """``case`` with a document, closed eleven years ago."""
    doc = actions.add_document(case, SimpleUploadedFile("a.txt", b"old evidence"), actor=officer, kind="annex")
    Case.objects.filter(pk=case.pk).update(is_open=False, closed_at=timezone.now() - timedelta(days=11 * 366))
    case.refresh_from_db()
    return case, Path(doc.versions.get().file.path)


def _age_archive(case, years):
    Archive.objects.filter(case=case).update(archived_at=timezone.now() - timedelta(days=years * 366))


def test_archival_then_purge_each_an_audited_step(admin_user, head, closed, django_capture_on_commit_callbacks):
    case, path = closed
    assert not retention.due_for_archival().exists()  # no rule: kept in the register
    retention.set_retention(case.kind, actor=admin_user, years=10, purge_years=5, source="Décret 2020-12, art. 4")
    assert list(retention.due_for_archival()) == [case]
    assert not retention.due_for_purge().exists()  # never purged before it was archived
    with pytest.raises(ActionError, match="not due for purge"):
        retention.purge_case(case, actor=head)

    retention.archive_case(case, actor=head)
    record = AuditRecord.objects.get(action="case.archive")
    assert record.actor == head and record.case_id == case.pk and record.after["reference"] == case.reference
    assert Event.objects.filter(case=case, verb="archived").exists()
    assert not retention.due_for_archival().exists()
    assert path.exists()  # archival keeps everything
    assert not retention.due_for_purge().exists()  # five more years in the archive

    _age_archive(case, 6)
    assert list(retention.due_for_purge()) == [case]
    with django_capture_on_commit_callbacks(execute=True):
        tombstone = retention.purge_case(case, actor=head)
    assert tombstone["reference"] == case.reference and tombstone["archived_at"] is not None
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not path.exists()
    record = AuditRecord.objects.get(action="case.purge")
    assert record.after["reference"] == case.reference and record.actor == head
    assert AuditRecord.objects.filter(case_id=case.pk, action="case.register").exists()  # history kept
    assert verify().ok


def test_a_rule_without_purge_period_keeps_the_matter_in_the_archive(admin_user, head, closed):
    case, _path = closed
    retention.set_retention(case.kind, actor=admin_user, years=10)
    retention.archive_case(case, actor=head)
    _age_archive(case, 90)
    assert not retention.due_for_purge().exists()


def test_a_legal_hold_stops_archival_and_purge_until_lifted(admin_user, head, closed):
    case, _path = closed
    retention.set_retention(case.kind, actor=admin_user, years=10, purge_years=1)
    hold = retention.place_hold(case, actor=head, reason="Appeal pending before the Court of Cassation")
    assert not retention.due_for_archival().exists()
    with pytest.raises(Conflict, match="legal hold"):
        retention.archive_case(case, actor=head)
    retention.lift_hold(hold, actor=head)
    retention.archive_case(case, actor=head)
    _age_archive(case, 2)
    retention.place_hold(case, actor=head, reason="New inquiry")
    assert not retention.due_for_purge().exists()
    with pytest.raises(Conflict, match="legal hold"):
        retention.purge_case(case, actor=head)
    assert Case.objects.filter(pk=case.pk).exists()
    assert AuditRecord.objects.filter(action="case.legal_hold").count() == 2


def test_an_archived_matter_is_read_only(admin_user, head, officer, closed, client):
    case, _path = closed
    retention.set_retention(case.kind, actor=admin_user, years=10)
    retention.archive_case(case, actor=head)
    case.refresh_from_db()
    documents = case.documents.count()
    # No lifecycle step (reopening included) …
    for target in {t.target for t in case.lifecycle.transitions}:
        assert extensions.step_blocked(case, target) and "archived" in extensions.step_blocked(case, target)
    # … and no change to the matter or what it holds, whichever way it comes.
    with pytest.raises(Conflict, match="archived"):
        actions.add_document(case, SimpleUploadedFile("n.txt", b"new"), actor=head, kind="annex")
    with pytest.raises(Conflict, match="archived"):
        actions.add_subject(case, actor=head, kind="person", role="witness", name="Late Witness")
    case.title = "Changed"
    with pytest.raises(Conflict, match="archived"):
        case.save()
    case.refresh_from_db()
    assert case.title != "Changed" and case.documents.count() == documents
    # Over the API the answer is a clear 409, and the matter is unchanged.
    token = Token.objects.create(user=head)
    response = client.post(
        "/api/v1/subjects/",
        {"case": case.pk, "kind": "person", "role": "witness", "name": "Late Witness"},
        HTTP_AUTHORIZATION=f"Token {token.key}",
        content_type="application/json",
    )
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "archived" and "archived" in response.json()["detail"]
    assert not case.subjects.filter(name="Late Witness").exists()
    # Reading stays possible: the case page shows the archive panel, the document still downloads.
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200 and "archive-panel" in page.content.decode()
    version = case.documents.get().versions.get()
    assert client.get(reverse("cases:document-download", args=[case.pk, version.pk])).status_code == 200


def test_archived_matters_are_found_on_the_archive_page_by_those_who_may_see_them(
    admin_user, head, officer, officer2, auditor, closed, client
):
    case, _path = closed
    retention.set_retention(case.kind, actor=admin_user, years=10)
    retention.archive_case(case, actor=head)
    for user in (officer, head, auditor):
        client.force_login(user)
        page = client.get(reverse("security:archive"), {"q": case.reference})
        assert case.reference in page.content.decode(), user
    assert AuditRecord.objects.filter(action="archive.search", actor=auditor).exists()
    client.force_login(officer2)  # no need-to-know: not there
    assert case.reference not in client.get(reverse("security:archive")).content.decode()
    # The register marks the row.
    marks = extensions.case_marks([Case.objects.get(pk=case.pk)])
    assert [str(m.label) for m in marks[case.pk]] == ["Archived"]
    client.force_login(head)
    register = client.get(reverse("cases:list"), {"q": case.reference}).content.decode()
    assert case.reference in register and "Archived" in register


def test_the_head_brings_a_matter_back_from_the_archive(admin_user, head, closed, client):
    case, _path = closed
    retention.set_retention(case.kind, actor=admin_user, years=10)
    retention.archive_case(case, actor=head)
    client.force_login(head)
    client.post(reverse("security:archive"), {"case": case.pk, "reason": ""})
    assert Archive.objects.filter(case=case).exists()  # a reason is required
    client.post(reverse("security:archive"), {"case": case.pk, "reason": "Linked to a new request from Spain"})
    assert not Archive.objects.filter(case=case).exists()
    record = AuditRecord.objects.get(action="case.unarchive")
    assert record.after["reason"] == "Linked to a new request from Spain"
    actions.add_subject(case, actor=head, kind="person", role="witness", name="New Witness")  # writable again


def test_an_open_or_recent_matter_is_neither_archived_nor_purged(admin_user, head, case):
    retention.set_retention(case.kind, actor=admin_user, years=1, purge_years=0)
    with pytest.raises(ActionError, match="not due"):
        retention.archive_case(case, actor=head)
    with pytest.raises(ActionError, match="not due"):
        retention.purge_case(case, actor=head)


def test_only_the_head_archives_purges_and_holds_and_only_the_administrator_sets_periods(officer, closed):
    case, _path = closed
    with pytest.raises(ActionError):
        retention.archive_case(case, actor=officer)
    with pytest.raises(ActionError):
        retention.purge_case(case, actor=officer)
    with pytest.raises(ActionError):
        retention.place_hold(case, actor=officer, reason="x")
    with pytest.raises(ActionError):
        retention.set_retention(case.kind, actor=officer, years=5)


def test_the_command_lists_then_archives_then_purges(admin_user, closed):
    case, _path = closed
    RetentionRule.objects.create(kind=case.kind, years=10, purge_years=3)
    out = io.StringIO()
    call_command("retention", stdout=out)
    assert f"archive  {case.reference}" in out.getvalue() and "1 matter(s) due for archival" in out.getvalue()
    out = io.StringIO()
    call_command("retention", "--apply", stdout=out)
    assert "1 matter(s) archived, 0 purged" in out.getvalue()
    assert Case.objects.filter(pk=case.pk).exists()
    assert AuditRecord.objects.get(action="case.archive").actor is None
    _age_archive(case, 4)
    out = io.StringIO()
    call_command("retention", stdout=out)
    assert f"purge    {case.reference}" in out.getvalue()
    call_command("retention", "--apply", stdout=io.StringIO())
    assert not Case.objects.filter(pk=case.pk).exists()
    assert AuditRecord.objects.get(action="case.purge").actor is None
    assert verify().ok


def test_the_page_lets_the_head_hold_archive_and_purge(client, admin_user, head, closed):
    case, _path = closed
    client.force_login(admin_user)
    client.post(
        reverse("security:retention"), {"operation": "rule", "kind": case.kind, "years": "10", "purge_years": "2"}
    )
    rule = RetentionRule.objects.get(kind=case.kind)
    assert (rule.years, rule.purge_years) == (10, 2)
    client.force_login(head)
    page = client.get(reverse("security:retention")).content.decode()
    assert case.reference in page and "Due for archival" in page
    client.post(reverse("security:retention"), {"operation": "hold", "reference": case.reference, "reason": "Inquiry"})
    assert not retention.due_for_archival().exists()
    hold = retention.LegalHold.objects.get()
    client.post(reverse("security:retention"), {"operation": "lift", "hold": hold.pk})
    client.post(reverse("security:retention"), {"operation": "archive", "case": case.pk})
    assert Archive.objects.filter(case=case).exists()
    _age_archive(case, 3)
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
