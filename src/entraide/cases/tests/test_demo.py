"""``entraide demo``: the demo users and a register played through the real actions.

The builder runs in-process on a few dozen matters; the whole command runs once, as a user runs it, on a fresh
SQLite file in a child process.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.db import connection
from django.utils import timezone

from entraide.accounts.models import Role, User
from entraide.audit import log as audit
from entraide.audit.models import AuditRecord
from entraide.cases import choices as c
from entraide.cases.demo import DEMO_PASSWORD, DEMO_USERS, build_demo, ensure_demo_users
from entraide.cases.lifecycles import LIFECYCLES, lifecycle_for
from entraide.cases.loaders import load_deadline_rules
from entraide.cases.models import Case, CaseMember, Document, Event
from entraide.core.choices import Confidentiality
from entraide.directory.loaders import load_reference

ALL_KINDS = {(d, k) for d in c.Direction.values for k in c.Kind.values}


@pytest.fixture
def demo_users(db: Any, settings: Any) -> dict[str, User]:
    settings.ENTRAIDE_COUNTRY = "MA"
    load_reference(demo=True)
    load_deadline_rules()
    return ensure_demo_users()


def test_the_demo_users_have_their_roles_clearances_and_the_published_password(demo_users: Any) -> None:
    assert set(demo_users) == {
        "head",
        "officer",
        "officer2",
        "clerk",
        "auditor",
        "admin",
        "prosecutor",
        "executor",
    }
    for spec in DEMO_USERS:
        user = authenticate(username=spec.username, password=DEMO_PASSWORD)
        assert user is not None and user.role == spec.role and user.get_full_name()
    assert demo_users["head"].clearance == demo_users["auditor"].clearance == Confidentiality.SECRET
    admin = demo_users["admin"]
    assert admin.role == Role.ADMIN and admin.is_staff and admin.is_superuser
    prosecutor, executor = demo_users["prosecutor"], demo_users["executor"]
    assert prosecutor.role == Role.REQUESTING and prosecutor.authority.kind == "prosecution"
    assert executor.role == Role.EXECUTING and executor.authority.kind == "police"
    assert prosecutor.authority.country_id == executor.authority.country_id == "MA"
    assert not any(u.is_staff for name, u in demo_users.items() if name != "admin")


def test_the_builder_plays_each_matter_through_the_actions(demo_users: Any) -> None:
    before = timezone.now()
    cases = build_demo(demo_users, count=30, seed=7)
    assert abs(timezone.now() - before) < timedelta(minutes=5)  # the simulated clock is gone
    assert {(x.direction, x.kind) for x in cases} == ALL_KINDS
    for case in Case.objects.all():
        lc = lifecycle_for(case.kind, case.direction)
        assert case.status in lc.states
        assert case.is_open == lc.is_active(case.status)
        assert (case.closed_at is None) == case.is_open
        running = case.deadlines.filter(status=c.DeadlineStatus.RUNNING).order_by("due_at").first()
        assert case.next_due_at == (running.due_at if running else None)
        assert case.created_at <= before
        events = list(case.events.order_by("at", "id").values_list("verb", "params"))
        assert events[0] == ("registered", {"reference": case.reference})
        transitions = [(p["source"], p["target"]) for verb, p in events if verb == "transition"]
        assert [t for _s, t in transitions][-1:] == ([case.status] if transitions else [])
        assert all(lc.get(s, t) for s, t in transitions)
        if not case.is_open:
            assert not case.deadlines.filter(status=c.DeadlineStatus.RUNNING).exists()
        if case.status == "executed":
            assert all(m.is_done for m in case.measures.all())
    # Every step wrote its audit record, in time order, and the chain holds.
    assert audit.verify().ok
    times = list(AuditRecord.objects.order_by("id").values_list("at", flat=True))
    assert times == sorted(times)
    assert (
        AuditRecord.objects.filter(action="case.transition").count() == Event.objects.filter(verb="transition").count()
    )
    # Documents are real files whose digest is the one recorded.
    document = Document.objects.filter(kind=c.DocumentKind.REQUEST).first()
    version = document.current
    with version.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == version.sha256
    assert Case.objects.filter(created_by__username="prosecutor", direction=c.Direction.OUTGOING).exists()
    assert Case.objects.filter(created_by__username="clerk", direction=c.Direction.INCOMING).exists()
    # Played again, nothing is added.
    assert build_demo(demo_users, count=30, seed=7) == []


def test_secret_matters_go_to_the_head_only(demo_users: Any) -> None:
    build_demo(demo_users, count=60, seed=11)
    secret = Case.objects.filter(confidentiality=Confidentiality.SECRET)
    assert secret.exists()
    assert set(secret.values_list("officer__username", flat=True)) <= {"head", None}
    for membership in CaseMember.objects.select_related("case", "user"):
        assert membership.user.clearance >= membership.case.confidentiality


CHECK = """
import json
from collections import Counter
from django.utils import timezone
from entraide.accounts.models import User
from entraide.audit import log
from entraide.audit.models import AuditRecord
from entraide.cases.models import Case, DocumentVersion
from entraide.cases.lifecycles import LIFECYCLES
cases = Case.objects.all()
states = {code: sorted({c.status for c in cases if c.lifecycle.code == code}) for code in LIFECYCLES}
print(json.dumps({
    "users": {u.username: [u.role, u.check_password("entraide-demo"), u.is_superuser]
              for u in User.objects.all()},
    "cases": cases.count(),
    "kinds": sorted({f"{c.direction}:{c.kind}" for c in cases}),
    "countries": cases.values("counterpart_country").distinct().count(),
    "overdue": cases.filter(is_open=True, next_due_at__lt=timezone.now()).count(),
    "states": states,
    "audit": AuditRecord.objects.count(),
    "chain": log.verify().ok,
    "files": all(v.file.storage.exists(v.file.name) for v in DocumentVersion.objects.all()),
    "documents": DocumentVersion.objects.count(),
}))
"""


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the full demo runs once, in the SQLite run: it always builds its own SQLite file",
)
def test_the_demo_command_builds_a_working_register_once(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTRAIDE_")}
    env.update(
        ENTRAIDE_DATA_DIR=str(tmp_path / "var"),
        ENTRAIDE_DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'demo.sqlite3'}",
        ENTRAIDE_DEBUG="1",
        DJANGO_SETTINGS_MODULE="entraide.settings",
    )

    def entraide(*args: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own console script
            [sys.executable, "-m", "entraide.cli", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    out = entraide("demo", "--no-serve")
    assert "demo matters created" in out and "http://127.0.0.1:8000/" in out
    for spec in DEMO_USERS:
        assert spec.username in out
    facts = json.loads(entraide("shell", "-c", CHECK).strip().splitlines()[-1])
    assert {name: role for name, (role, _ok, _su) in facts["users"].items()} == {u.username: u.role for u in DEMO_USERS}
    assert all(ok for _role, ok, _su in facts["users"].values())
    assert facts["users"]["admin"][2] is True
    assert facts["cases"] >= 220
    assert set(facts["kinds"]) == {f"{d}:{k}" for d, k in ALL_KINDS}
    assert facts["countries"] >= 30
    assert facts["overdue"] > 0
    for code, lc in LIFECYCLES.items():
        assert set(facts["states"][code]) == set(lc.states), code
    assert facts["chain"] and facts["files"] and facts["documents"] >= facts["cases"]

    again = entraide("demo", "--no-serve")
    assert "already there" in again
    facts_again = json.loads(entraide("shell", "-c", CHECK).strip().splitlines()[-1])
    assert (facts_again["cases"], facts_again["audit"]) == (facts["cases"], facts["audit"])
    assert Counter(facts_again["kinds"]) == Counter(facts["kinds"])
