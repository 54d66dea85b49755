"""Fuzzing of the OpenAPI schema with schemathesis: no request, well-formed or not, gets a server error (5xx).

Every operation of the schema is called, signed in as the head (who sees every matter), with requests drawn from
the schema (valid ones) and then against it (wrong types, missing fields, out-of-range values). The whole run is
bounded in time (``ENTRAIDE_FUZZ_SECONDS``, default 75 s of calls; about two minutes in all): each operation gets
its share. This is part of the README's test command (``uv run pytest``), so CI runs it on SQLite and on
PostgreSQL.
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token

from entraide.cases import actions
from entraide.testing import make_case

schemathesis = pytest.importorskip("schemathesis")

BUDGET_SECONDS = float(os.environ.get("ENTRAIDE_FUZZ_SECONDS", "75"))
# The same requests on every run, so that CI's verdict does not depend on luck; ENTRAIDE_FUZZ_RANDOM=1 explores.
DERANDOMIZE = os.environ.get("ENTRAIDE_FUZZ_RANDOM", "") != "1"


class OutOfTime(Exception):
    pass


@pytest.fixture
def world(head: Any, officer: Any) -> dict[str, Any]:
    """A few matters with documents and subjects, so that some drawn ids meet real objects."""
    for number in range(3):
        case = make_case(officer, title=f"Fuzzed matter {number}")
        actions.add_document(case, SimpleUploadedFile("w.txt", b"statement"), actor=officer, kind="annex")
        actions.add_subject(case, actor=officer, kind="person", role="suspect", name=f"Suspect {number}")
    return {"token": Token.objects.create(user=head).key}


# Without a test transaction around it: on PostgreSQL, a request the database refuses (an id out of range) would
# otherwise abort the test's transaction, and every later request with it. Each request commits as in production.
@pytest.mark.django_db(transaction=True)
def test_no_request_drawn_from_the_api_schema_gets_a_server_error(world: dict[str, Any], monkeypatch: Any) -> None:
    from schemathesis import GenerationMode

    from entraide.wsgi import application

    monkeypatch.setenv("ENTRAIDE_API_RATE_PER_MINUTE", "1000000")
    headers = {"Authorization": f"Token {world['token']}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20, "the schema lost its operations"
    started = time.monotonic()
    share = BUDGET_SECONDS / len(operations)
    failures: list[str] = []
    calls = 0
    state = {"until": 0.0, "done": 0}

    for operation in operations:
        state.update(until=time.monotonic() + share, done=0)
        for mode, examples in ((GenerationMode.POSITIVE, 10), (GenerationMode.NEGATIVE, 8)):

            @hypothesis_settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=DERANDOMIZE,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case: Any) -> None:
                nonlocal calls
                if state["done"] and time.monotonic() > state["until"]:
                    raise OutOfTime  # this operation's share is spent (it was called at least once)
                response = case.call(headers=headers)
                calls += 1
                state["done"] += 1
                if response.status_code >= 500:
                    failures.append(f"{response.status_code} {case.as_curl_command(headers=headers)}")

            try:
                call()
            except Unsatisfiable:  # nothing to make invalid (an operation without parameters or body)
                continue
            except OutOfTime:
                break
    elapsed = time.monotonic() - started
    print(f"schemathesis: {len(operations)} operations, {calls} calls in {elapsed:.0f} s")
    assert not failures, "server errors:\n" + "\n".join(failures[:20])
    assert calls >= len(operations)  # every operation was called at least once
