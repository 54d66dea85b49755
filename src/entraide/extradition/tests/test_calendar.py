"""The calendar page and the per-user iCalendar feed behind a revocable secret address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from entraide.audit.models import AuditRecord
from entraide.extradition import actions
from entraide.extradition.models import CalendarToken
from entraide.extradition.tests.helpers import extradition_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing_case(head, officer):
    case = extradition_case(head, officer)
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=2), subject=case.subjects.get()
    )
    actions.record_step(case, actor=officer, kind="hearing", at=timezone.now() + timedelta(days=3), court="Rabat")
    return case


def _feed_path(client):
    client.post(reverse("extradition:calendar-token-new"))
    url = client.get(reverse("extradition:calendar")).context["feed_url"]
    return url.split("testserver", 1)[1]


def test_the_calendar_page_shows_hearings_and_deadlines(client, officer, hearing_case):
    client.force_login(officer)
    month = (timezone.localdate() + timedelta(days=3)).strftime("%Y-%m")
    text = client.get(reverse("extradition:calendar") + f"?month={month}").content.decode()
    assert f"{hearing_case.reference} — Hearing" in text
    assert "Rabat" in text


def test_the_feed_lists_hearings_and_clocks_without_names_and_can_be_revoked(client, officer, officer2, hearing_case):
    client.force_login(officer)
    path = _feed_path(client)
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
    assert f"{hearing_case.reference} — Hearing" in summaries
    assert any("deadline: Provisional arrest" in s for s in summaries)
    assert b"Jean Dupont" not in response.content
    assert CalendarToken.objects.get(user=officer).last_used_at is not None
    # The page never shows the address again; only a hash is stored.
    client.force_login(officer)
    assert client.get(reverse("extradition:calendar")).context["feed_url"] == ""
    assert path.split("/")[-1].removesuffix(".ics") not in CalendarToken.objects.get(user=officer).token_hash
    client.post(reverse("extradition:calendar-token-revoke"))
    client.logout()
    assert client.get(path).status_code == 404
    assert AuditRecord.objects.filter(action="extradition.calendar_token.revoke").count() == 1


def test_a_new_address_replaces_the_old_one(client, officer, hearing_case):
    client.force_login(officer)
    first = _feed_path(client)
    second = _feed_path(client)
    assert first != second
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_the_feed_follows_need_to_know_at_each_read(client, head, officer2, hearing_case):
    client.force_login(officer2)
    path = _feed_path(client)
    assert hearing_case.reference.encode() not in client.get(path).content
    client.force_login(head)
    head_path = _feed_path(client)
    assert hearing_case.reference.encode() in client.get(head_path).content


def test_an_unknown_address_is_not_found(client):
    assert client.get(reverse("extradition:calendar-feed", args=["nope"])).status_code == 404
