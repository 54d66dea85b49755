"""Server time of the register's busiest pages at scale, on SQLite and on PostgreSQL.

    uv run python bench/run.py                       # 100,000 matters, SQLite then PostgreSQL
    uv run python bench/run.py --quick               # 5,000 matters, a smoke run
    uv run python bench/run.py --db sqlite --cases 20000 --requests 300

Each database is measured in its own child process (settings are read once per process). The child prepares
the data once and keeps it: ``var/bench-<N>.sqlite3`` for SQLite, the database ``entraide_bench`` on the local
PostgreSQL (``entraide_bench_<N>`` for another size; ``--pg-url``); ``--fresh`` starts them again. Requests go
through Django's WSGI handler in-process (``django.test.Client``), with every middleware, session and template:
server time, no network.

Each scenario runs ``--warmup`` requests, then ``--requests`` measured ones; scenarios are interleaved
(one request of each per round, in a shuffled order) so that the floor and the pages share the same machine
conditions. The floor is ``/blank/``: signed in, the project's base layout, no data. The target, at 100,000
matters on SQLite: p95 <= 100 ms and p95 <= 5x the floor's p95 for every scenario.

Only local services are used (SQLite files, PostgreSQL on 127.0.0.1). The run bounds itself: ``--time-limit``
seconds in all (data generation included); a scenario cut short says so in the table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
RESULTS = ROOT / "bench" / "results"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
TARGET_MS = 100.0
TARGET_RATIO = 5.0
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/"

SCENARIOS = (
    ("floor", "floor: /blank/ (base layout, no data)"),
    ("register", "register, default page"),
    ("filtered", "register, country + status + overdue"),
    ("search", "search by subject surname (?q=)"),
    ("case", "case page (audited view)"),
    ("mywork", "my work"),
    ("api", "API list /api/v1/cases/ (token)"),
)


# --- the parent: one child per database, then the table ---------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="sqlite,postgres", help="sqlite, postgres or both (default: both).")
    parser.add_argument("--cases", type=int, default=100_000, help="Matters in the register (default 100000).")
    parser.add_argument("--quick", action="store_true", help="Smoke run: 5,000 matters, 50 requests each.")
    parser.add_argument("--requests", type=int, default=None, help="Measured requests per scenario (200).")
    parser.add_argument("--warmup", type=int, default=20, help="Warm-up requests per scenario (default 20).")
    parser.add_argument("--fresh", action="store_true", help="Drop the bench data and generate it again.")
    parser.add_argument("--time-limit", type=float, default=3600, help="Seconds for the whole run (3600).")
    parser.add_argument("--pg-url", default=DEFAULT_PG, help=f"PostgreSQL server (default {DEFAULT_PG}).")
    parser.add_argument("--seed", type=int, default=7, help="Seed for the choice of cases, names, filters.")
    parser.add_argument("--out", type=Path, default=None, help="Markdown output (bench/results/bench-N.md).")
    parser.add_argument("--sql", action="store_true", help="Also print each scenario's SQL (one request).")
    parser.add_argument("--prepare-only", action="store_true", help="Prepare the data and stop.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    parser.add_argument("--deadline", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.cases = 5_000
        args.requests = args.requests or 50
    args.requests = args.requests or 200
    if args.cases < 100:
        parser.error("--cases must be at least 100")
    return args


def check_local(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOCAL_HOSTS:
        raise SystemExit(f"refusing {url!r}: the benchmark only talks to local services ({', '.join(LOCAL_HOSTS)})")


def database_url(kind: str, args: argparse.Namespace) -> str:
    if kind == "sqlite":
        return f"sqlite:///{VAR / f'bench-{args.cases}.sqlite3'}"
    base = args.pg_url.rstrip("/")
    parts = urlsplit(base)
    server = f"{parts.scheme}://{parts.netloc}"
    return f"{server}/entraide_bench" + ("" if args.cases == 100_000 else f"_{args.cases}")


def prepare_postgres_database(url: str, fresh: bool) -> None:
    """Create the bench database on the local server (dropped first with --fresh)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = f"{parts.scheme.replace('postgres', 'postgresql', 1)}://{parts.netloc}/postgres"
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def child_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "entraide.settings",
            "ENTRAIDE_DATABASE_URL": url,
            # Production settings: no debug cursor, persistent connections, static files from the manifest.
            "ENTRAIDE_DEBUG": "0",
            "ENTRAIDE_SECRET_KEY": "bench-only-secret-key-not-for-any-real-deployment-0123456789",
            "ENTRAIDE_HTTPS": "0",
            "ENTRAIDE_ALLOWED_HOSTS": "testserver",
            "ENTRAIDE_STATIC_ROOT": str(VAR / "bench-static"),
            "ENTRAIDE_DATA_DIR": str(VAR),
            "ENTRAIDE_LOG_LEVEL": "WARNING",
            "ENTRAIDE_DEMO": "0",
        }
    )
    return env


