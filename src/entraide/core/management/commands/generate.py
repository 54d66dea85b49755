"""``entraide generate --cases N [--seed S]``: add N realistic matters at scale, for benchmarks.

Going through the actions one matter at a time would take hours for 100,000 matters, so this command writes
rows in batches, one transaction and one multi-row insert per table each (see ``TableWriter``). It keeps them
as the actions would have: references come from the reference pattern and the ``ReferenceCounter`` rows that
``actions.next_reference`` reads; each matter walks its lifecycle along allowed transitions, and its deadlines
are started, met and cancelled by the active deadline rules exactly as the engine does it, so ``status``,
``is_open``, ``closed_at`` and ``next_due_at`` agree with the lifecycles and the deadlines. The timeline gets
one event per registration, assignment, transition and deadline. The audit chain gets one ``generate.batch``
record per batch (the batch's references), not one per row.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from entraide.accounts.models import Role, User
from entraide.audit import log as audit
from entraide.cases import choices as c
from entraide.cases.actions import add_days
from entraide.cases.demo import (
    STAY,
    Fabricator,
    MatterMaker,
    lifecycle_path,
    mix_for,
)
from entraide.cases.lifecycles import LIFECYCLES, Lifecycle, lifecycle_for
from entraide.cases.loaders import load_deadline_rules
from entraide.cases.models import (
    Case,
    Deadline,
    DeadlineRule,
    Event,
    Identifier,
    Measure,
    Offence,
    ReferenceCounter,
    Subject,
)
from entraide.core.choices import Confidentiality
from entraide.core.text import fold, normalize_identifier
from entraide.directory.models import Authority, AuthorityKind, Country, Instrument

OFFICER_NAMES = (
    ("Amine", "Lahlou"),
    ("Sara", "El Idrissi"),
    ("Mounir", "Benkirane"),
    ("Ghizlane", "Sefrioui"),
    ("Reda", "Tahiri"),
    ("Asmae", "Bouhlal"),
    ("Yassine", "Fikri"),
    ("Kenza", "Alami"),
    ("Driss", "Mernissi"),
    ("Loubna", "Hajji"),
    ("Ismail", "Benmoussa"),
    ("Hajar", "Rami"),
    ("Othmane", "Zniber"),
    ("Widad", "Kabbaj"),
    ("Adil", "Skalli"),
    ("Rim", "Filali"),
    ("Zakaria", "Lamrani"),
    ("Btissam", "Naciri"),
    ("Hicham", "Guessous"),
    ("Siham", "Bennis"),
)
HISTORY_DAYS = 1100  # generated matters were registered over the last three years


@dataclass
class Staff:
    officers: list[User]
    weights: list[float]
    secret_officers: list[User]
    clerk: User


def generated_staff(rng: random.Random) -> Staff:
    """20 generated officers (three cleared SECRET), a generated clerk, plus the demo officers if present."""
    officers = []
    for i, (first, last) in enumerate(OFFICER_NAMES, start=1):
        user, created = User.objects.get_or_create(
            username=f"gen.officer{i:02d}",
            defaults={
                "role": Role.OFFICER,
                "first_name": first,
                "last_name": last,
                "clearance": Confidentiality.SECRET if i <= 3 else Confidentiality.CONFIDENTIAL,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        officers.append(user)
    clerk, created = User.objects.get_or_create(
        username="gen.clerk", defaults={"role": Role.CLERK, "first_name": "Registry", "last_name": "Clerk"}
    )
    if created:
        clerk.set_unusable_password()
        clerk.save(update_fields=["password"])
    demo = {u.username: u for u in User.objects.filter(username__in=["officer", "officer2", "head", "clerk"])}
    officers += [demo[name] for name in ("officer", "officer2", "head") if name in demo]
    # Some officers carry much more than others, as in any office.
    weights = [rng.uniform(0.4, 2.0) for _ in officers]
    secret = [u for u in officers if u.clearance >= Confidentiality.SECRET]
    return Staff(officers, weights, secret, demo.get("clerk", clerk))


class ReferenceBook:
    """Our references, reserved as ``actions.next_reference`` does: per prefix, skipping any in use."""

    def __init__(self) -> None:
        self.pattern = settings.ENTRAIDE_REFERENCE_PATTERN
        self.last: dict[str, int] = dict(ReferenceCounter.objects.values_list("prefix", "last_value"))
        self.used: dict[str, set[str]] = {}
        self.touched: set[str] = set()

    def next(self, kind: str, direction: str, year: int) -> str:
        values = {
            "kind": c.KIND_CODES[c.Kind(kind)],
            "direction": c.DIRECTION_CODES[c.Direction(direction)],
            "year": year,
        }
        prefix = self.pattern.split("{seq")[0].format(**values)
        if prefix not in self.used:
            self.used[prefix] = set(
                Case.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
            )
        seq = self.last.get(prefix, 0) + 1
        while (reference := self.pattern.format(seq=seq, **values)) in self.used[prefix]:
            seq += 1
        self.last[prefix] = seq
        self.used[prefix].add(reference)
        self.touched.add(prefix)
        return reference

    def save(self) -> None:
        for prefix in self.touched:
            ReferenceCounter.objects.update_or_create(prefix=prefix, defaults={"last_value": self.last[prefix]})
        self.touched.clear()


class TableWriter:
    """Rows of one table, given their ids here and written with one ``executemany``.

    The ORM's ``bulk_create`` spends most of its time building model instances and preparing each value; at
    100,000 matters (about 1.5 million rows) that is most of the run. Rows are plain tuples here, adapted with
    the database backend's own adapters, every concrete field of the model included (absent ones take the
    field's default), so the rows are those the ORM would write. Ids are allocated after locking the table
    (SQLite's IMMEDIATE transaction already holds the write lock); PostgreSQL's sequences are moved past them
    afterwards.
    """

    def __init__(self, model: type[Any]) -> None:
        self.model = model
        fields = model._meta.concrete_fields
        ops = connection.ops
        adapters: dict[str, Any] = {
            "DateTimeField": ops.adapt_datetimefield_value,
            "DateField": ops.adapt_datefield_value,
            "JSONField": lambda value: ops.adapt_json_value(value, None),
        }
        self.attnames = [f.attname for f in fields]
        self.adapters = [adapters.get(f.get_internal_type()) for f in fields]
        # As the ORM does for a field left out: its default, "" for text, else None.
        self.defaults = [f.get_db_prep_save(f.get_default(), connection) for f in fields]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        placeholders = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from the model
        self.rows: list[list[Any]] = []
        self.next_id = 0

    def start(self, cursor: Any) -> None:
        table = connection.ops.quote_name(self.model._meta.db_table)
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - a table name, not input
        self.next_id = cursor.fetchone()[0] + 1
        self.rows = []

    def add(self, **values: Any) -> int:
        pk = values["id"] = self.next_id
        self.next_id += 1
        row = []
        for attname, adapter, default in zip(self.attnames, self.adapters, self.defaults, strict=True):
            if attname in values:
                value = values[attname]
                row.append(adapter(value) if adapter is not None and value is not None else value)
            else:
                row.append(default)
        self.rows.append(row)
        return pk

    def write(self, cursor: Any) -> int:
        cursor.executemany(self.sql, self.rows)
        return len(self.rows)


@dataclass
class Facts:
    """What the deadline rules look at (``DeadlineRule.applies_to`` and the anchors)."""

    kind: str
    direction: str
    received_on: date | None
    sent_on: date | None
    legal_basis_id: int | None = None


@dataclass
class Simulated:
    status: str
    is_open: bool
    closed_at: datetime | None
    sent_on: date | None
    deadlines: list[dict[str, Any]]
    events: list[dict[str, Any]]
    next_due_at: datetime | None


def _anchor(facts: Facts, rule: DeadlineRule, when: datetime) -> datetime:
    day = getattr(facts, rule.anchor, None) if rule.anchor in {"received_on", "sent_on"} else None
    if isinstance(day, date):
        return timezone.make_aware(datetime.combine(day, dtime(0, 0)))
    return when


LIVE = {c.DeadlineStatus.RUNNING, c.DeadlineStatus.PAUSED}


def simulate(
    facts: Facts,
    lc: Lifecycle,
    path: list[str],
    times: list[datetime],
    rules: list[DeadlineRule],
    actor_id: int | None,
) -> Simulated:
    """Walk ``path`` as ``actions.transition`` does: events, deadlines started, met, renewed and cancelled."""
    deadlines: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    closed_at = None
    is_open = True

    def event(when: datetime, verb: str, **params: Any) -> None:
        events.append({"at": when, "actor_id": actor_id, "verb": verb, "params": params})

    def start(trigger: str, when: datetime) -> None:
        for rule in rules:
            if rule.trigger == trigger and rule.applies_to(facts):  # type: ignore[arg-type]
                begin = _anchor(facts, rule, when)
                due = add_days(begin, rule.days, rule.day_count)
                deadlines.append({"rule": rule, "starts_at": begin, "due_at": due, "status": c.DeadlineStatus.RUNNING})
                event(when, "deadline_started", rule=rule.code, due_at=due.isoformat())

    start("registered", times[0])
    for previous, state, when in zip(path, path[1:], times[1:], strict=False):
        if state == "sent" and facts.sent_on is None:
            facts.sent_on = when.date()
        event(when, "transition", source=previous, target=state)
        was_open, is_open = is_open, lc.is_active(state)
        if was_open and not is_open:
            closed_at = when
        elif is_open:
            closed_at = None
        for deadline in [d for d in deadlines if d["status"] in LIVE]:
            rule = deadline["rule"]
            if state in (rule.stop_statuses or []):
                deadline.update(status=c.DeadlineStatus.MET, met_at=when)
                event(when, "deadline_met", rule=rule.code)
                if rule.repeat and is_open:
                    deadlines.append(
                        {
                            "rule": rule,
                            "starts_at": when,
                            "status": c.DeadlineStatus.RUNNING,
                            "due_at": add_days(when, rule.days, rule.day_count),
                        }
                    )
        if not is_open:
            for deadline in deadlines:
                if deadline["status"] in LIVE:
                    deadline["status"] = c.DeadlineStatus.CANCELLED
        start(f"status:{state}", when)
    running = [d["due_at"] for d in deadlines if d["status"] == c.DeadlineStatus.RUNNING]
    return Simulated(path[-1], is_open, closed_at, facts.sent_on, deadlines, events, min(running) if running else None)


WRITTEN = {
    "matters": Case,
    "subjects": Subject,
    "identifiers": Identifier,
    "measures": Measure,
    "offences": Offence,
    "deadlines": Deadline,
    "events": Event,
}
FOREIGN_KEYS = ("counterpart_country", "counterpart_authority", "legal_basis", "national_authority")


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.home = settings.ENTRAIDE_COUNTRY
        self.fab = Fabricator(self.rng, self.home)
        countries = Country.objects.in_bulk()
        authorities = {
            a.country_id: a
            for a in Authority.objects.filter(kind=AuthorityKind.CENTRAL_AUTHORITY, active=True)
            .exclude(country_id=self.home)
            .order_by("-id")
        }
        self.maker = MatterMaker(self.fab, countries, authorities, {i.code: i for i in Instrument.objects.all()})
        national = list(
            Authority.objects.filter(country_id=self.home, active=True).exclude(kind=AuthorityKind.CENTRAL_AUTHORITY)
        )
        self.requesting = [a.pk for a in national if a.kind in {AuthorityKind.PROSECUTION, AuthorityKind.COURT}]
        self.executing = [
            a.pk for a in national if a.kind in {AuthorityKind.PROSECUTION, AuthorityKind.POLICE, AuthorityKind.FIU}
        ]
        # Counterparts: countries of the directory's central authorities weigh most; any country may appear.
        self.countries = [code for code in countries if code != self.home]
        self.country_weights = [25.0 if code in authorities else 1.0 for code in self.countries]
        self.rules = list(DeadlineRule.objects.filter(active=True))
        self.staff = generated_staff(self.rng)
        self.head = User.objects.filter(role=Role.HEAD, is_active=True).order_by("id").first()
        self.references = ReferenceBook()
        self.their_refs = set(
            Case.objects.exclude(counterpart_reference="").values_list(
                "counterpart_country_id", "direction", "counterpart_reference"
            )
        )
        self.kinds = mix_for(1000)
        # Every kind in both directions appears in the first matters, however the random draws fall, so a
        # small run still covers every lifecycle; after that the realistic mix takes over.
        self.first_kinds = sorted(set(self.kinds), reverse=True)
        self.now = timezone.now()
        self.targets = {code: self._target_weights(lc) for code, lc in LIFECYCLES.items()}
        self.writers = {model: TableWriter(model) for model in WRITTEN.values()}

    @staticmethod
    def _target_weights(lc: Lifecycle) -> tuple[list[str], list[float]]:
        states = list(lc.states)
        return states, [4.0 if s in lc.active else (6.0 if s == "closed" else 1.0) for s in states]

    def _times(self, path: list[str]) -> list[datetime]:
        """When the matter was registered and entered each state: typical stays, squeezed to end by now."""
        rng = self.rng
        gaps = [timedelta(days=rng.uniform(*STAY.get(s, (5, 30)))) for s in path[:-1]]
        start = self.now - timedelta(days=rng.uniform(0, HISTORY_DAYS))
        room = self.now - start - timedelta(hours=1)
        total = sum(gaps, timedelta())
        if total > room:
            factor = room / total if total else 0
            gaps = [g * factor for g in gaps]
        times = [start]
        for gap in gaps:
            times.append(times[-1] + gap + timedelta(seconds=1))
        return times

    def _their_reference(self, country: str, direction: str, year: int) -> str:
        while True:
            reference = self.fab.reference(country, year)
            if (country, direction, reference) not in self.their_refs:
                self.their_refs.add((country, direction, reference))
                return reference

    def batch(self, size: int) -> dict[str, int]:
        """Add ``size`` matters. Call inside a transaction."""
        with connection.cursor() as cursor:
            for writer in self.writers.values():
                writer.start(cursor)
            first = last = ""
            for _ in range(size):
                reference = self._matter()
                first, last = first or reference, reference
            counts = {name: self.writers[model].write(cursor) for name, model in WRITTEN.items()}
            if connection.vendor == "postgresql":
                for sql in connection.ops.sequence_reset_sql(no_style(), list(WRITTEN.values())):
                    cursor.execute(sql)
        self.references.save()
        audit.record(
            "generate.batch", actor=None, object_type="cases.case", after={**counts, "first": first, "last": last}
        )
        return counts

    def _matter(self) -> str:
        rng, w = self.rng, self.writers
        direction, kind = self.first_kinds.pop() if self.first_kinds else rng.choice(self.kinds)
        lc = lifecycle_for(kind, direction)
        states, weights = self.targets[lc.code]
        path = lifecycle_path(
            lc,
            rng.choices(states, weights=weights)[0],
            rng,
            lateral=3.0 if kind == c.Kind.PROVISIONAL_ARREST else 0.6,
        )
        times = self._times(path)
        country = rng.choices(self.countries, weights=self.country_weights)[0]
        content = self.maker.make(direction, kind, country, times[0].date())
        values = {k: v for k, v in content.data.items() if k not in FOREIGN_KEYS}
        values.update({f"{k}_id": getattr(content.data.get(k), "pk", None) for k in FOREIGN_KEYS})
        received_on: date | None = None
        if direction == c.Direction.INCOMING:
            received_on = times[0].date() - timedelta(days=rng.choice((0, 0, 1, 2, 4)))
            values["counterpart_reference"] = self._their_reference(country, direction, received_on.year)
            if self.executing and rng.random() < 0.7:
                values["national_authority_id"] = rng.choice(self.executing)
        else:
            if self.requesting:
                values["national_authority_id"] = rng.choice(self.requesting)
            if rng.random() < 0.6:
                received_on = times[0].date() - timedelta(days=rng.randint(0, 5))
            if "acknowledged" in path:
                values["counterpart_reference"] = self._their_reference(
                    country, direction, times[path.index("acknowledged")].year
                )
        reference = self.references.next(kind, direction, (received_on or times[0].date()).year)
        officer: User | None = None
        level = content.data["confidentiality"]
        secret = level >= Confidentiality.SECRET
        if secret or not (len(path) == 1 and rng.random() < 0.3):
            officer = (
                rng.choice(self.staff.secret_officers)
                if secret and self.staff.secret_officers
                else rng.choices(self.staff.officers, weights=self.staff.weights)[0]
            )
        # Whoever registers a matter is cleared for it: the clerk registers most incoming ones, not secret ones.
        registrar = (
            self.staff.clerk
            if direction == c.Direction.INCOMING and rng.random() < 0.7 and self.staff.clerk.clearance >= level
            else (officer or self.staff.clerk)
        )
        facts = Facts(kind, direction, received_on, None, values.get("legal_basis_id"))
        sim = simulate(facts, lc, path, times, self.rules, (officer or registrar).pk)
        case_id = w[Case].add(
            **values,
            reference=reference,
            status=sim.status,
            is_open=sim.is_open,
            closed_at=sim.closed_at,
            received_on=received_on,
            sent_on=sim.sent_on,
            next_due_at=sim.next_due_at,
            waiting_on_others=sim.status
            in {
                "awaiting_information",
                "sent",
                "acknowledged",
                "additional_information",
                "judicial_phase_abroad",
            },
            officer_id=officer.pk if officer else None,
            created_by_id=registrar.pk,
            created_at=times[0],
            updated_at=times[-1],
            version=len(path),
        )
        w[Event].add(
            case_id=case_id,
            at=times[0],
            actor_id=registrar.pk,
            verb="registered",
            params={"reference": reference},
            reason="",
        )
        if officer is not None and officer != registrar:
            w[Event].add(
                case_id=case_id,
                at=times[0] + timedelta(minutes=30),
                actor_id=self.head.pk if self.head else None,
                verb="assigned",
                params={"officer": officer.username, "previous": ""},
                reason="",
            )
        for event in sim.events:
            w[Event].add(case_id=case_id, reason="", **event)
        for deadline in sim.deadlines:
            rule = deadline.pop("rule")
            w[Deadline].add(case_id=case_id, rule_id=rule.pk, **deadline)
        for item in content.subjects:
            item = dict(item)
            idents = item.pop("identifiers", [])
            nationality = item.pop("nationality", None)
            subject_id = w[Subject].add(
                case_id=case_id,
                created_at=times[0],
                nationality_id=nationality.pk if nationality else None,
                search_name=fold(item["name"] + " " + item.get("original_script_name", "")),
                **item,
            )
            for ident in idents:
                issuer = ident.get("country")
                w[Identifier].add(
                    subject_id=subject_id,
                    type=ident["type"],
                    value=ident["value"][:200],
                    normalized=normalize_identifier(ident["type"], ident["value"])[:200],
                    country_id=issuer.pk if issuer else None,
                )
        executed = "executed" in path
        for item in content.measures:
            status = c.MeasureStatus.REQUESTED
            if executed:
                status = rng.choices(
                    (c.MeasureStatus.EXECUTED, c.MeasureStatus.PARTIALLY_EXECUTED, c.MeasureStatus.REFUSED),
                    weights=(85, 10, 5),
                )[0]
            elif sim.status == "in_execution" and rng.random() < 0.6:
                status = c.MeasureStatus.IN_PROGRESS
            note = (
                "Recorded from the execution report."
                if status in {c.MeasureStatus.PARTIALLY_EXECUTED, c.MeasureStatus.REFUSED}
                else ""
            )
            w[Measure].add(
                case_id=case_id,
                type=item["type"],
                details=item["details"],
                status=status,
                status_note=note,
                description="",
                created_at=times[0],
                updated_at=times[-1],
            )
        for item in content.offences:
            w[Offence].add(case_id=case_id, **item)
        return reference


class Command(BaseCommand):
    help = "Add N realistic generated matters (with subjects, measures, deadlines, timeline) for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many matters to add.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random generator (default 1).")
        parser.add_argument("--batch", type=int, default=2000, help="Matters per transaction (default 2000).")

    def handle(self, *args: Any, **options: Any) -> None:
        total, size = options["cases"], options["batch"]
        if total < 1 or size < 1:
            raise CommandError("--cases and --batch must be at least 1.")
        if not Country.objects.exists():
            call_command("load_reference", demo=True, stdout=self.stdout)
        if not Country.objects.filter(code=settings.ENTRAIDE_COUNTRY).exists():
            raise CommandError(f"ENTRAIDE_COUNTRY={settings.ENTRAIDE_COUNTRY} is not a known country.")
        load_deadline_rules()
        generator = Generator(options["seed"])
        started = time.monotonic()
        done = 0
        totals: Counter[str] = Counter()
        while done < total:
            n = min(size, total - done)
            with transaction.atomic():
                totals.update(generator.batch(n))
            done += n
            elapsed = time.monotonic() - started
            self.stdout.write(f"{done:>8} / {total} matters  {elapsed:7.1f} s  {done / elapsed:7.0f} matters/s")
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{v} {k}" for k, v in totals.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {done} matters in {elapsed:.1f} s ({done / elapsed:.0f} per second): {summary}."
            )
        )
        # Rows are written without the ORM's signals: apps that keep data derived from them catch up here.
        for config in apps.get_app_configs():
            if hasattr(config, "after_generate"):
                config.after_generate(stdout=self.stdout)
