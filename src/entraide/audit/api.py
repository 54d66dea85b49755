"""The audit trail over the API, for the auditor: the same filters as the page; each call is itself recorded."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.throttling import UserRateThrottle

from entraide.audit.models import AuditRecord
from entraide.audit.queries import AuditFilter, visible_records


class AuditRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditRecord
        fields = (
            "id",
            "at",
            "actor_name",
            "action",
            "object_type",
            "object_id",
            "case_id",
            "before",
            "after",
            "request_id",
            "address",
            "prev_hash",
            "hash",
        )
        read_only_fields = fields


FILTER_PARAMS = [
    OpenApiParameter("user", str, description="User name of the actor"),
    OpenApiParameter("case", str, description="Our reference of a matter (or its id)"),
    OpenApiParameter("action", str, description="Action name or its beginning, e.g. 'document.'"),
    OpenApiParameter("since", str, description="First day, YYYY-MM-DD"),
    OpenApiParameter("until", str, description="Last day, YYYY-MM-DD"),
]


@extend_schema_view(
    list=extend_schema(summary="Audit records (auditor only)", parameters=FILTER_PARAMS, filters=False),
)
class AuditRecordViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditRecordSerializer
    filter_backends: list[Any] = []
    throttle_classes = [UserRateThrottle]

    def get_queryset(self) -> QuerySet[AuditRecord]:
        user = self.request.user
        records = visible_records(user)
        if self.action == "list":
            records = AuditFilter.from_params(self.request.query_params).apply(records, user)
        return records.order_by("-id")
