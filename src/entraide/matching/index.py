"""The index of subjects: one ``Entry`` per subject of a matter or of an informal contact, with its search keys.

``index_subject`` / ``index_informal_subject`` rebuild one entry (the signals in ``signals.py`` call them when a
subject or an identifier is saved or deleted); ``rebuild()`` rebuilds everything (``entraide matching reindex``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from entraide.matching.engine import normalize as n
from entraide.matching.models import Entry, Key, Source


def record_of(data: dict[str, Any]) -> n.Record:
    return n.record(
        kind=data.get("kind", n.PERSON),
        names=list(data.get("names", [])),
        birth_date=data.get("birth_date"),
        nationality=data.get("nationality"),
        identifiers=list(data.get("identifiers", [])),
    )


def _anagram(text: str) -> str:
    """The consonants of a name part, sorted: two letters swapped (Kuznetsov, Kuzntesov) leave it unchanged."""
    return "".join(sorted(c for c in text if c.isalpha() and c not in "aeiouy"))


def _tokens(part: n.NamePart) -> list[str]:
    """A name part's skeleton and its other forms; a part whose skeleton is too short to search on (Ali → l) stands
    for itself, as spelled (softly)."""
    tokens = [s for s in (part.skeleton, *part.alts) if len(s) >= 2]
    if len(part.skeleton) < 2:
        tokens.insert(0, "_" + (part.soft or part.text))
    return tokens


def keys_of(rec: n.Record, groups: dict[str, str] | None = None) -> set[str]:
    """Search keys (see ``deconflict`` for how they are read):

    - ``n:`` each name part's skeleton (and its other forms); ``b:`` the same with the year of birth;
    - ``a:`` a long name part's consonants sorted, with the year of birth (typos that swap letters);
    - ``p:`` each pair of name-part skeletons, in sorted order (word order and dropped middle names do not matter);
    - ``j:`` the whole name's skeleton;
    - ``i:`` identifiers normalised; ``t:`` a phone number's last 8 digits.

    ``groups``, if given, is filled with what each key is evidence of: one name part (its ``n:``, ``b:`` and ``a:``
    keys), the whole name (``p:`` and ``j:``), or an identifier (itself). Candidates are ranked on the best
    evidence of each group, so that one name part seen three ways does not outweigh two name parts.
    """
    keys: set[str] = set()

    def add(key: str, group: str) -> None:
        key = key[:120]
        keys.add(key)
        if groups is not None:
            groups.setdefault(key, group)

    for ni, name in enumerate(rec.names):
        parts = name.strong or name.parts
        for pi, part in enumerate(parts):
            group = f"{ni}.{pi}"
            for skel in _tokens(part):
                add(f"n:{skel}", group)
                if rec.birth_year:
                    # Name part and year of birth together: rare enough to rank namesakes of the right age first.
                    add(f"b:{skel}:{rec.birth_year}", group)
            if rec.birth_year and len(part.skeleton) == 1:
                # علي (l) and Ali (_ali): only the bare skeleton is shared; with the year it is selective enough.
                add(f"b:{part.skeleton}:{rec.birth_year}", group)
            if rec.birth_year and len(part.text) >= 5:
                anagram = _anagram(part.text)
                if len(anagram) >= 3:
                    add(f"a:{anagram}:{rec.birth_year}", group)
        # Pairs of parts; with fewer than two strong parts, the particles count (Le Budi, Nguyen Van).
        paired = parts if len(parts) >= 2 else name.parts
        firsts = [_tokens(p)[0] for p in paired[:6] if _tokens(p)]
        bare = [p.skeleton if p.skeleton else _tokens(p)[0] for p in paired[:6] if _tokens(p)]
        for tokens in (sorted(firsts), sorted(bare)):
            for i, first in enumerate(tokens):
                for second in tokens[i + 1 :]:
                    add(f"p:{first}|{second}", f"{ni}.name")
        joined = "".join(p.skeleton for p in name.parts)
        if len(joined) < 4:  # Ali Alaoui: skeletons too short to say anything
            joined = "_" + "".join(p.soft or p.text for p in name.parts)
        if len(joined) >= 4:
            add(f"j:{joined}", f"{ni}.name")
    for ident in rec.identifiers:
        if ident.normalized:
            key = f"i:{ident.type}:{ident.normalized}"
            add(key, key)
        if ident.tail:
            add(f"t:{ident.tail}", f"t:{ident.tail}")
    return keys


def subject_data(subject: Any) -> dict[str, Any]:
    names = [subject.name, subject.original_script_name]
    if subject.given_names or subject.family_name:
        names.append(f"{subject.given_names} {subject.family_name}")
    return {
        "kind": subject.kind,
        "names": [x for x in names if x and x.strip()],
        "birth_date": subject.birth_date.isoformat() if subject.birth_date else None,
        "nationality": subject.nationality_id,
        "identifiers": [{"type": i.type, "value": i.value, "country": i.country_id} for i in subject.identifiers.all()],
    }


def informal_subject_data(subject: Any) -> dict[str, Any]:
    names = [subject.name, subject.original_script_name]
    return {
        "kind": subject.kind,
        "names": [x for x in names if x and x.strip()],
        "birth_date": subject.birth_date.isoformat() if subject.birth_date else None,
        "nationality": subject.nationality_id,
        "identifiers": [{"type": i.get("type"), "value": i.get("value")} for i in subject.identifiers or []],
    }


def _store(entry: Entry, data: dict[str, Any]) -> Entry:
    rec = record_of(data)
    entry.kind = rec.kind
    entry.display_name = (data["names"][0] if data["names"] else "")[:300]
    entry.data = data
    entry.warnings = rec.warnings
    entry.updated_at = timezone.now()
    entry.save()
    wanted = keys_of(rec)
    existing = dict(Key.objects.filter(entry=entry).values_list("key", "pk"))
    stale = [pk for key, pk in existing.items() if key not in wanted]
    if stale:
        Key.objects.filter(pk__in=stale).delete()
    Key.objects.bulk_create([Key(entry=entry, key=k) for k in sorted(wanted - set(existing))])
    return entry


@transaction.atomic
def index_subject(subject: Any) -> Entry:
    entry = Entry.objects.filter(subject=subject).first() or Entry(
        source=Source.CASE, subject=subject, case_id=subject.case_id
    )
    return _store(entry, subject_data(subject))


@transaction.atomic
def index_informal_subject(subject: Any) -> Entry:
    entry = Entry.objects.filter(informal_subject=subject).first() or Entry(
        source=Source.INFORMAL, informal_subject=subject, contact_id=subject.contact_id
    )
    return _store(entry, informal_subject_data(subject))


def rebuild(batch: int = 500) -> int:
    """Index every subject of every matter and informal contact; returns how many entries were written."""
    from entraide.cases.models import Subject
    from entraide.informal.models import InformalSubject

    count = 0
    subjects: Iterable[Any] = Subject.objects.prefetch_related("identifiers").iterator(chunk_size=batch)
    for subject in subjects:
        index_subject(subject)
        count += 1
    for informal in InformalSubject.objects.iterator(chunk_size=batch):
        index_informal_subject(informal)
        count += 1
    return count


def index_missing(batch: int = 2000) -> int:
    """Index, in bulk, the subjects of matters and informal contacts that have no entry yet (rows written without
    the ORM's signals, e.g. by ``entraide generate``). No deconfliction: that runs on demand or as subjects change.
    Returns how many entries were written."""
    from django.db.models import Prefetch

    from entraide.cases.models import Identifier, Subject
    from entraide.informal.models import InformalSubject

    count = 0
    now = timezone.now()
    pending = (
        Subject.objects.filter(match_entry__isnull=True)
        .order_by("pk")
        .prefetch_related(Prefetch("identifiers", queryset=Identifier.objects.order_by("pk")))
    )
    while True:
        subjects = list(pending[:batch])
        if not subjects:
            break
        count += _bulk_store(
            [(Entry(source=Source.CASE, subject=s, case_id=s.case_id), subject_data(s)) for s in subjects], now
        )
    informal = InformalSubject.objects.filter(match_entry__isnull=True).order_by("pk")
    while True:
        others = list(informal[:batch])
        if not others:
            break
        count += _bulk_store(
            [
                (Entry(source=Source.INFORMAL, informal_subject=s, contact_id=s.contact_id), informal_subject_data(s))
                for s in others
            ],
            now,
        )
    return count


@transaction.atomic
def _bulk_store(rows: list[tuple[Entry, dict[str, Any]]], now: Any) -> int:
    keys: list[set[str]] = []
    for entry, data in rows:
        rec = record_of(data)
        entry.kind = rec.kind
        entry.display_name = (data["names"][0] if data["names"] else "")[:300]
        entry.data = data
        entry.warnings = rec.warnings
        entry.updated_at = now
        keys.append(keys_of(rec))
    entries = Entry.objects.bulk_create([entry for entry, _data in rows], batch_size=500)
    if any(e.pk is None for e in entries):  # a database that does not return ids from a bulk insert
        by_subject = dict(
            Entry.objects.filter(subject_id__in=[e.subject_id for e in entries if e.subject_id]).values_list(
                "subject_id", "pk"
            )
        )
        by_informal = dict(
            Entry.objects.filter(
                informal_subject_id__in=[e.informal_subject_id for e in entries if e.informal_subject_id]
            ).values_list("informal_subject_id", "pk")
        )
        for e in entries:
            e.pk = by_subject.get(e.subject_id) if e.subject_id else by_informal.get(e.informal_subject_id or 0)
    Key.objects.bulk_create([Key(entry_id=e.pk, key=k) for e, ks in zip(entries, keys, strict=True) for k in ks], 2000)
    return len(entries)
