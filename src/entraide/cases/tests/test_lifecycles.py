"""The lifecycle tables, exercised exhaustively through the one engine."""

from __future__ import annotations

import pytest

from entraide.accounts.models import Role
from entraide.cases import actions
from entraide.cases.catalogue import MeasureType
from entraide.cases.choices import Direction, Kind, MeasureStatus
from entraide.cases.lifecycles import LIFECYCLES, lifecycle_for
from entraide.cases.models import Case, Event
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.testing import make_case


def _reachable(lifecycle) -> set[str]:
    seen = {lifecycle.initial}
    frontier = [lifecycle.initial]
    while frontier:
        state = frontier.pop()
        for t in lifecycle.next_states(state):
            if t.target not in seen:
                seen.add(t.target)
                frontier.append(t.target)
    return seen


@pytest.mark.parametrize("code", sorted(LIFECYCLES))
def test_every_state_is_reachable_and_every_active_state_can_end(code):
    lifecycle = LIFECYCLES[code]
    assert _reachable(lifecycle) == set(lifecycle.states)
    for state in lifecycle.active:
        assert lifecycle.next_states(state), f"{code}: active state {state} is a dead end"
    assert "closed" in lifecycle.states and not lifecycle.is_active("closed")


@pytest.mark.parametrize(
    ("kind", "direction", "expected"),
    [
        (Kind.MLA, Direction.INCOMING, "incoming_mla"),
        (Kind.SERVICE, Direction.OUTGOING, "outgoing_mla"),
        (Kind.EXTRADITION, Direction.INCOMING, "incoming_extradition"),
        (Kind.PROVISIONAL_ARREST, Direction.OUTGOING, "outgoing_extradition"),
    ],
)
def test_each_kind_and_direction_has_its_table(kind, direction, expected):
    assert lifecycle_for(kind, direction).code == expected


def _fill(case, actor):
    actions.add_subject(case, actor=actor, kind="person", role="person_sought", name="Ivan Petrov")
    measure = actions.add_measure(
        case, actor=actor, type=MeasureType.INFORMATION, details={"information": "Criminal record"}
    )
    return measure


@pytest.mark.parametrize("code", sorted(LIFECYCLES))
def test_every_transition_of_every_table_works_through_the_engine(code, head):
    """Walk every edge: for each transition, make a case in its source state and take it."""
    lifecycle = LIFECYCLES[code]
    direction, family = code.split("_", 1)
    kind = Kind.EXTRADITION if family == "extradition" else Kind.MLA
    # Shortest path from the initial state to every state.
    paths: dict[str, list[str]] = {lifecycle.initial: []}
    frontier = [lifecycle.initial]
    while frontier:
        state = frontier.pop(0)
        for t in lifecycle.next_states(state):
            if t.target not in paths:
                paths[t.target] = [*paths[state], t.target]
                frontier.append(t.target)
    for index, step in enumerate(lifecycle.transitions):
        case = make_case(head, kind=kind, direction=direction, counterpart_reference=f"{code}-{index}")
        measure = _fill(case, head)
        for target in [*paths[step.source], step.target]:
            if target in {"executed"}:
                actions.set_measure_status(measure, MeasureStatus.EXECUTED, actor=head)
            actions.transition(case, target, actor=head, reason="because")
        case.refresh_from_db()
        assert case.status == step.target
        assert case.is_open == lifecycle.is_active(step.target)
        last = Event.objects.filter(case=case, verb="transition").order_by("-id").first()
        assert last is not None and last.params["target"] == step.target and last.actor == head


def test_it_refuses_a_transition_the_table_does_not_have(case, officer):
    with pytest.raises(Conflict) as info:
        actions.transition(case, "closed", actor=officer)
    assert "Admissibility review" in str(info.value.message)
    case.refresh_from_db()
    assert case.status == "registered"


def test_it_refuses_execution_before_every_measure_is_done(case, officer):
    measure = _fill(case, officer)
    for state in ("under_review", "accepted", "in_execution"):
        actions.transition(case, state, actor=officer)
    with pytest.raises(Conflict, match="Every measure"):
        actions.transition(case, "executed", actor=officer)
    actions.set_measure_status(measure, MeasureStatus.EXECUTED, actor=officer)
    done = actions.transition(case, "executed", actor=officer)
    assert done.status == "executed" and not done.is_open and done.closed_at is not None


def test_refusal_needs_the_head_and_a_reason(case, officer, head):
    actions.transition(case, "under_review", actor=officer)
    with pytest.raises(Forbidden):
        actions.transition(case, "refused", actor=officer, reason="ordre public")
    with pytest.raises(ActionError, match="reason"):
        actions.transition(case, "refused", actor=head)
    assert actions.transition(case, "refused", actor=head, reason="ordre public").status == "refused"


def test_a_colleague_without_need_to_know_cannot_move_the_case(case, officer2):
    with pytest.raises(Forbidden):
        actions.transition(case, "under_review", actor=officer2)


def test_the_clerk_cannot_take_an_officers_step(case, clerk):
    with pytest.raises(Forbidden):
        actions.transition(case, "under_review", actor=clerk)


def test_the_second_of_two_identical_transitions_loses(case, officer):
    stale = Case.objects.get(pk=case.pk)
    actions.transition(case, "under_review", actor=officer)
    with pytest.raises(Conflict):
        actions.transition(stale, "under_review", actor=officer)
    assert Event.objects.filter(case=case, verb="transition").count() == 1


def test_roles_named_in_tables_are_real_roles():
    for lifecycle in LIFECYCLES.values():
        for t in lifecycle.transitions:
            assert set(t.roles) <= set(Role.values)
