"""Deconfliction: candidates for an entry from the index, scored, kept as ``Match`` rows, the officers told.

Candidates are the entries sharing search keys with the new one (an identifier counts four times a name part, a
name part with the same year of birth three times);
keys shared by more than ``COMMON_KEY_CAP`` entries are too common to say anything alone and are read only up
to that cap. The best ``CANDIDATES`` are scored with the engine; those at or above the threshold are kept.
"""

from __future__ import annotations

import heapq
import json
import os
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from entraide.matching.engine.score import NameMemo, compare
from entraide.matching.index import keys_of, record_of
from entraide.matching.models import Entry, Key, Match, MatchStatus, Source

# How many postings of one key are read. A name part alone (``n:``) shared by more than ``NAME_PART_CAP`` entries,
# or a pair of name parts or a whole name (``p:``, ``j:``) shared by more than ``COMMON_KEY_CAP``, says nothing by
# itself and is not read at all: its first postings would be arbitrary namesakes (those of the right age are found
# through the name parts with the year of birth). The other keys (a name part with the year, identifiers) are read
# up to ``COMMON_KEY_CAP``.
COMMON_KEY_CAP = 1000
NAME_PART_CAP = 300
RARE_ONLY = {"n:": NAME_PART_CAP, "p:": COMMON_KEY_CAP, "j:": COMMON_KEY_CAP}
CANDIDATES = 100
WEIGHTS = {"i:": 4, "t:": 4, "b:": 3, "a:": 2, "p:": 2, "j:": 2, "n:": 1}


def threshold() -> float:
    """The score from which a candidate is a possible match: ``settings.ENTRAIDE_MATCH_THRESHOLD``, else the
    environment variable of the same name, else 0.80 (calibrate it with ``entraide matching evaluate``)."""
    value = getattr(settings, "ENTRAIDE_MATCH_THRESHOLD", None) or os.environ.get("ENTRAIDE_MATCH_THRESHOLD")
    try:
        return min(max(float(value), 0.0), 1.0) if value else 0.8
    except ValueError:
        return 0.8


def _lookup(key: str, columns: str) -> str:
    """The SQL reading one key's postings (one ``%s`` for the key, two for a key read only when rare)."""
    table = Key._meta.db_table
    cap = RARE_ONLY.get(key[:2])
    # Only constants and the model's table name are formatted in; the key is a parameter.
    if cap is None:
        return f"SELECT {columns} FROM {table} WHERE key = %s LIMIT {COMMON_KEY_CAP}"  # noqa: S608
    return (
        f"SELECT {columns} FROM {table} WHERE key = %s AND "  # noqa: S608
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE key = %s LIMIT {cap + 1}) AS c) <= {cap}"
    )


def postings(keys: Iterable[str]) -> dict[str, list[int]]:
    """Each key's entries (capped), in one round trip: one UNION ALL of indexed lookups (SQLite and PostgreSQL
    both read each branch, and the count of a name part's postings, from the (key, entry) index)."""
    ordered = sorted(set(keys))
    found: dict[str, list[int]] = {k: [] for k in ordered}
    if not ordered:
        return found
    # Only constants and the model's table name are formatted in; every key is a parameter.
    branches: list[str] = []
    params: list[str] = []
    for n, key in enumerate(ordered):
        branches.append(f"SELECT * FROM ({_lookup(key, 'key, entry_id')}) AS k{n}")  # noqa: S608
        params += [key, key] if key[:2] in RARE_ONLY else [key]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), params)
        for key, entry_id in cursor.fetchall():
            found[key].append(entry_id)
    return found


def _load(ids: set[int]) -> dict[int, dict[str, Any]]:
    """The candidates' data as plain rows (no model instances: a matter of 10 subjects reads up to 1,000)."""
    if not ids:
        return {}
    table = Entry._meta.db_table
    ordered = sorted(ids)
    placeholders = ", ".join(["%s"] * len(ordered))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, data FROM {table} WHERE id IN ({placeholders})", ordered)  # noqa: S608
        return {pk: json.loads(data) if isinstance(data, str | bytes) else data for pk, data in cursor.fetchall()}


