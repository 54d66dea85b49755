"""Decisions on possible matches: confirm (and connect the matters) or reject. Atomic, audited, checked."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import User
from entraide.audit import log as audit
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.matching.models import Entry, Match, MatchStatus, Source
from entraide.matching.queries import can_see_entry, can_work_on_entry


def _check(match: Match, actor: User) -> tuple[Entry, Entry]:
    """The side the actor works on first. Deciding needs sight of both sides and work on one."""
    left, right = match.left, match.right
    if not (can_see_entry(actor, left) or can_see_entry(actor, right)):
        raise ActionError(_("No such match."), status=404, code="not_found")
    if not (can_see_entry(actor, left) and can_see_entry(actor, right)):
        raise Forbidden(
            _("The other side is in a matter you may not see: ask the head of the Central Authority to decide.")
        )
    if can_work_on_entry(actor, left):
        return left, right
    if can_work_on_entry(actor, right):
        return right, left
    raise Forbidden(_("You may not work on either side of this match."))


def _connect(mine: Entry, other: Entry, *, actor: User) -> str:
    """Link the two matters (or the informal contact to the matter). Returns what was done."""
    from entraide.cases import actions as case_actions
    from entraide.cases.models import Case
    from entraide.informal.models import InformalContact

    if mine.source == Source.CASE and other.source == Source.CASE:
        if mine.case_id == other.case_id:
            return "same_matter"
        source = Case.objects.get(pk=mine.case_id or 0)
        target = Case.objects.get(pk=other.case_id or 0)
        try:
            case_actions.link_cases(source, target, actor=actor, kind="related")
        except Conflict:
            return "already_linked"
        return "cases_linked"
    if mine.source == Source.INFORMAL and other.source == Source.INFORMAL:
        return "informal_only"
    contact_id = mine.contact_id if mine.source == Source.INFORMAL else other.contact_id
    case_id = mine.case_id if mine.source == Source.CASE else other.case_id
    contact = InformalContact.objects.get(pk=contact_id or 0)
    if contact.cases.filter(pk=case_id or 0).exists():
        return "already_linked"
    contact.cases.add(case_id)  # type: ignore[arg-type]
    return "contact_linked"


@transaction.atomic
def confirm(match: Match, *, actor: User, note: str = "") -> Match:
    match = Match.objects.select_for_update(of=("self",)).select_related("left", "right").get(pk=match.pk)
    mine, other = _check(match, actor)
    if match.status == MatchStatus.CONFIRMED:
        raise Conflict(_("This match is already confirmed."))
    before = match.status
    link = _connect(mine, other, actor=actor)
    match.status = MatchStatus.CONFIRMED
    match.decided_by = actor
    match.decided_at = timezone.now()
    match.note = note[:500]
    match.save(update_fields=["status", "decided_by", "decided_at", "note"])
    audit.record(
        "match.confirm",
        actor=actor,
        obj=match,
        case_id=mine.case_id,
        before={"status": before},
        after={"status": match.status, "score": match.score, "link": link, "note": match.note},
    )
    return match


@transaction.atomic
def reject(match: Match, *, actor: User, note: str = "") -> Match:
    match = Match.objects.select_for_update(of=("self",)).select_related("left", "right").get(pk=match.pk)
    mine, _other = _check(match, actor)
    if match.status == MatchStatus.REJECTED:
        raise Conflict(_("This match is already rejected."))
    before = match.status
    match.status = MatchStatus.REJECTED
    match.decided_by = actor
    match.decided_at = timezone.now()
    match.note = note[:500]
    match.save(update_fields=["status", "decided_by", "decided_at", "note"])
    audit.record(
        "match.reject",
        actor=actor,
        obj=match,
        case_id=mine.case_id,
        before={"status": before},
        after={"status": match.status, "score": match.score, "note": match.note},
    )
    return match


@transaction.atomic
def run_for_case(case: Any, *, actor: User) -> list[Match]:
    """Deconflict every subject of a matter now (on demand)."""
    from entraide.accounts.models import Role
    from entraide.cases.queries import can_work_on, visible_cases
    from entraide.matching.deconflict import deconflict_case

    if not visible_cases(actor).filter(pk=case.pk).exists():
        raise ActionError(_("No such matter."), status=404, code="not_found")
    if not (can_work_on(actor, case) or actor.role == Role.HEAD):
        raise Forbidden(_("You may not work on this matter."))
    found = deconflict_case(case)
    audit.record("match.run", actor=actor, obj=case, case_id=case.pk, after={"matches": len(found)})
    return found


@transaction.atomic
def run_for_contact(contact: Any, *, actor: User) -> list[Match]:
    from entraide.informal.queries import can_work_on, visible_contacts
    from entraide.matching.deconflict import deconflict_contact

    if not visible_contacts(actor).filter(pk=contact.pk).exists():
        raise ActionError(_("No such informal contact."), status=404, code="not_found")
    if not can_work_on(actor, contact):
        raise Forbidden(_("You may not change this informal contact."))
    found = deconflict_contact(contact)
    audit.record("match.run", actor=actor, obj=contact, after={"matches": len(found)})
    return found
