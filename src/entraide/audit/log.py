"""Writing and verifying the audit chain.

Each record's hash covers its content and the previous record's hash, so a record changed, removed or moved
breaks the chain from that point on. Writers serialise on the last record (``select_for_update``) so two
concurrent writers cannot fork the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from entraide.audit.models import AuditRecord
from entraide.core.context import current_request_meta

GENESIS = "0" * 64


def _canonical(record: AuditRecord) -> bytes:
    payload = {
        "at": record.at.isoformat(),
        "actor": record.actor_id,
        "actor_name": record.actor_name,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "case_id": record.case_id,
        "before": record.before,
        "after": record.after,
        "request_id": record.request_id,
        "address": record.address,
        "prev": record.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def compute_hash(record: AuditRecord) -> str:
    return hashlib.sha256(_canonical(record)).hexdigest()


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str)) if value is not None else None


def record(
    action: str,
    *,
    actor: Any,
    obj: Any = None,
    case_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditRecord:
    """Append one record to the chain. Call inside the transaction of the change it records."""
    meta = current_request_meta()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    with transaction.atomic():
        last = AuditRecord.objects.select_for_update().order_by("-id").only("hash").first()
        entry = AuditRecord(
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=getattr(actor, "username", "") or "system",
            action=action,
            object_type=object_type,
            object_id=object_id,
            case_id=case_id,
            before=_jsonable(before),
            after=_jsonable(after),
            request_id=meta.get("request_id", ""),
            address=meta.get("address", ""),
            prev_hash=last.hash if last else GENESIS,
        )
        entry.hash = compute_hash(entry)
        entry.save(force_insert=True)
    return entry


@dataclass
class VerifyResult:
    checked: int
    ok: bool
    first_bad_id: int | None = None
    problem: str = ""


def verify(batch: int = 5000) -> VerifyResult:
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditRecord.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for row in rows:
            if row.prev_hash != prev:
                return VerifyResult(
                    checked, False, row.id, "previous hash does not match: a record was removed or moved"
                )
            if compute_hash(row) != row.hash:
                return VerifyResult(checked, False, row.id, "content does not match its hash: the record was modified")
            prev = row.hash
            checked += 1
            last_id = row.id
    return VerifyResult(checked, True)
