"""What a full garbage collection costs a process whose caches of names are full.

    uv run python bench/matching_gc.py            # 200,000 random three-part names with a passport each

The matching engine keeps caches of names, name parts, transliterations and identifiers for the life of the
process (``entraide.matching.engine.normalize``). A full collection walks every object they hold, and the request
that triggers it waits. This reads ``--names`` random names through the engine (filling every cache), then times
``gc.collect()`` three times and prints the tracked objects and the figures (docs/matching.md, "the tail was the
garbage collector").
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--names", type=int, default=200_000)
    args = parser.parse_args()
    from entraide.matching.engine import normalize as n

    gc.collect()
    gc.freeze()  # as the server does once loaded: only what the caches add is walked
    rng = random.Random(1)

    def word() -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9)))

    for i in range(args.names):
        passport = [{"type": "passport", "value": str(i)}]
        n.record(kind="person", names=[f"{word()} {word()} {word()}"], identifiers=passport)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        gc.collect()
        times.append(round((time.perf_counter() - started) * 1000, 1))
    caches = {f: getattr(n, f).cache_info().currsize for f in ("name", "name_part", "transliterate", "identifier")}
    print(json.dumps({"names_read": args.names, "cached": caches, "tracked_objects": len(gc.get_objects()),
                      "full_collection_ms": times}))  # fmt: skip


if __name__ == "__main__":
    main()
