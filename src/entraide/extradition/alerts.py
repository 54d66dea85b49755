"""Alerts on the clocks of extradition: a notice when a clock crosses a threshold, and the daily digest.

Plain functions of ``now`` (the huey tasks in ``tasks.py`` call them), so tests move time forward by passing it.
Each threshold of each clock is announced once (``ClockAlert``); a clock extended or resumed has a new due date,
so its thresholds are announced again for that date. Alerts go to the matter's officer and to the heads cleared
for the matter, on screen and by e-mail.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from entraide.accounts.models import Role, User
from entraide.cases import choices as cc
from entraide.cases.models import Case, Deadline
from entraide.cases.queries import visible_cases
from entraide.extradition import choices as c
from entraide.extradition.models import ClockAlert, DigestSent
from entraide.extradition.queries import alert_thresholds, clock_view, danger_days, extradition_clocks
from entraide.notifications.actions import notify
from entraide.notifications.models import Level

log = logging.getLogger(__name__)

OVERDUE = 0  # the threshold recorded for "the clock has run out"
# A status update is a reminder, not a statutory limit: it is announced shortly before and when it is due.
STATUS_THRESHOLDS = (2,)

MESSAGES = {
    c.Clock.PROVISIONAL_ARREST: (
        gettext_noop("{reference}: formal request after the provisional arrest due {due} — days left: {days}."),
        gettext_noop("{reference}: the time limit for the formal request ran out on {due}: the person may walk free."),
    ),
    c.Clock.CONSENT: (
        gettext_noop("{reference}: decision on the simplified surrender due {due} — days left: {days}."),
        gettext_noop("{reference}: the time limit for the simplified surrender ran out on {due}."),
    ),
    c.Clock.APPEAL: (
        gettext_noop("{reference}: time limit for appeal ends {due} — days left: {days}."),
        gettext_noop("{reference}: the time limit for appeal ended on {due}."),
    ),
    c.Clock.SURRENDER: (
        gettext_noop("{reference}: surrender limit {due} — days left: {days}."),
        gettext_noop("{reference}: the surrender limit passed on {due}: the person must be released."),
    ),
    c.Clock.STATUS_UPDATE: (
        gettext_noop("{reference}: status update to the counterpart due {due} — days left: {days}."),
        gettext_noop("{reference}: the status update to the counterpart is overdue since {due}."),
    ),
}


def recipients(case: Case) -> list[User]:
    """The matter's officer and the heads cleared for it."""
    heads = list(
        User.objects.filter(role=Role.HEAD, is_active=True, clearance__gte=case.confidentiality).order_by("pk")
    )
    return [u for u in [case.officer, *heads] if u is not None]


def _thresholds(clock: str) -> list[int]:
    return list(STATUS_THRESHOLDS) if clock == c.Clock.STATUS_UPDATE else alert_thresholds()


def _claim(deadline: Deadline, thresholds: list[int]) -> bool:
    """Record these thresholds as announced; False when another run announced them first."""
    try:
        with transaction.atomic():
            for threshold in thresholds:
                ClockAlert.objects.create(deadline=deadline, threshold=threshold, due_at=deadline.due_at)
    except IntegrityError:
        return False
    return True


def lapse_appeal_clocks(now: datetime | None = None) -> int:
    """An appeal period that ran out without an appeal is over, not overdue: the decision has become final."""
    from entraide.audit import log as audit
    from entraide.cases import actions as case_actions
    from entraide.cases.models import Event

    now = now or timezone.now()
    lapsed = 0
    deadlines = extradition_clocks(Case.objects.filter(is_open=True)).filter(
        status=cc.DeadlineStatus.RUNNING, rule__clock_rule__clock=c.Clock.APPEAL, due_at__lt=now
    )
    for deadline in deadlines.select_related("case"):
        with transaction.atomic():
            note = "No appeal filed within the time limit: the decision has become final."
            deadline.status = cc.DeadlineStatus.MET
            deadline.met_at = deadline.due_at
            deadline.note = note
            deadline.save(update_fields=["status", "met_at", "note"])
            Event.objects.create(
                case=deadline.case, actor=None, verb="deadline_met", params={"rule": deadline.rule.code}
            )
            audit.record("deadline.met", actor=None, obj=deadline, case_id=deadline.case_id, after={"note": note})
            case_actions._refresh_next_due(deadline.case)
        lapsed += 1
    return lapsed


def send_clock_alerts(now: datetime | None = None) -> int:
    """Announce every threshold crossed since the last run; returns how many notices went out."""
    now = now or timezone.now()
    lapse_appeal_clocks(now)
    sent = 0
    deadlines = extradition_clocks(Case.objects.filter(is_open=True)).filter(status=cc.DeadlineStatus.RUNNING)
    for deadline in deadlines.select_related("case", "case__officer"):
        view = clock_view(deadline, now)
        clock = view.clock
        overdue = view.hours_left <= 0
        crossed = [t for t in _thresholds(clock) if view.days_left <= t] + ([OVERDUE] if overdue else [])
        if not crossed:
            continue
        done = set(
            ClockAlert.objects.filter(deadline=deadline, due_at=deadline.due_at).values_list("threshold", flat=True)
        )
        fresh = [t for t in crossed if t not in done]
        if not fresh:
            continue
        # Several thresholds crossed at once (a clock started late, a worker stopped for days): one notice, the
        # most urgent.
        soon, late = MESSAGES[c.Clock(clock)]
        case = deadline.case
        due = timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M")
        level = Level.DANGER if overdue or view.days_left < danger_days() else Level.WARNING
        with transaction.atomic():
            if not _claim(deadline, fresh):
                continue
            notify(
                recipients(case),
                kind=f"extradition.clock.{'overdue' if overdue else min(fresh)}",
                message=late if overdue else soon,
                params={"reference": case.reference, "due": due, "days": max(view.days_left, 0)},
                case=case,
                url=reverse("cases:detail", args=[case.pk]) + "#extradition",
                level=level,
                email=True,
            )
        sent += 1
    return sent


def _digest_clocks(user: User) -> list[Any]:
    cases = visible_cases(user).filter(is_open=True, kind__in=cc.EXTRADITION_KINDS)
    if user.role != Role.HEAD:
        cases = cases.filter(officer=user)
    return list(extradition_clocks(cases).select_related("case"))


def send_daily_digest(now: datetime | None = None) -> int:
    """One e-mail a day to each officer and head with running extradition clocks: what is due, nearest first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    users = User.objects.filter(is_active=True, role__in=[Role.OFFICER, Role.HEAD]).exclude(email="").order_by("pk")
    site = settings.ENTRAIDE_SITE_URL.rstrip("/")
    for user in users:
        deadlines = _digest_clocks(user)
        if not deadlines or DigestSent.objects.filter(user=user, day=today).exists():
            continue
        views = [clock_view(d, now) for d in deadlines]
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {"user": user, "clocks": views, "site": site, "day": today}
            subject = render_to_string("extradition/email/digest_subject.txt", context).strip()
            body = render_to_string("extradition/email/digest.txt", context)
        try:
            send_mail(subject, body, None, [user.email])
        except (OSError, smtplib.SMTPException) as error:  # the next run tries again
            log.warning("extradition digest to %s failed: %s", user.email, error)
            continue
        try:
            DigestSent.objects.create(user=user, day=today, clocks=len(views))
        except IntegrityError:
            continue
        sent += 1
    return sent