def rank(
    keys: Iterable[str],
    found: dict[str, list[int]],
    excluded: set[int],
    limit: int = CANDIDATES,
    groups: dict[str, str] | None = None,
) -> list[int]:
    """The entries with the most evidence, best first. Within a group of keys (``index.keys_of``: one name part,
    the whole name, an identifier) an entry counts the weight of its best key only; the groups add up."""
    best: dict[tuple[str, int], int] = {}
    for key in keys:
        weight = WEIGHTS.get(key[:2], 1)
        group = groups.get(key, key) if groups else key
        for entry_id in found.get(key, ()):
            if best.get((group, entry_id), 0) < weight:
                best[(group, entry_id)] = weight
    votes: Counter[int] = Counter()
    for (_group, entry_id), weight in best.items():
        votes[entry_id] += weight
    for entry_id in excluded:
        votes.pop(entry_id, None)
    # Ties by id, as ``ranked_in_sql`` breaks them: the same candidates whatever the order the keys were read in.
    return [entry_id for entry_id, _votes in heapq.nsmallest(limit, votes.items(), key=lambda kv: (-kv[1], kv[0]))]


MAX_BRANCHES = 400  # SQLite refuses a compound SELECT of more than 500 parts


def ranked_in_sql(
    probes: list[tuple[set[str], dict[str, str]]], excluded: set[int], limit: int = CANDIDATES
) -> list[list[int]] | None:
    """``rank`` for several probes (keys and groups) done by the database in one query: each key's postings
    (capped as in ``postings``), the best weight per group, the sum per entry, the ``limit`` best per probe (ties
    by id). Only a few hundred rows come back instead of tens of thousands of postings. None when there are too
    many lookups for one query (the caller then ranks in Python)."""
    lookups: list[tuple[str, int, int]] = []  # (key, probe, group), groups numbered per probe
    for n, (keys, groups) in enumerate(probes):
        group_ids: dict[str, int] = {}
        for key in sorted(keys):
            lookups.append((key, n, group_ids.setdefault(groups.get(key, key), len(group_ids))))
    if not lookups:
        return [[] for _ in probes]
    if len(lookups) > MAX_BRANCHES:
        return None
    branches: list[str] = []
    params: list[Any] = []
    for n, (key, probe, group) in enumerate(lookups):
        # Only integers and the model's table name are formatted in; every key is a parameter.
        head = f"SELECT {probe} AS s, {group} AS g, {WEIGHTS.get(key[:2], 1)} AS w, entry_id FROM "  # noqa: S608
        branches.append(f"{head}({_lookup(key, 'entry_id')}) AS t{n}")
        params += [key, key] if key[:2] in RARE_ONLY else [key]
    not_in = ""
    if excluded:
        not_in = f"WHERE entry_id NOT IN ({', '.join(['%s'] * len(excluded))})"
        params += sorted(excluded)
    sql = (
        f"WITH p AS ({' UNION ALL '.join(branches)}), "  # noqa: S608
        "best AS (SELECT s, g, entry_id, MAX(w) AS w FROM p GROUP BY s, g, entry_id), "
        f"votes AS (SELECT s, entry_id, SUM(w) AS v FROM best {not_in} GROUP BY s, entry_id), "
        "ranked AS (SELECT s, entry_id, ROW_NUMBER() OVER (PARTITION BY s ORDER BY v DESC, entry_id) AS r "
        "FROM votes) "
        f"SELECT s, entry_id FROM ranked WHERE r <= {int(limit)} ORDER BY s, r"
    )
    out: list[list[int]] = [[] for _ in probes]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for s, entry_id in cursor.fetchall():
            out[s].append(entry_id)
    return out


def rank_many(
    probes: list[tuple[set[str], dict[str, str]]], excluded: set[int], limit: int = CANDIDATES
) -> list[list[int]]:
    """The best candidates of each probe: in the database in one query, else in Python."""
    # PostgreSQL aggregates the postings faster than they travel to Python; SQLite's sorter does not (measured).
    found = ranked_in_sql(probes, excluded, limit) if connection.vendor == "postgresql" else None
    if found is not None:
        return found
    postings_of = postings(set().union(*(keys for keys, _g in probes)))
    return [rank(keys, postings_of, excluded, limit, groups) for keys, groups in probes]


