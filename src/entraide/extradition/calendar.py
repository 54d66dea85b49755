"""Hearings and clocks on a calendar: the calendar page and the iCalendar feed programs subscribe to.

The feed shows what its owner may see at the moment it is read (need-to-know is checked on each read). Events
name the matter's reference and what happens, never the person: subscribed calendars travel to phones and
other servers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from entraide.cases import choices as cc
from entraide.cases.models import Case
from entraide.cases.queries import visible_cases
from entraide.extradition import choices as c
from entraide.extradition.models import JudicialStep
from entraide.extradition.queries import clock_view, extradition_clocks, red_marks

# Steps that are appointments (they are on the calendar, past or to come).
CALENDAR_STEPS = (*c.COURT_STEPS, c.StepKind.SURRENDER_AGREED, c.StepKind.SURRENDER_POSTPONED)


@dataclass
class Item:
    uid: str
    at: datetime
    all_day: bool
    title: str
    case: Case
    kind: str  # "hearing" or "clock"
    level: str = "primary"
    place: str = ""
    mark: Any = None  # the matter's red mark (``queries.red_marks``) on a hearing: a critical clock runs short

    @property
    def day(self) -> date:
        return timezone.localtime(self.at).date()


def items(user: Any, start: datetime, end: datetime) -> list[Item]:
    """The hearings and the clocks' due dates between ``start`` and ``end`` in the matters ``user`` may see."""
    cases = visible_cases(user).filter(kind__in=cc.EXTRADITION_KINDS)
    found: list[Item] = []
    steps = JudicialStep.objects.filter(case__in=cases, kind__in=CALENDAR_STEPS, at__gte=start, at__lt=end)
    for step in steps.select_related("case"):
        found.append(
            Item(
                uid=f"step-{step.pk}",
                at=step.at,
                all_day=False,
                title=f"{step.case.reference} — {step.get_kind_display()}",
                case=step.case,
                kind="hearing",
                place=step.court,
            )
        )
    now = timezone.now()
    deadlines = extradition_clocks(cases.filter(is_open=True)).filter(due_at__gte=start, due_at__lt=end)
    for deadline in deadlines.select_related("case"):
        view = clock_view(deadline, now)
        found.append(
            Item(
                uid=f"clock-{deadline.pk}",
                at=deadline.due_at,
                all_day=True,
                title=_("{reference} — deadline: {name}").format(reference=deadline.case.reference, name=view.name),
                case=deadline.case,
                kind="clock",
                level=view.level,
            )
        )
    hearings = [item for item in found if item.kind == "hearing"]
    if hearings:  # one query: the hearings of matters whose custody clock runs short are flagged red
        marks = red_marks(list({item.case.pk: item.case for item in hearings}.values()))
        for item in hearings:
            item.mark = next(iter(marks.get(item.case.pk, [])), None)
    found.sort(key=lambda i: (i.at, i.uid))
    return found


def feed(user: Any) -> bytes:
    """The user's iCalendar feed: from 30 days ago to a year ahead, in the user's language."""
    now = timezone.now()
    site = settings.ENTRAIDE_SITE_URL.rstrip("/")
    host = site.split("://", 1)[-1].split("/", 1)[0] or "entraide"
    with translation.override(user.language or settings.LANGUAGE_CODE):
        cal = Calendar()
        cal.add("prodid", "-//Entraide//Extradition//EN")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", _("Extradition — hearings and deadlines"))
        cal.add("x-published-ttl", "PT1H")
        for item in items(user, now - timedelta(days=30), now + timedelta(days=366)):
            event = Event()
            event.add("uid", f"{item.uid}@{host}")
            event.add("summary", item.title)
            event.add("dtstamp", now)
            if item.all_day:
                event.add("dtstart", item.day)
                event.add("dtend", item.day + timedelta(days=1))
                event.add("transp", "TRANSPARENT")
            else:
                event.add("dtstart", item.at)
                event.add("dtend", item.at + timedelta(hours=1))
            if item.place:
                event.add("location", item.place)
            event.add("url", site + reverse("cases:detail", args=[item.case.pk]))
            cal.add_component(event)
    return bytes(cal.to_ical())