def run_parent(args: argparse.Namespace) -> int:
    started = time.monotonic()
    deadline = started + args.time_limit
    kinds = [k.strip() for k in args.db.split(",") if k.strip()]
    if not kinds or any(k not in {"sqlite", "postgres"} for k in kinds):
        raise SystemExit("--db takes sqlite, postgres or sqlite,postgres")
    VAR.mkdir(exist_ok=True)
    results: list[dict[str, Any]] = []
    for kind in kinds:
        remaining = deadline - time.monotonic()
        if remaining < 60:
            print(f"[{kind}] skipped: the time limit is reached", file=sys.stderr)
            continue
        url = database_url(kind, args)
        if kind == "postgres":
            check_local(url)
            try:
                prepare_postgres_database(url, args.fresh)
            except Exception as exc:  # noqa: BLE001 - reported, the other database still runs
                print(f"[postgres] skipped: cannot prepare the database: {exc}", file=sys.stderr)
                continue
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
            out = Path(tmp.name)
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            kind,
            "--child-out",
            str(out),
            "--deadline",
            str(time.time() + remaining - 15),
            "--cases",
            str(args.cases),
            "--requests",
            str(args.requests),
            "--warmup",
            str(args.warmup),
            "--seed",
            str(args.seed),
            *(["--fresh"] if args.fresh else []),
            *(["--sql"] if args.sql else []),
            *(["--prepare-only"] if args.prepare_only else []),
        ]
        print(f"[{kind}] {url}", file=sys.stderr)
        try:
            subprocess.run(command, env=child_env(url), cwd=ROOT, timeout=remaining, check=True)  # noqa: S603
            result = json.loads(out.read_text())
            if result is not None:
                results.append(result)
        except subprocess.TimeoutExpired:
            print(f"[{kind}] stopped: the time limit ({args.time_limit:.0f} s) was reached", file=sys.stderr)
        except subprocess.CalledProcessError as exc:
            print(f"[{kind}] failed with exit status {exc.returncode}", file=sys.stderr)
        finally:
            out.unlink(missing_ok=True)
    if args.prepare_only:
        return 0
    if not results:
        return 1
    markdown = render(results, args, time.monotonic() - started)
    print(markdown)
    path = args.out or RESULTS / f"bench-{args.cases}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown)
    print(f"Written to {path}", file=sys.stderr)
    return 0 if all(r["complete"] for r in results) else 1


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}"


def render(results: list[dict[str, Any]], args: argparse.Namespace, elapsed: float) -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; Python {platform.python_version()}; "
        f"load average at the end {load} (1, 5, 15 min).",
        "",
        "Command: `{}`".format(" ".join(["uv run python bench/run.py", *sys.argv[1:]])),
        "",
    ]
    for result in results:
        lines += [
            f"### {result['database']} — {result['cases']:,} matters ({result['version']})",
            "",
            f"{result['requests']} measured requests per scenario after {result['warmup']} warm-up, "
            "interleaved. Ratio = the scenario's percentile / the same percentile of the floor of the same user. "
            f"Target: p95 ≤ {TARGET_MS:.0f} ms and ≤ {TARGET_RATIO:.0f}x floor. The CPU columns are the process's "
            "CPU time for the request (what the request itself cost, whatever else the machine runs).",
            "",
            "| user | scenario | rows | queries | p50 ms | p95 ms | p50 xfloor | p95 xfloor | CPU p50 ms | CPU p95 ms "
            "| CPU p95 xfloor | n | target |",
            "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|",
        ]
        for user in result["users"]:
            floor = user["scenarios"]["floor"]
            for key, label in SCENARIOS:
                row = user["scenarios"].get(key)
                if row is None:
                    continue
                r50 = row["p50"] / floor["p50"] if floor["p50"] else math.nan
                r95 = row["p95"] / floor["p95"] if floor["p95"] else math.nan
                c95 = row["cpu_p95"] / floor["cpu_p95"] if floor["cpu_p95"] else math.nan
                ok = row["p95"] <= TARGET_MS and (key == "floor" or r95 <= TARGET_RATIO)
                lines.append(
                    f"| {user['username']} ({user['visible']:,} visible) | {label} | {row['rows']} | "
                    f"{row['queries']} | {row['p50']:.1f} | {row['p95']:.1f} | {r50:.1f} | {r95:.1f} | "
                    f"{row['cpu_p50']:.1f} | {row['cpu_p95']:.1f} | {c95:.1f} | {row['n']} | {'✅' if ok else '❌'} |"
                )
        lines.append("")
        if not result["complete"]:
            lines += ["**Cut short by the time limit: fewer requests than asked.**", ""]
    lines.append(f"Whole run: {elapsed:.0f} s.")
    return "\n".join(lines) + "\n"


