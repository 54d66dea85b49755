"""Search of the index of subjects: a name (any script or spelling) or an identifier, scored against every matter
and informal contact, with the reasons — redacted as deconfliction is.

The query becomes a probe record: its words as a name, and whatever in it reads as an identifier (an e-mail
address, an IBAN, a phone number, a document number) as identifiers of every type it could be. The probe's search
keys find candidates in the index exactly as deconfliction does (``deconflict.postings`` / ``rank``); each is
scored with the engine. A hit in a matter or contact the reader may see is shown in full. Hits the reader may not
see are never shown: if one of them reaches the deconfliction threshold, the reader is told only that a possible
match exists in a matter they may not see, and whom to ask (the heads of the Central Authority) — no count, no
score, no name, no reference. Every search is written to the audit chain (``match.search``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from entraide.accounts.models import Role
from entraide.audit import log as audit
from entraide.matching.deconflict import _load, rank_many, threshold
from entraide.matching.engine import normalize as nz
from entraide.matching.engine.score import NameMemo, compare
from entraide.matching.index import keys_of, record_of
from entraide.matching.models import Entry, Source
from entraide.matching.queries import visible_entries_filter

MAX_QUERY = 200
CANDIDATES = 200  # read from the index
SHOWN = 50  # visible hits shown at most
SEARCH_FLOOR = 0.5  # a visible hit below this is not shown, unless an identifier agrees
SEARCH_ROLES = (Role.HEAD, Role.OFFICER, Role.CLERK, Role.AUDITOR)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z0-9-]{2,}$")
_IBAN_SHAPE = re.compile(r"^[A-Za-z]{2}\d{2}[A-Za-z0-9]{11,30}$")
_PHONE_SHAPE = re.compile(r"^(\+|00)?[\d\s().\-/]{7,}$")
_DOCUMENT = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9\s\-./]{3,}$")


def may_search(user: Any) -> bool:
    """The Central Authority's staff; the national authorities and the administrator have no use for it."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "role", None) in SEARCH_ROLES)


@dataclass
class Probe:
    """What the query was read as."""

    query: str
    name: str = ""
    identifiers: list[dict[str, str]] = field(default_factory=list)
    readings: list[str] = field(default_factory=list)  # how the query was read, for the page
    problem: str = ""  # why nothing could be searched


def read_query(query: str) -> Probe:
    """Split a query into a name and identifiers. The whole query is tried as one identifier first (an IBAN or a
    phone number written with spaces), then word by word; what is left is the name."""
    text = " ".join((query or "").split())[:MAX_QUERY]
    probe = Probe(text)
    if not text:
        probe.problem = "empty"
        return probe
    whole = _identifiers_of(text) if (" " not in text or _mostly_digits(text)) else []
    if whole:
        probe.identifiers = whole
        probe.readings = sorted({i["type"] for i in whole})
        return probe
    words = []
    for word in text.split():
        found = _identifiers_of(word)
        if found:
            probe.identifiers.extend(found)
        else:
            words.append(word)
    probe.name = " ".join(words)
    probe.readings = (["name"] if probe.name else []) + sorted({i["type"] for i in probe.identifiers})
    if not probe.name and not probe.identifiers:
        probe.problem = "empty"
    return probe


def _mostly_digits(text: str) -> bool:
    """A number written in groups (AB 123 456, 06 12 34 56 78, an IBAN), not a name beside a number."""
    alnum = [c for c in text if c.isalnum()]
    return (bool(alnum) and sum(c.isdigit() for c in alnum) * 2 > len(alnum)) or bool(_EMAIL.match(text))


def _identifiers_of(text: str) -> list[dict[str, str]]:
    if _EMAIL.match(text):
        return [{"type": "email", "value": text}]
    compact = re.sub(r"[\s\-]", "", text)
    if _IBAN_SHAPE.match(compact):
        # Kept even if its checksum fails: the index holds IBANs as written too.
        return [{"type": "iban", "value": compact}, {"type": "registration", "value": compact}]
    found: list[dict[str, str]] = []
    if _PHONE_SHAPE.match(text) and sum(c.isdigit() for c in text) >= 7:
        found.append({"type": "phone", "value": text})
    if _DOCUMENT.match(text) and (any(c.isalpha() for c in text) or not found):
        found += [{"type": t, "value": text} for t in ("passport", "national_id", "registration")]
    elif found:
        found += [{"type": t, "value": text} for t in ("national_id", "registration")]
    if text.lower().startswith("0x") or (len(compact) >= 26 and compact.isalnum()):
        found.append({"type": "crypto_wallet", "value": text})
    if re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:]+", text):
        found = [{"type": "ip", "value": text}]
    return found


