"""Extradition matters for the tests."""

from __future__ import annotations

from typing import Any

from entraide.cases import actions
from entraide.cases.models import Case
from entraide.testing import country


def extradition_case(
    head: Any, officer: Any, *, direction: str = "incoming", instrument: str = "", **extra: Any
) -> Case:
    """An extradition matter assigned to ``officer``, with its person; sent already when outgoing."""
    from entraide.directory.models import Instrument

    data: dict[str, Any] = {
        "direction": direction,
        "kind": "provisional_arrest",
        "title": "Fugitive wanted for fraud",
        "counterpart_country": country("FR"),
        **extra,
    }
    if instrument:
        data["legal_basis"] = Instrument.objects.get_or_create(
            code=instrument, defaults={"title": instrument, "kind": "multilateral", "scope": "extradition"}
        )[0]
    case = actions.assign(
        actions.register_case(
            actor=head,
            subjects=[{"kind": "person", "role": "person_sought", "name": "Jean Dupont"}],
            **data,
        ),
        officer,
        actor=head,
    )
    if direction == "outgoing":
        case = replay(case, ("under_review", "approved", "sent"), actor=head)
    return case


def replay(case: Case, targets: Any, *, actor: Any) -> Case:
    """Walk ``case`` through ``targets`` as its history, including steps other apps take over (drafting's review
    of an outgoing request…): those apps' own tests exercise their pages."""
    from entraide.core import extensions

    for target in targets:
        owner = extensions.step_owner(case, target)
        case = actions.transition(case, target, actor=actor, owner=owner.key if owner else "")
    return case