# --- the child: one database ----------------------------------------------------------------------------------


def prepare_data(args: argparse.Namespace, log: Any) -> None:
    from django.core.management import call_command
    from django.db import connection

    from entraide.cases.models import Case

    if args.fresh and connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    have = Case.objects.count()
    if have < args.cases:
        from entraide.cases.demo import ensure_demo_users
        from entraide.cases.loaders import load_deadline_rules

        log(f"generating {args.cases - have} matters (the register holds {have})")
        call_command("load_reference", demo=True, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        load_deadline_rules()
        # Before generating, so that the demo officer and head carry matters of their own.
        ensure_demo_users()
        call_command("generate", cases=args.cases - have, stdout=sys.stderr)
        with connection.cursor() as cursor:
            # What autovacuum does shortly after a bulk load on PostgreSQL (statistics, visibility map for
            # index-only scans); on SQLite, the query planner's statistics.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest rank."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


class Scenario:
    def __init__(self, key: str, client: Any, urls: list[str], headers: dict[str, str] | None = None) -> None:
        self.key = key
        self.client = client
        self.urls = urls
        self.headers = headers or {}
        self.turn = 0
        self.times: list[float] = []
        self.cpu: list[float] = []

    def next_url(self) -> str:
        url = self.urls[self.turn % len(self.urls)]
        self.turn += 1
        return url

    def hit(self, measure: bool) -> Any:
        url = self.next_url()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = self.client.get(url, headers=self.headers)
        elapsed = (time.perf_counter() - start) * 1000
        cpu = (time.process_time() - start_cpu) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{self.key}: GET {url} answered {response.status_code}")
        if measure:
            self.times.append(elapsed)
            self.cpu.append(cpu)
        return response


def pick_inputs(user: Any, rng: random.Random) -> dict[str, list[str]]:
    """URLs that a user of this role would really ask for: their own matters, names that are there."""
    from django.db.models import Count
    from django.utils import timezone

    from entraide.cases.models import Subject
    from entraide.cases.queries import visible_cases

    visible = visible_cases(user)
    ids = list(visible.values_list("pk", flat=True))
    case_ids = rng.sample(ids, min(400, len(ids)))
    sample = rng.sample(ids, min(2000, len(ids)))
    surnames = sorted(
        set(
            Subject.objects.filter(case_id__in=sample, kind="person")
            .exclude(family_name="")
            .values_list("family_name", flat=True)
        )
    )
    surnames = rng.sample(surnames, min(40, len(surnames)))
    combos = list(
        visible.filter(is_open=True, next_due_at__lt=timezone.now())
        .values("counterpart_country_id", "status")
        .annotate(n=Count("id"))
        .order_by("-n", "counterpart_country_id", "status")[:10]
    )
    filtered = [
        "/cases/?" + urlencode({"country": c["counterpart_country_id"], "status": c["status"], "overdue": "true"})
        for c in combos
    ]
    return {
        "floor": ["/blank/"],
        "register": ["/cases/"],
        "filtered": filtered or ["/cases/?overdue=true"],
        "search": ["/cases/?" + urlencode({"q": name}) for name in surnames],
        "case": [f"/cases/{pk}/" for pk in case_ids],
        "mywork": ["/cases/my-work/"],
        "api": ["/api/v1/cases/"],
    }


def rows_shown(key: str, response: Any) -> str:
    """What the page shows, as a sanity check that the scenario does real work."""
    if key == "api":
        data = response.json()
        return f"{len(data['results'])}/{data['count']}"
    body = response.content.decode()
    if key in {"register", "filtered", "search"}:
        return str(body.count("<tr data-reference="))
    if key == "mywork":
        return str(body.count("<tr data-reference="))
    return "1" if key == "case" else "0"


def setup_django() -> None:
    """Django with the settings of ``child_env`` (already in the environment), static files collected."""
    import django

    sys.path.insert(0, str(ROOT / "src"))
    django.setup()
    from django.core.management import call_command

    try:
        # Production serves hashed names from the manifest; collecting again is quick when nothing changed.
        call_command("collectstatic", interactive=False, verbosity=0)
    except Exception as exc:  # noqa: BLE001 - measured anyway, and said
        from django.test.utils import override_settings

        print(f"collectstatic failed ({exc}); static URLs without the manifest", file=sys.stderr)
        override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
        ).enable()
    from entraide.core.runtime import settle

    settle()  # as the server does once loaded (wsgi.py): the start's objects leave the collector's rounds


