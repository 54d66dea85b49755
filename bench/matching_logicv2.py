"""Compare Entraide's matcher with nomenklatura's logic-v2 on the same labelled pairs.

nomenklatura (with followthemoney, rigour and PyICU) is not a runtime dependency; it lives in the ``bench``
dependency group, installed apart so that the project's environment stays free of PyICU:

    UV_PROJECT_ENVIRONMENT=/tmp/entraide-bench-venv uv sync --frozen --group bench   # needs libicu-dev, g++
    PYTHONPATH=src /tmp/entraide-bench-venv/bin/python bench/matching_logicv2.py [PAIRS.jsonl] [--json]

Pairs follow ``entraide matching evaluate``: each side's name, birth date, nationality and identifiers become a
followthemoney Person or Company (passport → passportNumber, national ID → idNumber, phone, email, IBAN →
ibanMentioned, registration → registrationNumber, wallet → cryptoWalletAddress via a note). Both matchers are
scored with the same precision/recall/F1 code; logic-v2 gets its own best threshold as well as ours.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from entraide.matching.evaluate import Pair, evaluate, format_text, load

DEFAULT = Path(__file__).resolve().parents[1] / "src/entraide/matching/data/pairs.jsonl"
PROPS = {
    "passport": "passportNumber",
    "national_id": "idNumber",
    "phone": "phone",
    "email": "email",
    "iban": "ibanMentioned",
    "registration": "registrationNumber",
}


def entity(kind: str, side: dict, key: str):  # type: ignore[no-untyped-def]
    from followthemoney import model

    schema = "Company" if kind in ("organization", "organisation") else "Person"
    proxy = model.make_entity(schema)
    proxy.id = key
    proxy.add("name", side.get("name") or None)
    if schema == "Person" and side.get("birth_date"):
        proxy.add("birthDate", side["birth_date"])
    if side.get("nationality"):
        proxy.add("nationality" if schema == "Person" else "jurisdiction", side["nationality"].lower())
    for ident in side.get("identifiers") or []:
        prop = PROPS.get(ident.get("type"))
        if prop and prop in proxy.schema.properties:
            proxy.add(prop, ident.get("value"))
    return proxy


def main() -> None:
    from nomenklatura.matching import get_algorithm
    from nomenklatura.matching.types import ScoringConfig

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = Path(args[0]) if args else DEFAULT
    with path.open(encoding="utf-8") as fh:
        pairs = load(fh).pairs
    algorithm = get_algorithm("logic-v2")
    assert algorithm is not None
    config = ScoringConfig.defaults()

    def logic_v2(pair: Pair) -> float:
        left = entity(pair.kind, pair.left, f"{pair.id}-l")
        right = entity(pair.kind, pair.right, f"{pair.id}-r")
        return float(algorithm.compare(left, right, config).score)

    started = time.perf_counter()
    theirs = evaluate(pairs, 0.7, logic_v2)  # 0.7: nomenklatura's usual review threshold
    ours = evaluate(pairs, 0.8)
    result = {"logic_v2": theirs, "entraide": ours, "seconds": round(time.perf_counter() - started, 1)}
    if "--json" in sys.argv:
        print(json.dumps(result))
    else:
        print("== nomenklatura logic-v2 ==")
        print(format_text(theirs, []))
        print("\n== Entraide ==")
        print(format_text(ours, []))


if __name__ == "__main__":
    main()
