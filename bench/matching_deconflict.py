"""Deconfliction at scale: a new matter of 10 subjects against N indexed subjects (default 1,000,000).

    uv run python bench/matching_deconflict.py                 # 1,000,000 subjects, SQLite (var/bench-matching-N.sqlite3)
    uv run python bench/matching_deconflict.py --n 100000 --rounds 50
    uv run python bench/matching_deconflict.py --pg-url postgres://postgres@127.0.0.1:5432/   # PostgreSQL
    uv run python bench/matching_deconflict.py --generate-only  # build the data and stop

Data (made once, kept; resumable): N index entries generated from given names and family names of many regions,
with birth dates, nationalities and, for a third, an identifier, loaded in bulk (the (key, entry) index built
after; VACUUM ANALYZE on PostgreSQL, as autovacuum would). Among them, ``--planted`` (1,000) entries are *planted
variants* of known identities, spread evenly through the index (not first: capped reads and ties by id would
favour them): another script (Arabic, Cyrillic, Devanagari), another transliteration, the order swapped, a
middle name dropped or two letters swapped, the birth date cut to its year, the nationality dropped. Measured:

- **retrieval**: for every planted identity, whether candidate retrieval (``deconflict.candidates``) returns its
  planted entry among the 100 candidates when queried with the identity's reference writing (target ≥ 99.5%),
  and among 25, 50 and 200;
- **time**: a new matter of 10 subjects (one or two planted identities, the rest fresh names) deconflicted end to
  end (index keys, candidates, scoring, match rows; notifications off), ``--rounds`` times after ``--warmup``
  rounds not counted: wall and CPU p50 and p95 (target p95 ≤ 500 ms on 2 cores), with the load average.
"""

# ruff: noqa: RUF001, E501
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

