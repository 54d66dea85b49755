"""Notifications: shown to their reader only, in the reader's language, and mailed through a real SMTP server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils.translation import gettext_noop

from entraide.notifications.actions import mark_read, notify
from entraide.notifications.models import Notification


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


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


MESSAGE = gettext_noop("Matter registered as {reference}.")


@pytest.mark.django_db(transaction=True)
def test_a_notification_is_mailed_in_the_readers_language(smtp: Inbox, officer: Any, case: Any) -> None:
    officer.email, officer.language = "officer@example.org", "fr"
    officer.save()
    notify(
        [officer, officer], kind="test", message=MESSAGE, params={"reference": case.reference}, case=case, email=True
    )
    assert len(smtp.messages) == 1  # the same user twice is notified once
    mail = smtp.messages[0]
    assert mail["To"] == "officer@example.org"
    subject = str(make_header(decode_header(mail["Subject"])))
    assert case.reference in subject
    body = mail.get_payload(decode=True).decode()
    assert f"Affaire enregistrée sous la référence {case.reference}." in body
    assert Notification.objects.get().emailed_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_failing_smtp_server_keeps_the_reason_and_loses_nothing(settings: Any, officer: Any, case: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _free_port()  # nobody listens there
    officer.email = "officer@example.org"
    officer.save()
    # The task fails and is scheduled again (huey's retries); the notification keeps why.
    notify([officer], kind="test", message=MESSAGE, params={"reference": case.reference}, email=True)
    n = Notification.objects.get()
    assert n.emailed_at is None and n.email_error


@pytest.mark.django_db
def test_the_inbox_shows_only_ones_own_notifications_translated(client: Any, officer: Any, officer2: Any) -> None:
    notify([officer], kind="test", message=MESSAGE, params={"reference": "MLA/IN/2026/00007"})
    notify([officer2], kind="test", message=MESSAGE, params={"reference": "MLA/IN/2026/00999"})
    client.force_login(officer)
    page = client.get(reverse("notifications:inbox"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Affaire enregistrée sous la référence MLA/IN/2026/00007." in page
    assert "00999" not in page
    assert 'id="unread-count">1<' in page
    client.post(reverse("notifications:mark-read"))
    assert mark_read(officer) == 0
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert 'id="unread-count"' not in page
