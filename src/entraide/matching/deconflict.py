"""Deconfliction: candidates for an entry from the index, scored, kept as ``Match`` rows, the officers told.

Candidates are the entries sharing search keys with the new one (an identifier counts four times a name part, a
name part with the same year of birth three times);
keys shared by more than ``COMMON_KEY_CAP`` entries are too common to say anything alone and are read only up
to that cap. The best ``CANDIDATES`` are scored with the engine; those at or above the threshold are kept.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from entraide.matching.engine.score import compare
from entraide.matching.index import keys_of, record_of
from entraide.matching.models import Entry, Key, Match, MatchStatus, Source

COMMON_KEY_CAP = 1000
CANDIDATES = 100
WEIGHTS = {"i:": 4, "t:": 4, "b:": 3, "j:": 2, "n:": 1}


def threshold() -> float:
    """The score from which a candidate is a possible match: ``settings.ENTRAIDE_MATCH_THRESHOLD``, else the
    environment variable of the same name, else 0.80 (calibrate it with ``entraide matching evaluate``)."""
    value = getattr(settings, "ENTRAIDE_MATCH_THRESHOLD", None) or os.environ.get("ENTRAIDE_MATCH_THRESHOLD")
    try:
        return min(max(float(value), 0.0), 1.0) if value else 0.8
    except ValueError:
        return 0.8


def candidates(entry: Entry, keys: set[str] | None = None, limit: int = CANDIDATES) -> list[int]:
    keys = keys if keys is not None else keys_of(record_of(entry.data))
    votes: Counter[int] = Counter()
    excluded = {entry.pk}
    if entry.case_id or entry.contact_id:
        own = Q(case_id=entry.case_id) if entry.case_id else Q(contact_id=entry.contact_id)
        excluded |= set(Entry.objects.filter(own).values_list("pk", flat=True))
    ordered = sorted(keys)
    if not ordered:
        return []
    # One round trip: each key's postings, capped, in one UNION ALL (both SQLite and PostgreSQL use the
    # (key, entry) index for each branch).
    table = Key._meta.db_table
    # Only constants and the model's table name are formatted in; every key is a parameter.
    branch = f"SELECT * FROM (SELECT key, entry_id FROM {table} WHERE key = %s LIMIT {COMMON_KEY_CAP}) AS k{{n}}"  # noqa: S608
    sql = " UNION ALL ".join(branch.format(n=n) for n in range(len(ordered)))
    with connection.cursor() as cursor:
        cursor.execute(sql, ordered)
        for key, entry_id in cursor.fetchall():
            if entry_id not in excluded:
                votes[entry_id] += WEIGHTS.get(key[:2], 1)
    return [entry_id for entry_id, _votes in votes.most_common(limit)]


def _people_of(entry: Entry) -> list[Any]:
    """The officers concerned by an entry's matter or informal contact."""
    from entraide.accounts.models import User

    if entry.source == Source.CASE and entry.case_id:
        from entraide.cases.models import Case, CaseMember

        case = Case.objects.get(pk=entry.case_id)
        now = timezone.now()
        members = CaseMember.objects.filter(case=case).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        ids = {i for i in (case.officer_id, *members.values_list("user_id", flat=True)) if i is not None}
        return list(User.objects.filter(pk__in=ids, is_active=True))
    if entry.contact_id:
        from entraide.informal.models import InformalContact

        contact = InformalContact.objects.get(pk=entry.contact_id)
        ids = {i for i in (contact.officer_id, contact.created_by_id) if i is not None}
        return list(User.objects.filter(pk__in=ids, is_active=True))
    return []


def _where(entry: Entry) -> tuple[str, str]:
    """The reference of the entry's matter or contact and the page to open, for its own officers."""
    if entry.source == Source.CASE and entry.case_id:
        from entraide.cases.models import Case

        reference = Case.objects.values_list("reference", flat=True).get(pk=entry.case_id)
        return reference, reverse("cases:detail", args=[entry.case_id]) + "#matches"
    return f"INF-{entry.contact_id}", reverse("informal:detail", args=[entry.contact_id]) + "#matches"


def _notify(match: Match) -> None:
    """Each side's officers hear of the match on their own matter only: never the other side's details."""
    from entraide.cases.models import Case
    from entraide.notifications.actions import notify

    for entry in (match.left, match.right):
        reference, url = _where(entry)
        notify(
            _people_of(entry),
            kind="matching.possible_match",
            message=gettext_noop("Possible match for {name} ({reference}) in another matter or informal contact"),
            params={"name": entry.display_name, "reference": reference},
            case=Case.objects.filter(pk=entry.case_id).first() if entry.case_id else None,
            url=url,
            level="warning",
            email=True,
        )


@transaction.atomic
def deconflict_entry(entry: Entry, *, notify: bool = True) -> list[Match]:
    """Score the entry against its candidates; keep (or update) the matches at or above the threshold."""
    rec = record_of(entry.data)
    floor = threshold()
    found: list[Match] = []
    ids = candidates(entry, keys_of(rec))
    others = Entry.objects.only("id", "data", "source", "case_id", "contact_id", "display_name").in_bulk(ids)
    known = {
        (m.right_id if m.left_id == entry.pk else m.left_id): m
        for m in Match.objects.filter(Q(left=entry) | Q(right=entry))
    }
    for other_id in ids:
        other = others.get(other_id)
        if other is None:
            continue
        result = compare(rec, record_of(other.data))
        left, right = (entry, other) if entry.pk < other.pk else (other, entry)
        existing = known.get(other.pk)
        if result.score < floor:
            if existing is not None and existing.status == MatchStatus.OPEN:
                existing.delete()  # the subject changed: no longer a candidate
            continue
        if existing is None:
            match = Match.objects.create(left=left, right=right, score=result.score, explanation=result.explanation)
            if notify:
                _notify(match)
        else:
            existing.score = result.score
            existing.explanation = result.explanation
            existing.updated_at = timezone.now()
            existing.save(update_fields=["score", "explanation", "updated_at"])
            match = existing
        found.append(match)
    return found


def deconflict_case(case: Any) -> list[Match]:
    from entraide.cases.models import Subject
    from entraide.matching.index import index_subject

    found: list[Match] = []
    for subject in Subject.objects.filter(case=case).prefetch_related("identifiers"):
        entry = index_subject(subject)
        found.extend(deconflict_entry(entry))
    return found


def deconflict_contact(contact: Any) -> list[Match]:
    from entraide.matching.index import index_informal_subject

    found: list[Match] = []
    for subject in contact.subjects.all():
        entry = index_informal_subject(subject)
        found.extend(deconflict_entry(entry))
    return found
