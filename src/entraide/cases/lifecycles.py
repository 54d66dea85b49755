"""Lifecycles as data: one transition table per kind family and direction, read by one engine (``actions.transition``).

A state is *active* while the Central Authority still has work to do on the matter; leaving the active states
takes the matter off the work lists and sets its closing date. Guards return a message when a transition must be
refused, or ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import Role
from entraide.cases.choices import EXTRADITION_KINDS, MEASURE_DONE, Direction

if TYPE_CHECKING:
    from entraide.cases.models import Case

Guard = Callable[["Case"], "str | Promise | None"]

STAFF = frozenset({Role.OFFICER, Role.HEAD})
HEAD = frozenset({Role.HEAD})
SENDERS = frozenset({Role.OFFICER, Role.HEAD, Role.CLERK})


def all_measures_done(case: Case) -> Promise | None:
    statuses = list(case.measures.values_list("status", flat=True))
    if not statuses:
        return _("A matter without measures cannot be executed: record the measures first.")
    if any(s not in MEASURE_DONE for s in statuses):
        return _("Every measure must be executed, refused or withdrawn first.")
    return None


def has_measures(case: Case) -> Promise | None:
    if not case.measures.exists():
        return _("Add at least one requested measure first.")
    return None


def has_subject(case: Case) -> Promise | None:
    if not case.subjects.exists():
        return _("Record the person concerned first.")
    return None


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    roles: frozenset[str] = STAFF
    guards: tuple[Guard, ...] = ()
    needs_reason: bool = False
    label: str | Promise = ""


@dataclass(frozen=True)
class Lifecycle:
    code: str
    name: str | Promise
    initial: str
    states: dict[str, str | Promise]
    active: frozenset[str]
    transitions: tuple[Transition, ...]
    _index: dict[tuple[str, str], Transition] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for t in self.transitions:
            if t.source not in self.states or t.target not in self.states:
                raise ValueError(f"{self.code}: transition {t.source}->{t.target} names an unknown state")
            self._index[(t.source, t.target)] = t
        if self.initial not in self.states:
            raise ValueError(f"{self.code}: unknown initial state {self.initial}")

    def label(self, state: str) -> str | Promise:
        return self.states.get(state, state)

    def get(self, source: str, target: str) -> Transition | None:
        return self._index.get((source, target))

    def next_states(self, source: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == source]

    def is_active(self, state: str) -> bool:
        return state in self.active


def _withdrawals(states: list[str], target: str = "withdrawn") -> tuple[Transition, ...]:
    return tuple(Transition(s, target, STAFF, needs_reason=True, label=_("Withdraw")) for s in states)


INCOMING_MLA = Lifecycle(
    code="incoming_mla",
    name=_("Incoming mutual legal assistance"),
    initial="registered",
    states={
        "registered": _("Registered"),
        "under_review": _("Admissibility review"),
        "awaiting_information": _("Awaiting supplementary information"),
        "accepted": _("Accepted"),
        "postponed": _("Postponed"),
        "in_execution": _("In execution"),
        "executed": _("Executed"),
        "refused": _("Refused"),
        "withdrawn": _("Withdrawn"),
        "closed": _("Closed"),
    },
    active=frozenset({"registered", "under_review", "awaiting_information", "accepted", "postponed", "in_execution"}),
    transitions=(
        Transition("registered", "under_review", label=_("Start the admissibility review")),
        Transition("under_review", "accepted", label=_("Accept")),
        Transition(
            "under_review",
            "awaiting_information",
            needs_reason=True,
            label=_("Ask for supplementary information"),
        ),
        Transition("awaiting_information", "under_review", label=_("Information received: resume the review")),
        Transition("under_review", "refused", HEAD, needs_reason=True, label=_("Refuse")),
        Transition("under_review", "postponed", needs_reason=True, label=_("Postpone")),
        Transition("accepted", "in_execution", guards=(has_measures,), label=_("Start execution")),
        Transition("accepted", "postponed", needs_reason=True, label=_("Postpone")),
        Transition("postponed", "in_execution", guards=(has_measures,), label=_("Resume execution")),
        Transition("postponed", "under_review", label=_("Reopen the review")),
        Transition("in_execution", "postponed", needs_reason=True, label=_("Postpone")),
        Transition("in_execution", "executed", guards=(all_measures_done,), label=_("Mark as executed")),
        Transition("executed", "closed", label=_("Close")),
        Transition("refused", "closed", label=_("Close")),
        Transition("withdrawn", "closed", label=_("Close")),
        *_withdrawals(["registered", "under_review", "awaiting_information", "accepted", "postponed", "in_execution"]),
    ),
)

OUTGOING_MLA = Lifecycle(
    code="outgoing_mla",
    name=_("Outgoing mutual legal assistance"),
    initial="draft",
    states={
        "draft": _("Draft"),
        "under_review": _("Under review"),
        "approved": _("Approved"),
        "sent": _("Sent"),
        "acknowledged": _("Acknowledged by the requested state"),
        "in_execution": _("In execution abroad"),
        "additional_information": _("Supplementary information asked"),
        "executed": _("Executed"),
        "refused": _("Refused by the requested state"),
        "withdrawn": _("Withdrawn"),
        "closed": _("Closed"),
    },
    active=frozenset(
        {
            "draft",
            "under_review",
            "approved",
            "sent",
            "acknowledged",
            "in_execution",
            "additional_information",
        }
    ),
    transitions=(
        Transition(
            "draft",
            "under_review",
            SENDERS | {Role.REQUESTING},
            guards=(has_measures,),
            label=_("Submit for review"),
        ),
        Transition("under_review", "draft", STAFF, needs_reason=True, label=_("Ask for changes")),
        Transition("under_review", "approved", HEAD, guards=(has_measures,), label=_("Approve")),
        Transition("approved", "draft", STAFF, needs_reason=True, label=_("Ask for changes")),
        Transition("approved", "sent", SENDERS, label=_("Record as sent")),
        Transition("sent", "acknowledged", label=_("Acknowledgement received")),
        Transition("sent", "in_execution", label=_("Execution started abroad")),
        Transition("acknowledged", "in_execution", label=_("Execution started abroad")),
        Transition("sent", "additional_information", needs_reason=True, label=_("Supplementary information asked")),
        Transition(
            "acknowledged",
            "additional_information",
            needs_reason=True,
            label=_("Supplementary information asked"),
        ),
        Transition(
            "in_execution",
            "additional_information",
            needs_reason=True,
            label=_("Supplementary information asked"),
        ),
        Transition("additional_information", "in_execution", label=_("Information supplied")),
        Transition("in_execution", "executed", guards=(all_measures_done,), label=_("Mark as executed")),
        Transition("sent", "refused", needs_reason=True, label=_("Refused by the requested state")),
        Transition("acknowledged", "refused", needs_reason=True, label=_("Refused by the requested state")),
        Transition("in_execution", "refused", needs_reason=True, label=_("Refused by the requested state")),
        Transition("executed", "closed", label=_("Close")),
        Transition("refused", "closed", label=_("Close")),
        Transition("withdrawn", "closed", label=_("Close")),
        *_withdrawals(
            [
                "draft",
                "under_review",
                "approved",
                "sent",
                "acknowledged",
                "in_execution",
                "additional_information",
            ]
        ),
    ),
)

INCOMING_EXTRADITION = Lifecycle(
    code="incoming_extradition",
    name=_("Incoming extradition"),
    initial="registered",
    states={
        "registered": _("Registered"),
        "provisionally_arrested": _("Person provisionally arrested"),
        "formal_request": _("Formal request received"),
        "under_review": _("Review of the request"),
        "judicial_phase": _("Judicial phase"),
        "granted": _("Extradition granted"),
        "surrender_scheduled": _("Surrender scheduled"),
        "surrendered": _("Surrendered"),
        "refused": _("Refused"),
        "released": _("Person released"),
        "withdrawn": _("Withdrawn"),
        "closed": _("Closed"),
    },
    active=frozenset(
        {
            "registered",
            "provisionally_arrested",
            "formal_request",
            "under_review",
            "judicial_phase",
            "granted",
            "surrender_scheduled",
        }
    ),
    transitions=(
        Transition(
            "registered",
            "provisionally_arrested",
            guards=(has_subject,),
            label=_("Record the provisional arrest"),
        ),
        Transition("registered", "formal_request", label=_("Formal request received")),
        Transition("provisionally_arrested", "formal_request", label=_("Formal request received")),
        Transition("provisionally_arrested", "released", needs_reason=True, label=_("Record the release")),
        Transition("formal_request", "under_review", label=_("Start the review")),
        Transition("under_review", "judicial_phase", guards=(has_subject,), label=_("Refer to the court")),
        Transition("under_review", "refused", HEAD, needs_reason=True, label=_("Refuse")),
        Transition("judicial_phase", "granted", needs_reason=True, label=_("Extradition granted")),
        Transition("judicial_phase", "refused", needs_reason=True, label=_("Extradition refused")),
        Transition("judicial_phase", "released", needs_reason=True, label=_("Record the release")),
        Transition("granted", "surrender_scheduled", label=_("Schedule the surrender")),
        Transition("surrender_scheduled", "surrendered", label=_("Record the surrender")),
        Transition("surrender_scheduled", "released", needs_reason=True, label=_("Record the release")),
        Transition("surrendered", "closed", label=_("Close")),
        Transition("refused", "closed", label=_("Close")),
        Transition("released", "closed", label=_("Close")),
        Transition("withdrawn", "closed", label=_("Close")),
        *_withdrawals(
            [
                "registered",
                "provisionally_arrested",
                "formal_request",
                "under_review",
                "judicial_phase",
                "granted",
                "surrender_scheduled",
            ]
        ),
    ),
)

OUTGOING_EXTRADITION = Lifecycle(
    code="outgoing_extradition",
    name=_("Outgoing extradition"),
    initial="draft",
    states={
        "draft": _("Draft"),
        "under_review": _("Under review"),
        "approved": _("Approved"),
        "sent": _("Sent"),
        "arrested_abroad": _("Person arrested abroad"),
        "judicial_phase_abroad": _("Judicial phase abroad"),
        "granted": _("Extradition granted"),
        "surrender_arranged": _("Surrender arranged"),
        "surrendered": _("Person surrendered"),
        "refused": _("Refused by the requested state"),
        "released_abroad": _("Person released abroad"),
        "withdrawn": _("Withdrawn"),
        "closed": _("Closed"),
    },
    active=frozenset(
        {
            "draft",
            "under_review",
            "approved",
            "sent",
            "arrested_abroad",
            "judicial_phase_abroad",
            "granted",
            "surrender_arranged",
        }
    ),
    transitions=(
        Transition(
            "draft",
            "under_review",
            SENDERS | {Role.REQUESTING},
            guards=(has_subject,),
            label=_("Submit for review"),
        ),
        Transition("under_review", "draft", STAFF, needs_reason=True, label=_("Ask for changes")),
        Transition("under_review", "approved", HEAD, guards=(has_subject,), label=_("Approve")),
        Transition("approved", "draft", STAFF, needs_reason=True, label=_("Ask for changes")),
        Transition("approved", "sent", SENDERS, label=_("Record as sent")),
        Transition("sent", "arrested_abroad", label=_("Person arrested abroad")),
        Transition("sent", "judicial_phase_abroad", label=_("Judicial phase started abroad")),
        Transition("arrested_abroad", "judicial_phase_abroad", label=_("Judicial phase started abroad")),
        Transition("arrested_abroad", "released_abroad", needs_reason=True, label=_("Person released abroad")),
        Transition("judicial_phase_abroad", "granted", label=_("Extradition granted")),
        Transition("judicial_phase_abroad", "refused", needs_reason=True, label=_("Refused by the requested state")),
        Transition("judicial_phase_abroad", "released_abroad", needs_reason=True, label=_("Person released abroad")),
        Transition("sent", "refused", needs_reason=True, label=_("Refused by the requested state")),
        Transition("granted", "surrender_arranged", label=_("Surrender arranged")),
        Transition("surrender_arranged", "surrendered", label=_("Person surrendered")),
        Transition("surrendered", "closed", label=_("Close")),
        Transition("refused", "closed", label=_("Close")),
        Transition("released_abroad", "closed", label=_("Close")),
        Transition("withdrawn", "closed", label=_("Close")),
        *_withdrawals(
            [
                "draft",
                "under_review",
                "approved",
                "sent",
                "arrested_abroad",
                "judicial_phase_abroad",
                "granted",
                "surrender_arranged",
            ]
        ),
    ),
)

LIFECYCLES = {lc.code: lc for lc in (INCOMING_MLA, OUTGOING_MLA, INCOMING_EXTRADITION, OUTGOING_EXTRADITION)}


def lifecycle_for(kind: str, direction: str) -> Lifecycle:
    family = "extradition" if kind in EXTRADITION_KINDS else "mla"
    prefix = "incoming" if direction == Direction.INCOMING else "outgoing"
    return LIFECYCLES[f"{prefix}_{family}"]


def all_states() -> dict[str, str | Promise]:
    merged: dict[str, str | Promise] = {}
    for lc in LIFECYCLES.values():
        merged.update(lc.states)
    return merged
