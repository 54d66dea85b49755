"""Execution tasks: given by the Central Authority, seen and reported on by their executing authority only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from entraide.accounts.models import Role
from entraide.audit.models import AuditRecord
from entraide.cases import actions as case_actions
from entraide.cases.models import Event
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.directory.models import Authority, AuthorityKind
from entraide.execution import actions
from entraide.execution.models import ExecutionTask
from entraide.notifications.models import Notification
from entraide.testing import UserFactory, country, national_authority

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(case, officer):
    case_actions.transition(case, "under_review", actor=officer)
    return case_actions.transition(case, "accepted", actor=officer, owner="execution")


@pytest.fixture
def measure(case, officer):
    return case_actions.add_measure(
        case, actor=officer, type="information", details={"information": "Statements of account 2024"}
    )


@pytest.fixture
def task(accepted, measure, officer, executor):
    return actions.create_task(
        accepted,
        actor=officer,
        authority=executor.authority,
        measure=measure,
        title="Bank statements",
        instructions="Obtain the statements of account FR76 for 2024 from the bank.",
        due_on=timezone.localdate() + timedelta(days=20),
    )


@pytest.fixture
def court():
    return national_authority(AuthorityKind.COURT)


@pytest.fixture
def court_user(court):
    return UserFactory(username="t_court", role=Role.EXECUTING, authority=court, email="court@example.org")


def _token(client, user):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


# --- actions ------------------------------------------------------------------------------------------------


def test_create_task_records_everything(task, measure, executor, officer):
    assert task.reference.startswith("EXEC/")
    assert task.contact == officer
    measure.refresh_from_db()
    assert measure.status == "in_progress"
    assert Event.objects.filter(case=task.case, verb="execution_task").exists()
    assert AuditRecord.objects.filter(action="execution.task.create", object_id=str(task.pk)).exists()
    assert Notification.objects.filter(user=executor, kind="execution.task", case__isnull=True).exists()


def test_task_needs_an_accepted_request(case, officer, executor):
    with pytest.raises(Conflict):
        actions.create_task(
            case,
            actor=officer,
            authority=executor.authority,
            title="T",
            instructions="I",
            due_on=timezone.localdate() + timedelta(days=3),
        )


def test_task_for_a_foreign_authority_is_refused(accepted, officer):
    foreign = Authority.objects.create(name="Parquet de Paris", kind=AuthorityKind.PROSECUTION, country=country("FR"))
    with pytest.raises(ActionError) as error:
        actions.create_task(
            accepted,
            actor=officer,
            authority=foreign,
            title="T",
            instructions="I",
            due_on=timezone.localdate() + timedelta(days=3),
        )
    assert "authority" in error.value.fields
    assert not ExecutionTask.objects.exists()


def test_deadline_in_the_past_is_refused(accepted, officer, executor):
    with pytest.raises(ActionError) as error:
        actions.create_task(
            accepted,
            actor=officer,
            authority=executor.authority,
            title="T",
            instructions="I",
            due_on=timezone.localdate() - timedelta(days=1),
        )
    assert "due_on" in error.value.fields


def test_only_the_officer_of_the_matter_gives_tasks(accepted, officer2, executor):
    with pytest.raises(Forbidden):
        actions.create_task(
            accepted,
            actor=officer2,
            authority=executor.authority,
            title="T",
            instructions="I",
            due_on=timezone.localdate() + timedelta(days=3),
        )


def test_executor_reports_and_the_officer_is_told(task, executor, officer):
    actions.report_progress(task, actor=executor, text="Bank contacted.")
    actions.report_progress(task, actor=executor, text="Statements obtained.", status="completed")
    task.refresh_from_db()
    assert task.status == "completed"
    assert task.finished_at is not None
    assert Notification.objects.filter(user=officer, kind="execution.report").exists()
    with pytest.raises(Conflict):
        actions.report_progress(task, actor=executor, text="Again")


def test_another_authority_cannot_report(task, court_user):
    with pytest.raises(Forbidden):
        actions.report_progress(task, actor=court_user, text="Not ours")
    with pytest.raises(Forbidden):
        actions.ask_question(task, actor=court_user, text="?")


def test_question_and_answer(task, executor, officer):
    question = actions.ask_question(task, actor=executor, text="Which period exactly?")
    assert Notification.objects.filter(user=officer, kind="execution.report").exists()
    actions.answer_question(question, actor=officer, text="All of 2024.")
    question.refresh_from_db()
    assert question.answered_at is not None
    assert Notification.objects.filter(user=executor, kind="execution.answer").exists()
    with pytest.raises(Conflict):
        actions.answer_question(question, actor=officer, text="Twice")


def test_result_uploaded_twice_is_refused_and_nothing_is_lost(task, executor):
    first = actions.add_result(task, SimpleUploadedFile("statements.txt", b"IBAN FR76 ..."), actor=executor)
    assert len(first.sha256) == 64
    assert not first.late
    with pytest.raises(Conflict) as error:
        actions.add_result(task, SimpleUploadedFile("copy.txt", b"IBAN FR76 ..."), actor=executor)
    assert error.value.code == "duplicate"
    assert "statements.txt" in str(error.value.message)
    assert task.results.count() == 1


def test_result_after_the_deadline_is_kept_and_marked_late(task, executor):
    ExecutionTask.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    task.refresh_from_db()
    result = actions.add_result(task, SimpleUploadedFile("late.txt", b"late statements"), actor=executor)
    assert result.late
    record = AuditRecord.objects.get(action="execution.task.result", object_id=str(result.pk))
    assert record.after["late"] is True


def test_program_is_refused_as_result(task, executor):
    with pytest.raises(ActionError):
        actions.add_result(task, SimpleUploadedFile("x.pdf", b"MZ\x90\x00binary"), actor=executor)


def test_reassign_moves_the_task_out_of_sight(task, officer, executor, court, court_user):
    actions.reassign_task(task, actor=officer, authority=court, reason="The court holds the records")
    task.refresh_from_db()
    assert task.authority == court
    from entraide.execution.queries import visible_tasks

    assert not visible_tasks(executor).exists()
    assert list(visible_tasks(court_user)) == [task]
    assert Notification.objects.filter(user=court_user, kind="execution.task").exists()
    assert Notification.objects.filter(user=executor, kind="execution.task_withdrawn").exists()
    with pytest.raises(ActionError):
        actions.reassign_task(task, actor=officer, authority=court, reason="again")


def test_cancel(task, officer, executor):
    actions.cancel_task(task, actor=officer, reason="Withdrawn by the requesting State")
    task.refresh_from_db()
    assert task.status == "cancelled"
    with pytest.raises(Conflict):
        actions.add_result(task, SimpleUploadedFile("a.txt", b"x"), actor=executor)


# --- reminders and escalation -------------------------------------------------------------------------------


def test_late_task_reminds_then_escalates_to_the_head(task, executor, head, officer):
    executor.email = "exec@example.org"
    executor.save()
    ExecutionTask.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    now = timezone.now()
    assert actions.send_reminders(now) == {"reminded": 1, "escalated": 0}
    assert actions.send_reminders(now + timedelta(hours=1)) == {"reminded": 0, "escalated": 0}  # not every hour
    assert actions.send_reminders(now + timedelta(days=3)) == {"reminded": 1, "escalated": 0}
    assert actions.send_reminders(now + timedelta(days=6)) == {"reminded": 0, "escalated": 1}
    assert actions.send_reminders(now + timedelta(days=9)) == {"reminded": 0, "escalated": 0}
    reminders = Notification.objects.filter(user=executor, kind="execution.reminder")
    assert reminders.count() == 2
    assert all(n.case_id is None for n in reminders)  # the executing authority is not shown the matter
    assert Notification.objects.filter(user=head, kind="execution.escalation", level="danger").exists()
    assert Event.objects.filter(case=task.case, verb="execution_task_escalated").exists()


def test_no_reminder_while_the_request_is_postponed(task, officer):
    from entraide.cases.models import Case

    ExecutionTask.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=5))
    Case.objects.filter(pk=task.case_id).update(status="postponed")
    assert actions.send_reminders() == {"reminded": 0, "escalated": 0}
    Case.objects.filter(pk=task.case_id).update(status="in_execution")
    assert actions.send_reminders() == {"reminded": 1, "escalated": 0}


def test_reminder_is_mailed_without_the_matter(
    task, executor, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    executor.email = "exec@example.org"
    executor.save()
    ExecutionTask.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=4))
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_reminders()
    mails = [m for m in mailoutbox if "exec@example.org" in m.to]
    assert mails
    assert all(task.case.reference not in m.body + m.subject for m in mails)
    assert task.reference in mails[0].body


# --- pages --------------------------------------------------------------------------------------------------


def test_executor_sees_only_its_task_never_the_case(client, task, executor, court, officer):
    other = actions.create_task(
        task.case,
        actor=officer,
        authority=court,
        title="Hear the witness",
        instructions="Hear Ms X.",
        due_on=timezone.localdate() + timedelta(days=10),
    )
    client.force_login(executor)
    page = client.get(reverse("execution:tasks"))
    body = page.content.decode()
    assert task.reference in body and other.reference not in body
    assert task.case.reference not in body
    detail = client.get(reverse("execution:task", args=[task.pk]))
    assert detail.status_code == 200
    assert "Statements of account 2024" in detail.content.decode()  # the measure's details are its work
    assert task.case.reference not in detail.content.decode()
    assert client.get(reverse("execution:task", args=[other.pk])).status_code == 404
    assert client.get(reverse("cases:detail", args=[task.case_id])).status_code == 404
    assert client.get(reverse("execution:task-progress", args=[other.pk])).status_code == 404


def test_executor_reports_through_the_pages(client, task, executor):
    client.force_login(executor)
    response = client.post(
        reverse("execution:task-progress", args=[task.pk]), {"status": "in_progress", "text": "Bank asked"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("execution:task-result-add", args=[task.pk]),
        {"file": SimpleUploadedFile("s.txt", b"statement"), "description": "Statements"},
    )
    assert response.status_code == 302
    again = client.post(
        reverse("execution:task-result-add", args=[task.pk]), {"file": SimpleUploadedFile("s2.txt", b"statement")}
    )
    assert again.status_code == 200
    assert "already returned" in again.content.decode()
    result = task.results.get()
    download = client.get(reverse("execution:task-result-download", args=[task.pk, result.pk]))
    assert download.status_code == 200
    assert download["X-Checksum-SHA256"] == result.sha256


def test_officer_gives_a_task_from_the_case_page(client, accepted, measure, officer, executor):
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[accepted.pk]))
    assert 'id="execution-tasks"' in page.content.decode()
    response = client.post(
        reverse("execution:task-create", args=[accepted.pk]),
        {
            "measure": measure.pk,
            "authority": executor.authority.pk,
            "title": "Statements",
            "instructions": "Obtain them",
            "due_on": (timezone.localdate() + timedelta(days=15)).isoformat(),
            "contact": officer.pk,
        },
    )
    assert response.status_code == 302
    task = ExecutionTask.objects.get()
    page = client.get(reverse("cases:detail", args=[accepted.pk]))
    assert task.reference in page.content.decode()


def test_my_tasks_menu_for_executors(client, executor, officer):
    client.force_login(executor)
    assert "My tasks" in client.get(reverse("execution:tasks")).content.decode()
    client.force_login(officer)
    assert "Execution tasks" in client.get(reverse("cases:my-work")).content.decode()


# --- API ----------------------------------------------------------------------------------------------------


def test_api_executor_sees_no_case(client, task, executor, court, officer):
    other = actions.create_task(
        task.case,
        actor=officer,
        authority=court,
        title="Other",
        instructions="Other",
        due_on=timezone.localdate() + timedelta(days=10),
    )
    headers = _token(client, executor)
    listing = client.get("/api/v1/execution-tasks/", **headers).json()
    assert [t["reference"] for t in listing["results"]] == [task.reference]
    assert listing["results"][0]["case"] is None
    assert client.get(f"/api/v1/execution-tasks/{other.pk}/", **headers).status_code == 404
    assert client.get(f"/api/v1/cases/{task.case_id}/", **headers).status_code == 404
    response = client.post(
        f"/api/v1/execution-tasks/{task.pk}/progress/",
        {"status": "completed", "text": "Done"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "completed"


def test_api_upload_and_duplicate(client, task, executor):
    headers = _token(client, executor)
    url = f"/api/v1/execution-tasks/{task.pk}/results/"
    first = client.post(url, {"file": SimpleUploadedFile("a.txt", b"evidence")}, **headers)
    assert first.status_code == 201, first.content
    second = client.post(url, {"file": SimpleUploadedFile("b.txt", b"evidence")}, **headers)
    assert second.status_code == 409
    assert second.json()["code"] == "duplicate"
    result_id = first.json()["results"][0]["id"]
    download = client.get(f"/api/v1/execution-results/{result_id}/download/", **headers)
    assert download.status_code == 200


def test_api_officer_creates_and_foreign_authority_is_refused(client, accepted, officer, executor):
    headers = _token(client, officer)
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    data = {"case": accepted.pk, "authority": executor.authority.pk, "title": "T", "instructions": "I", "due_on": due}
    response = client.post("/api/v1/execution-tasks/", data, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    assert response.json()["case"]["reference"] == accepted.reference
    foreign = Authority.objects.create(name="Foreign", kind=AuthorityKind.POLICE, country=country("ES"))
    data["authority"] = foreign.pk
    response = client.post("/api/v1/execution-tasks/", data, content_type="application/json", **headers)
    assert response.status_code == 400
    assert "authority" in response.json()["fields"]


def test_timeline_describes_execution_events(client, task, officer):
    client.force_login(officer)
    body = client.get(reverse("cases:detail", args=[task.case_id])).content.decode()
    assert f"Execution task {task.reference} given to" in body
    assert "execution_task" not in body.replace('id="execution-tasks"', "")


def test_settle_the_measure_from_a_completed_task(client, task, officer, executor, measure):
    with pytest.raises(Conflict):
        actions.settle_measure(task, actor=officer)  # still open
    actions.report_progress(task, actor=executor, text="All statements obtained", status="completed")
    client.force_login(officer)
    response = client.post(reverse("execution:task-settle", args=[task.pk]))
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == "executed"
    with pytest.raises(Forbidden):
        actions.settle_measure(task, actor=executor)


def test_task_for_an_authority_none_of_whose_users_is_cleared(accepted, officer, executor, head):
    from entraide.core.choices import Confidentiality

    accepted = case_actions.update_case(accepted, actor=head, confidentiality=Confidentiality.SECRET)
    with pytest.raises(ActionError) as error:
        actions.create_task(
            accepted,
            actor=officer,
            authority=executor.authority,
            title="T",
            instructions="I",
            due_on=timezone.localdate() + timedelta(days=3),
        )
    assert "authority" in error.value.fields
