"""The case page's "Who saw this matter" panel: the latest reads and changes of the matter, from the audit trail,
for the head and the auditor (the people who answer for need-to-know). Emergency accesses are flagged."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from entraide.audit.models import AuditRecord

SHOWN = 12


def who_saw(request: HttpRequest, case: Any, base: dict[str, Any]) -> dict[str, Any] | None:
    user = request.user
    if not (getattr(user, "is_head", False) or getattr(user, "is_auditor", False)):
        return None
    records = list(
        AuditRecord.objects.filter(case_id=case.pk).order_by("-id").only("id", "at", "actor_name", "action")[:SHOWN]
    )
    return {"records": records, "reference": case.reference}
