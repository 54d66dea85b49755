"""The register's REST API (``/api/v1/``).

Every queryset starts from ``visible_cases(user)``: what a user may not see answers 404, as if it did not
exist. Every change is one call to ``cases.actions``, which checks the actor's rights, audits and writes the
timeline.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from entraide.accounts.models import Role
from entraide.cases import actions
from entraide.cases import filters as f
from entraide.cases import serializers as s
from entraide.cases.models import (
    Case,
    CaseLink,
    Communication,
    Deadline,
    Document,
    DocumentVersion,
    Measure,
    Offence,
    Subject,
)
from entraide.cases.queries import can_work_on, visible_cases
from entraide.cases.timeline import rule_names
from entraide.core.api import exception_handler
from entraide.core.auth import acting_user
from entraide.core.errors import ActionError, Conflict
from entraide.core.extensions import step_blocked, step_owner

log = logging.getLogger("entraide.security")

# --- plumbing -----------------------------------------------------------------------------------------------


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class CaseOrdering(OrderingFilter):
    """Ordering with a stable tie-break that the indexes can serve, and matters without a deadline last when
    sorting by due date."""

    def filter_queryset(self, request: Request, queryset: QuerySet, view: Any) -> QuerySet:
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        terms: list[Any] = []
        for term in ordering:
            name = term.lstrip("-")
            if name == "next_due_at":
                terms.append(F(name).desc(nulls_last=True) if term.startswith("-") else F(name).asc(nulls_last=True))
            else:
                terms.append(term)
        names = [term.lstrip("-") for term in ordering]
        # Ties: newest first under an ascending sort, so that a descending sort is its exact reverse.
        descending = ordering[0].startswith("-")
        if "created_at" in names:
            terms.append("-id" if ordering[names.index("created_at")].startswith("-") else "id")
        elif "reference" not in names:
            terms += ["created_at", "id"] if descending else ["-created_at", "-id"]
        return queryset.order_by(*terms)


ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description=_("Invalid input; `fields` says what is wrong.")),
    403: OpenApiResponse(s.ErrorSerializer, description=_("Your role or assignment does not allow it.")),
    404: OpenApiResponse(s.ErrorSerializer, description=_("No such object, or not visible to you.")),
}
CONFLICT = {409: OpenApiResponse(s.ErrorSerializer, description=_("Refused by the lifecycle or a concurrent change."))}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    merged = {**ERRORS, **CONFLICT}
    return {code: merged[code] for code in codes}


class ApiViewMixin:
    pagination_class = Pagination
    lookup_value_regex = r"\d+"

    def get_exception_handler(self) -> Any:
        return exception_handler

    def _input(self, serializer_class: type[BaseSerializer], **kwargs: Any) -> Any:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)  # type: ignore[attr-defined]
        serializer.is_valid(raise_exception=True)
        return serializer

    def _output(self, obj: Any, serializer_class: type[BaseSerializer] | None = None, status: int = 200) -> Response:
        serializer_class = serializer_class or self.get_serializer_class()  # type: ignore[attr-defined]
        return Response(serializer_class(obj, context=self.get_serializer_context()).data, status=status)  # type: ignore[attr-defined]


# --- matters ------------------------------------------------------------------------------------------------


def transitions_for(case: Case, user: Any) -> list[dict[str, Any]]:
    """The steps ``user`` may take from the matter's current state, each with its unmet condition, if any."""
    if user.role in {Role.OFFICER, Role.REQUESTING} and not can_work_on(user, case):
        return []
    lifecycle = case.lifecycle
    options = []
    for step in lifecycle.next_states(case.status):
        if user.role not in step.roles:
            continue
        problem = next((p for p in (guard(case) for guard in step.guards) if p), None)
        owner = step_owner(case, step.target)
        if owner is not None:
            problem = problem or _("This step is taken from “{page}”.").format(page=owner.label)
        problem = problem or step_blocked(case, step.target)
        options.append(
            {
                "to": step.target,
                "state_label": str(lifecycle.label(step.target)),
                "label": str(step.label or lifecycle.label(step.target)),
                "needs_reason": step.needs_reason,
                "available": problem is None,
                "blocked_by": str(problem) if problem else None,
                "taken_from": owner.url(case) if owner is not None else None,
            }
        )
    return options


