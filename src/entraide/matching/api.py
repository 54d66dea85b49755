"""Deconfliction API (``/api/v1/matches/``): possible matches seen from the side the reader may see.

A match whose other side the reader may not see says only that a possible match exists in a restricted matter
and whom to ask; its score, reasons and the other subject are left out.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.cases.queries import get_case_for
from entraide.core.auth import acting_user
from entraide.informal.queries import get_contact_for
from entraide.matching import actions
from entraide.matching.models import Match
from entraide.matching.panel import present
from entraide.matching.queries import can_see_entry, visible_matches


@extend_schema_serializer(component_name="MatchDecision")
class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class RunSerializer(serializers.Serializer):
    case = serializers.IntegerField(required=False)
    informal_contact = serializers.IntegerField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("case")) == bool(attrs.get("informal_contact")):
            raise serializers.ValidationError("Give either case or informal_contact.")
        return attrs


def _item(user: Any, match: Match) -> dict[str, Any]:
    mine = match.left if can_see_entry(user, match.left) else match.right
    item = present(user, match, mine)
    item.pop("may_decide", None)
    if not item["visible"]:
        item.pop("score", None)
    item["side"] = {"source": mine.source, "case": mine.case_id, "informal_contact": mine.contact_id}
    return item


class MatchViewSet(viewsets.GenericViewSet):
    """List: ``?case=ID`` or ``?informal_contact=ID`` for one matter's or contact's matches."""

    serializer_class = DecisionSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Match.objects.none()
        qs = visible_matches(acting_user(self.request)).select_related("left", "right", "decided_by")
        case = self.request.query_params.get("case")
        contact = self.request.query_params.get("informal_contact")
        if case:
            get_case_for(acting_user(self.request), case)
            qs = qs.filter(Q(left__case_id=case) | Q(right__case_id=case))
        if contact:
            get_contact_for(acting_user(self.request), contact)
            qs = qs.filter(Q(left__contact_id=contact) | Q(right__contact_id=contact))
        return qs.order_by("-score", "id")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        user = acting_user(request)
        items = [_item(user, m) for m in (page if page is not None else self.get_queryset())]
        return self.get_paginated_response(items) if page is not None else Response(items)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        match = self.get_queryset().filter(pk=pk).first() if str(pk).isdigit() else None
        if match is None:
            raise Http404
        return Response(_item(acting_user(request), match))

    def _decide(self, request: Request, pk: str | None, op: str) -> Response:
        match = self.get_queryset().filter(pk=pk).first() if str(pk).isdigit() else None
        if match is None:
            raise Http404
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = acting_user(request)
        decided = (actions.confirm if op == "confirm" else actions.reject)(
            match, actor=user, note=data.validated_data.get("note", "")
        )
        return Response(_item(user, decided))

    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, pk, "confirm")

    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, pk, "reject")

    @action(detail=False, methods=["post"], serializer_class=RunSerializer)
    def run(self, request: Request) -> Response:
        """Deconflict a matter's (or an informal contact's) subjects now."""
        data = RunSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = acting_user(request)
        if data.validated_data.get("case"):
            found = actions.run_for_case(get_case_for(user, data.validated_data["case"]), actor=user)
        else:
            found = actions.run_for_contact(get_contact_for(user, data.validated_data["informal_contact"]), actor=user)
        return Response([_item(user, m) for m in found])


class SubjectSearchViewSet(viewsets.ViewSet):
    """Search the index of subjects: ``?q=`` a name in any script or an identifier, ``&kind=person|organisation``.

    Returns the hits the reader may see, each with its score and reasons, best first; ``restricted`` is true when
    a possible match exists in a matter or contact the reader may not see, with ``ask`` (the heads of the Central
    Authority) — never more about it. Every search is written to the audit chain."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="A name in any script, or an identifier."),
            OpenApiParameter("kind", str, required=False, enum=["person", "organisation"]),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request: Request) -> Response:
        from rest_framework.exceptions import PermissionDenied, ValidationError

        from entraide.matching.search import MAX_QUERY, may_search, search

        user = acting_user(request)
        if not may_search(user):
            raise PermissionDenied("Searching subjects is for the Central Authority's staff.")
        query = request.query_params.get("q", "")
        kind = request.query_params.get("kind", "")
        if not query.strip():
            raise ValidationError({"q": ["Give a name or an identifier."]})
        if len(query) > MAX_QUERY:
            raise ValidationError({"q": [f"At most {MAX_QUERY} characters."]})
        if kind not in ("", "person", "organisation", "organization"):
            raise ValidationError({"kind": ["person, organisation or nothing."]})
        outcome = search(user, query, kind="organisation" if kind == "organization" else kind)
        return Response(
            {
                "query": outcome.probe.query,
                "read_as": outcome.probe.readings,
                "warnings": outcome.warnings,
                "results": [{k: v for k, v in h.items() if k != "url"} for h in outcome.hits],
                "restricted": outcome.restricted,
                "ask": outcome.heads,
            }
        )


def register(router: Any) -> None:
    router.register("matches", MatchViewSet, basename="match")
    router.register("subject-search", SubjectSearchViewSet, basename="subject-search")
