"""Postponing a request puts its open tasks on hold (UNTOC art. 18(25)): not late, not reminded, and their deadlines
move by the days they waited when the execution resumes."""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token

from entraide.audit.models import AuditRecord
from entraide.cases import actions as case_actions
from entraide.cases.demo import simulated_clock
from entraide.cases.models import Case, Event
from entraide.core.errors import Conflict
from entraide.directory.models import AuthorityKind
from entraide.execution import actions
from entraide.execution.models import ExecutionTask
from entraide.notifications.models import Notification
from entraide.testing import UserFactory, national_authority

pytestmark = pytest.mark.django_db


@pytest.fixture
def executing(case, officer):
    case_actions.add_measure(case, actor=officer, type="information", details={"information": "Bank records"})
    case_actions.transition(case, "under_review", actor=officer)
    case_actions.transition(case, "accepted", actor=officer, owner="execution")
    return case_actions.transition(case, "in_execution", actor=officer)


@pytest.fixture
def task(executing, officer, executor):
    return actions.create_task(
        executing,
        actor=officer,
        authority=executor.authority,
        title="Bank statements",
        instructions="Obtain the statements of account for 2024 from the bank.",
        due_on=timezone.localdate() + timedelta(days=20),
    )


def _postpone(case, officer):
    consultation = actions.record_consultation(
        case,
        actor=officer,
        at=timezone.now() - timedelta(hours=1),
        channel="phone",
        counterpart="Their Central Authority",
        summary="They agree to wait for the end of our investigation.",
    )
    return actions.decide(
        case,
        actor=officer,
        kind="postpone",
        reasons="It would interfere with our investigation",
        consultation=consultation,
    )


def _past_due(task, days):
    ExecutionTask.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=days))
    task.refresh_from_db()
    return task


def _token(user):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def _days_later(days):
    """A time ``days`` from now, taken before the simulated clock starts (which knows no "now" of its own)."""
    return timezone.now() + timedelta(days=days)


# --- postponing ---------------------------------------------------------------------------------------------


def test_postponing_puts_the_open_tasks_on_hold_and_not_the_finished_ones(task, executing, officer, executor):
    done = actions.create_task(
        executing,
        actor=officer,
        authority=executor.authority,
        title="Phone records",
        instructions="Obtain them",
        due_on=timezone.localdate() + timedelta(days=5),
    )
    actions.report_progress(done, actor=executor, text="All records obtained", status="completed")
    _postpone(executing, officer)
    task.refresh_from_db()
    done.refresh_from_db()
    assert task.on_hold_since == timezone.localdate() and task.is_on_hold
    assert done.on_hold_since is None and not done.is_on_hold
    hold = AuditRecord.objects.get(action="execution.task.hold")
    assert hold.object_id == str(task.pk)
    assert hold.before == {"on_hold_since": None}
    assert hold.after["on_hold_since"] == timezone.localdate().isoformat()


def test_a_task_on_hold_past_its_deadline_is_not_late(client, task, executing, officer, executor):
    _postpone(executing, officer)
    task = _past_due(task, 5)
    assert task.is_on_hold and not task.is_late
    client.force_login(executor)
    page = client.get(reverse("execution:task", args=[task.pk])).content.decode()
    assert 'data-on-hold="1"' in page and "On hold since" in page
    assert 'data-late="1"' not in page and "days late" not in page
    assert 'id="task-hold-note"' in page
    late_list = client.get(reverse("execution:tasks") + "?show=late").content.decode()
    assert task.reference not in late_list
    assert task.reference in client.get(reverse("execution:tasks") + "?show=open").content.decode()
    body = client.get(f"/api/v1/execution-tasks/{task.pk}/", **_token(executor)).json()
    assert body["on_hold_since"] == timezone.localdate().isoformat()
    assert body["is_late"] is False
    client.force_login(officer)
    panel = client.get(reverse("cases:detail", args=[executing.pk])).content.decode()
    assert 'data-on-hold="1"' in panel and 'data-late="1"' not in panel


def test_the_same_task_without_the_hold_is_late(client, task, executor):
    task = _past_due(task, 5)
    assert task.is_late and not task.is_on_hold
    client.force_login(executor)
    page = client.get(reverse("execution:task", args=[task.pk])).content.decode()
    assert 'data-late="1"' in page and 'data-on-hold="1"' not in page
    assert client.get(f"/api/v1/execution-tasks/{task.pk}/", **_token(executor)).json()["on_hold_since"] is None


