"""Deconfliction in the permission matrix: a match is reached only through a side the persona may see."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from entraide.testing import API_CASE_READ, API_OPEN, rule

MATRIX = {
    "matching:case-run": ("post", rule(302, 404, officer=302, head=302, auditor=403)),
    "matching:informal-run": ("post", rule(302, 404, officer=302, head=302, auditor=403)),
    "matching:decide": ("post", rule(302, 404, officer=302, head=302, auditor=302)),
    "match-list": ("get", API_OPEN),
    "match-detail": ("get", API_CASE_READ),
    "match-confirm": ("post", rule(401, 404, officer=200, head=200, auditor=403)),
    "match-reject": ("post", rule(401, 404, officer=200, head=200, auditor=403)),
    "match-run": ("post", rule(401, 400)),
    # The Central Authority's staff search the index of subjects; the national authorities and the administrator not.
    "matching:search": ("get", rule(302, 200, admin_user=403, prosecutor=403, executor=403)),
    "subject-search-list": ("get", rule(401, 200, admin_user=403, prosecutor=403, executor=403)),
}

URLS = {
    "matching:case-run": lambda o: reverse("matching:case-run", args=[o["pk"]]),
    "matching:informal-run": lambda o: reverse("matching:informal-run", args=[o["_match_contact"]]),
    "matching:decide": lambda o: reverse("matching:decide", args=[o["_match"], "confirm"]),
    "match-detail": lambda o: reverse("match-detail", args=[o["_match"]]),
    "match-confirm": lambda o: reverse("match-confirm", args=[o["_match"]]),
    "match-reject": lambda o: reverse("match-reject", args=[o["_match"]]),
    "matching:search": lambda o: reverse("matching:search") + "?q=Ana+Lopez",
    "subject-search-list": lambda o: reverse("subject-search-list") + "?q=Ana+Lopez",
}


def prepare(objects: dict[str, Any], request: Any) -> None:
    """A possible match between the matter's subject (Ana Lopez) and an informal contact of the same officer."""
    from datetime import date

    from entraide.informal import actions
    from entraide.matching.models import Entry, Match
    from entraide.testing import country

    officer = request.getfixturevalue("officer")
    contact = actions.register_contact(
        actor=officer,
        channel="fiu",
        counterpart_country=country("ES"),
        occurred_on=date(2026, 11, 2),
        direction="incoming",
        summary="The Spanish FIU asked about Ana López",
        subjects=[{"kind": "person", "name": "Ana López"}],
    )
    entry = Entry.objects.get(informal_subject__contact=contact)
    from django.db.models import Q

    match = Match.objects.filter(Q(left=entry) | Q(right=entry), left__source="case").order_by("id").first()
    assert match is not None, "the matter's subject and the contact's should match"
    objects["_match"] = match.pk
    objects["_match_contact"] = contact.pk
