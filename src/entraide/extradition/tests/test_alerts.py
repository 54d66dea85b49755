"""Clock alerts and the daily digest, mailed through a real SMTP server (aiosmtpd) with time moved forward."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from entraide.extradition import actions
from entraide.extradition.alerts import send_clock_alerts, send_daily_digest
from entraide.extradition.tests.helpers import extradition_case
from entraide.notifications.models import Notification


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def about(self, words: str) -> list[tuple[str, str]]:
        """(recipient, body) of the messages whose body mentions ``words``."""
        found = []
        for m in self.messages:
            body = m.get_payload(decode=True).decode()
            if words in body:
                found.append((m["To"], body))
        return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def people(head: Any, officer: Any, officer2: Any) -> tuple[Any, Any, Any]:
    from entraide.extradition.loaders import load_clock_rules

    load_clock_rules()  # a transactional test empties the tables the migrations filled
    for user, address in ((head, "head@example.org"), (officer, "officer@example.org"), (officer2, "o2@example.org")):
        user.email = address
        user.save()
    return head, officer, officer2


@pytest.mark.django_db(transaction=True)
def test_each_threshold_is_mailed_once_to_the_officer_and_the_head_and_the_alerts_stop(smtp, people):
    head, officer, _officer2 = people
    case = extradition_case(head, officer, direction="outgoing")
    start = timezone.now()
    actions.record_arrest(case, actor=officer, arrested_at=start - timedelta(days=29), subject=case.subjects.get())
    words = "formal request after the provisional arrest"
    assert send_clock_alerts(start) >= 0
    assert smtp.about(words) == []  # 11 days left: no threshold crossed yet
    seen = 0
    for day, left in ((1, 10), (1, 10), (6, 5), (7, 4), (9, 2), (10, 1)):
        send_clock_alerts(start + timedelta(days=day))
        got = smtp.about(words)
        if len(got) > seen:
            assert sorted(to for to, _ in got[seen:]) == ["head@example.org", "officer@example.org"]
            assert all(f"days left: {left}." in body for _, body in got[seen:])
        seen = len(got)
    # 10, 5, 2 and 1: four notices, each to two people; repeating a run or a day in between sends nothing more.
    assert seen == 8
    actions.record_formal_request(case, actor=officer, at=start)
    for day in (11, 12, 13):
        send_clock_alerts(start + timedelta(days=day))
    assert len(smtp.about(words)) == 8
    assert smtp.about("ran out") == []
    assert Notification.objects.filter(user=head, level="danger").exists()


@pytest.mark.django_db(transaction=True)
def test_a_clock_that_runs_out_says_so_once(smtp, people):
    head, officer, _officer2 = people
    case = extradition_case(head, officer)
    start = timezone.now()
    actions.record_arrest(case, actor=officer, arrested_at=start - timedelta(days=41), subject=case.subjects.get())
    send_clock_alerts(start)
    send_clock_alerts(start + timedelta(hours=1))
    late = smtp.about("ran out")
    assert sorted(to for to, _ in late) == ["head@example.org", "officer@example.org"]
    assert not [m for m in smtp.messages if m["To"] == "o2@example.org"]


@pytest.mark.django_db(transaction=True)
def test_the_daily_digest_goes_once_a_day_in_the_readers_language(smtp, people):
    head, officer, _officer2 = people
    officer.language = "fr"
    officer.save()
    case = extradition_case(head, officer)
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=3), subject=case.subjects.get()
    )
    now = timezone.now()
    assert send_daily_digest(now) == 2
    assert send_daily_digest(now + timedelta(minutes=30)) == 0
    bodies = {m["To"]: m.get_payload(decode=True).decode() for m in smtp.messages}
    assert case.reference in bodies["officer@example.org"]
    assert "Échéance" in bodies["officer@example.org"]
    assert case.reference in bodies["head@example.org"]
    assert "o2@example.org" not in bodies
    assert send_daily_digest(now + timedelta(days=1)) == 2


@pytest.mark.django_db(transaction=True)
def test_an_appeal_period_without_appeal_lapses_instead_of_running_overdue(smtp, people):
    from entraide.cases.models import Deadline

    head, officer, _officer2 = people
    case = extradition_case(head, officer)
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=30), subject=case.subjects.get()
    )
    actions.record_step(
        case, actor=officer, kind="eligibility", at=timezone.now() - timedelta(days=1), outcome="granted"
    )
    send_clock_alerts(timezone.now() + timedelta(days=10))
    clock = Deadline.objects.get(case=case, rule__clock_rule__clock="appeal")
    assert clock.status == "met"
    assert "final" in clock.note
    assert smtp.about("time limit for appeal ended") == []
