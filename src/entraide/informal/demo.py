"""Demonstration informal contacts, some about people the demo matters already name (in another script or
another order), so that deconfliction has something to show. Hooked into ``entraide demo`` by the lead:
``from entraide.informal.demo import load_demo; load_demo(now, users)`` after the register's demo."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from entraide.cases.models import Subject
from entraide.informal import actions
from entraide.informal.models import InformalContact

MARK = "[demo]"


@transaction.atomic
def load_demo(now: datetime, users: dict[str, Any]) -> int:
    """Create the demo contacts once; returns how many were created."""
    from entraide.directory.models import Country

    if InformalContact.objects.filter(summary__endswith=MARK).exists():
        return 0
    officer: Any = users.get("officer")
    officer2: Any = users.get("officer2") or officer
    countries = {c.code: c for c in Country.objects.filter(code__in=["FR", "ES", "BE", "IT", "DE", "NL", "US"])}
    if officer is None or not countries:
        return 0
    fallback = next(iter(countries.values()))
    created = 0
    # Echoes of subjects of the register: the same people written otherwise.
    echoes = list(
        Subject.objects.filter(kind="person")
        .exclude(original_script_name="")
        .select_related("case", "nationality")
        .order_by("id")[:4]
    )
    channels = ["police", "interpol", "fiu", "liaison"]
    for index, subject in enumerate(echoes):
        parts = subject.name.split()
        swapped = " ".join([parts[-1], *parts[:-1]]) if len(parts) > 1 else subject.name
        actions.register_contact(
            actor=officer2 if index % 2 else officer,
            channel=channels[index % len(channels)],
            counterpart_country=countries.get("FR", fallback),
            counterpart_unit="Office central",
            occurred_on=(now - timedelta(days=3 + index * 5)).date(),
            direction="outgoing" if index % 2 else "incoming",
            summary=f"Exchange about {swapped} before any formal request. {MARK}",
            subjects=[
                {
                    "kind": "person",
                    "name": swapped,
                    "original_script_name": subject.original_script_name,
                    "birth_date": subject.birth_date,
                    "nationality": subject.nationality,
                }
            ],
        )
        created += 1
    # Contacts about people no matter names.
    for index, (name, channel, ident) in enumerate(
        [
            ("Oleksandr Shevchenko", "cyber_24_7", {"type": "email", "value": "o.shevchenko@example.org"}),
            ("Golden Sands General Trading LLC", "fiu", {"type": "iban", "value": "FR7630006000011234567890189"}),
        ]
    ):
        actions.register_contact(
            actor=officer,
            channel=channel,
            counterpart_country=countries.get("ES", fallback),
            occurred_on=(now - timedelta(days=1 + index)).date(),
            direction="incoming",
            summary=f"Counterpart asked whether we know this subject. {MARK}",
            subjects=[
                {
                    "kind": "organisation" if "LLC" in name else "person",
                    "name": name,
                    "identifiers": [ident],
                }
            ],
        )
        created += 1
    return created
