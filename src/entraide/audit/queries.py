"""What of the audit trail a user may read, and the auditor's filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from entraide.audit.models import AuditRecord
from entraide.cases.queries import visible_cases


def may_read_audit(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_auditor", False))


def visible_records(user: Any) -> QuerySet[AuditRecord]:
    """The auditor reads every record except those about a matter above their clearance (need-to-know holds)."""
    if not may_read_audit(user):
        return AuditRecord.objects.none()
    return AuditRecord.objects.filter(Q(case_id__isnull=True) | Q(case_id__in=visible_cases(user).values("pk")))


@dataclass
class AuditFilter:
    user: str = ""
    case: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_params(cls, params: Any) -> AuditFilter:
        def day(name: str) -> date | None:
            try:
                return date.fromisoformat(params.get(name, "")) if params.get(name) else None
            except ValueError:
                return None

        return cls(
            user=params.get("user", "").strip()[:150],
            case=params.get("case", "").strip()[:60],
            action=params.get("action", "").strip()[:80],
            since=day("since"),
            until=day("until"),
        )

    def as_dict(self) -> dict[str, str]:
        return {
            key: str(value)
            for key, value in {
                "user": self.user,
                "case": self.case,
                "action": self.action,
                "since": self.since,
                "until": self.until,
            }.items()
            if value
        }

    def apply(self, records: QuerySet[AuditRecord], viewer: Any) -> QuerySet[AuditRecord]:
        if self.user:
            records = records.filter(actor_name__iexact=self.user)
        if self.case:
            cases = visible_cases(viewer)
            match = cases.filter(reference=self.case).values_list("pk", flat=True).first()
            if match is None and self.case.isdigit():
                match = cases.filter(pk=int(self.case)).values_list("pk", flat=True).first()
            records = records.filter(case_id=match) if match is not None else records.none()
        if self.action:
            records = records.filter(action__startswith=self.action)
        tz = timezone.get_current_timezone()
        if self.since:
            records = records.filter(at__gte=datetime.combine(self.since, time.min, tzinfo=tz))
        if self.until:
            records = records.filter(at__lt=datetime.combine(self.until + timedelta(days=1), time.min, tzinfo=tz))
        return records
