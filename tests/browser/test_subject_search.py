"""An officer searches the index of subjects from the menu: a name written in Latin letters finds the subject of
their own matter written in Cyrillic, with the score and the reasons; a passport number held only in another
officer's matter says just that a possible match exists there and whom to ask."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from entraide.accounts.models import Role
from entraide.cases import actions as case_actions
from entraide.core.choices import Confidentiality
from entraide.testing import UserFactory, make_case, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_searches_subjects_by_name_and_identifier(page: Page, live_server, artifacts) -> None:
    base = live_server.url
    head = UserFactory(username="head", role=Role.HEAD, clearance=Confidentiality.SECRET, language="en")
    officer = UserFactory(username="officer", role=Role.OFFICER, language="en")
    other = UserFactory(username="officer2", role=Role.OFFICER, language="en")
    mine = case_actions.assign(make_case(head, title="Fraud ring"), officer, actor=head)
    case_actions.add_subject(
        mine, actor=officer, kind="person", role="suspect", name="Олександр Шевченко", birth_date=date(1979, 5, 1)
    )
    theirs = case_actions.assign(make_case(head, title="Money laundering network"), other, actor=head)
    subject = case_actions.add_subject(theirs, actor=other, kind="person", role="suspect", name="Ivan Petrenko")
    case_actions.add_identifier(subject, actor=other, type="passport", value="FA 123 456")

    sign_in(page, base, "officer")
    page.click("nav >> text=Subjects")
    page.fill("#q", "Oleksandr Shevchenko")
    page.click("#subject-search button[type=submit]")
    results = page.locator("#search-results")
    expect(results).to_contain_text("Олександр Шевченко")
    expect(results).to_contain_text(mine.reference)
    expect(results).to_contain_text("Name part")
    page.screenshot(path=str(artifacts / "subject-search-name.png"), full_page=True)

    page.fill("#q", "fa-123456")
    page.click("#subject-search button[type=submit]")
    results = page.locator("#search-results")
    expect(results.locator("[data-restricted]")).to_contain_text("A possible match exists in a matter you may not see")
    expect(results).to_contain_text("head")
    expect(results).not_to_contain_text(theirs.reference)
    expect(results).not_to_contain_text("Petrenko")
    expect(results).to_contain_text("No subject found that you may see.")
    page.screenshot(path=str(artifacts / "subject-search-restricted.png"), full_page=True)