GIVEN = {
    "arabic": ["Mohammed", "Ahmed", "Youssef", "Omar", "Khalid", "Hassan", "Ali", "Ibrahim", "Mustafa", "Karim",
               "Said", "Rachid", "Hamza", "Bilal", "Tarek", "Nabil", "Samir", "Walid", "Fatima", "Khadija", "Amina",
               "Salma", "Nour", "Leila", "Yasmine", "Abdelkader", "Abdallah", "Abderrahmane", "Driss", "Mehdi"],
    "slavic": ["Oleksandr", "Dmitry", "Sergei", "Ivan", "Mykola", "Andriy", "Pavel", "Yuri", "Vladimir", "Oleg",
               "Nikola", "Georgi", "Yekaterina", "Olga", "Natalia", "Iryna", "Svetlana", "Anastasia"],
    "south_asian": ["Rahul", "Sunil", "Amit", "Rajesh", "Vikram", "Imran", "Rizwan", "Asif", "Bikash", "Gurpreet",
                    "Priya", "Anjali", "Sunita", "Ayesha", "Farhan"],
    "southeast_asian": ["Minh", "Tuan", "Hung", "Somchai", "Anan", "Budi", "Agus", "Siti", "Nur", "Aung", "Kyaw",
                        "Maria", "Jose", "Cristina"],
    "latin": ["Jean", "Pierre", "Marie", "Luc", "José", "Antonio", "Carlos", "Ana", "João", "Marco", "Giulia",
              "Mehmet", "Ayşe", "Mamadou", "Fatou", "Moussa", "Chinedu"],
}  # fmt: skip
FAMILY = {
    "arabic": ["El Amrani", "Benali", "Haddad", "Khoury", "Mansour", "Bennani", "Alaoui", "Tazi", "Chraibi",
               "Ben Salah", "Nasser", "Saleh", "Hamdan", "Othman", "Qureshi", "Al Otaibi", "Ziani", "Belkacem",
               "Boukhari", "Mahmoud", "Farouk", "Ibrahim", "Kaddour", "Slimani", "Zerhouni", "Idrissi"],
    "slavic": ["Shevchenko", "Kovalenko", "Volkov", "Petrov", "Ivanov", "Smirnov", "Kuznetsov", "Bondarenko",
               "Tkachenko", "Kravchenko", "Jovanovic", "Dimitrov", "Popescu", "Novak", "Horvat", "Melnyk"],
    "south_asian": ["Sharma", "Reddy", "Khan", "Patel", "Singh", "Gupta", "Shrestha", "Perera", "Chowdhury",
                    "Iqbal", "Malik", "Verma", "Nair", "Rahman"],
    "southeast_asian": ["Nguyen", "Tran", "Le", "Pham", "Wongsawat", "Srisuk", "Santoso", "Setiawan", "Reyes",
                        "Santos", "Abdullah", "Moe", "Htun"],
    "latin": ["Dupont", "Martin", "Garcia", "Lopez", "Silva", "Rossi", "Yilmaz", "Diallo", "Diop", "Okonkwo",
              "Müller", "Wiśniewski", "Papadopoulos", "Fernandes", "Moreau"],
}  # fmt: skip
# Other writings of the reference spellings (scripts and transliterations).
WRITINGS = {
    "Mohammed": ["محمد", "Muhammad", "Mohamed", "Mohamad"], "Ahmed": ["أحمد", "Ahmad"], "Youssef": ["يوسف", "Yusuf"],
    "Omar": ["عمر", "Umar"], "Khalid": ["خالد", "Khaled"], "Hassan": ["حسن", "Hasan"], "Ibrahim": ["إبراهيم"],
    "Karim": ["كريم", "Kareem"], "Rachid": ["رشيد", "Rashid"], "Abdelkader": ["عبد القادر", "Abd al-Qadir"],
    "Abdallah": ["عبد الله", "Abdullah"], "Fatima": ["فاطمة", "Fatema"], "Amina": ["أمينة", "Aminah"],
    "El Amrani": ["العمراني", "Elamrani"], "Benali": ["بن علي", "Ben Ali"], "Haddad": ["حداد", "Hadad"],
    "Khoury": ["خوري", "Khouri"], "Mansour": ["منصور", "Mansur"], "Bennani": ["بناني", "Benani"],
    "Nasser": ["ناصر", "Nasir"], "Othman": ["عثمان", "Osman", "Uthman"], "Mahmoud": ["محمود", "Mahmud"],
    "Oleksandr": ["Олександр", "Aleksandr", "Alexander"], "Dmitry": ["Дмитрий", "Dmitri", "Dimitri"],
    "Sergei": ["Сергей", "Sergey"], "Yuri": ["Юрий", "Iouri"], "Olga": ["Ольга"], "Iryna": ["Ірина", "Irina"],
    "Shevchenko": ["Шевченко", "Chevtchenko"], "Kovalenko": ["Коваленко", "Kowalenko"], "Volkov": ["Волков", "Volkoff"],
    "Petrov": ["Петров", "Petroff"], "Ivanov": ["Иванов", "Ivanoff"], "Kuznetsov": ["Кузнецов", "Kouznetsov"],
    "Rahul": ["राहुल"], "Sharma": ["शर्मा"], "Sunil": ["सुनील"], "Amit": ["अमित"], "Gupta": ["गुप्ता"],
    "Singh": ["सिंह"], "Patel": ["पटेल"], "Nguyen": ["Nguyễn"], "Tran": ["Trần"], "Pham": ["Phạm"],
    "José": ["Jose"], "João": ["Joao"], "Müller": ["Mueller", "Muller"], "Wiśniewski": ["Wisniewski"],
    "Yilmaz": ["Yılmaz"], "Mehmet": ["Mehmed"],
}  # fmt: skip
ALL_FAMILY = {f for names in FAMILY.values() for f in names}
REGION_COUNTRIES = {"arabic": ["MA", "DZ", "TN", "EG", "SA", "LB"], "slavic": ["UA", "RU", "BG", "RS"],
                    "south_asian": ["IN", "PK", "BD", "NP"], "southeast_asian": ["VN", "TH", "ID", "PH"],
                    "latin": ["FR", "ES", "BR", "TR", "SN", "DE"]}  # fmt: skip


