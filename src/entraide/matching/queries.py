"""Who may see what of a match: each side is shown only to those who may see its matter or informal contact."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from entraide.cases.queries import can_work_on as can_work_on_case
from entraide.cases.queries import visible_cases
from entraide.informal.queries import can_work_on as can_work_on_contact
from entraide.informal.queries import visible_contacts
from entraide.matching.models import Entry, Match, Source


def can_see_entry(user: Any, entry: Entry) -> bool:
    if entry.source == Source.CASE:
        return visible_cases(user).filter(pk=entry.case_id or 0).exists()
    return visible_contacts(user).filter(pk=entry.contact_id or 0).exists()


def can_work_on_entry(user: Any, entry: Entry) -> bool:
    if entry.source == Source.CASE:
        from entraide.cases.models import Case

        case = Case.objects.filter(pk=entry.case_id or 0).first()
        return case is not None and can_work_on_case(user, case)
    from entraide.informal.models import InformalContact

    contact = InformalContact.objects.filter(pk=entry.contact_id or 0).first()
    return contact is not None and can_work_on_contact(user, contact)


def visible_entries_filter(user: Any, prefix: str = "") -> Q:
    cases = visible_cases(user).values("pk")
    contacts = visible_contacts(user).values("pk")
    return Q(**{f"{prefix}source": Source.CASE, f"{prefix}case_id__in": cases}) | Q(
        **{f"{prefix}source": Source.INFORMAL, f"{prefix}contact_id__in": contacts}
    )


def visible_matches(user: Any) -> QuerySet[Match]:
    """Matches of which the user may see at least one side."""
    return Match.objects.filter(visible_entries_filter(user, "left__") | visible_entries_filter(user, "right__"))
