"""Permission matrix rules for the security app's URLs (see core/tests/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from entraide.testing import PAGE_OPEN, rule

AUDITOR_ONLY = rule(302, 404, auditor=200)

MATRIX = {
    "security:two-factor": ("get", PAGE_OPEN),
    "security:verify": ("get", rule(302, 302)),  # no sign-in waiting for a code: back to the login page
    "security:policy": ("get", rule(302, 404, admin_user=200)),
    "security:retention": ("get", rule(302, 404, head=200, admin_user=200)),
    "security:archive": ("get", PAGE_OPEN),  # each sees the archived matters they may see
    "security:break-glass": ("get", rule(302, 404, officer=200, officer2=200, clerk=200, head=200)),
    "security:audit": ("get", AUDITOR_ONLY),
    "security:audit-export": ("get", AUDITOR_ONLY),
    "audit-record-list": ("get", rule(401, 200)),  # an empty list for anyone but the auditor
    "audit-record-detail": ("get", rule(401, 404, auditor=200)),
}

URLS = {
    "audit-record-detail": lambda objects: reverse("audit-record-detail", kwargs={"pk": objects["_audit_record"]}),
}


def prepare(objects: dict[str, Any], request: Any) -> None:
    from entraide.audit.models import AuditRecord

    objects["_audit_record"] = AuditRecord.objects.filter(case_id=objects["pk"]).latest("id").pk
