"""Extradition in a real browser: the incoming path from the provisional arrest to the surrender, and the outgoing
path from the arrest abroad to the formal request delivered in time (its alerts e-mailed, then stopped)."""

from __future__ import annotations

import socket
from datetime import timedelta
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from playwright.sync_api import Page, expect

from entraide.accounts.models import Role
from entraide.cases import actions as case_actions
from entraide.core.choices import Confidentiality
from entraide.extradition.alerts import send_clock_alerts
from entraide.extradition.loaders import load_clock_rules
from entraide.extradition.tests.helpers import replay
from entraide.testing import UserFactory, country, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def step(page: Page, target: str, reason: str = "") -> None:
    form = page.locator(f"#status form[data-step='{target}']")
    if reason:
        form.locator("input[name=reason]").fill(reason)
    form.locator("button").click()


def judicial(page: Page, kind: str, at: Any, court: str = "", outcome: str = "") -> None:
    page.click("#record-step")
    page.select_option("#id_kind", kind)
    page.fill("#id_at", local(at))
    if court:
        page.fill("#id_court", court)
    if outcome:
        page.select_option("#id_outcome", outcome)
    page.click("button:has-text('Save')")
    expect(page.locator(".alert-success")).to_contain_text("Step recorded.")


def _matter(head: Any, officer: Any, direction: str) -> Any:
    case = case_actions.register_case(
        actor=head,
        direction=direction,
        kind="provisional_arrest",
        title="Fugitive wanted for a bank fraud",
        counterpart_country=country("FR"),
        subjects=[{"kind": "person", "role": "person_sought", "name": "Karim Benali"}],
    )
    return case_actions.assign(case, officer, actor=head)


def test_incoming_from_provisional_arrest_to_surrender(page: Page, live_server, artifacts) -> None:
    base = live_server.url
    load_clock_rules()
    country("MA")
    head = UserFactory(username="head", role=Role.HEAD, clearance=Confidentiality.SECRET, language="en")
    officer = UserFactory(username="officer", role=Role.OFFICER, language="en")
    case = _matter(head, officer, "incoming")

    sign_in(page, base, "officer")
    page.goto(f"{base}/cases/{case.pk}/")
    # Arrested five days ago at 06:30: 40 days (UN Model Treaty art. 9(4)) run from the arrest, not from now.
    arrested = (timezone.now() - timedelta(days=5)).replace(hour=6, minute=30)
    page.click("#record-arrest")
    page.select_option("#id_subject", label="Karim Benali")
    page.fill("#id_arrested_at", local(arrested))
    page.fill("#id_place", "Tanger")
    page.click("button:has-text('Save')")
    expect(page.locator(".alert-success")).to_contain_text("Arrest recorded")
    clock = page.locator("#extradition-clocks [data-clock='ext-pa-un-model']")
    expect(clock.locator(".countdown")).to_have_text("35 days left")
    expect(clock).to_contain_text("UN Model Treaty on Extradition")

    # The head's morning page lists the person with the clock.
    sign_in(page, base, "head")
    page.click("text=Persons in custody")
    expect(page.locator("#custody-table")).to_contain_text("Karim Benali")
    expect(page.locator("#custody-table")).to_contain_text("35 days left")

    sign_in(page, base, "officer")
    page.goto(f"{base}/cases/{case.pk}/")
    page.click("#record-formal-request")
    page.fill("#id_at", local(timezone.now() - timedelta(hours=1)))
    page.click("button:has-text('Save')")
    expect(page.locator(".alert-success")).to_contain_text("Formal request recorded")
    expect(page.locator("#extradition-clocks [data-clock='ext-pa-un-model']")).to_have_count(0)

    step(page, "under_review")
    step(page, "judicial_phase")
    judicial(page, "hearing", timezone.now() - timedelta(minutes=50), court="Cour d'appel de Tanger")
    judicial(page, "eligibility", timezone.now() - timedelta(minutes=40), outcome="granted")
    expect(page.locator("#extradition-clocks [data-clock='ext-appeal-national'] .countdown")).to_have_text(
        "7 days left"
    )
    judicial(page, "appeal", timezone.now() - timedelta(minutes=30))
    expect(page.locator("#extradition-steps")).to_contain_text("Appeal filed")
    step(page, "granted", reason="Appeal dismissed; decree signed")
    judicial(page, "surrender_agreed", timezone.now() + timedelta(days=2))
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("#extradition-clocks [data-clock='ext-surrender-ece-15']")).to_have_count(1)
    judicial(page, "surrendered", timezone.now() - timedelta(minutes=5))
    expect(page.locator("#extradition-custody")).to_contain_text("Surrendered")
    step(page, "closed")
    expect(page.locator("#status")).to_contain_text("No further step")
    page.screenshot(path=str(artifacts / "extradition-incoming.png"), full_page=True)

    sign_in(page, base, "head")
    page.goto(f"{base}/extradition/custody/")
    expect(page.locator("#custody-table")).to_contain_text("Nobody is held")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def test_outgoing_arrest_abroad_alerts_then_formal_request_in_time(
    page: Page, live_server, settings, artifacts
) -> None:
    base = live_server.url
    load_clock_rules()
    country("MA")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    from huey.contrib.djhuey import HUEY

    immediate, HUEY.immediate = HUEY.immediate, True  # the e-mails leave at once, as the worker would send them
    try:
        head = UserFactory(
            username="head", role=Role.HEAD, clearance=Confidentiality.SECRET, language="en", email="head@example.org"
        )
        officer = UserFactory(username="officer", role=Role.OFFICER, language="en", email="officer@example.org")
        # Drafting's review of the request is taken as history (its own browser test drives it).
        case = replay(_matter(head, officer, "outgoing"), ("under_review", "approved", "sent"), actor=head)

        sign_in(page, base, "officer")
        page.goto(f"{base}/cases/{case.pk}/")
        start = timezone.now()
        page.click("#record-arrest")
        page.select_option("#id_subject", label="Karim Benali")
        page.fill("#id_arrested_at", local(start - timedelta(days=29)))
        page.click("button:has-text('Save')")
        expect(page.locator(".alert-success")).to_contain_text("Arrest recorded")
        expect(page.locator("#extradition-clocks [data-clock='ext-pa-un-model'] .countdown")).to_have_text(
            "11 days left"
        )

        # The worker's runs, time moved forward: 10 days, then 5 days left.
        send_clock_alerts(start + timedelta(days=1))
        send_clock_alerts(start + timedelta(days=6))
        about = [
            m
            for m in inbox.messages
            if "formal request after the provisional arrest" in m.get_payload(decode=True).decode()
        ]
        assert sorted(m["To"] for m in about) == sorted(["head@example.org", "officer@example.org"] * 2)

        page.goto(f"{base}/cases/{case.pk}/")
        page.click("#record-formal-request")
        page.fill("#id_at", local(timezone.now()))
        page.click("button:has-text('Save')")
        expect(page.locator(".alert-success")).to_contain_text("Formal request recorded")
        expect(page.locator("#extradition-clocks [data-clock='ext-pa-un-model']")).to_have_count(0)
        page.screenshot(path=str(artifacts / "extradition-outgoing.png"), full_page=True)

        for day in (9, 10, 12):
            send_clock_alerts(start + timedelta(days=day))
        after = [m for m in inbox.messages if "formal request" in m.get_payload(decode=True).decode()]
        assert len(after) == 4  # the alerts stopped with the formal request
    finally:
        HUEY.immediate = immediate
        controller.stop()