@dataclass
class Hit:
    entry: Entry
    score: float
    explanation: list[dict[str, Any]]


@dataclass
class Outcome:
    probe: Probe
    hits: list[dict[str, Any]] = field(default_factory=list)
    restricted: bool = False
    heads: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _score(probe: Probe, kinds: list[str]) -> tuple[list[Hit], list[str]]:
    """Candidates for the probe read as each kind (person, organisation), in one pass over the index; each
    candidate is compared with the probe read as its own kind."""
    records = {
        k: nz.record(kind=k, names=[probe.name] if probe.name else [], identifiers=probe.identifiers) for k in kinds
    }
    groups: dict[str, str] = {}
    keys: set[str] = set().union(*(keys_of(r, groups) for r in records.values()))
    warnings = sorted({w for r in records.values() for w in r.warnings})
    if not keys:
        return [], warnings
    ids = rank_many([(keys, groups)], set(), CANDIDATES)[0]
    data = _load(set(ids))
    entries = Entry.objects.only("id", "source", "case_id", "contact_id", "display_name", "kind", "warnings").in_bulk(
        ids
    )
    memo: NameMemo = {}
    hits = []
    for pk in ids:
        if pk not in data or pk not in entries:
            continue
        other = record_of(data[pk])
        rec = records.get(other.kind)
        if rec is None:  # a company when people were asked for, or the reverse
            continue
        result = compare(rec, other, memo)
        hits.append(Hit(entries[pk], result.score, result.explanation))
    return hits, warnings


def search(user: Any, query: str, *, kind: str = "", audit_it: bool = True) -> Outcome:
    """Scored matches of ``query`` among the subjects of every matter and informal contact, redacted for ``user``.
    ``kind``: "person", "organisation" or "" for both."""
    from entraide.matching.panel import describe, heads, warnings_of

    probe = read_query(query)
    outcome = Outcome(probe)
    if not probe.problem:
        kinds = [kind] if kind in (nz.PERSON, nz.ORGANISATION) else [nz.PERSON, nz.ORGANISATION]
        hits, warnings = _score(probe, kinds)
        outcome.warnings = [w for w in warnings if w != "no_name"]
        hits.sort(key=lambda h: (-h.score, h.entry.pk))
        visible_ids = set(
            Entry.objects.filter(pk__in=[h.entry.pk for h in hits])
            .filter(visible_entries_filter(user))
            .values_list("pk", flat=True)
        )
        floor = threshold()
        shown = [h for h in hits if h.entry.pk in visible_ids and (h.score >= SEARCH_FLOOR or _identified(h))][:SHOWN]
        outcome.restricted = any(h.entry.pk not in visible_ids and h.score >= floor for h in hits)
        if outcome.restricted:
            outcome.heads = heads()
        labels = _labels([h.entry for h in shown])
        for h in shown:
            reference, url = labels[h.entry.pk]
            outcome.hits.append(
                {
                    "entry": h.entry.pk,
                    "name": h.entry.display_name,
                    "kind": h.entry.kind,
                    "source": h.entry.source,
                    "case": h.entry.case_id,
                    "informal_contact": h.entry.contact_id,
                    "reference": reference,
                    "url": url,
                    "score": h.score,
                    "above_threshold": h.score >= floor,
                    "reasons": [describe(x) for x in h.explanation],
                    "warnings": warnings_of(h.entry) if h.entry.warnings else [],
                }
            )
    if audit_it:
        audit.record(
            "match.search",
            actor=user,
            object_type="search",
            after={
                "query": probe.query[:500],
                "kind": kind,
                "read_as": probe.readings,
                "shown": len(outcome.hits),
                "restricted_notice": outcome.restricted,
            },
        )
    return outcome


def _identified(hit: Hit) -> bool:
    """An identifier of the query agrees with the subject's (even only a phone's last digits): worth showing."""
    return any(x.get("what") in ("identifier_agrees", "identifier_close") for x in hit.explanation)


def _labels(entries: list[Entry]) -> dict[int, tuple[str, str]]:
    """Reference and page of each entry's matter or contact, in one query."""
    from entraide.cases.models import Case

    case_ids = {e.case_id for e in entries if e.source == Source.CASE and e.case_id}
    references = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "reference")) if case_ids else {}
    out: dict[int, tuple[str, str]] = {}
    for e in entries:
        if e.source == Source.CASE and e.case_id:
            out[e.pk] = (references.get(e.case_id, ""), reverse("cases:detail", args=[e.case_id]) + "#matches")
        else:
            out[e.pk] = (f"INF-{e.contact_id}", reverse("informal:detail", args=[e.contact_id]))
    return out
