"""The auditor's pages: who saw or changed what and when, by user, matter or period, and the export for an
inspector. Reading and exporting the trail are themselves recorded."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from entraide.audit import log as audit
from entraide.audit.log import verify
from entraide.audit.models import AuditRecord
from entraide.audit.queries import AuditFilter, may_read_audit, visible_records
from entraide.cases.models import Case
from entraide.core.auth import acting_user

FIELDS = (
    "id",
    "at",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "case_reference",
    "before",
    "after",
    "request_id",
    "address",
    "hash",
)


def _filtered(request: HttpRequest) -> tuple[Any, AuditFilter]:
    user = acting_user(request)
    if not may_read_audit(user):
        raise Http404
    flt = AuditFilter.from_params(request.GET)
    return flt.apply(visible_records(user), user).order_by("-id"), flt


def _references(records: list[AuditRecord]) -> dict[int, str]:
    ids = {r.case_id for r in records if r.case_id}
    return dict(Case.objects.filter(pk__in=ids).values_list("pk", "reference")) if ids else {}


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    records, flt = _filtered(request)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    references = _references(rows)
    for row in rows:
        row.case_reference = references.get(row.case_id or 0, "")  # type: ignore[attr-defined]
    audit.record("audit.view", actor=acting_user(request), object_type="audit", after=flt.as_dict())
    context = {"nav": "audit", "page": page, "rows": rows, "filter": flt}
    if request.GET.get("verify"):
        context["chain"] = verify()
    return render(request, "audit/list.html", context)


def _row(record: AuditRecord, reference: str) -> dict[str, Any]:
    return {
        "id": record.id,
        "at": record.at.isoformat(),
        "actor_name": record.actor_name,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "case_id": record.case_id,
        "case_reference": reference,
        "before": record.before,
        "after": record.after,
        "request_id": record.request_id,
        "address": record.address,
        "hash": record.hash,
    }


def _stream(records: Any, fmt: str) -> Iterator[str]:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIELDS)
        writer.writeheader()
        yield buffer.getvalue()
    batch: list[AuditRecord] = []

    def flush() -> Iterator[str]:
        references = _references(batch)
        for record in batch:
            row = _row(record, references.get(record.case_id or 0, ""))
            if fmt == "csv":
                out = io.StringIO()
                row["before"] = json.dumps(row["before"], ensure_ascii=False) if row["before"] is not None else ""
                row["after"] = json.dumps(row["after"], ensure_ascii=False) if row["after"] is not None else ""
                csv.DictWriter(out, fieldnames=FIELDS).writerow(row)
                yield out.getvalue()
            else:
                yield json.dumps(row, ensure_ascii=False) + "\n"

    for record in records.iterator(chunk_size=2000):
        batch.append(record)
        if len(batch) >= 2000:
            yield from flush()
            batch = []
    yield from flush()


@login_required
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    records, flt = _filtered(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in {"csv", "jsonl"}:
        raise Http404
    records = records.order_by("id")
    audit.record(
        "audit.export",
        actor=acting_user(request),
        object_type="audit",
        after={**flt.as_dict(), "format": fmt, "records": records.count()},
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(
        _stream(records, fmt),
        content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="entraide-audit-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
