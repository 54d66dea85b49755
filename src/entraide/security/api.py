"""API endpoints of the security app: the audit trail for the auditor."""

from __future__ import annotations

from typing import Any

from entraide.audit.api import AuditRecordViewSet


def register(router: Any) -> None:
    router.register("audit-records", AuditRecordViewSet, basename="audit-record")
