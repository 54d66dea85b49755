"""Calibration: score labelled pairs and report precision, recall and F1 per category and overall.

Pairs are JSON objects, one a line: ``{"id", "kind": "person" | "organization", "left": {...}, "right": {...},
"match": true | false, "category": "..."}``; ``left`` and ``right`` hold ``name`` and optionally ``birth_date``
(``YYYY`` or ``YYYY-MM-DD``), ``nationality`` (ISO 3166-1 alpha-2) and ``identifiers`` (``[{"type", "value"}]``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from entraide.matching.engine.normalize import Record, record
from entraide.matching.engine.score import compare

THRESHOLDS = [round(i / 100, 2) for i in range(1, 100)]


@dataclass
class Pair:
    id: str
    kind: str
    left: dict[str, Any]
    right: dict[str, Any]
    match: bool
    category: str


@dataclass
class Loaded:
    pairs: list[Pair] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "line N: what is wrong"


def load(lines: Iterable[str]) -> Loaded:
    """Read pairs; a line that cannot be used is reported with its number, never dropped silently."""
    loaded = Loaded()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            for key in ("left", "right"):
                if not isinstance(data.get(key), dict):
                    raise ValueError(f"'{key}' must be an object")
            if not isinstance(data.get("match"), bool):
                raise ValueError("'match' must be true or false")
            loaded.pairs.append(
                Pair(
                    id=str(data.get("id", number)),
                    kind=str(data.get("kind", "person")),
                    left=data["left"],
                    right=data["right"],
                    match=data["match"],
                    category=str(data.get("category") or "uncategorised"),
                )
            )
        except ValueError as error:
            loaded.problems.append(f"line {number}: {error}")
    return loaded


def to_record(kind: str, side: dict[str, Any]) -> Record:
    names = side.get("names") or [side.get("name") or ""]
    return record(
        kind=kind,
        names=[str(x) for x in names],
        birth_date=side.get("birth_date"),
        nationality=side.get("nationality"),
        identifiers=[i for i in side.get("identifiers") or [] if isinstance(i, dict)],
    )


def engine_score(pair: Pair) -> float:
    return compare(to_record(pair.kind, pair.left), to_record(pair.kind, pair.right)).score


def _prf(scored: list[tuple[float, bool]], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for s, m in scored if s >= threshold and m)
    fp = sum(1 for s, m in scored if s >= threshold and not m)
    fn = sum(1 for s, m in scored if s < threshold and m)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def summarise(scored: list[tuple[float, bool]], threshold: float) -> dict[str, Any]:
    precision, recall, f1 = _prf(scored, threshold)
    best_threshold, best_f1 = threshold, f1
    for t in THRESHOLDS:
        f = _prf(scored, t)[2]
        if f > best_f1 + 1e-12:
            best_threshold, best_f1 = t, f
    return {
        "threshold": threshold,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "best_threshold": best_threshold,
        "best_f1": round(best_f1, 4),
        "pairs": len(scored),
    }


def evaluate(pairs: list[Pair], threshold: float, scorer: Callable[[Pair], float] = engine_score) -> dict[str, Any]:
    started = time.perf_counter()
    scored = [(scorer(p), p.match, p.category) for p in pairs]
    elapsed = time.perf_counter() - started
    categories: dict[str, list[tuple[float, bool]]] = {}
    for s, m, c in scored:
        categories.setdefault(c, []).append((s, m))
    return {
        "overall": summarise([(s, m) for s, m, _c in scored], threshold),
        "categories": {name: summarise(items, threshold) for name, items in sorted(categories.items())},
        "pairs_per_second": round(len(pairs) / elapsed, 1) if elapsed > 0 else None,
    }


def format_text(result: dict[str, Any], problems: list[str]) -> str:
    lines = [f"{'category':<20} {'pairs':>6} {'P':>7} {'R':>7} {'F1':>7}   {'best t':>6} {'best F1':>7}"]
    rows = [*result["categories"].items(), ("OVERALL", result["overall"])]
    for name, r in rows:
        lines.append(
            f"{name:<20} {r['pairs']:>6} {r['precision']:>7.3f} {r['recall']:>7.3f} {r['f1']:>7.3f}"
            f"   {r['best_threshold']:>6.2f} {r['best_f1']:>7.3f}"
        )
    lines.append(f"threshold {result['overall']['threshold']:.2f}; {result['pairs_per_second']} pairs per second")
    lines.extend(f"skipped {p}" for p in problems)
    return "\n".join(lines)
