"""A clerk registers, the head assigns, the officer executes: the whole path in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from entraide.accounts.models import Role
from entraide.cases.models import Case
from entraide.core.choices import Confidentiality
from entraide.testing import UserFactory, country, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_assign_execute_and_read_in_arabic(page: Page, live_server, artifacts) -> None:
    base = live_server.url
    country("FR")
    country("MA")
    UserFactory(username="clerk", role=Role.CLERK, language="en")
    UserFactory(username="head", role=Role.HEAD, clearance=Confidentiality.SECRET, language="en")
    UserFactory(username="officer", role=Role.OFFICER, language="en")

    # The clerk registers an incoming request with a subject and two measures.
    sign_in(page, base, "clerk")
    page.click("text=New matter")
    page.select_option("#id_direction", "incoming")
    page.select_option("#id_kind", "mla")
    page.fill("#id_title", "Bank records of an investment fraud")
    page.select_option("#id_counterpart_country", "FR")
    page.fill("#id_counterpart_reference", "PNF/2026/0042")
    page.fill("#id_received_on", "2026-11-20")
    page.click("button:has-text('Save')")
    expect(page.locator(".alert-success")).to_contain_text("Matter registered as")
    reference = page.locator("h1 .ref").inner_text()
    case_url = page.url.split("#")[0]

    page.click("#add-subject")
    page.select_option("#id_kind", "person")
    page.select_option("#id_role", "suspect")
    page.fill("#id_name", "Karim Benali")
    page.select_option("#id_identifier_type", "passport")
    page.fill("#id_identifier_value", "AB1234567")
    page.click("button:has-text('Save')")
    expect(page.locator("#subjects")).to_contain_text("Karim Benali")

    for measure, fields in (
        (
            "bank_records",
            {"#id_d-bank": "Banque Populaire", "#id_d-accounts": "FR76 3000 6000 0112 3456 7890 189"},
        ),
        ("taking_evidence", {"#id_d-person": "Witness A", "#id_d-questions": "What did you see?"}),
    ):
        page.click("#add-measure")
        page.select_option("#id_type", measure)
        page.click("button:has-text('Choose')")
        for selector, value in fields.items():
            page.fill(selector, value)
        page.click("button:has-text('Add the measure')")
        expect(page.locator(f"[data-measure={measure}]")).to_be_visible()
    page.screenshot(path=str(artifacts / "1-clerk-registered.png"), full_page=True)

    # The head assigns it.
    sign_in(page, base, "head")
    page.goto(case_url)
    page.click("#assign-link")
    page.select_option("#id_officer", label="officer")
    page.click("button:has-text('Save')")
    expect(page.locator("#case-officer")).to_contain_text("officer")

    # The officer moves it through its lifecycle to executed.
    sign_in(page, base, "officer")
    page.goto(f"{base}/cases/my-work/")
    expect(page.locator("[data-section=assigned]")).to_contain_text(reference)
    page.goto(case_url)
    for state in ("under_review", "accepted", "in_execution"):
        if state == "accepted":  # accepting is decided in the admissibility review (execution app)
            page.click("[data-taken-from]")
            page.click("#decide")
            page.select_option("#id_kind", "accept")
            page.click("button:has-text('Save')")
            page.goto(case_url)
        else:
            page.click(f"form[data-step={state}] button")
        expect(page.locator("h1 [data-status]")).to_have_attribute("data-status", state)
    for measure in ("bank_records", "taking_evidence"):
        page.locator(f"[data-measure={measure}] a:has-text('Change status')").click()
        page.select_option("#id_status", "executed")
        page.click("button:has-text('Save')")
    page.click("form[data-step=executed] button")
    expect(page.locator("h1 [data-status]")).to_have_attribute("data-status", "executed")
    page.screenshot(path=str(artifacts / "2-officer-executed.png"), full_page=True)
    page.goto(f"{base}/cases/my-work/")
    expect(page.locator("[data-section=assigned]")).not_to_contain_text(reference)
    assert Case.objects.get(reference=reference).status == "executed"

    # In Arabic, the page runs right to left.
    page.goto(case_url)
    messages: list[str] = []
    page.on("console", lambda msg: messages.append(msg.text))
    with page.expect_navigation():
        page.select_option("select[name=language]", "ar")
    assert not messages, messages
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    page.screenshot(path=str(artifacts / "3-arabic-rtl.png"), full_page=True)
