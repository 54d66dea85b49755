"""What a user may see of extradition: every query starts from ``cases.queries.visible_cases``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from entraide.cases import choices as cc
from entraide.cases.models import Case, Deadline
from entraide.cases.queries import visible_cases
from entraide.core import clockwork
from entraide.core.extensions import CaseMark
from entraide.extradition import choices as c
from entraide.extradition.models import Custody, JudicialStep

LIVE = (cc.DeadlineStatus.RUNNING, cc.DeadlineStatus.PAUSED)
# Every clock of extradition is a ``cases.Deadline`` whose rule (the ``ClockRule``'s twin) has this trigger.
TRIGGER_PREFIX = "extradition:"


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
        """Which clock of extradition: read from the rule's trigger (``extradition:<clock>``), so that a deadline
        loaded with its rule alone (the case page's own list) needs no further query."""
        twin: Any = self.deadline.rule
        trigger = str(twin.trigger or "")
        if trigger.startswith(TRIGGER_PREFIX):
            return trigger[len(TRIGGER_PREFIX) :]
        return str(twin.clock_rule.clock)

    @property
    def critical(self) -> bool:
        """A clock on which the person's liberty or the matter's fate depends (not the status-update reminder)."""
        return self.clock != c.Clock.STATUS_UPDATE

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
    """A matter with a critical extradition clock under the danger threshold (or overdue)."""
    return any(v.level == "danger" and v.critical for v in case_clocks(case))


def clocks_from(deadlines: Iterable[Deadline], now: datetime | None = None) -> list[ClockView]:
    """The running or paused clocks of extradition among deadlines already loaded with their rule, nearest first.

    The case page loads every deadline of the matter with its rule: its panel reads the clocks from that list
    instead of asking the database again."""
    now = now or timezone.now()
    found = [
        clock_view(d, now)
        for d in deadlines
        if d.status in LIVE and str(d.rule.trigger or "").startswith(TRIGGER_PREFIX)
    ]
    return sorted(found, key=lambda v: (v.due_at, v.deadline.pk))


def red_marks(rows: list[Any]) -> dict[Any, list[CaseMark]]:
    """Red marks for the rows of a list (the register, *my work*) whose extradition matter has a critical clock with
    less than ``danger_days()`` left, or overdue: the badge says how long is left, its title which clock and when.

    At most one query a page, and none when no row is an open extradition matter with a running deadline near
    enough to be red (``next_due_at`` is the nearest running deadline of the matter)."""
    now = timezone.now()
    horizon = now + timedelta(days=danger_days() + 1)
    candidates = [
        row.pk
        for row in rows
        if row.kind in cc.EXTRADITION_KINDS
        and row.is_open
        and row.next_due_at is not None
        and row.next_due_at < horizon
    ]
    if not candidates:
        return {}
    deadlines = (
        Deadline.objects.filter(
            case_id__in=candidates,
            status=cc.DeadlineStatus.RUNNING,
            rule__trigger__startswith=TRIGGER_PREFIX,
            due_at__lt=horizon,
        )
        .exclude(rule__trigger=TRIGGER_PREFIX + c.Clock.STATUS_UPDATE)
        .select_related("rule")
        .order_by("due_at", "id")
    )
    marks: dict[Any, list[CaseMark]] = {}
    for deadline in deadlines:
        if deadline.case_id in marks:
            continue  # the nearest clock speaks for the matter
        view = clock_view(deadline, now)
        if view.level != "danger":
            continue
        due = date_format(timezone.localtime(view.due_at), "SHORT_DATETIME_FORMAT")
        marks[deadline.case_id] = [
            CaseMark(
                label=view.text,
                level="danger",
                title=_("{clock}: due {due}").format(clock=view.name, due=due),
            )
        ]
    return marks


@dataclass
class Conclusion:
    level: str  # danger, warning, info
    text: str


def grounds_conclusions(
    case: Case, found: dict[str, str] | None = None, assurances: Iterable[Any] | None = None
) -> list[Conclusion]:
    """What the review against the grounds for refusal leads to, in the reader's language.

    ``found`` (ground: finding) and ``assurances`` may be given when already loaded (the case panel)."""
    from entraide.extradition.models import Assurance, GroundAssessment

    if found is None:
        found = {g.ground: g.finding for g in GroundAssessment.objects.filter(case=case)}
    out: list[Conclusion] = []
    mandatory = [g for g in c.MANDATORY_GROUNDS if found.get(g) == c.Finding.APPLIES]
    if mandatory:
        out.append(
            Conclusion(
                "danger",
                _(
                    "A mandatory ground for refusal applies ({grounds}): extradition must be refused. Granting it "
                    "and surrendering the person are blocked while this finding stands."
                ).format(grounds=", ".join(str(c.Ground(g).label) for g in sorted(mandatory))),
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
        if assurances is None:
            adequate = Assurance.objects.filter(
                case=case, kind=c.AssuranceKind.DEATH_PENALTY, assessment=c.Assessment.ADEQUATE
            ).exists()
        else:
            adequate = any(
                a.kind == c.AssuranceKind.DEATH_PENALTY and a.assessment == c.Assessment.ADEQUATE for a in assurances
            )
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


# --- the lifecycle: a mandatory ground for refusal blocks the grant and the surrender -------------------------

# Steps of an incoming extradition towards handing the person over.
GRANT_STEPS = frozenset({"granted", "surrender_scheduled", "surrendered"})


def established_mandatory_grounds(case: Case) -> list[str]:
    """The mandatory grounds for refusal the review found to apply, by label."""
    from entraide.extradition.models import GroundAssessment

    grounds = GroundAssessment.objects.filter(
        case_id=case.pk, ground__in=sorted(c.MANDATORY_GROUNDS), finding=c.Finding.APPLIES
    ).values_list("ground", flat=True)
    return [str(c.Ground(g).label) for g in sorted(grounds)]


def grant_blocked(case: Case) -> str | None:
    """Why an incoming extradition may not be granted nor the person surrendered now, if it may not."""
    if case.kind not in cc.EXTRADITION_KINDS or case.direction != cc.Direction.INCOMING:
        return None
    grounds = established_mandatory_grounds(case)
    if not grounds:
        return None
    return _(
        "A mandatory ground for refusal is established ({grounds}): extradition may not be granted nor the person "
        "surrendered. Refuse the extradition, or correct the review of the grounds for refusal if it is wrong."
    ).format(grounds="; ".join(grounds))


def claims_deadline(deadline: Any) -> bool:
    """``core.extensions`` deadline owner: the custody clocks (not the reminder to write to the counterpart)."""
    trigger = deadline.rule.trigger or ""
    return trigger.startswith(TRIGGER_PREFIX) and trigger != TRIGGER_PREFIX + c.Clock.STATUS_UPDATE


def transition_guard(case: Case, target: str) -> str | None:
    """``core.extensions`` guard: no grant or surrender of an incoming extradition against a mandatory ground."""
    if target not in GRANT_STEPS:
        return None
    return grant_blocked(case)


# --- the case panel's records, read in as few queries as the matter needs ---------------------------------

# The registers of the panel, each with the timeline verb its action writes. A matter whose whole timeline is
# on the case page (it goes back to its registration) and has no such event has no such record: nothing to read.
REGISTER_VERBS = {
    "custodies": "extradition_arrest",
    "steps": "extradition_step",
    "assurances": "extradition_assurance",
    "consents": "extradition_speciality",
    "competing": "extradition_competing",
    "logistics": "extradition_logistics",
    "grounds": "extradition_grounds",
}


def _register_models() -> dict[str, Any]:
    from entraide.extradition import models as m

    return {
        "custodies": m.Custody,
        "steps": m.JudicialStep,
        "assurances": m.Assurance,
        "consents": m.SpecialityConsent,
        "competing": m.CompetingRequest,
        "logistics": m.Logistics,
        "grounds": m.GroundAssessment,
    }


def registers_present(case: Case, events: list[Any] | None) -> set[str]:
    """Which of the panel's registers hold records for this matter.

    From the case page's timeline when it is complete (its oldest event is the registration): no query. Otherwise
    one query asks each register whether it has a row."""
    if events and events[-1].verb == "registered":
        verbs = {event.verb for event in events}
        return {name for name, verb in REGISTER_VERBS.items() if verb in verbs}
    models = _register_models()
    probes = {f"has_{name}": Exists(model.objects.filter(case=OuterRef("pk"))) for name, model in models.items()}
    flags = (
        Case.objects.filter(pk=case.pk).annotate(**probes).values(*(f"has_{name}" for name in models)).first()
    ) or {}
    return {name for name in models if flags.get(f"has_{name}")}


# Small registers with no date-time field, read together in one query (a UNION of one JSON object a row).
SMALL_REGISTERS = ("assurances", "consents", "competing", "grounds")


def _small_fields(model: Any) -> list[Any]:
    """The fields of a small register the panel shows: not the matter, not the moments of recording (the JSON of a
    date-time differs from one database to the other; a date's does not)."""
    from django.db import models

    return [
        f for f in model._meta.concrete_fields if f.attname != "case_id" and not isinstance(f, models.DateTimeField)
    ]


def _small_registers(case: Case, names: list[str]) -> dict[str, list[Any]]:
    """The rows of the small registers ``names`` of one matter, in one query, as model instances.

    Each row comes as a JSON object of its fields (dates as ISO text on every database), so the registers'
    different columns fit one UNION; the competing requests bring the names of their country."""
    from django.db.models import CharField, Value
    from django.db.models.functions import JSONObject

    from entraide.directory.models import Country

    models = _register_models()
    parts = []
    for name in names:
        model = models[name]
        fields = {f.attname: f.attname for f in _small_fields(model)}
        if name == "competing":
            fields |= {"country_name": "country__name", "country_name_fr": "country__name_fr"}
            fields |= {"country_name_ar": "country__name_ar"}
        parts.append(
            model.objects.filter(case=case)
            .order_by()
            .annotate(register=Value(name, output_field=CharField()), row=JSONObject(**fields))
            .values_list("register", "row")
        )
    found: dict[str, list[Any]] = {name: [] for name in names}
    if not parts:
        return found
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for name, row in query:
        if isinstance(row, str):  # a backend that hands JSON back as text
            import json

            row = json.loads(row)
        model = models[name]
        values = {}
        for f in _small_fields(model):
            if f.attname in row:
                values[f.attname] = f.to_python(row[f.attname]) if row[f.attname] is not None else None
        obj = model(case_id=case.pk, **values)
        obj._state.adding, obj._state.db = False, "default"
        if name == "competing":
            obj.country = Country(
                code=row["country_id"],
                name=row["country_name"] or "",
                name_fr=row["country_name_fr"] or "",
                name_ar=row["country_name_ar"] or "",
            )
        found[name].append(obj)
    for name, rows in found.items():
        ordering = models[name]._meta.ordering or ["id"]
        rows.sort(key=lambda obj: tuple(getattr(obj, key.lstrip("-")) for key in ordering))
    return found


def panel_records(case: Case, present: set[str]) -> dict[str, Any]:
    """The records of the registers that have some; nothing is read for the others.

    Custody, the judicial steps and the logistics one query each; the small registers (assurances, consents,
    competing requests, the grounds' findings) one query together: four queries at most."""
    from entraide.extradition import models as m

    def rows(name: str, queryset: Any) -> list[Any]:
        return list(queryset) if name in present else []

    small = _small_registers(case, [name for name in SMALL_REGISTERS if name in present])
    return {
        "custodies": rows("custodies", m.Custody.objects.filter(case=case)),
        "steps": rows("steps", m.JudicialStep.objects.filter(case=case)),
        "assurances": small.get("assurances", []),
        "consents": small.get("consents", []),
        "competing": small.get("competing", []),
        "logistics": next(iter(rows("logistics", m.Logistics.objects.filter(case=case))), None),
        "grounds": {g.ground: g.finding for g in small.get("grounds", [])},
    }


# --- the registers across matters ------------------------------------------------------------------------

REGISTER_LIMIT = 500


def register_entries(user: Any, register: str, *, kind: str = "", pending: bool = False) -> list[Any]:
    """The entries of one register (consents, assurances, competing requests, property handed over) in the
    extradition matters ``user`` may see, awaiting an answer first, then the latest; 500 at most."""
    from django.db.models import Case as When_
    from django.db.models import IntegerField, Q, When

    from entraide.extradition import models as m

    cases = visible_cases(user).filter(kind__in=cc.EXTRADITION_KINDS)
    related = ("case", "case__counterpart_country", "case__officer")
    queryset: Any
    if register == "assurances":
        queryset = m.Assurance.objects.filter(case__in=cases)
        waiting = Q(assessment=c.Assessment.PENDING)
        date_field = "asked_on"
    elif register == "competing":
        queryset = m.CompetingRequest.objects.filter(case__in=cases).select_related("country")
        waiting = Q(decision=c.CompetingDecision.PENDING)
        date_field = "received_on"
    elif register == "property":
        queryset = m.Logistics.objects.filter(case__in=cases).exclude(property_handed_over="")
        waiting = Q(arrived_at__isnull=True)
        date_field = "updated_at"
    else:
        queryset = m.SpecialityConsent.objects.filter(case__in=cases)
        waiting = Q(decision=c.Decision.PENDING)
        date_field = "requested_on"
    if kind and register in {"assurances", "consents"}:
        queryset = queryset.filter(kind=kind)
    if pending:
        queryset = queryset.filter(waiting)
    order = When_(When(waiting, then=0), default=1, output_field=IntegerField())
    return list(
        queryset.select_related(*related)
        .annotate(waiting=order)
        .order_by("waiting", f"-{date_field}", "-id")[:REGISTER_LIMIT]
    )