def test_the_on_hold_badge_is_translated(task, executing, officer):
    _postpone(executing, officer)
    task.refresh_from_db()
    with translation.override("fr"):
        assert "En suspens depuis le" in render_to_string("execution/_task_status.html", {"t": task})
    with translation.override("ar"):
        assert "معلّقة منذ" in render_to_string("execution/_task_status.html", {"t": task})


def test_no_reminder_for_a_task_on_hold(task, executing, officer):
    _postpone(executing, officer)
    _past_due(task, 5)
    assert actions.send_reminders() == {"reminded": 0, "escalated": 0}
    # The hold alone keeps the reminders away, whatever the matter's state says.
    Case.objects.filter(pk=executing.pk).update(status="in_execution")
    assert actions.send_reminders() == {"reminded": 0, "escalated": 0}
    ExecutionTask.objects.filter(pk=task.pk).update(on_hold_since=None)
    assert actions.send_reminders() == {"reminded": 1, "escalated": 0}


def test_a_result_returned_while_on_hold_is_not_late(task, executing, officer, executor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _postpone(executing, officer)
    _past_due(task, 3)
    result = actions.add_result(task, SimpleUploadedFile("a.txt", b"statements"), actor=executor)
    assert result.late is False


def test_no_task_is_given_on_a_postponed_matter_so_none_escapes_the_hold(executing, officer, executor):
    _postpone(executing, officer)
    with pytest.raises(Conflict) as refused:
        actions.create_task(
            Case.objects.get(pk=executing.pk),
            actor=officer,
            authority=executor.authority,
            title="T",
            instructions="I",
            due_on=timezone.localdate() + timedelta(days=10),
        )
    assert refused.value.code == "not_accepted"
    assert not ExecutionTask.objects.filter(case=executing).exists()


def test_a_task_reassigned_while_on_hold_stays_on_hold(task, executing, officer, executor):
    court = national_authority(AuthorityKind.COURT)
    court_user = UserFactory(username="t_court", role="executing", authority=court)
    _postpone(executing, officer)
    ExecutionTask.objects.filter(pk=task.pk).update(on_hold_since=timezone.localdate() - timedelta(days=7))
    new_due = timezone.localdate() + timedelta(days=30)
    moved = actions.reassign_task(task, actor=officer, authority=court, reason="Court competent", due_on=new_due)
    # A deadline set during the hold counts the hold from now on only.
    assert moved.on_hold_since == timezone.localdate() and moved.due_on == new_due
    told = Notification.objects.get(user=court_user, kind="execution.task")
    assert "It is on hold" in told.text and new_due.isoformat() in told.text
    kept = actions.reassign_task(moved, actor=officer, authority=task.authority, reason="Back to the police")
    assert kept.on_hold_since == timezone.localdate() and kept.due_on == new_due


def test_a_task_closed_while_on_hold_is_no_longer_on_hold(task, executing, officer, executor):
    _postpone(executing, officer)
    actions.report_progress(task, actor=executor, text="Done before the postponement", status="completed")
    task.refresh_from_db()
    assert task.on_hold_since is None and not task.is_on_hold
    record = AuditRecord.objects.get(action="execution.task.progress", object_id=str(task.pk))
    assert record.before["on_hold_since"] == timezone.localdate().isoformat()


# --- resuming -----------------------------------------------------------------------------------------------


def test_resuming_ten_days_later_gives_back_the_ten_days(client, task, executing, officer, executor):
    _postpone(executing, officer)
    # Reminder counters left from an earlier deadline: they start afresh with a deadline that is ahead.
    ExecutionTask.objects.filter(pk=task.pk).update(
        reminders_sent=2, last_reminder_at=timezone.now(), escalated_at=timezone.now()
    )
    old_due = ExecutionTask.objects.get(pk=task.pk).due_on
    later = _days_later(10)
    with simulated_clock() as set_time:
        set_time(later)
        today = timezone.localdate()
        actions.resume_execution(executing, actor=officer, reason="Our investigation is closed")
    task.refresh_from_db()
    assert task.due_on == old_due + timedelta(days=10) == today + timedelta(days=20)
    assert task.on_hold_since is None and not task.is_on_hold
    assert (task.reminders_sent, task.last_reminder_at, task.escalated_at) == (0, None, None)
    record = AuditRecord.objects.get(action="execution.task.deadline_extended")
    assert record.object_id == str(task.pk) and record.case_id == executing.pk
    assert record.before["due_on"] == old_due.isoformat()
    assert record.before["on_hold_since"] == (today - timedelta(days=10)).isoformat()
    assert record.after["due_on"] == task.due_on.isoformat()
    assert record.after["days_on_hold"] == 10
    told = Notification.objects.get(user=executor, kind="execution.task_resumed")
    assert told.params["due"] == task.due_on.isoformat()
    assert f"New deadline: {task.due_on.isoformat()}." in told.text
    assert executing.reference not in told.text and told.case_id is None
    event = Event.objects.get(case=executing, verb="execution_task_deadline_extended")
    assert event.params == {"task": task.reference, "due_on": task.due_on.isoformat(), "days": 10}
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[executing.pk])).content.decode()
    assert f"Execution task {task.reference} was on hold 10 days: its deadline moves to" in page


