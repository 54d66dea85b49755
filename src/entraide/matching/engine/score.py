"""Scoring two records, with the reasons.

The score is in [0, 1]. Names give the base: each part of the shorter name is aligned with its best partner in
the other (same letters, same skeleton after transliteration, or a typo away); a part of the shorter name with no
partner counts heavily against, a part of the longer name left over (a dropped middle name) only a little.
Identifiers then move it: the same passport, national ID, IBAN, e-mail, wallet, phone or registration number
lifts it close to 1; two different passports or national IDs pull it down. Birth dates: the same day lifts it, a
year more than one apart divides it. Everything that moved the score is listed in ``explanation``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import JaroWinkler, Levenshtein
from rapidfuzz.fuzz import ratio

from entraide.matching.engine.normalize import (
    ORGANISATION,
    STRONG_IDENTIFIERS,
    UNIQUE_IDENTIFIERS,
    Name,
    NamePart,
    Record,
)

PART_MATCH = 0.84  # a part below this has no partner


@dataclass
class Result:
    score: float
    explanation: list[dict[str, Any]] = field(default_factory=list)


_PARTS: dict[tuple[str, str], tuple[float, str]] = {}


def part_similarity(a: NamePart, b: NamePart) -> tuple[float, str]:
    """How alike two name parts are, and why; cached (the same parts meet again and again in a register)."""
    key = (a.key, b.key)
    found = _PARTS.get(key)
    if found is None:
        if len(_PARTS) > 500_000:
            _PARTS.clear()
        found = _PARTS[key] = _part_similarity(a, b)
    return found


def _part_similarity(a: NamePart, b: NamePart) -> tuple[float, str]:
    if a.text == b.text:
        return 1.0, "same"
    skeletons_a = {a.skeleton, *a.alts}
    skeletons_b = {b.skeleton, *b.alts}
    if a.soft and a.soft == b.soft:
        return 0.95, "transliteration"
    common = skeletons_a & skeletons_b
    if any(len(k) >= 3 for k in common):
        return 0.93, "transliteration"
    if common and a.text[:-1] != b.text[:-1]:
        # Two consonants alike (Salah, Salih), unless only the last letter differs (Maria, Mario).
        return 0.86, "transliteration"
    shorter, longer = sorted((a.soft or a.text, b.soft or b.text), key=len)
    distance = Levenshtein.distance(shorter, longer)
    if (len(shorter) >= 6 and distance <= 1) or (len(shorter) >= 9 and distance <= 2):
        return 0.9, "typo"
    # Abbreviations: "Gen." for General, "Pharma" for Pharmaceuticals, "Ma." for Maria, "J." for Jean.
    short_text, long_text = sorted((a.text, b.text), key=len)
    if long_text.startswith(short_text) and len(long_text) > len(short_text):
        return (0.88 if len(short_text) >= 4 else 0.85), "abbreviation"
    spelled = max(ratio(a.text, b.text), 100 * JaroWinkler.similarity(a.text, b.text) - 10) / 100
    sounded = ratio(a.skeleton, b.skeleton) / 100 if min(len(a.skeleton), len(b.skeleton)) >= 4 else 0.0
    best = max(spelled, sounded * 0.9)
    return best, "typo" if best >= PART_MATCH else "different"


def name_similarity(a: Name, b: Name, organisation: bool = False) -> tuple[float, list[dict[str, Any]]]:
    left = list(a.strong) or list(a.parts)
    right = list(b.strong) or list(b.parts)
    if not left or not right:
        return 0.0, []
    short, long_, swapped = (left, right, False) if len(left) <= len(right) else (right, left, True)
    pairs: list[tuple[float, int, int, str]] = []
    for i, p in enumerate(short):
        for j, q in enumerate(long_):
            sim, how = part_similarity(p, q)
            pairs.append((sim, i, j, how))
    pairs.sort(reverse=True)
    used_s: set[int] = set()
    used_l: set[int] = set()
    aligned: list[tuple[float, int, int, str]] = []
    for sim, i, j, how in pairs:
        if i in used_s or j in used_l:
            continue
        used_s.add(i)
        used_l.add(j)
        aligned.append((sim, i, j, how))
    details: list[dict[str, Any]] = []
    total = 0.0
    weight = 0.0
    penalty = 1.0
    for sim, i, j, how in sorted(aligned, key=lambda x: x[1]):
        w = max(1.0, len(short[i].text) / 4)
        p_left, p_right = (long_[j], short[i]) if swapped else (short[i], long_[j])
        if sim >= PART_MATCH:
            total += sim * w
            weight += w
            details.append({"what": "name_part", "left": p_left.text, "right": p_right.text, "how": how})
        else:
            weight += w
            penalty *= 0.45
            details.append({"what": "name_part", "left": p_left.text, "right": p_right.text, "how": "different"})
    extra = len(long_) - len(short)
    # A dropped middle name is common for people; an extra word in a company's name makes another company.
    score = (total / weight if weight else 0.0) * penalty * ((0.75 if organisation else 0.93) ** extra)
    if extra:
        details.append({"what": "name_parts_unmatched", "count": extra})
    if len(short) == 1 and not organisation:
        score *= 0.75  # one name part alone says little of a person
    # Names written as one word in one spelling and several in another (Abdelkader, Abd al-Qadir).
    joined = 0.0
    # Only when the two spellings cut the name differently: otherwise the parts already said it all.
    for joined_a in {a.joined_skeleton, a.joined_all}:
        for joined_b in {b.joined_skeleton, b.joined_all}:
            if len(joined_a) >= 5 and len(joined_b) >= 5 and len(a.parts) != len(b.parts):
                joined = max(joined, ratio(joined_a, joined_b) / 100)
    if joined and joined >= 0.92 and joined * 0.9 > score:
        score = joined * 0.9
        details.append({"what": "name_joined", "left": a.original, "right": b.original})
    return score, details


NameMemo = dict[tuple[str, str, bool], tuple[float, list[dict[str, Any]]]]


def compare(a: Record, b: Record, memo: NameMemo | None = None) -> Result:
    """Score two records with the reasons. ``memo``: a dict kept by the caller across the comparisons of one
    run, so that the same two names (namesakes among the candidates) are compared once."""
    explanation: list[dict[str, Any]] = []
    best = 0.0
    best_details: list[dict[str, Any]] = []
    organisation = a.kind == ORGANISATION and b.kind == ORGANISATION
    for na in a.names:
        for nb in b.names:
            if memo is None:
                s, details = name_similarity(na, nb, organisation)
            else:
                key = (na.key, nb.key, organisation)
                found = memo.get(key)
                if found is None:
                    found = memo[key] = name_similarity(na, nb, organisation)
                s, details = found
            if s > best:
                best = s
                best_details = [{**d, "names": [na.original, nb.original]} for d in details]
    score = best
    explanation.extend(best_details)
    explanation.insert(0, {"what": "names", "score": round(best, 3)})

    agreed_strong = False
    agreed_weak = False
    conflicts = 0
    by_type_a: dict[str, list[Any]] = {}
    for ident in a.identifiers:
        by_type_a.setdefault(ident.type, []).append(ident)
    for other in b.identifiers:
        for mine in by_type_a.get(other.type, []):
            if mine.normalized and mine.normalized == other.normalized:
                explanation.append({"what": "identifier_agrees", "type": other.type, "value": other.normalized})
                if other.type in STRONG_IDENTIFIERS:
                    agreed_strong = True
                else:
                    agreed_weak = True
            elif other.type == "phone" and mine.tail and mine.tail == other.tail:
                explanation.append({"what": "identifier_close", "type": "phone", "value": other.tail})
                agreed_weak = True
    for kind in UNIQUE_IDENTIFIERS:
        mine_values = {i.normalized for i in by_type_a.get(kind, []) if i.normalized}
        theirs = {i.normalized for i in b.identifiers if i.type == kind and i.normalized}
        if mine_values and theirs and not mine_values & theirs:
            conflicts += 1
            explanation.append(
                {"what": "identifier_conflicts", "type": kind, "left": sorted(mine_values), "right": sorted(theirs)}
            )
    if agreed_strong:
        score = max(0.9, 1 - (1 - score) * 0.25)
    elif agreed_weak:
        score = 1 - (1 - score) * 0.6
    if conflicts and not agreed_strong:
        score *= 0.7**conflicts

    if a.birth_year and b.birth_year:
        if a.birth_date and b.birth_date and a.birth_date == b.birth_date:
            score += (1 - score) * 0.5
            explanation.append({"what": "birth_date_agrees", "value": a.birth_date.isoformat()})
        elif a.birth_year == b.birth_year:
            if a.birth_date and b.birth_date:
                score *= 0.85
                explanation.append(
                    {"what": "birth_date_differs", "left": a.birth_date.isoformat(), "right": b.birth_date.isoformat()}
                )
            else:
                score += (1 - score) * 0.2
                explanation.append({"what": "birth_year_agrees", "value": a.birth_year})
        else:
            gap = abs(a.birth_year - b.birth_year)
            score *= 0.85 if gap == 1 else 0.45
            explanation.append({"what": "birth_year_differs", "left": a.birth_year, "right": b.birth_year})
    if a.nationality and b.nationality and a.nationality != b.nationality:
        score *= 0.92
        explanation.append({"what": "nationality_differs", "left": a.nationality, "right": b.nationality})
    if a.kind != b.kind:
        score *= 0.5
        explanation.append({"what": "kind_differs"})
    return Result(round(min(max(score, 0.0), 1.0), 4), explanation)


def is_organisation(record: Record) -> bool:
    return record.kind == ORGANISATION
