"""What the case page and the informal contact page show of possible matches, redacted per reader."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from entraide.accounts.models import Role, User
from entraide.cases import choices as cc
from entraide.matching.models import Entry, Match, MatchStatus, Source
from entraide.matching.queries import can_see_entry, can_work_on_entry

HOW = {
    "same": lambda: _("same"),
    "transliteration": lambda: _("transliteration"),
    "typo": lambda: _("close spelling"),
    "abbreviation": lambda: _("abbreviation"),
    "different": lambda: _("different"),
}
WARNINGS = {
    "unknown_script": lambda: _("a name is in a script that could not be transliterated"),
    "no_name": lambda: _("no name: compared on identifiers only"),
    "invalid_iban": lambda: _("an IBAN fails its checksum (kept as written)"),
    "phone_no_country": lambda: _("a phone number has no country (compared on its last digits)"),
    "invalid_phone": lambda: _("a phone number is not valid (kept as written)"),
    "invalid_email": lambda: _("an e-mail address is not valid (kept as written)"),
    "invalid_ip": lambda: _("an IP address is not valid (kept as written)"),
    "short_wallet": lambda: _("a wallet address is too short to be valid"),
    "empty_identifier": lambda: _("an identifier has no value"),
    "invalid_birth_date": lambda: _("the date of birth could not be read"),
}


def _type_label(value: str) -> str:
    try:
        return str(cc.IdentifierType(value).label)
    except ValueError:
        return value


def describe(item: dict[str, Any]) -> str:
    """One reason of a score, in the reader's language."""
    what = item.get("what")
    if what == "names":
        return _("Names: {score:.0%} alike").format(score=float(item.get("score", 0)))
    if what == "name_part":
        how = HOW.get(item.get("how", ""), lambda: item.get("how", ""))()
        return _("Name part “{left}” / “{right}”: {how}").format(left=item["left"], right=item["right"], how=how)
    if what == "name_parts_unmatched":
        return _("Name parts without a partner: {count}").format(count=item.get("count", 0))
    if what == "name_joined":
        return _("Same name written in one word and in several")
    if what == "identifier_agrees":
        return _("Same {type}: {value}").format(type=_type_label(item["type"]), value=item["value"])
    if what == "identifier_close":
        return _("Phone numbers end with the same digits: {value}").format(value=item["value"])
    if what == "identifier_conflicts":
        return _("Different {type}: {left} / {right}").format(
            type=_type_label(item["type"]), left=", ".join(item["left"]), right=", ".join(item["right"])
        )
    if what == "birth_date_agrees":
        return _("Same date of birth: {value}").format(value=item["value"])
    if what == "birth_year_agrees":
        return _("Same year of birth: {value}").format(value=item["value"])
    if what in ("birth_date_differs", "birth_year_differs"):
        return _("Dates of birth differ: {left} / {right}").format(left=item["left"], right=item["right"])
    if what == "nationality_differs":
        return _("Nationalities differ: {left} / {right}").format(left=item["left"], right=item["right"])
    if what == "kind_differs":
        return _("One is a person, the other an organisation")
    return str(what)


def warnings_of(entry: Entry) -> list[str]:
    return [WARNINGS[w]() for w in entry.warnings if w in WARNINGS]


def _label(entry: Entry) -> tuple[str, str]:
    if entry.source == Source.CASE:
        from entraide.cases.models import Case

        case = Case.objects.only("reference").get(pk=entry.case_id or 0)
        return case.reference, reverse("cases:detail", args=[entry.case_id])
    return f"INF-{entry.contact_id}", reverse("informal:detail", args=[entry.contact_id])


def heads() -> list[str]:
    return [u.get_full_name() or u.username for u in User.objects.filter(role=Role.HEAD, is_active=True)]


def present(user: Any, match: Match, mine: Entry) -> dict[str, Any]:
    """A match seen from ``mine``'s side. The other side's details only if the user may see it."""
    other = match.right if mine.pk == match.left_id else match.left
    visible = can_see_entry(user, other)
    item: dict[str, Any] = {
        "id": match.pk,
        "mine": mine.display_name,
        "score": match.score,
        "status": match.status,
        "status_label": MatchStatus(match.status).label,
        "visible": visible,
        "decided_by": match.decided_by.username if visible and match.decided_by else "",
    }
    if visible:
        reference, url = _label(other)
        item.update(
            {
                "other_name": other.display_name,
                "other_reference": reference,
                "other_url": url,
                "other_source": other.source,
                "reasons": [describe(x) for x in match.explanation],
                "warnings": warnings_of(other),
                "may_decide": can_work_on_entry(user, mine) or can_work_on_entry(user, other),
            }
        )
    else:
        item.update({"heads": heads(), "may_decide": False, "reasons": [], "warnings": []})
    return item


def _matches_for(user: Any, entries: list[Entry]) -> list[dict[str, Any]]:
    from django.db.models import Q

    by_id = {e.pk: e for e in entries}
    if not by_id:
        return []
    qs = (
        Match.objects.filter(Q(left_id__in=by_id) | Q(right_id__in=by_id))
        .select_related("left", "right", "decided_by")
        .order_by("-score", "id")
    )
    items = []
    for match in qs:
        mine = by_id.get(match.left_id) or by_id[match.right_id]
        items.append(present(user, match, mine))
    return items


def matches_for_case(user: Any, case: Any) -> list[dict[str, Any]]:
    return _matches_for(user, list(Entry.objects.filter(case_id=case.pk, source=Source.CASE)))


def matches_for_informal(user: Any, contact: Any) -> list[dict[str, Any]]:
    return _matches_for(user, list(Entry.objects.filter(contact_id=contact.pk, source=Source.INFORMAL)))


def case_panel(request: HttpRequest, case: Any, base: dict[str, Any]) -> dict[str, Any] | None:
    user = request.user
    if not getattr(user, "is_authenticated", False):
        return None
    entries = list(Entry.objects.filter(case_id=case.pk, source=Source.CASE))
    return {
        "matches": _matches_for(user, entries),
        "warnings": [(e.display_name, warnings_of(e)) for e in entries if warnings_of(e)],
        "run_url": reverse("matching:case-run", args=[case.pk]),
        "may_run": bool(base.get("may_work")) or getattr(user, "role", "") == Role.HEAD,
        "next": reverse("cases:detail", args=[case.pk]) + "#matches",
    }