def run_child(args: argparse.Namespace) -> int:
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    from entraide.accounts.models import User
    from entraide.cases.queries import visible_cases

    def log(message: str) -> None:
        print(f"[{args.child}] {message}", file=sys.stderr, flush=True)

    prepare_data(args, log)
    if args.prepare_only:
        Path(args.child_out).write_text("null")
        return 0
    deadline = args.deadline or (time.time() + 3600)
    rng = random.Random(args.seed)
    version = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version")
        version = f"{'SQLite' if connection.vendor == 'sqlite' else 'PostgreSQL'} {cursor.fetchone()[0]}"
    from entraide.cases.models import Case

    total = Case.objects.count()
    log(f"{total} matters; {version}")

    users = []
    scenarios: list[tuple[dict[str, Any], Scenario]] = []
    for username in ("head", "officer"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        token, _created = Token.objects.get_or_create(user=user)
        inputs = pick_inputs(user, rng)
        entry = {"username": username, "role": user.role, "visible": visible_cases(user).count(), "scenarios": {}}
        users.append(entry)
        for key, _label in SCENARIOS:
            headers = {"Authorization": f"Token {token.key}"} if key == "api" else None
            api_client = Client() if key == "api" else client
            scenario = Scenario(key, api_client, inputs[key], headers)
            with CaptureQueriesContext(connection) as queries:
                response = scenario.hit(measure=False)
            entry["scenarios"][key] = {"rows": rows_shown(key, response), "queries": len(queries)}
            if args.sql:
                print(f"\n== {username} {key} {scenario.urls[0]}: {len(queries)} queries", file=sys.stderr)
                for q in queries.captured_queries:
                    print(f"  [{float(q['time']) * 1000:.1f} ms] {q['sql'][:600]}", file=sys.stderr)
            scenarios.append((entry, scenario))

    log(f"warm-up: {args.warmup} requests per scenario")
    for _ in range(args.warmup):
        for _entry, scenario in scenarios:
            scenario.hit(measure=False)
    log(f"measuring: {args.requests} requests per scenario, {len(scenarios)} scenarios")
    complete = True
    order = list(range(len(scenarios)))
    for i in range(args.requests):
        if time.time() > deadline:
            complete = False
            log(f"time limit: stopped after {i} rounds")
            break
        rng.shuffle(order)
        for index in order:
            scenarios[index][1].hit(measure=True)
    for entry, scenario in scenarios:
        times = sorted(scenario.times)
        cpu = sorted(scenario.cpu)
        entry["scenarios"][scenario.key].update(
            {
                "n": len(times),
                "p50": statistics.median(times) if times else math.nan,
                "p95": percentile(times, 95),
                "max": times[-1] if times else math.nan,
                "cpu_p50": statistics.median(cpu) if cpu else math.nan,
                "cpu_p95": percentile(cpu, 95),
            }
        )
    result = {
        "database": "SQLite" if connection.vendor == "sqlite" else "PostgreSQL",
        "version": version,
        "cases": total,
        "requests": args.requests,
        "warmup": args.warmup,
        "complete": complete,
        "users": users,
    }
    Path(args.child_out).write_text(json.dumps(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return run_child(args)
    return run_parent(args)


if __name__ == "__main__":
    sys.exit(main())
