"""Every change of extradition goes through one of these functions.

Like ``cases.actions``: atomic, keyword-only ``actor``, the actor's right checked, bad input refused with an
``ActionError`` whose message says what to do, an audit record and a timeline event written in the same
transaction. The clocks are ``cases.Deadline`` rows started here from a ``ClockRule`` at the moment the law counts
from (the arrest, the decision, the agreed date), not at the moment someone types it in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import Role, User
from entraide.audit import log as audit
from entraide.cases import actions as case_actions
from entraide.cases import choices as cc
from entraide.cases.models import Case, Deadline, DeadlineRule, Event, Subject
from entraide.cases.queries import can_work_on
from entraide.core import clockwork
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.extradition import choices as c
from entraide.extradition.models import Assurance, ClockRule, ClosureDay, Custody, JudicialStep, SpecialityConsent
from entraide.extradition.queries import grant_blocked

# A clock set from a time typed in a few seconds ago is not "in the future".
CLOCK_SKEW = timedelta(minutes=5)
ARREST_STATE = {cc.Direction.INCOMING: "provisionally_arrested", cc.Direction.OUTGOING: "arrested_abroad"}
LIVE = (cc.DeadlineStatus.RUNNING, cc.DeadlineStatus.PAUSED)
# Steps that move the matter along its lifecycle when the lifecycle allows that move from where it stands.
STEP_TARGETS: dict[str, dict[str, str]] = {
    cc.Direction.INCOMING: {
        c.StepKind.SURRENDER_AGREED: "surrender_scheduled",
        c.StepKind.SURRENDERED: "surrendered",
        c.StepKind.RELEASE: "released",
    },
    cc.Direction.OUTGOING: {
        c.StepKind.SURRENDER_AGREED: "surrender_arranged",
        c.StepKind.SURRENDERED: "surrendered",
        c.StepKind.RELEASE: "released_abroad",
    },
}


# The lifecycle steps this app takes over (``core.extensions.register_transition_owner``): each needs a record only
# the extradition panel takes — the arrest (date and time, the person), the formal request (when it arrived), the
# surrender (agreed date, its legal limits) or the release (which ends custody and stops the clocks). The
# generic "Next steps" send the user to the panel; these actions take the step with ``owner=OWNER_KEY``.
# Granting and refusing stay open to the generic step (with its reason), and follow the executive decision when
# it is recorded here.
OWNER_KEY = "extradition"
CLAIMED_STEPS: dict[str, frozenset[str]] = {
    cc.Direction.INCOMING: frozenset(
        {"provisionally_arrested", "formal_request", "surrender_scheduled", "surrendered", "released"}
    ),
    cc.Direction.OUTGOING: frozenset({"arrested_abroad", "surrender_arranged", "surrendered", "released_abroad"}),
}


def claims_step(case: Any, target: str) -> bool:
    """Whether the step of ``case`` to ``target`` is taken from the extradition panel (no query)."""
    if case.kind not in cc.EXTRADITION_KINDS:
        return False
    return target in CLAIMED_STEPS.get(case.direction, frozenset())


# Steps that hand the person over, and outcomes that grant: an established mandatory ground for refusal forbids
# them on an incoming matter (``queries.grant_blocked``), as it forbids the lifecycle's grant and surrender.
HANDING_OVER = frozenset(
    {
        c.StepKind.SURRENDER_AGREED,
        c.StepKind.SURRENDER_POSTPONED,
        c.StepKind.TEMPORARY_SURRENDER,
        c.StepKind.SURRENDERED,
    }
)
GRANTING = frozenset({c.Outcome.GRANTED, c.Outcome.PARTLY})


def step_target(case: Case, kind: str, outcome: str = "") -> str | None:
    """The state a judicial step moves the matter to, when the lifecycle allows that move from where it stands.

    The executive decision grants or refuses the extradition (incoming: ours; outgoing: the requested State's)."""
    if kind == c.StepKind.EXECUTIVE_DECISION:
        return {c.Outcome.GRANTED: "granted", c.Outcome.PARTLY: "granted", c.Outcome.REFUSED: "refused"}.get(
            c.Outcome(outcome or "")
        )
    return STEP_TARGETS[cc.Direction(case.direction)].get(c.StepKind(kind))


def _event(case: Case, verb: str, *, actor: User | None, reason: str = "", **params: Any) -> Event:
    return Event.objects.create(case=case, actor=actor, verb=verb, params=params, reason=reason)


def _fresh(case: Case) -> Case:
    """The matter as it stands now, locked: a page's copy may be behind a transition taken since."""
    return Case.objects.select_for_update(of=("self",)).select_related("legal_basis").get(pk=case.pk)


def _require_work(actor: User, case: Case) -> None:
    if actor.role not in {Role.OFFICER, Role.HEAD} or not can_work_on(actor, case):
        raise Forbidden(_("You may not change this matter."))
    if case.kind not in cc.EXTRADITION_KINDS:
        raise Conflict(_("This is not an extradition matter."), code="not_extradition")
    if not case.is_open:
        raise Conflict(_("This matter is closed."), code="closed")


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _not_future(moment: datetime, field: str) -> None:
    if moment > timezone.now() + CLOCK_SKEW:
        raise ActionError(
            _("This date and time is in the future: record what has happened."), fields={field: _("In the future.")}
        )


# --- the clock rules -----------------------------------------------------------------------------------------


def law_country(case: Case) -> str:
    """Whose law and whose calendar: ours for an incoming matter, the requested State's for an outgoing one."""
    if case.direction == cc.Direction.OUTGOING:
        return str(case.counterpart_country_id)
    return str(settings.ENTRAIDE_COUNTRY)


def closure_days(country: str) -> set[date]:
    here = country == settings.ENTRAIDE_COUNTRY
    query = Q(country=country) | (Q(country="") if here else Q(pk__in=[]))
    return set(ClosureDay.objects.filter(query).values_list("day", flat=True))


def rules_for(case: Case, clock: str) -> list[ClockRule]:
    """The rules of ``clock`` for this matter: its instrument's, else the national law's, else the general ones."""
    candidates = [
        r
        for r in ClockRule.objects.filter(active=True, clock=clock)
        if not r.direction or r.direction == case.direction
    ]
    country = law_country(case)
    instrument = case.legal_basis.code if case.legal_basis_id and case.legal_basis else ""
    tiers = (
        [r for r in candidates if instrument and r.instrument_code == instrument and r.country_code in {"", country}],
        [r for r in candidates if not r.instrument_code and r.country_code == country],
        [r for r in candidates if not r.instrument_code and not r.country_code],
    )
    return next((tier for tier in tiers if tier), [])


def _approximate_days(rule: ClockRule) -> int:
    if rule.unit == c.Unit.MONTHS:
        return rule.amount * 31
    if rule.unit == c.Unit.HOURS:
        return max(1, -(-rule.amount // 24))
    return rule.amount


def deadline_rule_for(rule: ClockRule) -> DeadlineRule:
    """The ``DeadlineRule`` twin of a clock rule, created or brought in line with it."""
    values = {
        "name": rule.name,
        "name_fr": rule.name_fr,
        "name_ar": rule.name_ar,
        "kinds": sorted(cc.EXTRADITION_KINDS),
        "direction": rule.direction,
        # Never started by the register's engine: only the actions below start these clocks.
        "trigger": f"extradition:{rule.clock}",
        "days": _approximate_days(rule),
        "day_count": rule.day_count,
        "repeat": rule.repeat,
        "source": rule.source[:300],
        "active": rule.active,
    }
    twin = rule.deadline_rule
    if twin is None:
        twin = DeadlineRule.objects.filter(code=rule.code).first()
    if twin is None:
        twin = DeadlineRule.objects.create(code=rule.code, **values)
    else:
        changed = [k for k, v in values.items() if getattr(twin, k) != v]
        for k in changed:
            setattr(twin, k, values[k])
        if changed:
            twin.save(update_fields=changed)
    if rule.deadline_rule_id != twin.pk:
        rule.deadline_rule = twin
        rule.save(update_fields=["deadline_rule"])
    return twin


def compute_due(case: Case, rule: ClockRule, start: datetime) -> datetime:
    country = law_country(case)
    return clockwork.due_at(
        start,
        rule.amount,
        rule.unit,
        rule.day_count,
        country=country,
        zone=timezone.get_default_timezone(),
        closures=closure_days(country),
    )


def _start_clock(case: Case, rule: ClockRule, start: datetime, *, actor: User) -> Deadline:
    twin = deadline_rule_for(rule)
    deadline = Deadline.objects.create(case=case, rule=twin, starts_at=start, due_at=compute_due(case, rule, start))
    _event(case, "deadline_started", actor=actor, rule=twin.code, due_at=deadline.due_at.isoformat())
    audit.record(
        "deadline.start",
        actor=actor,
        obj=deadline,
        case_id=case.pk,
        after={"rule": twin.code, "starts_at": start, "due_at": deadline.due_at, "source": rule.source},
    )
    return deadline


def _start_clocks(case: Case, clock: str, start: datetime, *, actor: User) -> list[Deadline]:
    started = [_start_clock(case, rule, start, actor=actor) for rule in rules_for(case, clock)]
    case_actions._refresh_next_due(case)
    return started


def live_clocks(case: Case, clock: str) -> list[Deadline]:
    return list(
        case.deadlines.filter(status__in=LIVE, rule__clock_rule__clock=clock).select_related("rule__clock_rule")
    )


def _stop_clocks(deadlines: Iterable[Deadline], *, actor: User, note: str, met: bool) -> None:
    """Meet (the law's condition was fulfilled) or cancel (it no longer matters) running clocks."""
    for deadline in deadlines:
        if met:
            case_actions.meet_deadline(deadline, actor=actor, note=note, owner=OWNER_KEY)
            continue
        deadline.status = cc.DeadlineStatus.CANCELLED
        deadline.note = note[:255]
        deadline.save(update_fields=["status", "note"])
        _event(deadline.case, "clock_cancelled", actor=actor, reason=note, rule=deadline.rule.code)
        audit.record("deadline.cancel", actor=actor, obj=deadline, case_id=deadline.case_id, after={"note": note})
        case_actions._refresh_next_due(deadline.case)


def _ensure_status_clock(case: Case, start: datetime, *, actor: User) -> None:
    if not live_clocks(case, c.Clock.STATUS_UPDATE):
        _start_clocks(case, c.Clock.STATUS_UPDATE, start, actor=actor)


# --- provisional arrest and formal request -------------------------------------------------------------------


@transaction.atomic
def record_arrest(
    case: Case,
    *,
    actor: User,
    arrested_at: datetime,
    subject: Subject | None = None,
    place: str = "",
) -> Custody:
    """The person was arrested (here, or abroad on our request): custody recorded, the clocks started from then.

    On a matter still waiting for the arrest (incoming: registered; outgoing: sent) the matter moves to the
    arrest state and the clock for the formal request starts from the arrest itself.
    """
    case = _fresh(case)
    _require_work(actor, case)
    errors: dict[str, Any] = {}
    if arrested_at.tzinfo is None:
        arrested_at = timezone.make_aware(arrested_at)
    if arrested_at > timezone.now() + CLOCK_SKEW:
        errors["arrested_at"] = _("The arrest cannot be in the future.")
    if subject is None:
        errors["subject"] = _("Choose the person arrested.")
    elif subject.case_id != case.pk:
        errors["subject"] = _("This person is not a subject of this matter.")
    if case.received_on and arrested_at.date() < case.received_on - timedelta(days=30):
        errors["arrested_at"] = _("The arrest is more than 30 days before the request was received: check the date.")
    if errors:
        raise ActionError(_("The arrest was not recorded: correct the fields marked."), fields=errors)
    assert subject is not None
    if Custody.objects.filter(case=case).filter(subject=subject, status__in=c.HELD).exists():
        raise Conflict(_("This person is already recorded as held in this matter."))
    target = ARREST_STATE[cc.Direction(case.direction)]
    provisional = case.lifecycle.get(case.status, target) is not None
    if case.direction == cc.Direction.OUTGOING and not provisional:
        raise Conflict(
            _("Record the arrest abroad once the request is recorded as sent (the matter is “{state}”).").format(
                state=case.status_label
            )
        )
    custody = Custody.objects.create(
        case=case,
        subject=subject,
        person_name=subject.name,
        arrested_at=arrested_at,
        place=place.strip()[:300],
        abroad=case.direction == cc.Direction.OUTGOING,
        status=c.CustodyStatus.DETAINED,
        status_since=arrested_at,
        recorded_by=actor,
    )
    _event(case, "extradition_arrest", actor=actor, person=subject.name, at=arrested_at.isoformat())
    audit.record(
        "extradition.arrest",
        actor=actor,
        obj=custody,
        case_id=case.pk,
        after={"person": subject.name, "arrested_at": arrested_at, "place": custody.place, "abroad": custody.abroad},
    )
    if provisional:
        case = case_actions.transition(case, target, actor=actor, owner=OWNER_KEY)
        # The register's generic clock for this state counts from now; ours counts from the arrest and follows
        # the applicable instrument or law, so it replaces it.
        generic = case.deadlines.filter(
            status__in=LIVE, rule__trigger=f"status:{target}", rule__clock_rule__isnull=True
        )
        _stop_clocks(
            list(generic),
            actor=actor,
            note=str(_("Replaced by the extradition clock counted from the arrest.")),
            met=False,
        )
        started = live_clocks(case, c.Clock.PROVISIONAL_ARREST) or _start_clocks(
            case, c.Clock.PROVISIONAL_ARREST, arrested_at, actor=actor
        )
        if not started:
            raise Conflict(
                _("No active clock rule for the provisional arrest applies to this matter: ask an administrator.")
            )
    _ensure_status_clock(case, arrested_at, actor=actor)
    case_actions._touch(case)
    return custody


@transaction.atomic
def record_formal_request(case: Case, *, actor: User, at: datetime) -> list[Deadline]:
    """The formal request arrived (incoming) or was delivered to the requested State (outgoing): its clock is met.

    A request that arrives late is recorded all the same, with a warning: what happened is never lost.
    """
    case = _fresh(case)
    _require_work(actor, case)
    if at.tzinfo is None:
        at = timezone.make_aware(at)
    _not_future(at, "at")
    first = Custody.objects.filter(case=case).order_by("arrested_at").first()
    if first is not None and at < first.arrested_at - timedelta(days=60):
        raise ActionError(
            _("This date is long before the arrest ({arrest}): check it.").format(arrest=_when(first.arrested_at)),
            fields={"at": _("Check the date.")},
        )
    clocks = live_clocks(case, c.Clock.PROVISIONAL_ARREST)
    late = [d for d in clocks if d.due_at < at]
    if case.direction == cc.Direction.INCOMING:
        if case.lifecycle.get(case.status, "formal_request") is None:
            raise Conflict(
                _("The formal request cannot be recorded on a matter in state “{state}”.").format(
                    state=case.status_label
                )
            )
    elif not clocks:
        raise Conflict(_("No clock for the formal request is running on this matter."))
    note = (
        str(_("Formal request received on {date}.")).format(date=_when(at))
        if case.direction == cc.Direction.INCOMING
        else str(_("Formal request delivered to the requested State on {date}.")).format(date=_when(at))
    )
    if late:
        note += " " + str(_("After the deadline of {due}.")).format(due=_when(min(d.due_at for d in late)))
    _stop_clocks(clocks, actor=actor, note=note, met=True)
    _event(case, "extradition_formal_request", actor=actor, at=at.isoformat(), late=bool(late))
    audit.record(
        "extradition.formal_request", actor=actor, obj=case, case_id=case.pk, after={"at": at, "late": bool(late)}
    )
    if case.direction == cc.Direction.INCOMING:
        case = case_actions.transition(case, "formal_request", actor=actor, owner=OWNER_KEY)
        if not Custody.objects.filter(case=case).exists():
            _ensure_status_clock(case, at, actor=actor)
    return clocks


# --- the judicial phase --------------------------------------------------------------------------------------


def _check_step(case: Case, kind: str, at: datetime, outcome: str) -> tuple[dict[str, Any], str]:
    """Field errors that refuse the step, and a warning recorded with it."""
    errors: dict[str, Any] = {}
    warning = ""
    if kind not in c.StepKind.values:
        return {"kind": _("Unknown step.")}, ""
    if kind not in c.FUTURE_STEPS and at > timezone.now() + CLOCK_SKEW:
        errors["at"] = _("This step cannot be in the future: record it once it has happened.")
    first = Custody.objects.filter(case=case).order_by("arrested_at").first()
    if first is not None and at < first.arrested_at and kind != c.StepKind.RELEASE:
        errors["at"] = _("This step cannot be before the arrest ({arrest}).").format(arrest=_when(first.arrested_at))
    needs_outcome = {c.StepKind.ELIGIBILITY, c.StepKind.APPEAL_DECISION, c.StepKind.EXECUTIVE_DECISION}
    if kind in needs_outcome and outcome not in {c.Outcome.GRANTED, c.Outcome.REFUSED, c.Outcome.PARTLY}:
        errors["outcome"] = _("Say what was decided.")
    if kind == c.StepKind.APPEAL:
        decided = JudicialStep.objects.filter(case=case).filter(kind=c.StepKind.ELIGIBILITY, at__lte=at).exists()
        if not decided:
            errors["kind"] = _("An appeal needs a decision on eligibility recorded before it.")
        for d in case.deadlines.filter(rule__clock_rule__clock=c.Clock.APPEAL).exclude(
            status=cc.DeadlineStatus.CANCELLED
        ):
            if at > d.due_at:
                warning = str(_("Filed after the time limit for appeal ({due}).")).format(due=_when(d.due_at))
    if kind == c.StepKind.SURRENDERED:
        for d in case.deadlines.filter(status__in=LIVE, rule__clock_rule__clock=c.Clock.SURRENDER):
            if at > d.due_at:
                errors["at"] = _(
                    "The surrender date is past its legal limit ({due}): the person must be released. Record the "
                    "release, or extend the clock with its reason if the limit was lawfully extended."
                ).format(due=_when(d.due_at))
    return errors, warning


@transaction.atomic
def record_step(
    case: Case,
    *,
    actor: User,
    kind: str,
    at: datetime,
    court: str = "",
    outcome: str = "",
    note: str = "",
) -> JudicialStep:
    """Record one step of the judicial phase and do what follows from it (clocks, custody, the matter's state)."""
    case = _fresh(case)
    _require_work(actor, case)
    if at.tzinfo is None:
        at = timezone.make_aware(at)
    errors, warning = _check_step(case, kind, at, outcome)
    if errors:
        raise ActionError(_("The step was not recorded: correct the fields marked."), fields=errors)
    if kind in HANDING_OVER or (kind == c.StepKind.EXECUTIVE_DECISION and outcome in GRANTING):
        problem = grant_blocked(case)
        if problem:
            raise Conflict(problem, code="guard")
    step = JudicialStep.objects.create(
        case=case,
        kind=kind,
        at=at,
        court=court.strip()[:300],
        outcome=outcome,
        note=note.strip(),
        abroad=case.direction == cc.Direction.OUTGOING,
        warning=warning[:300],
        recorded_by=actor,
    )
    label = str(c.StepKind(kind).label)
    started: list[Deadline] = []
    if kind == c.StepKind.ELIGIBILITY and case.direction == cc.Direction.INCOMING:
        started = _start_clocks(case, c.Clock.APPEAL, at, actor=actor)
    elif kind == c.StepKind.APPEAL:
        _stop_clocks(live_clocks(case, c.Clock.APPEAL), actor=actor, note=label, met=True)
    elif kind == c.StepKind.CONSENT:
        started = _start_clocks(case, c.Clock.CONSENT, at, actor=actor)
    elif kind == c.StepKind.EXECUTIVE_DECISION:
        _stop_clocks(live_clocks(case, c.Clock.CONSENT), actor=actor, note=label, met=True)
    elif kind in {c.StepKind.SURRENDER_AGREED, c.StepKind.SURRENDER_POSTPONED}:
        _stop_clocks(live_clocks(case, c.Clock.SURRENDER), actor=actor, note=label, met=False)
        started = _start_clocks(case, c.Clock.SURRENDER, at, actor=actor)
    elif kind == c.StepKind.SURRENDERED:
        _stop_clocks(live_clocks(case, c.Clock.SURRENDER), actor=actor, note=label, met=True)
    elif kind == c.StepKind.RELEASE:
        for clock in (c.Clock.PROVISIONAL_ARREST, c.Clock.CONSENT, c.Clock.SURRENDER):
            _stop_clocks(live_clocks(case, clock), actor=actor, note=label, met=False)
    custody_status = {
        c.StepKind.DETENTION: c.CustodyStatus.DETAINED,
        c.StepKind.BAIL: c.CustodyStatus.BAIL,
        c.StepKind.SURRENDERED: c.CustodyStatus.SURRENDERED,
        c.StepKind.RELEASE: c.CustodyStatus.RELEASED,
    }.get(c.StepKind(kind))
    if custody_status is not None:
        for custody in Custody.objects.filter(case=case).exclude(
            status__in=[c.CustodyStatus.RELEASED, c.CustodyStatus.SURRENDERED]
        ):
            _set_custody(custody, custody_status, at, actor=actor)
    if started:
        step.deadline = started[0]
        step.save(update_fields=["deadline"])
    _event(case, "extradition_step", actor=actor, reason=note, step=kind, at=at.isoformat(), outcome=outcome)
    audit.record(
        "extradition.step",
        actor=actor,
        obj=step,
        case_id=case.pk,
        after={"kind": kind, "at": at, "court": step.court, "outcome": outcome, "warning": step.warning},
    )
    target = step_target(case, kind, outcome)
    move = case.lifecycle.get(case.status, target) if target else None
    if target and move is not None and actor.role in move.roles:
        owner = OWNER_KEY if claims_step(case, target) else ""
        case_actions.transition(case, target, actor=actor, reason=note or label, owner=owner)
    else:
        case_actions._touch(case)
    return step


def _set_custody(custody: Custody, status: str, at: datetime, *, actor: User) -> None:
    previous = custody.status
    if previous == status:
        return
    custody.status = status
    custody.status_since = at
    custody.save(update_fields=["status", "status_since"])
    audit.record(
        "extradition.custody",
        actor=actor,
        obj=custody,
        case_id=custody.case_id,
        before={"status": previous},
        after={"status": status, "since": at},
    )


@transaction.atomic
def record_status_update(case: Case, *, actor: User, sent_on: date, summary: str = "") -> list[Deadline]:
    """A status update was sent to the counterpart (good practice 8): the reminder clock restarts."""
    case = _fresh(case)
    _require_work(actor, case)
    if sent_on > timezone.localdate():
        raise ActionError(_("The date sent cannot be in the future."), fields={"sent_on": _("In the future.")})
    clocks = live_clocks(case, c.Clock.STATUS_UPDATE)
    note = str(_("Status update sent on {date}.")).format(date=date_format(sent_on, "SHORT_DATE_FORMAT"))
    _stop_clocks(clocks, actor=actor, note=note, met=True)  # a repeating rule starts the next period
    if not clocks:
        _ensure_status_clock(case, timezone.now(), actor=actor)
    _event(case, "extradition_status_update", actor=actor, reason=summary, sent_on=sent_on.isoformat())
    audit.record(
        "extradition.status_update",
        actor=actor,
        obj=case,
        case_id=case.pk,
        after={"sent_on": sent_on, "summary": summary[:500]},
    )
    return clocks


# --- assurances and speciality -------------------------------------------------------------------------------


@transaction.atomic
def ask_assurance(case: Case, *, actor: User, kind: str, asked_on: date, details: str = "") -> Assurance:
    _require_work(actor, case)
    errors: dict[str, Any] = {}
    if kind not in c.AssuranceKind.values:
        errors["kind"] = _("Choose the assurance.")
    if asked_on > timezone.localdate():
        errors["asked_on"] = _("The date cannot be in the future.")
    if errors:
        raise ActionError(_("The assurance was not recorded: correct the fields marked."), fields=errors)
    assurance = Assurance.objects.create(
        case=case, kind=kind, asked_on=asked_on, details=details.strip(), recorded_by=actor
    )
    _event(case, "extradition_assurance", actor=actor, kind=kind, state="asked")
    audit.record(
        "extradition.assurance.ask", actor=actor, obj=assurance, case_id=case.pk, after={"kind": kind, "on": asked_on}
    )
    case_actions._touch(case)
    return assurance


@transaction.atomic
def assess_assurance(
    assurance: Assurance, *, actor: User, received_on: date | None, assessment: str, note: str = ""
) -> Assurance:
    case = assurance.case
    _require_work(actor, case)
    errors: dict[str, Any] = {}
    if assessment not in c.Assessment.values:
        errors["assessment"] = _("Choose an assessment.")
    if received_on is not None and received_on > timezone.localdate():
        errors["received_on"] = _("The date cannot be in the future.")
    if received_on is not None and received_on < assurance.asked_on:
        errors["received_on"] = _("An assurance cannot be received before it was asked.")
    if assessment != c.Assessment.PENDING and received_on is None:
        errors["received_on"] = _("An assurance is assessed once it has been received.")
    if assessment == c.Assessment.INADEQUATE and not note.strip():
        errors["assessment_note"] = _("Say why the assurance is inadequate.")
    if errors:
        raise ActionError(_("The assessment was not recorded: correct the fields marked."), fields=errors)
    before = {"received_on": assurance.received_on, "assessment": assurance.assessment}
    assurance.received_on = received_on
    assurance.assessment = assessment
    assurance.assessment_note = note.strip()
    assurance.save(update_fields=["received_on", "assessment", "assessment_note"])
    _event(case, "extradition_assurance", actor=actor, kind=assurance.kind, state=assessment)
    audit.record(
        "extradition.assurance.assess",
        actor=actor,
        obj=assurance,
        case_id=case.pk,
        before=before,
        after={"received_on": received_on, "assessment": assessment, "note": note},
    )
    case_actions._touch(case)
    return assurance


@transaction.atomic
def ask_speciality_consent(
    case: Case, *, actor: User, kind: str, offences: str, requested_on: date
) -> SpecialityConsent:
    _require_work(actor, case)
    errors: dict[str, Any] = {}
    if kind not in c.ConsentKind.values:
        errors["kind"] = _("Choose the kind of consent.")
    if not offences.strip():
        errors["offences"] = _("Name the offences or the third State concerned.")
    if requested_on > timezone.localdate():
        errors["requested_on"] = _("The date cannot be in the future.")
    if errors:
        raise ActionError(_("The request for consent was not recorded: correct the fields marked."), fields=errors)
    consent = SpecialityConsent.objects.create(
        case=case, kind=kind, offences=offences.strip(), requested_on=requested_on, recorded_by=actor
    )
    _event(case, "extradition_speciality", actor=actor, kind=kind, state="requested")
    audit.record(
        "extradition.speciality.ask",
        actor=actor,
        obj=consent,
        case_id=case.pk,
        after={"kind": kind, "offences": consent.offences, "on": requested_on},
    )
    case_actions._touch(case)
    return consent


@transaction.atomic
def decide_speciality_consent(
    consent: SpecialityConsent, *, actor: User, decision: str, decided_on: date, note: str = ""
) -> SpecialityConsent:
    case = consent.case
    _require_work(actor, case)
    errors: dict[str, Any] = {}
    if decision not in {c.Decision.GRANTED, c.Decision.REFUSED}:
        errors["decision"] = _("Say what was decided.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The date cannot be in the future.")
    elif decided_on < consent.requested_on:
        errors["decided_on"] = _("A decision cannot come before the request.")
    if errors:
        raise ActionError(_("The decision was not recorded: correct the fields marked."), fields=errors)
    before = {"decision": consent.decision, "decided_on": consent.decided_on, "note": consent.note}
    consent.decision = decision
    consent.decided_on = decided_on
    consent.note = note.strip()
    consent.save(update_fields=["decision", "decided_on", "note"])
    _event(case, "extradition_speciality", actor=actor, kind=consent.kind, state=decision)
    audit.record(
        "extradition.speciality.decide",
        actor=actor,
        obj=consent,
        case_id=case.pk,
        before=before,
        after={"decision": decision, "on": decided_on, "note": note},
    )
    case_actions._touch(case)
    return consent


# --- calendar feed -------------------------------------------------------------------------------------------


@transaction.atomic
def issue_calendar_token(*, actor: User) -> str:
    """A new secret address for the actor's iCalendar feed; any previous one stops working. Shown once."""
    from entraide.extradition.models import CalendarToken

    now = timezone.now()
    revoked = CalendarToken.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=now)
    secret, digest = CalendarToken.new_secret()
    token = CalendarToken.objects.create(user=actor, token_hash=digest)
    audit.record("extradition.calendar_token.issue", actor=actor, obj=token, after={"revoked_previous": revoked})
    return secret


@transaction.atomic
def revoke_calendar_tokens(*, actor: User) -> int:
    from entraide.extradition.models import CalendarToken

    tokens = list(CalendarToken.objects.filter(user=actor, revoked_at__isnull=True))
    for token in tokens:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record("extradition.calendar_token.revoke", actor=actor, obj=token)
    return len(tokens)


# --- status letter -------------------------------------------------------------------------------------------


@transaction.atomic
def file_status_letter(case: Case, *, actor: User, language: str = "") -> list[Any]:
    """Generate the status letter to the counterpart and file it on the matter (DOCX and PDF).

    Sending it is recorded separately (``record_status_update``), when it has actually left.
    """
    from django.utils import translation

    from entraide.extradition.letters import build_status_letter, counterpart_language
    from entraide.letters import LABEL_LANGUAGES, file_letter

    case = _fresh(case)
    _require_work(actor, case)
    language = (language or counterpart_language(case)).lower()
    if language not in LABEL_LANGUAGES:
        raise ActionError(_("Choose a language the letters are written in."), fields={"language": _("Unknown.")})
    letter = build_status_letter(case, actor=actor, language=language)
    with translation.override(language):
        title = str(_("Extradition status letter"))
    documents = file_letter(case, letter, actor=actor, title=title)
    _event(case, "extradition_status_letter", actor=actor, language=language)
    audit.record(
        "extradition.status_letter",
        actor=actor,
        obj=case,
        case_id=case.pk,
        after={"language": language, "documents": [d.pk for d in documents]},
    )
    return documents


# --- review of the formal request, logistics, competing requests -------------------------------------------


@transaction.atomic
def assess_grounds(case: Case, *, actor: User, findings: dict[str, tuple[str, str]]) -> list[Any]:
    """Record the review of the request against the grounds for refusal: ``{ground: (finding, reasons)}``.

    A ground found to apply needs its reasons. Returns the conclusions the review leads to.
    """
    from entraide.extradition.models import GroundAssessment
    from entraide.extradition.queries import grounds_conclusions

    _require_work(actor, case)
    errors: dict[str, Any] = {}
    for ground, (finding, note) in findings.items():
        if ground not in c.Ground.values:
            errors[ground] = _("Unknown ground for refusal.")
        elif finding not in c.Finding.values:
            errors[ground] = _("Unknown finding.")
        elif finding == c.Finding.APPLIES and not note.strip():
            errors[ground] = _("Give the reasons why this ground applies.")
    if errors:
        raise ActionError(_("The review was not saved: correct the grounds marked."), fields=errors)
    changed: dict[str, str] = {}
    existing = {g.ground: g for g in GroundAssessment.objects.filter(case=case)}
    for ground, (finding, note) in findings.items():
        row = existing.get(ground)
        if row is not None and row.finding == finding and row.note == note.strip():
            continue
        GroundAssessment.objects.update_or_create(
            case=case,
            ground=ground,
            defaults={"finding": finding, "note": note.strip(), "assessed_by": actor, "assessed_at": timezone.now()},
        )
        changed[ground] = finding
    if changed:
        _event(case, "extradition_grounds", actor=actor, grounds=sorted(changed))
        audit.record("extradition.grounds", actor=actor, obj=case, case_id=case.pk, after=changed)
        case_actions._touch(case)
    return grounds_conclusions(case)


LOGISTICS_FIELDS = ("place", "escort", "travel", "transit", "property_handed_over", "arrived_at")


@transaction.atomic
def update_logistics(case: Case, *, actor: User, **fields: Any) -> Any:
    """The practical arrangements of the surrender, and the arrival of the person (outgoing)."""
    from entraide.extradition.models import Logistics

    _require_work(actor, case)
    unknown = set(fields) - set(LOGISTICS_FIELDS)
    if unknown:
        raise ActionError(_("Unknown fields: {fields}").format(fields=", ".join(sorted(unknown))))
    arrived = fields.get("arrived_at")
    if arrived is not None:
        if arrived.tzinfo is None:
            arrived = fields["arrived_at"] = timezone.make_aware(arrived)
        _not_future(arrived, "arrived_at")
    logistics = Logistics.objects.filter(case=case).first() or Logistics(case=case, updated_by=actor)
    before = {name: getattr(logistics, name) for name in LOGISTICS_FIELDS}
    for name, value in fields.items():
        setattr(logistics, name, value.strip() if isinstance(value, str) else value)
    logistics.updated_by = actor
    logistics.updated_at = timezone.now()
    logistics.save()
    after = {name: getattr(logistics, name) for name in LOGISTICS_FIELDS}
    changed = {k: v for k, v in after.items() if before[k] != v}
    if changed:
        _event(case, "extradition_logistics", actor=actor, fields=sorted(changed))
        audit.record(
            "extradition.logistics",
            actor=actor,
            obj=logistics,
            case_id=case.pk,
            before={k: before[k] for k in changed},
            after=changed,
        )
        case_actions._touch(case)
    return logistics


@transaction.atomic
def record_competing_request(
    case: Case, *, actor: User, country: Any, received_on: date, offences: str, note: str = ""
) -> Any:
    from entraide.extradition.models import CompetingRequest

    _require_work(actor, case)
    errors: dict[str, Any] = {}
    if country is None or country.pk == case.counterpart_country_id:
        errors["country"] = _("Name the other requesting State.")
    if received_on > timezone.localdate():
        errors["received_on"] = _("The date cannot be in the future.")
    if not offences.strip():
        errors["offences"] = _("Name the offences of the other request.")
    if errors:
        raise ActionError(_("The competing request was not recorded: correct the fields marked."), fields=errors)
    competing = CompetingRequest.objects.create(
        case=case,
        country=country,
        received_on=received_on,
        offences=offences.strip(),
        note=note.strip(),
        recorded_by=actor,
    )
    _event(case, "extradition_competing", actor=actor, country=str(country.pk))
    audit.record(
        "extradition.competing",
        actor=actor,
        obj=competing,
        case_id=case.pk,
        after={"country": country.pk, "received_on": received_on, "offences": competing.offences},
    )
    case_actions._touch(case)
    return competing


# --- the registers: decisions on competing requests, corrections of entries ----------------------------------


@transaction.atomic
def decide_competing_request(competing: Any, *, actor: User, decision: str, decided_on: date, note: str = "") -> Any:
    """Which request prevails: the other State's (``preferred``) or this matter's (``set_aside``)."""
    case = competing.case
    _require_work(actor, case)
    errors: dict[str, Any] = {}
    if decision not in {c.CompetingDecision.PREFERRED, c.CompetingDecision.SET_ASIDE}:
        errors["decision"] = _("Say which request prevails.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The date cannot be in the future.")
    elif decided_on < competing.received_on:
        errors["decided_on"] = _("A decision cannot come before the request.")
    if errors:
        raise ActionError(_("The decision was not recorded: correct the fields marked."), fields=errors)
    before = {"decision": competing.decision, "decided_on": competing.decided_on, "note": competing.note}
    competing.decision = decision
    competing.decided_on = decided_on
    if note.strip():
        competing.note = note.strip()
    competing.save(update_fields=["decision", "decided_on", "note"])
    _event(case, "extradition_competing", actor=actor, country=str(competing.country_id), state=decision)
    audit.record(
        "extradition.competing.decide",
        actor=actor,
        obj=competing,
        case_id=case.pk,
        before=before,
        after={"decision": decision, "decided_on": decided_on, "note": competing.note},
    )
    case_actions._touch(case)
    return competing


# What each register lets a user correct after the fact, and the date that must not be in the future.
EDITABLE: dict[str, tuple[tuple[str, ...], str]] = {
    "assurance": (("details", "asked_on"), "asked_on"),
    "consent": (("offences", "requested_on", "note"), "requested_on"),
    "competing": (("country", "received_on", "offences", "note"), "received_on"),
}


@transaction.atomic
def correct_entry(entry: Any, *, actor: User, **changes: Any) -> Any:
    """Correct an entry of a register (an assurance asked, a request for consent, a competing request): a wrong
    date, the offences or the State named… Audited with what it was and what it became; the decision is not
    changed here (``assess_assurance``, ``decide_speciality_consent``, ``decide_competing_request``)."""
    from entraide.extradition.models import CompetingRequest

    register = (
        "assurance"
        if isinstance(entry, Assurance)
        else "consent"
        if isinstance(entry, SpecialityConsent)
        else "competing"
        if isinstance(entry, CompetingRequest)
        else ""
    )
    if not register:
        raise ActionError(_("This entry cannot be corrected here."))
    case = entry.case
    _require_work(actor, case)
    allowed, dated = EDITABLE[register]
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ActionError(_("Unknown fields: {fields}").format(fields=", ".join(sorted(unknown))))
    errors: dict[str, Any] = {}
    day = changes.get(dated)
    if day is not None and day > timezone.localdate():
        errors[dated] = _("The date cannot be in the future.")
    answered = entry.received_on if register == "assurance" else entry.decided_on
    if day is not None and answered is not None and day > answered:
        errors[dated] = _("This date cannot come after the answer recorded ({date}).").format(
            date=date_format(answered, "SHORT_DATE_FORMAT")
        )
    if "offences" in changes and not str(changes["offences"]).strip():
        errors["offences"] = _("Name the offences or the third State concerned.")
    if register == "competing" and "country" in changes:
        country = changes["country"]
        if country is None or country.pk == case.counterpart_country_id:
            errors["country"] = _("Name the other requesting State.")
    if errors:
        raise ActionError(_("The correction was not saved: correct the fields marked."), fields=errors)

    def plain(value: Any) -> Any:
        return getattr(value, "pk", value)

    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in changes.items():
        value = value.strip() if isinstance(value, str) else value
        if plain(getattr(entry, name)) != plain(value):
            before[name], after[name] = plain(getattr(entry, name)), plain(value)
            setattr(entry, name, value)
    if not after:
        return entry
    entry.save()
    _event(case, "extradition_register_corrected", actor=actor, register=register, fields=sorted(after))
    audit.record(f"extradition.{register}.correct", actor=actor, obj=entry, case_id=case.pk, before=before, after=after)
    case_actions._touch(case)
    return entry