def _own_entries(entries: Iterable[Entry]) -> dict[tuple[int | None, int | None], set[int]]:
    """The entries of each matter or contact of ``entries``: a subject is not matched with its own matter's."""
    wanted = {(e.case_id, e.contact_id) for e in entries}
    case_ids = {c for c, _k in wanted if c}
    contact_ids = {k for c, k in wanted if k and not c}
    own: dict[tuple[int | None, int | None], set[int]] = {w: set() for w in wanted}
    if case_ids or contact_ids:
        rows = Entry.objects.filter(Q(case_id__in=case_ids) | Q(contact_id__in=contact_ids, case_id__isnull=True))
        for pk, case_id, contact_id in rows.values_list("pk", "case_id", "contact_id"):
            own.setdefault((case_id, None) if case_id else (None, contact_id), set()).add(pk)
    return {w: own.get((w[0], None) if w[0] else (None, w[1]), set()) for w in wanted}


def candidates(entry: Entry, keys: set[str] | None = None, limit: int = CANDIDATES) -> list[int]:
    """The entries most likely to be the same subject as ``entry`` (never itself or its own matter's)."""
    groups: dict[str, str] = {}
    computed = keys_of(record_of(entry.data), groups)
    keys = keys if keys is not None else computed
    excluded = {entry.pk} | (_own_entries([entry])[(entry.case_id, entry.contact_id)] if entry.pk else set())
    return rank_many([(keys, groups)], excluded, limit)[0]


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


def deconflict_entry(entry: Entry, *, notify: bool = True) -> list[Match]:
    """Score the entry against its candidates; keep (or update) the matches at or above the threshold."""
    return deconflict_entries([entry], notify=notify)


@transaction.atomic
def deconflict_entries(entries: list[Entry], *, notify: bool = True) -> list[Match]:
    """Deconflict several entries (a matter's subjects) together: one round trip for every key's postings, one to
    load the candidates, one for the matches already known; each candidate is normalised once."""
    if not entries:
        return []
    floor = threshold()
    records = {e.pk: record_of(e.data) for e in entries}
    groups: dict[int, dict[str, str]] = {e.pk: {} for e in entries}
    keys = {e.pk: keys_of(records[e.pk], groups[e.pk]) for e in entries}
    own = _own_entries(entries)
    # The entries deconflicted together are one matter's (or contact's): none is a candidate for another.
    excluded = {e.pk for e in entries}.union(*own.values())
    ranked = dict(
        zip([e.pk for e in entries], rank_many([(keys[e.pk], groups[e.pk]) for e in entries], excluded), strict=True)
    )
    wanted = set().union(*ranked.values())
    others = _load(wanted)
    mine_ids = [e.pk for e in entries]
    known: dict[tuple[int, int], Match] = {
        (m.left_id, m.right_id): m for m in Match.objects.filter(Q(left_id__in=mine_ids) | Q(right_id__in=mine_ids))
    }
    other_records: dict[int, Any] = {}
    memo: NameMemo = {}
    matches: list[Match] = []
    for entry in entries:
        rec = records[entry.pk]
        for other_id in ranked[entry.pk]:
            data = others.get(other_id)
            if data is None:
                continue
            if other_id not in other_records:
                other_records[other_id] = records.get(other_id) or record_of(data)
            result = compare(rec, other_records[other_id], memo)
            pair = (entry.pk, other_id) if entry.pk < other_id else (other_id, entry.pk)
            existing = known.get(pair)
            if result.score < floor:
                if existing is not None and existing.status == MatchStatus.OPEN:
                    existing.delete()  # the subject changed: no longer a candidate
                    known.pop(pair)
                continue
            if existing is None:
                match = Match.objects.create(
                    left_id=pair[0], right_id=pair[1], score=result.score, explanation=result.explanation
                )
                known[pair] = match
                if notify:
                    _notify(match)
            else:
                if existing.score != result.score or existing.explanation != result.explanation:
                    existing.score = result.score
                    existing.explanation = result.explanation
                    existing.updated_at = timezone.now()
                    existing.save(update_fields=["score", "explanation", "updated_at"])
                match = existing
            matches.append(match)
    return matches


def deconflict_case(case: Any) -> list[Match]:
    from entraide.cases.models import Subject
    from entraide.matching.index import index_subject

    entries = [index_subject(s) for s in Subject.objects.filter(case=case).prefetch_related("identifiers")]
    return deconflict_entries(entries)


def deconflict_contact(contact: Any) -> list[Match]:
    from entraide.matching.index import index_informal_subject

    return deconflict_entries([index_informal_subject(s) for s in contact.subjects.all()])