def person(rng: random.Random) -> dict:
    region = rng.choice(list(GIVEN))
    given = rng.choice(GIVEN[region])
    middle = rng.choice(GIVEN[region]) if rng.random() < 0.3 else ""
    family = rng.choice(FAMILY[region])
    name = " ".join(x for x in (given, middle, family) if x)
    data: dict = {"kind": "person", "names": [name], "nationality": rng.choice(REGION_COUNTRIES[region]),
                  "birth_date": f"{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                  "identifiers": []}  # fmt: skip
    if rng.random() < 0.33:
        kind = rng.choice(["passport", "email", "national_id"])
        value = (f"{given.lower()}.{rng.randint(1, 10**6)}@example.org" if kind == "email"
                 else f"{rng.choice('ABCDEFGHJK')}{rng.randint(10**6, 10**7 - 1)}")  # fmt: skip
        data["identifiers"].append({"type": kind, "value": value})
    return data


def variant(rng: random.Random, data: dict) -> dict:
    """Another writing of the same person, as another request would give it."""
    parts = data["names"][0].split(" ")
    # Multi-word family names (El Amrani) are kept together.
    words = []
    i = 0
    while i < len(parts):
        two = " ".join(parts[i : i + 2])
        if two in WRITINGS or two in ALL_FAMILY:
            words.append(two)
            i += 2
        else:
            words.append(parts[i])
            i += 1
    out = [rng.choice(WRITINGS[w]) if w in WRITINGS and rng.random() < 0.8 else w for w in words]
    roll = rng.random()
    if roll < 0.25 and len(out) > 2:
        out = [out[0], out[-1]]  # middle name dropped
    elif roll < 0.5:
        out = [out[-1], *out[:-1]]  # family name first
    elif roll < 0.65:
        w = max(range(len(out)), key=lambda k: len(out[k]))
        if out[w].isascii() and len(out[w]) > 6:
            pos = rng.randint(1, len(out[w]) - 2)
            out[w] = out[w][:pos] + out[w][pos + 1] + out[w][pos] + out[w][pos + 2 :]  # two letters swapped
    new = dict(data)
    new["names"] = [" ".join(out)]
    if rng.random() < 0.3:
        new["birth_date"] = data["birth_date"][:4]
    if rng.random() < 0.3:
        new["nationality"] = None
    return new


def setup(db_url: str) -> None:
    os.environ["ENTRAIDE_DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from entraide.core.runtime import settle

    settle()  # as the server does once loaded (wsgi.py): the start's objects leave the collector's rounds


def _planted_positions(n: int, planted: int) -> list[int]:
    """Where the planted variants go: spread evenly through the index, not first (reading a common key's first
    postings, or breaking ties by id, must not favour them)."""
    stride = max(1, n // planted)
    return [i * stride + stride // 2 for i in range(planted)]


def _state_path(n: int) -> Path:
    """The planted identities and the ids of their variants, for this database."""
    from django.db import connection

    return ROOT / f"var/bench-matching-{n}-{connection.vendor}-planted.json"


def _key_index(connection) -> tuple[str, str]:
    """The name and the SQL of the (key, entry) index on the keys table, to drop it while loading and build it after."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'matching_key' AND sql LIKE '%%key%%entry_id%%'"
            )
        else:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'matching_key' AND indexdef LIKE '%%(key, entry_id)%%'"
            )
        row = cursor.fetchone()
    return (row[0], row[1]) if row else ("", "")


def generate(n: int, planted: int, seed: int = 7) -> None:
    """Fill the index up to ``n`` entries, planted variants spread through it; resumable (by batch)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from entraide.matching.index import keys_of, record_of
    from entraide.matching.models import Entry

    state_path = _state_path(n)
    have = Entry.objects.count()
    if have >= n and state_path.exists():
        return
    rng = random.Random(seed)
    references = [person(rng) for _ in range(planted)]
    positions = {pos: k for k, pos in enumerate(_planted_positions(n, planted))}
    state = (
        json.loads(state_path.read_text()) if state_path.exists() and have else {"references": references, "ids": {}}
    )
    Path(ROOT / "var").mkdir(exist_ok=True)
    started = time.perf_counter()
    batch = 20000
    vendor = connection.vendor
    index_name, index_sql = _key_index(connection)
    if index_name:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP INDEX "{index_name}"')
    first_id = (Entry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1 - have
    now = timezone.now() if vendor == "postgresql" else timezone.now().replace(tzinfo=None).isoformat(" ")
    for start in range(have, n, batch):
        entry_rows = []
        key_rows = []
        for i in range(start, min(n, start + batch)):
            k = positions.get(i)
            data = (
                variant(random.Random(seed * 31 + k), references[k])
                if k is not None
                else person(random.Random(seed * 1_000_003 + i))
            )
            rec = record_of(data)
            pk = first_id + i
            if k is not None:
                state["ids"][str(k)] = pk
            entry_rows.append((pk, "case", rec.kind, data["names"][0][:300], json.dumps(data, ensure_ascii=False),
                               json.dumps(rec.warnings), now))  # fmt: skip
            key_rows.extend((pk, key) for key in sorted(keys_of(rec)))
        with transaction.atomic(), connection.cursor() as cursor:
            if vendor == "postgresql":
                raw = cursor.cursor
                with raw.copy(
                    "COPY matching_entry (id, source, kind, display_name, data, warnings, updated_at) FROM STDIN"
                ) as copy:
                    for row in entry_rows:
                        copy.write_row(row)
                with raw.copy("COPY matching_key (entry_id, key) FROM STDIN") as copy:
                    for row in key_rows:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    "INSERT INTO matching_entry (id, source, kind, display_name, data, warnings, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    entry_rows,
                )
                cursor.executemany("INSERT INTO matching_key (entry_id, key) VALUES (%s, %s)", key_rows)
        state_path.write_text(json.dumps(state, ensure_ascii=False))
        done = min(n, start + batch)
        if done % 100000 == 0 or done == n:
            rate = (done - have) / (time.perf_counter() - started)
            print(f"  {done:,} entries ({rate:,.0f}/s)", flush=True)
    with connection.cursor() as cursor:
        if index_sql:
            print("  building the (key, entry) index", flush=True)
            cursor.execute(index_sql)
        if vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('matching_entry', 'id'), (SELECT max(id) FROM matching_entry))"
            )
        # PostgreSQL reads the (key, entry) index alone only on pages its visibility map marks all-visible: what
        # autovacuum does in a running system after a bulk load, done here at once.
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")


def measure(n: int, rounds: int, warmup: int = 20, seed: int = 11) -> dict:
    from django.db import connection, transaction

    from entraide.matching.deconflict import CANDIDATES, candidates, deconflict_entries
    from entraide.matching.index import keys_of, record_of
    from entraide.matching.models import Entry, Key

    state = json.loads(_state_path(n).read_text())
    references = state["references"]
    planted_ids = [state["ids"][str(k)] for k in range(len(references))]
    # Retrieval: the planted variant among the candidates of its reference writing.
    kept = 0
    missed = []
    at = {25: 0, 50: 0, 200: 0}
    for ref, target in zip(references, planted_ids, strict=True):
        probe = Entry(pk=-1, source="case", data=ref)
        ranked = candidates(probe, keys_of(record_of(ref)), limit=200)
        position = ranked.index(target) if target in ranked else 10**6
        for k in at:
            at[k] += position < k
        if position < CANDIDATES:
            kept += 1
        else:
            missed.append(ref["names"][0])
    recall = kept / len(references)
    recall_at = {k: round(v / len(references), 4) for k, v in at.items()}
    # Time: a new matter of 10 subjects, end to end, rolled back each round.
    rng = random.Random(seed)
    times = []
    cpu_times: list[float] = []
    found = []
    for round_no in range(warmup + rounds):
        subjects = [rng.choice(references) for _ in range(rng.randint(1, 2))]
        subjects += [person(rng) for _ in range(10 - len(subjects))]
        started = time.perf_counter()
        cpu = time.process_time()
        with transaction.atomic():
            entries = []
            for data in subjects:
                rec = record_of(data)
                entry = Entry.objects.create(source="case", kind=rec.kind, display_name=data["names"][0], data=data)
                Key.objects.bulk_create([Key(entry=entry, key=k) for k in keys_of(rec)])
                entries.append(entry)
            matches = len(deconflict_entries(entries, notify=False))
            elapsed = time.perf_counter() - started
            cpu_times.append((time.process_time() - cpu) * 1000)
            transaction.set_rollback(True)
        if round_no < warmup:  # a fresh process fills its caches of names first, as a running server has
            cpu_times.pop()
            continue
        times.append(elapsed * 1000)
        found.append(matches)
    times.sort()
    cpu_times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    cpu_p95 = cpu_times[min(len(cpu_times) - 1, round(0.95 * len(cpu_times)) - 1)]
    return {"database": connection.vendor, "entries": Entry.objects.count(), "retrieval_recall": round(recall, 4), "candidates": CANDIDATES, "recall_at": recall_at,
            "planted": len(references), "p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1),
            "cpu_p50_ms": round(statistics.median(cpu_times), 1), "cpu_p95_ms": round(cpu_p95, 1),
            "max_ms": round(times[-1], 1), "rounds": rounds, "warmup": warmup, "mean_matches": round(statistics.mean(found), 2),
            "missed": missed[:10], "load": os.getloadavg()}  # fmt: skip


def measure_search(rounds: int, seed: int = 4) -> dict:
    """The subject search (``matching.search.search``) as a head, over the whole index: names of the generator,
    names in other scripts and identifiers; rolled back (no audit record is kept)."""
    from django.db import transaction

    from entraide.accounts.models import Role, User
    from entraide.matching.search import search

    rng = random.Random(seed)
    queries = [person(rng)["names"][0] for _ in range(rounds)]
    queries += ["Шевченко Олександр", "محمد العمراني", "FA1234567", "+212 612 345 678", "ali.1234@example.org"]
    times = []
    with transaction.atomic():
        user = User.objects.create(username="bench-matching-head", role=Role.HEAD)
        for q in queries[:10]:  # warm-up
            search(user, q, audit_it=False)
        for q in queries:
            started = time.perf_counter()
            search(user, q, audit_it=False)
            times.append((time.perf_counter() - started) * 1000)
        transaction.set_rollback(True)
    times.sort()
    return {"searches": len(times), "search_p50_ms": round(statistics.median(times), 1),
            "search_p95_ms": round(times[min(len(times) - 1, round(0.95 * len(times)) - 1)], 1),
            "load": os.getloadavg()}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--planted", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=20, help="Rounds run first and not counted (default 20).")
    parser.add_argument("--search", action="store_true", help="Time the subject search instead of deconfliction.")
    parser.add_argument("--generate-only", action="store_true", help="Build the data and stop (measure later).")
    parser.add_argument("--pg-url", default="", help="A PostgreSQL server on 127.0.0.1 instead of SQLite.")
    args = parser.parse_args()
    if args.pg_url:
        if "127.0.0.1" not in args.pg_url and "localhost" not in args.pg_url:
            raise SystemExit("Only a local PostgreSQL server.")
        db_url = args.pg_url.rstrip("/") + f"/entraide_bench_matching_{args.n}"
        import psycopg

        with psycopg.connect(args.pg_url, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (db_url.rsplit("/", 1)[1],)
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{db_url.rsplit("/", 1)[1]}"')
    else:
        db_url = f"sqlite:///{ROOT}/var/bench-matching-{args.n}.sqlite3"
    setup(db_url)
    print(f"data: {args.n:,} subjects on {db_url.split(':', 1)[0]}", flush=True)
    started = time.perf_counter()
    generate(args.n, args.planted)
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    if args.search:
        print(json.dumps(measure_search(args.rounds)), flush=True)
    elif not args.generate_only:
        print(json.dumps(measure(args.n, args.rounds, args.warmup)), flush=True)


if __name__ == "__main__":
    main()
