"""Demo content of extradition: persons in custody with clocks at every stage, played through the actions.

Called by ``entraide demo`` (``load_demo(now, users)``), once: nothing is added when the demo persons are there.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from entraide.cases import actions as case_actions
from entraide.core import extensions
from entraide.directory.models import Country
from entraide.extradition import actions
from entraide.extradition.alerts import lapse_appeal_clocks
from entraide.extradition.loaders import load_clock_rules
from entraide.extradition.models import Custody

MARK = "(demo extradition)"


def _matter(users: dict[str, Any], *, direction: str, country: str, title: str, person: str, **extra: Any) -> Any:
    head, officer = users["head"], users["officer"]
    case = case_actions.register_case(
        actor=head,
        direction=direction,
        kind="provisional_arrest",
        title=f"{title} {MARK}",
        counterpart_country=Country.objects.get(code=country),
        subjects=[{"kind": "person", "role": "person_sought", "name": person}],
        **extra,
    )
    case = case_actions.assign(case, officer, actor=head)
    if direction == "outgoing":
        # The drafting of the request is the drafting app's (its own demo shows it): replayed here as history.
        for target in ("under_review", "approved", "sent"):
            owner = extensions.step_owner(case, target)
            case = case_actions.transition(case, target, actor=head, owner=owner.key if owner else "")
    return case


@transaction.atomic
def load_demo(now: datetime, users: dict[str, Any]) -> str:
    if Custody.objects.filter(case__title__endswith=MARK).exists():
        return ""
    load_clock_rules()
    officer = users["officer"]

    # Incoming, provisional arrest 31 days ago: 9 days left for the formal request — red.
    a = _matter(users, direction="incoming", country="FR", title="Fraud ring, Lyon", person="Marc Lefebvre")
    actions.record_arrest(
        a, actor=officer, arrested_at=now - timedelta(days=31, hours=3), subject=a.subjects.get(), place="Casablanca"
    )

    # Incoming, formal request received, judicial phase: a hearing next week, a death-penalty assurance asked.
    b = _matter(users, direction="incoming", country="US", title="Drug trafficking conspiracy", person="John Miller")
    actions.record_arrest(
        b, actor=officer, arrested_at=now - timedelta(days=22), subject=b.subjects.get(), place="Tanger"
    )
    actions.record_formal_request(b, actor=officer, at=now - timedelta(days=8))
    b = case_actions.transition(b, "under_review", actor=officer)
    actions.assess_grounds(
        b,
        actor=officer,
        findings={
            "political": ("no", ""),
            "national": ("no", ""),
            "death_penalty": ("applies", "Capital offence in the requesting State"),
        },
    )
    actions.ask_assurance(b, actor=officer, kind="death_penalty", asked_on=(now - timedelta(days=6)).date())
    b = case_actions.transition(b, "judicial_phase", actor=officer)
    actions.record_step(
        b, actor=officer, kind="first_appearance", at=now - timedelta(days=21), court="Cour d'appel de Tanger"
    )
    actions.record_step(
        b,
        actor=officer,
        kind="hearing",
        at=now + timedelta(days=6, hours=2),
        court="Cour de cassation, chambre criminelle",
    )

    # Incoming, granted: surrender agreed in 3 days (15 and 30 days limits running).
    c = _matter(users, direction="incoming", country="ES", title="Armed robbery, Madrid", person="Carlos Ruiz")
    actions.record_arrest(
        c, actor=officer, arrested_at=now - timedelta(days=70), subject=c.subjects.get(), place="Rabat"
    )
    actions.record_formal_request(c, actor=officer, at=now - timedelta(days=50))
    c = case_actions.transition(c, "under_review", actor=officer)
    c = case_actions.transition(c, "judicial_phase", actor=officer)
    actions.record_step(
        c, actor=officer, kind="eligibility", at=now - timedelta(days=20), outcome="granted", court="Cour de cassation"
    )
    # The executive decision grants the extradition: the matter moves to "Extradition granted".
    actions.record_step(
        c,
        actor=officer,
        kind="executive_decision",
        at=now - timedelta(days=5),
        outcome="granted",
        note="Extradition decree signed",
    )
    actions.record_step(c, actor=officer, kind="surrender_agreed", at=now + timedelta(days=3))
    actions.update_logistics(c, actor=officer, place="Aéroport Mohammed V", escort="Two officers of the Guardia Civil")

    # Outgoing, person arrested in France on our request 35 days ago: our formal request is due in 5 days — red.
    d = _matter(users, direction="outgoing", country="FR", title="Embezzlement of public funds", person="Samir Haddad")
    actions.record_arrest(
        d, actor=officer, arrested_at=now - timedelta(days=35), subject=d.subjects.get(), place="Paris"
    )
    for matter in (a, b, c, d):
        actions.file_status_letter(matter, actor=officer, language="fr")
    lapse_appeal_clocks(now)  # the worker would do it within a quarter of an hour
    return "4 extradition matters with persons in custody and running clocks"
