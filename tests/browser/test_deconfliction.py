"""An officer registers an informal contact about a man another officer's matter already names in Arabic script:
the officer learns only that a possible match exists and whom to ask; the head sees both sides on the matter's
page, confirms, and the contact is linked to the matter."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from entraide.accounts.models import Role
from entraide.cases import actions as case_actions
from entraide.core.choices import Confidentiality
from entraide.informal.models import InformalContact
from entraide.matching.models import Match, MatchStatus
from entraide.testing import UserFactory, country, make_case, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_informal_contact_deconflicted_against_a_restricted_matter(page: Page, live_server, artifacts) -> None:
    base = live_server.url
    country("FR")
    country("MA")
    head = UserFactory(username="head", role=Role.HEAD, clearance=Confidentiality.SECRET, language="en")
    UserFactory(username="officer", role=Role.OFFICER, language="en")
    other = UserFactory(username="officer2", role=Role.OFFICER, language="en")
    matter = case_actions.assign(make_case(head, title="Money laundering network"), other, actor=head)
    case_actions.add_subject(
        matter,
        actor=other,
        kind="person",
        role="suspect",
        name="محمد العمراني",
        birth_date=date(1985, 3, 2),
    )

    # The officer registers a police-to-police contact with France about Mohammed El Amrani.
    sign_in(page, base, "officer")
    page.click("nav >> text=Informal")
    page.click("text=Register an informal contact")
    page.select_option("#id_channel", "police")
    page.select_option("#id_counterpart_country", "FR")
    page.fill("#id_counterpart_unit", "OCRGDF")
    page.fill("#id_occurred_on", "2026-11-20")
    page.select_option("#id_direction", "outgoing")
    page.fill("#id_summary", "Asked the French police whether the man is known to them.")
    page.fill("#id_subject_name", "Mohammed El Amrani")
    page.fill("#id_subject_birth_date", "1985-03-02")
    page.click("button:has-text('Save')")
    expect(page.locator(".alert-success")).to_contain_text("Informal contact registered.")
    panel = page.locator("#matches")
    expect(panel).to_contain_text("a possible match exists in a matter you may not see")
    expect(panel).to_contain_text("head")
    expect(panel).not_to_contain_text(matter.reference)
    expect(panel).not_to_contain_text("محمد العمراني")
    page.screenshot(path=str(artifacts / "deconfliction-restricted.png"), full_page=True)

    # The head sees both sides on the matter's page, with the reasons, and confirms.
    sign_in(page, base, "head")
    page.goto(f"{base}/cases/{matter.pk}/")
    panel = page.locator("#matches")
    expect(panel).to_contain_text("Mohammed El Amrani")
    expect(panel).to_contain_text("transliteration")
    expect(panel).to_contain_text("Same date of birth")
    page.screenshot(path=str(artifacts / "deconfliction-head.png"), full_page=True)
    panel.locator("button:has-text('Same subject: confirm and link')").click()
    expect(page.locator(".alert-success")).to_contain_text("Match confirmed")
    assert Match.objects.get().status == MatchStatus.CONFIRMED
    assert list(InformalContact.objects.get().cases.all()) == [matter]