def test_a_task_still_late_after_the_extension_keeps_its_reminders(task, executing, officer):
    _postpone(executing, officer)
    task = _past_due(task, 30)
    escalated = timezone.now()
    ExecutionTask.objects.filter(pk=task.pk).update(reminders_sent=2, escalated_at=escalated)
    later = _days_later(3)
    with simulated_clock() as set_time:
        set_time(later)
        actions.resume_execution(executing, actor=officer, reason="Resumed")
    task.refresh_from_db()
    assert task.due_on == timezone.localdate() - timedelta(days=30) + timedelta(days=3)
    assert task.reminders_sent == 2 and task.escalated_at == escalated  # the head was already told
    assert task.is_late


def test_resuming_the_same_day_moves_nothing_but_the_hold(task, executing, officer):
    _postpone(executing, officer)
    due = ExecutionTask.objects.get(pk=task.pk).due_on
    actions.resume_execution(executing, actor=officer, reason="Resumed")
    task.refresh_from_db()
    assert task.due_on == due and task.on_hold_since is None
    assert AuditRecord.objects.get(action="execution.task.deadline_extended").after["days_on_hold"] == 0


def test_resuming_with_no_task_on_hold_changes_nothing(task, executing, officer, executor):
    actions.report_progress(task, actor=executor, text="Done", status="completed")
    _postpone(executing, officer)
    before = ExecutionTask.objects.values().get(pk=task.pk)
    later = _days_later(10)
    with simulated_clock() as set_time:
        set_time(later)
        actions.resume_execution(executing, actor=officer, reason="Resumed")
    assert ExecutionTask.objects.values().get(pk=task.pk) == before
    assert not AuditRecord.objects.filter(action="execution.task.deadline_extended").exists()
    assert not Event.objects.filter(verb="execution_task_deadline_extended").exists()
    assert not Notification.objects.filter(kind="execution.task_resumed").exists()
    assert Case.objects.get(pk=executing.pk).status == "in_execution"


def test_accepting_again_after_the_review_was_reopened_releases_the_hold(task, executing, officer, executor):
    _postpone(executing, officer)
    case_actions.transition(Case.objects.get(pk=executing.pk), "under_review", actor=officer)
    due = ExecutionTask.objects.get(pk=task.pk).due_on
    later = _days_later(4)
    with simulated_clock() as set_time:
        set_time(later)
        actions.decide(Case.objects.get(pk=executing.pk), actor=officer, kind="accept")
    task.refresh_from_db()
    assert task.on_hold_since is None and task.due_on == due + timedelta(days=4)
    assert Notification.objects.filter(user=executor, kind="execution.task_resumed").count() == 1


def test_postponing_again_after_a_reopened_review_keeps_the_first_date(task, executing, officer):
    _postpone(executing, officer)
    first = ExecutionTask.objects.get(pk=task.pk).on_hold_since
    case_actions.transition(Case.objects.get(pk=executing.pk), "under_review", actor=officer)
    later = _days_later(2)
    with simulated_clock() as set_time:
        set_time(later)
        _postpone(Case.objects.get(pk=executing.pk), officer)
    assert ExecutionTask.objects.get(pk=task.pk).on_hold_since == first
    assert AuditRecord.objects.filter(action="execution.task.hold").count() == 1


# --- the migration ------------------------------------------------------------------------------------------


def test_the_migration_holds_the_tasks_of_matters_already_postponed(task, executing, officer):
    _postpone(executing, officer)
    ExecutionTask.objects.filter(pk=task.pk).update(on_hold_since=None)
    postponed_at = timezone.make_aware(datetime(2025, 3, 4, 12, 0))
    Event.objects.filter(case=executing, verb="transition", params__target="postponed").update(at=postponed_at)
    ExecutionTask.objects.filter(pk=task.pk).update(created_at=postponed_at - timedelta(days=30))
    migration = importlib.import_module("entraide.execution.migrations.0006_executiontask_on_hold_since")
    migration.hold_tasks_of_postponed_matters(apps, None)
    assert ExecutionTask.objects.get(pk=task.pk).on_hold_since == timezone.localdate(postponed_at)