LIST_ONLY = (
    *(field.name for field in Case._meta.concrete_fields),
    "counterpart_country__name",
    "counterpart_country__name_fr",
    "counterpart_country__name_ar",
    "legal_basis__code",
    "officer__username",
    "created_by__username",
)


@extend_schema_view(
    list=extend_schema(
        summary=_("Matters you may see"),
        description=_(
            "Filter with the query parameters below; `q` searches references, titles, summaries and subject "
            "names (accents and case ignored)."
        ),
    ),
    retrieve=extend_schema(summary=_("One matter"), responses={200: s.CaseSerializer, **_errors(404)}),
    create=extend_schema(
        summary=_("Register a matter"),
        description=_("With its first offences, subjects (with identifiers) and measures: all saved, or nothing."),
        request=s.CaseCreateSerializer,
        responses={201: s.CaseSerializer, **_errors(400, 403)},
    ),
    partial_update=extend_schema(
        summary=_("Change a matter's details"),
        description=_("Send `version` to refuse the change (409) if someone else changed the matter since."),
        request=s.CaseUpdateSerializer,
        responses={200: s.CaseSerializer, **_errors(400, 403, 404, 409)},
    ),
)
class CaseViewSet(  # type: ignore[misc]
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.CaseSerializer
    filterset_class = f.CaseApiFilter
    filter_backends = [DjangoFilterBackend, CaseOrdering]
    ordering_fields = ["reference", "created_at", "priority", "next_due_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Case]:
        # Memberships read now (one small query): an officer's list and count come from an index on the officer.
        return visible_cases(self.request.user, now=True).select_related(
            "counterpart_country", "legal_basis", "officer", "created_by"
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Of the related objects, only what the serializer shows: building 200 whole users, countries and
        # instruments for a page of 50 matters cost more than its queries.
        queryset = self.filter_queryset(self.get_queryset()).only(*LIST_ONLY)
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        context = {**self.get_serializer_context(), "counts": s.case_counts([row.pk for row in rows])}
        data = s.CaseSerializer(rows, many=True, context=context).data
        if request.query_params.get("q"):
            # Who searched for a name is part of who saw what.
            actions.record_search(actor=acting_user(request), query=request.query_params.urlencode())
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        actions.record_view(case, actor=acting_user(request))
        return self._output(case)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._input(s.CaseCreateSerializer)
        case = actions.register_case(
            actor=acting_user(request),
            offences=data.validated_data.get("offences", []),
            subjects=data.validated_data.get("subjects", []),
            measures=data.validated_data.get("measures", []),
            **data.fields_for_action(),
        )
        return self._output(self.get_queryset().get(pk=case.pk), status=201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_object()
        data = self._input(s.CaseUpdateSerializer, partial=True)
        changes = data.fields_for_action()
        if changes or "version" in data.validated_data:
            actions.update_case(
                case, actor=acting_user(request), expected_version=data.validated_data.get("version"), **changes
            )
        return self._output(self.get_queryset().get(pk=case.pk))

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.MethodNotAllowed(request.method)  # type: ignore[arg-type]

    @extend_schema(
        summary=_("Move a matter to another state"),
        request=s.TransitionInputSerializer,
        responses={200: s.CaseSerializer, **_errors(400, 403, 404, 409)},
        description=_(
            "A step the lifecycle does not allow answers 409 with `code` `transition_not_allowed` and the "
            "possible next states; an unmet condition (e.g. measures not executed) answers 409 with `code` "
            "`guard`."
        ),
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._input(s.TransitionInputSerializer).validated_data
        actions.transition(case, data["to"], actor=acting_user(request), reason=data["reason"])
        return self._output(self.get_queryset().get(pk=case.pk))

    @extend_schema(
        summary=_("The steps you may take from the current state"),
        responses={200: s.TransitionOptionSerializer(many=True), **_errors(404)},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        return Response(s.TransitionOptionSerializer(transitions_for(case, request.user), many=True).data)

    @extend_schema(
        summary=_("Assign the matter to an officer (head of the Central Authority only)"),
        request=s.AssignInputSerializer,
        responses={200: s.CaseSerializer, **_errors(400, 403, 404)},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._input(s.AssignInputSerializer).validated_data
        actions.assign(case, data["officer"], actor=acting_user(request), reason=data["reason"])
        return self._output(self.get_queryset().get(pk=case.pk))

    @extend_schema(
        summary=_("The matter's timeline, newest first"),
        responses={200: s.EventSerializer(many=True), **_errors(404)},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def timeline(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        events = case.events.select_related("actor").order_by("-at", "-id")
        page = self.paginate_queryset(events)
        rows = list(page if page is not None else events)
        for event in rows:
            event.case = case
        context = {**self.get_serializer_context(), "rule_names": rule_names(rows)}
        data = s.EventSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)


# --- what hangs off a matter --------------------------------------------------------------------------------


class _ChildViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    """Objects of the matters the user may see; the matter is ``case`` unless said otherwise."""

    model: type[Any]
    ordering_fields: list[str] = ["id"]
    ordering = ["id"]

    def get_queryset(self) -> QuerySet:
        return self.model.objects.filter(case__in=visible_cases(self.request.user))


@extend_schema_view(
    list=extend_schema(summary=_("Subjects of the matters you may see")),
    retrieve=extend_schema(responses={200: s.SubjectSerializer, **_errors(404)}),
    create=extend_schema(
        summary=_("Add a subject, with its identifiers"),
        request=s.SubjectCreateSerializer,
        responses={201: s.SubjectSerializer, **_errors(400, 403)},
    ),
    partial_update=extend_schema(
        request=s.SubjectUpdateSerializer, responses={200: s.SubjectSerializer, **_errors(400, 403, 404)}
    ),
    destroy=extend_schema(
        parameters=[OpenApiParameter("reason", str, description=_("Why the subject is removed."))],
        responses={204: None, **_errors(403, 404)},
    ),
)
class SubjectViewSet(_ChildViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin):  # type: ignore[misc]
    model = Subject
    serializer_class = s.SubjectSerializer
    filterset_class = f.SubjectApiFilter
    ordering_fields = ["id", "name", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Subject]:
        return super().get_queryset().prefetch_related("identifiers")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = dict(self._input(s.SubjectCreateSerializer).validated_data)
        case = data.pop("case")
        subject = actions.add_subject(case, actor=acting_user(request), **data)
        return self._output(self.get_queryset().get(pk=subject.pk), status=201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        subject = self.get_object()
        data = self._input(s.SubjectUpdateSerializer, partial=True).validated_data
        if data:
            actions.update_subject(subject, actor=acting_user(request), **data)
        return self._output(self.get_queryset().get(pk=subject.pk))

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.MethodNotAllowed(request.method)  # type: ignore[arg-type]

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        subject = self.get_object()
        actions.remove_subject(
            subject, actor=acting_user(request), reason=request.query_params.get("reason", "")[:2000]
        )
        return Response(status=204)

    @extend_schema(
        summary=_("Add an identifier to a subject"),
        request=s.IdentifierInputSerializer,
        responses={201: s.SubjectSerializer, **_errors(400, 403, 404)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def identifiers(self, request: Request, pk: str | None = None) -> Response:
        subject = self.get_object()
        data = self._input(s.IdentifierInputSerializer).validated_data
        actions.add_identifier(subject, actor=acting_user(request), **data)
        return self._output(self.get_queryset().get(pk=subject.pk), status=201)


@extend_schema_view(
    list=extend_schema(summary=_("Measures of the matters you may see")),
    retrieve=extend_schema(responses={200: s.MeasureSerializer, **_errors(404)}),
    create=extend_schema(
        summary=_("Request a measure"),
        description=_("`type` from /measure-types/; `details` are checked against that type's fields."),
        request=s.MeasureCreateSerializer,
        responses={201: s.MeasureSerializer, **_errors(400, 403)},
    ),
    partial_update=extend_schema(
        request=s.MeasureUpdateSerializer, responses={200: s.MeasureSerializer, **_errors(400, 403, 404)}
    ),
)
class MeasureViewSet(_ChildViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):  # type: ignore[misc]
    model = Measure
    serializer_class = s.MeasureSerializer
    filterset_class = f.MeasureApiFilter
    ordering_fields = ["id", "type", "status", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = dict(self._input(s.MeasureCreateSerializer).validated_data)
        case = data.pop("case")
        measure = actions.add_measure(case, actor=acting_user(request), **data)
        return self._output(measure, status=201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        measure = self.get_object()
        data = self._input(s.MeasureUpdateSerializer, partial=True).validated_data
        measure = actions.update_measure(
            measure, actor=acting_user(request), details=data.get("details"), description=data.get("description")
        )
        return self._output(measure)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.MethodNotAllowed(request.method)  # type: ignore[arg-type]

    @extend_schema(
        summary=_("Record a measure's status"),
        request=s.MeasureStatusInputSerializer,
        responses={200: s.MeasureSerializer, **_errors(400, 403, 404)},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="status", filter_backends=[])
    def set_status(self, request: Request, pk: str | None = None) -> Response:
        measure = self.get_object()
        data = self._input(s.MeasureStatusInputSerializer).validated_data
        measure = actions.set_measure_status(measure, data["status"], actor=acting_user(request), note=data["note"])
        return self._output(measure)


@extend_schema(
    summary=_("The catalogue of measures, with the fields each needs"),
    responses={200: s.MeasureTypeSerializer(many=True)},
)
class MeasureTypeViewSet(ApiViewMixin, viewsets.ViewSet):
    pagination_class = None  # type: ignore[assignment]

    def list(self, request: Request) -> Response:
        return Response(s.MeasureTypeSerializer(s.measure_catalogue(), many=True).data)


@extend_schema_view(
    list=extend_schema(summary=_("Offences of the matters you may see")),
    retrieve=extend_schema(responses={200: s.OffenceSerializer, **_errors(404)}),
    create=extend_schema(request=s.OffenceCreateSerializer, responses={201: s.OffenceSerializer, **_errors(400, 403)}),
    destroy=extend_schema(
        parameters=[OpenApiParameter("reason", str, description=_("Why the offence is removed."))],
        responses={204: None, **_errors(403, 404)},
    ),
)
class OffenceViewSet(_ChildViewSet, mixins.CreateModelMixin, mixins.DestroyModelMixin):  # type: ignore[misc]
    model = Offence
    serializer_class = s.OffenceSerializer
    filterset_class = f.OffenceApiFilter

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = dict(self._input(s.OffenceCreateSerializer).validated_data)
        case = data.pop("case")
        return self._output(actions.add_offence(case, actor=acting_user(request), **data), status=201)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        offence = self.get_object()
        actions.remove_offence(
            offence, actor=acting_user(request), reason=request.query_params.get("reason", "")[:2000]
        )
        return Response(status=204)


@extend_schema_view(
    list=extend_schema(summary=_("Communications logged on the matters you may see")),
    retrieve=extend_schema(responses={200: s.CommunicationSerializer, **_errors(404)}),
    create=extend_schema(
        summary=_("Log a communication"),
        request=s.CommunicationCreateSerializer,
        responses={201: s.CommunicationSerializer, **_errors(400, 403)},
    ),
)
class CommunicationViewSet(_ChildViewSet, mixins.CreateModelMixin):  # type: ignore[misc]
    model = Communication
    serializer_class = s.CommunicationSerializer
    filterset_class = f.CommunicationApiFilter
    ordering_fields = ["id", "at"]
    ordering = ["-at", "-id"]

    def get_queryset(self) -> QuerySet[Communication]:
        return super().get_queryset().select_related("recorded_by")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = dict(self._input(s.CommunicationCreateSerializer).validated_data)
        case = data.pop("case")
        return self._output(actions.log_communication(case, actor=acting_user(request), **data), status=201)


@extend_schema_view(
    list=extend_schema(summary=_("Links between matters you may see")),
    retrieve=extend_schema(responses={200: s.LinkSerializer, **_errors(404)}),
    create=extend_schema(
        summary=_("Link two matters"),
        request=s.LinkCreateSerializer,
        responses={201: s.LinkSerializer, **_errors(400, 403, 409)},
    ),
)
class LinkViewSet(_ChildViewSet, mixins.CreateModelMixin):  # type: ignore[misc]
    model = CaseLink
    serializer_class = s.LinkSerializer
    filterset_class = f.LinkApiFilter

    def get_queryset(self) -> QuerySet[CaseLink]:
        visible = visible_cases(self.request.user)
        # Both ends: a link must not reveal a matter the user may not see.
        return CaseLink.objects.filter(source__in=visible, target__in=visible).select_related(
            "source", "target", "created_by"
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._input(s.LinkCreateSerializer).validated_data
        link = actions.link_cases(data["source"], data["target"], actor=acting_user(request), kind=data["kind"])
        return self._output(link, status=201)


@extend_schema_view(
    list=extend_schema(
        summary=_("Deadlines of the matters you may see"),
        description=_("Each deadline names the rule it comes from and that rule's source."),
    ),
    retrieve=extend_schema(responses={200: s.DeadlineSerializer, **_errors(404)}),
)
class DeadlineViewSet(_ChildViewSet):
    model = Deadline
    serializer_class = s.DeadlineSerializer
    filterset_class = f.DeadlineApiFilter
    ordering_fields = ["id", "due_at"]
    ordering = ["due_at", "id"]

    def get_queryset(self) -> QuerySet[Deadline]:
        return super().get_queryset().select_related("rule")

    def _done(self, deadline: Deadline) -> Response:
        return self._output(self.get_queryset().get(pk=deadline.pk))

    @extend_schema(
        summary=_("Pause a running deadline"),
        request=s.ReasonInputSerializer,
        responses={200: s.DeadlineSerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def pause(self, request: Request, pk: str | None = None) -> Response:
        deadline = self.get_object()
        data = self._input(s.ReasonInputSerializer).validated_data
        return self._done(actions.pause_deadline(deadline, actor=acting_user(request), reason=data["reason"]))

    @extend_schema(
        summary=_("Resume a paused deadline (its due date moves by the pause)"),
        request=None,
        responses={200: s.DeadlineSerializer, **_errors(403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        return self._done(actions.resume_deadline(self.get_object(), actor=acting_user(request)))

    @extend_schema(
        summary=_("Extend a deadline"),
        request=s.ExtendInputSerializer,
        responses={200: s.DeadlineSerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def extend(self, request: Request, pk: str | None = None) -> Response:
        deadline = self.get_object()
        data = self._input(s.ExtendInputSerializer).validated_data
        return self._done(
            actions.extend_deadline(deadline, actor=acting_user(request), days=data["days"], reason=data["reason"])
        )

    @extend_schema(
        summary=_("Record a deadline as met"),
        request=s.NoteInputSerializer,
        responses={200: s.DeadlineSerializer, **_errors(403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def met(self, request: Request, pk: str | None = None) -> Response:
        deadline = self.get_object()
        data = self._input(s.NoteInputSerializer).validated_data
        return self._done(actions.meet_deadline(deadline, actor=acting_user(request), note=data["note"]))


# --- documents ----------------------------------------------------------------------------------------------


def _refuse_oversized(request: Request) -> None:
    """Refuse a body larger than the upload limit before reading it."""
    limit = settings.ENTRAIDE_MAX_UPLOAD_MB * 1024 * 1024
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    # Multipart framing and the other fields take a few kilobytes besides the file.
    if length > limit + 64 * 1024:
        raise ActionError(
            _("The file is too large; the limit is {limit} MB.").format(limit=settings.ENTRAIDE_MAX_UPLOAD_MB),
            fields={"file": _("Too large.")},
            status=413,
            code="too_large",
        )


def _sha256_of(version: DocumentVersion) -> str:
    digest = hashlib.sha256()
    with version.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


@extend_schema_view(
    list=extend_schema(summary=_("Documents of the matters you may see")),
    retrieve=extend_schema(responses={200: s.DocumentSerializer, **_errors(404)}),
    create=extend_schema(
        summary=_("File a document"),
        description=_(
            "Multipart upload. The file is checked by its content, not its name: a program renamed "
            "`.pdf` is refused. Too large a file answers 413."
        ),
        request={"multipart/form-data": s.DocumentUploadSerializer},
        responses={
            201: s.DocumentSerializer,
            **_errors(400, 403),
            413: OpenApiResponse(s.ErrorSerializer, description=_("The file is too large.")),
        },
    ),
)
class DocumentViewSet(_ChildViewSet, mixins.CreateModelMixin):  # type: ignore[misc]
    model = Document
    serializer_class = s.DocumentSerializer
    filterset_class = f.DocumentApiFilter
    ordering_fields = ["id", "created_at", "title"]

    def get_queryset(self) -> QuerySet[Document]:
        return super().get_queryset().select_related("created_by").prefetch_related("versions__uploaded_by")

    def get_parsers(self) -> list[Any]:
        if getattr(self, "action", None) in {"create", "versions"}:
            return [MultiPartParser(), FormParser()]
        return super().get_parsers()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_oversized(request)
        data = dict(self._input(s.DocumentUploadSerializer).validated_data)
        case = data.pop("case")
        upload = data.pop("file")
        document = actions.add_document(case, upload, actor=acting_user(request), **data)
        return self._output(self.get_queryset().get(pk=document.pk), status=201)

    @extend_schema(
        summary=_("File a new version of a document"),
        request={"multipart/form-data": s.DocumentVersionUploadSerializer},
        responses={
            201: s.DocumentSerializer,
            **_errors(400, 403, 404),
            413: OpenApiResponse(s.ErrorSerializer, description=_("The file is too large.")),
        },
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def versions(self, request: Request, pk: str | None = None) -> Response:
        document = self.get_object()
        _refuse_oversized(request)
        data = self._input(s.DocumentVersionUploadSerializer).validated_data
        actions.add_document_version(document, data["file"], actor=acting_user(request))
        return self._output(self.get_queryset().get(pk=document.pk), status=201)

    @extend_schema(
        summary=_("Download a document (the current version, or `?version=N`)"),
        description=_(
            "The stored file's SHA-256 is checked first: if it no longer matches, nothing is sent "
            "and the answer is 409."
        ),
        parameters=[OpenApiParameter("version", int, description=_("Version number; the latest if absent."))],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **_errors(404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        document = self.get_object()
        versions = document.versions.all()
        wanted = request.query_params.get("version")
        if wanted:
            if not wanted.isdigit():
                raise Http404
            versions = versions.filter(number=int(wanted))
        version = versions.order_by("-number").first()
        if version is None:
            raise Http404
        try:
            intact = _sha256_of(version) == version.sha256
        except OSError:
            intact = False
        if not intact:
            log.error(
                "document %s version %s: stored file missing or altered (expected sha256 %s)",
                document.pk,
                version.number,
                version.sha256,
            )
            raise Conflict(
                _(
                    "The stored file no longer matches the fingerprint (SHA-256) recorded when it was "
                    "filed: it is missing or has been altered, so it was not sent. Tell the administrator."
                ),
                code="integrity_error",
            )
        actions.record_download(version, actor=acting_user(request))
        response = FileResponse(
            version.file.open("rb"),
            as_attachment=True,
            filename=version.original_name,
            content_type=version.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["X-Checksum-SHA256"] = version.sha256
        return response
