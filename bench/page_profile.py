"""Where one page's server time goes: its SQL (with timings) and a cProfile summary.

    uv run python bench/page_profile.py /cases/ --user head              # on var/bench-100000.sqlite3
    uv run python bench/page_profile.py /cases/?q=martin --cases 5000 --db postgres
    uv run python bench/page_profile.py /api/v1/cases/ --api --explain

Uses the data that ``bench/run.py`` prepared (run it once first) and the same settings.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--user", default="head")
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--pg-url", default=bench.DEFAULT_PG)
    parser.add_argument("--api", action="store_true", help="Send the user's API token instead of a session.")
    parser.add_argument("--explain", action="store_true", help="Show the query plan of each SELECT.")
    parser.add_argument("--repeat", type=int, default=20, help="Requests profiled (after 5 warm-up).")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    url = bench.database_url(args.db, args)
    if args.db == "postgres":
        bench.check_local(url)
    os.environ.update(bench.child_env(url))
    bench.setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    from entraide.accounts.models import User

    user = User.objects.get(username=args.user)
    client = Client()
    headers = {}
    if args.api:
        headers["Authorization"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    else:
        client.force_login(user)
    for _ in range(5):
        client.get(args.url, headers=headers)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(args.url, headers=headers)
    print(f"{response.status_code}, {len(response.content)} bytes, {len(queries)} queries")
    for q in queries.captured_queries:
        print(f"\n[{float(q['time']) * 1000:.1f} ms] {q['sql']}")
        if args.explain and q["sql"].lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
                cursor.execute(prefix + q["sql"])
                for row in cursor.fetchall():
                    print("    ", " ".join(str(x) for x in row))
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.repeat):
        client.get(args.url, headers=headers)
    profiler.disable()
    print(f"\n{(time.perf_counter() - started) * 1000 / args.repeat:.1f} ms per request (profiled)\n")
    pstats.Stats(profiler).sort_stats(os.environ.get("PSORT", "cumulative")).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
