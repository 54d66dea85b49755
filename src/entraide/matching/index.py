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


def keys_of(rec: n.Record) -> set[str]:
    """Search keys: name-part skeletons (and their other forms), each with the year of birth, the whole name's
    skeleton, identifiers."""
    keys: set[str] = set()
    for name in rec.names:
        parts = name.strong or name.parts
        for part in parts:
            for skel in (part.skeleton, *part.alts):
                if len(skel) >= 2:
                    keys.add(f"n:{skel}"[:120])
                    if rec.birth_year:
                        # Name part and year of birth together: rare enough to rank namesakes of the right age first.
                        keys.add(f"b:{skel}:{rec.birth_year}"[:120])
        joined = "".join(p.skeleton for p in name.parts)
        if len(joined) >= 4:
            keys.add(f"j:{joined}"[:120])
    for ident in rec.identifiers:
        if ident.normalized:
            keys.add(f"i:{ident.type}:{ident.normalized}"[:120])
        if ident.tail:
            keys.add(f"t:{ident.tail}")
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
