"""An incoming request from registration to closing, in a real browser: the clerk registers it, the officer reviews
it and asks for supplementary information (the clocks pause), the answer arrives (they resume), the officer accepts
and splits the request into tasks for two executing authorities, a user of one of them completes its task and
returns evidence — seeing nothing else of the matter — the evidence is returned to the requesting State, and the
matter is executed and closed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from entraide.accounts.models import Role
from entraide.cases import actions as case_actions
from entraide.cases.models import Case, DeadlineRule
from entraide.core.choices import Confidentiality
from entraide.directory.models import Authority, AuthorityKind
from entraide.testing import UserFactory, country, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_incoming_request_from_registration_to_closing(page: Page, live_server, artifacts, tmp_path: Path) -> None:
    base = live_server.url
    country("FR")
    home = country(settings.ENTRAIDE_COUNTRY)
    DeadlineRule.objects.create(
        code="t-decide", name="Decide on admissibility", trigger="registered", days=30, source="Service level"
    )
    police = Authority.objects.create(name="Judicial police, economic unit", kind=AuthorityKind.POLICE, country=home)
    court = Authority.objects.create(name="Court of first instance", kind=AuthorityKind.COURT, country=home)
    UserFactory(username="clerk", role=Role.CLERK, language="en")
    head = UserFactory(username="head", role=Role.HEAD, clearance=Confidentiality.SECRET, language="en")
    officer = UserFactory(username="officer", role=Role.OFFICER, language="en")
    UserFactory(username="inspector", role=Role.EXECUTING, authority=police, language="en")

    # The clerk registers what arrived, in one short form.
    sign_in(page, base, "clerk")
    page.click("text=Incoming request")
    page.select_option("#id_kind", "mla")
    page.select_option("#id_counterpart_country", "FR")
    page.fill("#id_counterpart_reference", "PNF/2026/0042")
    page.fill("#id_title", "Bank records of an investment fraud")
    page.fill("#id_names", "Karim Benali")
    page.click("#register-submit")
    expect(page.locator(".alert-success")).to_contain_text("Incoming request registered as")
    case = Case.objects.get(counterpart_reference="PNF/2026/0042")
    case_url = f"{base}/cases/{case.pk}/"

    # The head assigns it; the officer records the measures (the register's own pages, tested elsewhere).
    case = case_actions.assign(case, officer, actor=head)
    bank = case_actions.add_measure(case, actor=officer, type="information", details={"information": "Bank records"})
    witness = case_actions.add_measure(
        case, actor=officer, type="information", details={"information": "Statement of the bank's manager"}
    )

    # The officer reviews it and asks for supplementary information: the clock pauses.
    sign_in(page, base, "officer")
    page.goto(case_url)
    page.click("#open-review")
    page.click("#start-review")
    page.goto(f"{base}/execution/cases/{case.pk}/admissibility/")
    page.select_option("#id_purpose", "not_met")
    page.fill("#id_purpose_note", "The purpose of the bank records is not stated")
    page.select_option("#id_facts", "met")
    page.click("#save-review")
    expect(page.locator(".alert-success")).to_contain_text("Review saved")
    page.click("#decide")
    page.select_option("#id_kind", "ask_information")
    page.fill("#id_reasons", "State how the bank records relate to the offence.")
    page.click("button:has-text('Save')")
    expect(page.locator(".alert-success")).to_contain_text("Decision recorded")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "awaiting_information")
    assert case.deadlines.get().status == "paused"
    assert case.documents.filter(title__contains="supplementary information").count() == 2  # DOCX and PDF
    page.screenshot(path=str(artifacts / "execution-1-awaiting-information.png"), full_page=True)

    # The answer arrives: the clock resumes and the review continues; the officer completes the checklist, accepts.
    page.click("#answer-received")
    page.fill("#id_summary", "The accounts received the proceeds of the fraud.")
    page.click("button:has-text('Save')")
    expect(page.locator(".alert-success")).to_contain_text("the clocks resume")
    assert case.deadlines.get().status == "running"
    page.select_option("#id_purpose", "met")
    page.click("#save-review")
    page.click("#decide")
    page.select_option("#id_kind", "accept")
    page.click("button:has-text('Save')")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "accepted")

    # The officer splits the request into tasks for two executing authorities.
    for measure, authority, title in ((bank, police, "Obtain the bank records"), (witness, court, "Hear the manager")):
        page.goto(case_url)
        page.click("#add-task")
        page.select_option("#id_measure", str(measure.pk))
        page.select_option("#id_authority", str(authority.pk))
        page.fill("#id_title", title)
        page.fill("#id_instructions", f"{title}; return certified copies.")
        page.fill("#id_due_on", "2027-01-15")
        page.click("button:has-text('Save')")
        expect(page.locator("#execution-tasks")).to_contain_text(title)
    bank_task = case.execution_tasks.get(authority=police)
    court_task = case.execution_tasks.get(authority=court)

    # The police inspector sees only the task of the police: not the matter, not the court's task.
    sign_in(page, base, "inspector")
    page.click("text=My tasks")
    expect(page.locator("#task-table")).to_contain_text(bank_task.reference)
    expect(page.locator("#task-table")).not_to_contain_text(court_task.reference)
    expect(page.locator("body")).not_to_contain_text(case.reference)
    page.click(f"text={bank_task.reference}")
    expect(page.locator("#task-instructions")).to_contain_text("Obtain the bank records")
    expect(page.locator("body")).not_to_contain_text(case.reference)
    evidence = tmp_path / "bank-records.txt"
    evidence.write_text("Statements of account FR76 3000 6000 0112, January to June 2026\n", encoding="utf-8")
    page.click("#add-result")
    page.set_input_files("#id_file", str(evidence))
    page.fill("#id_description", "Certified statements")
    page.click("button:has-text('Save')")
    expect(page.locator("#results")).to_contain_text("bank-records.txt")
    page.click("#report-progress")
    page.select_option("#id_status", "completed")
    page.fill("#id_text", "Statements obtained from the bank and certified.")
    page.click("button:has-text('Save')")
    expect(page.locator("[data-task-status]").first).to_have_attribute("data-task-status", "completed")
    page.screenshot(path=str(artifacts / "execution-2-executor-task.png"), full_page=True)
    assert page.goto(case_url).status == 404
    assert page.goto(f"{base}/execution/tasks/{court_task.pk}/").status == 404

    # The officer sees both tasks and the evidence on the case page; the measures are settled and the matter closes.
    sign_in(page, base, "officer")
    page.goto(case_url)
    expect(page.locator(f"[data-task='{bank_task.reference}']")).to_contain_text("Completed")
    expect(page.locator(f"[data-task='{bank_task.reference}']")).to_contain_text("1 result")
    # The evidence returned on the task goes back to the requesting State with its transmittal letter.
    page.click("#open-evidence")
    expect(page.locator("#evidence-items")).to_contain_text("Certified statements")
    page.click("#return-evidence")
    page.check("#id_items_0")
    page.click("button:has-text('Save')")
    expect(page.locator("#packages")).to_contain_text("Package 1")
    assert case.documents.filter(title__contains="return 1").count() == 2  # transmittal letter, DOCX and PDF
    page.screenshot(path=str(artifacts / "execution-3-evidence-returned.png"), full_page=True)
    case_actions.transition(Case.objects.get(pk=case.pk), "in_execution", actor=officer)
    case_actions.set_measure_status(bank, "executed", actor=officer)
    case_actions.set_measure_status(witness, "withdrawn", actor=officer, note="No longer needed")
    case_actions.transition(Case.objects.get(pk=case.pk), "executed", actor=officer)
    case_actions.transition(Case.objects.get(pk=case.pk), "closed", actor=officer)
    assert Case.objects.get(pk=case.pk).status == "closed"
