"""The audit chain detects records modified, removed or reordered directly in the database."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from entraide.audit import log
from entraide.audit.models import AuditRecord


@pytest.fixture
def chain(db, head):
    for n in range(5):
        log.record("test.event", actor=head, object_type="thing", object_id=str(n), after={"n": n})
    return list(AuditRecord.objects.order_by("id").values_list("id", flat=True))


def test_an_untouched_chain_verifies(chain, capsys):
    assert log.verify().ok
    call_command("audit", "verify")
    assert "5 records verified" in capsys.readouterr().out


def test_a_record_changed_with_raw_sql_is_detected(chain):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditrecord SET action = %s WHERE id = %s", ["test.forged", chain[2]])
    result = log.verify()
    assert not result.ok and result.first_bad_id == chain[2] and "modified" in result.problem
    with pytest.raises(CommandError, match="broken"):
        call_command("audit", "verify")


def test_a_deleted_record_is_detected(chain):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord WHERE id = %s", [chain[1]])
    result = log.verify()
    assert not result.ok and result.first_bad_id == chain[2]


def test_reordered_records_are_detected(chain):
    a, b = AuditRecord.objects.get(id=chain[1]), AuditRecord.objects.get(id=chain[3])
    with connection.cursor() as cursor:
        for source, target in ((a, b), (b, a)):
            cursor.execute(
                "UPDATE audit_auditrecord SET object_id = %s, after = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [
                    source.object_id,
                    json.dumps({"n": source.after["n"]}),
                    source.prev_hash,
                    str(source.id).rjust(64, "x"),
                    target.id,
                ],
            )
    assert not log.verify().ok
