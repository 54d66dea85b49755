"""What a user may see of extradition: every query starts from ``cases.queries.visible_cases``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from entraide.cases import choices as cc
from entraide.cases.models import Case, Deadline
from entraide.cases.queries import visible_cases
from entraide.core import clockwork
from entraide.extradition import choices as c
from entraide.extradition.models import Custody, JudicialStep

LIVE = (cc.DeadlineStatus.RUNNING, cc.DeadlineStatus.PAUSED)


def danger_days() -> int:
    """Below this many days left a clock, and the matter, show red."""
    return int(getattr(settings, "ENTRAIDE_EXTRADITION_DANGER_DAYS", 10))


def alert_thresholds() -> list[int]:
    """Days left at which the officer and the head are alerted, largest first."""
    values = getattr(settings, "ENTRAIDE_EXTRADITION_ALERT_DAYS", (10, 5, 2, 1))
    return sorted({int(v) for v in values}, reverse=True)


@dataclass
class ClockView:
    """A running clock as a countdown: how long is left, in words, and how alarming it is."""

    deadline: Deadline
    days_left: int
    hours_left: int
    level: str  # Bootstrap colour: danger, warning, primary, secondary

    @property
    def name(self) -> str:
        return self.deadline.rule.display_name

    @property
    def source(self) -> str:
        return self.deadline.rule.source

    @property
    def due_at(self) -> datetime:
        return self.deadline.due_at

    @property
    def clock(self) -> str:
        twin: Any = self.deadline.rule
        return str(twin.clock_rule.clock)

    @property
    def paused(self) -> bool:
        return self.deadline.status == cc.DeadlineStatus.PAUSED

    @property
    def text(self) -> str:
        if self.paused:
            return _("Paused")
        if self.hours_left <= 0:
            days = max(1, -self.days_left)
            return ngettext("Overdue by {days} day", "Overdue by {days} days", days).format(days=days)
        if self.hours_left <= 48:
            return ngettext("{hours} hour left", "{hours} hours left", self.hours_left).format(hours=self.hours_left)
        return ngettext("{days} day left", "{days} days left", self.days_left).format(days=self.days_left)


def clock_view(deadline: Deadline, now: datetime | None = None) -> ClockView:
    now = now or timezone.now()
    zone = timezone.get_default_timezone()
    due = deadline.due_at
    if deadline.status == cc.DeadlineStatus.PAUSED and deadline.paused_at:
        due = due + (now - deadline.paused_at)  # a paused clock does not run: its end moves on while it is paused
    days = clockwork.days_left(due, now, zone)
    hours = clockwork.hours_left(due, now)
    if deadline.status == cc.DeadlineStatus.PAUSED:
        level = "secondary"
    elif days < danger_days():
        level = "danger"
    elif days < 2 * danger_days():
        level = "warning"
    else:
        level = "primary"
    return ClockView(deadline, days, hours, level)


def extradition_clocks(cases: Any) -> QuerySet[Deadline]:
    """Running or paused clocks of extradition on these matters (a queryset or a list of pks)."""
    return (
        Deadline.objects.filter(case__in=cases, status__in=LIVE, rule__clock_rule__isnull=False)
        .select_related("rule", "rule__clock_rule")
        .order_by("due_at")
    )


def case_clocks(case: Case) -> list[ClockView]:
    now = timezone.now()
    return [clock_view(d, now) for d in extradition_clocks([case.pk])]


def custody_rows(user: Any) -> list[dict[str, Any]]:
    """Everyone held in extradition proceedings the user may see, each with the clocks of their matter.

    Most urgent first: the person whose nearest clock ends soonest.
    """
    custodies = list(
        Custody.objects.filter(case__in=visible_cases(user), status__in=c.HELD, case__is_open=True)
        .select_related("case", "case__counterpart_country", "case__officer", "subject")
        .order_by("arrested_at")
    )
    now = timezone.now()
    clocks: dict[int, list[ClockView]] = {}
    for deadline in extradition_clocks([x.case_id for x in custodies]):
        clocks.setdefault(deadline.case_id, []).append(clock_view(deadline, now))
    next_hearing: dict[int, JudicialStep] = {}
    for step in JudicialStep.objects.filter(
        case_id__in=[x.case_id for x in custodies], kind__in=c.COURT_STEPS, at__gte=now
    ).order_by("-at"):
        next_hearing[step.case_id] = step
    rows: list[dict[str, Any]] = []
    for custody in custodies:
        own = [v for v in clocks.get(custody.case_id, []) if v.clock != c.Clock.STATUS_UPDATE]
        rows.append(
            {
                "custody": custody,
                "case": custody.case,
                "clocks": own,
                "level": min((v.level for v in own), key=LEVEL_ORDER.index, default="secondary"),
                "next_hearing": next_hearing.get(custody.case_id),
                "days_held": (now - custody.arrested_at).days,
            }
        )
    far = datetime.max.replace(tzinfo=now.tzinfo)

    def nearest(row: dict[str, Any]) -> datetime:
        return min((v.due_at for v in row["clocks"] if not v.paused), default=far)

    rows.sort(key=nearest)
    return rows


LEVEL_ORDER = ["danger", "warning", "primary", "secondary"]


def case_is_red(case: Case) -> bool:
    """A matter with an extradition clock under the danger threshold (or overdue)."""
    return any(v.level == "danger" for v in case_clocks(case))


@dataclass
class Conclusion:
    level: str  # danger, warning, info
    text: str


def grounds_conclusions(case: Case) -> list[Conclusion]:
    """What the review against the grounds for refusal leads to, in the reader's language."""
    from entraide.extradition.models import Assurance, GroundAssessment

    found = {g.ground: g.finding for g in GroundAssessment.objects.filter(case=case)}
    out: list[Conclusion] = []
    mandatory = [g for g in c.MANDATORY_GROUNDS if found.get(g) == c.Finding.APPLIES]
    if mandatory:
        out.append(
            Conclusion(
                "danger",
                _("A mandatory ground for refusal applies ({grounds}): extradition must be refused.").format(
                    grounds=", ".join(str(c.Ground(g).label) for g in sorted(mandatory))
                ),
            )
        )
    if found.get(c.Ground.NATIONAL) == c.Finding.APPLIES:
        out.append(
            Conclusion(
                "warning",
                _(
                    "The person is a national: if extradition is refused on that ground, the case must be submitted "
                    "to the prosecuting authorities (aut dedere aut judicare, UNTOC art. 16(10))."
                ),
            )
        )
    if found.get(c.Ground.DEATH_PENALTY) == c.Finding.APPLIES:
        adequate = Assurance.objects.filter(
            case=case, kind=c.AssuranceKind.DEATH_PENALTY, assessment="adequate"
        ).exists()
        out.append(
            Conclusion(
                "info" if adequate else "warning",
                _("An adequate assurance that the death penalty will not be imposed or carried out has been received.")
                if adequate
                else _(
                    "The offence carries the death penalty: ask for the assurance that it will not be imposed or "
                    "carried out, and assess it, before the decision."
                ),
            )
        )
    optional = [
        g
        for g, f in found.items()
        if f == c.Finding.APPLIES
        and g not in c.MANDATORY_GROUNDS
        and g not in {c.Ground.NATIONAL, c.Ground.DEATH_PENALTY}
    ]
    if optional:
        out.append(
            Conclusion(
                "warning",
                _("Optional grounds for refusal apply ({grounds}): the decision must weigh them.").format(
                    grounds=", ".join(str(c.Ground(g).label) for g in sorted(optional))
                ),
            )
        )
    unchecked = len([g for g in c.Ground.values if found.get(g, c.Finding.TO_CHECK) == c.Finding.TO_CHECK])
    if unchecked:
        out.append(
            Conclusion(
                "info",
                ngettext(
                    "{n} ground for refusal remains to be checked.",
                    "{n} grounds for refusal remain to be checked.",
                    unchecked,
                ).format(n=unchecked),
            )
        )
    return out
