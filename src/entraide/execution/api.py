"""The execution API (``/api/v1/execution-tasks/``, ``/api/v1/execution-results/``).

Every queryset starts from ``visible_tasks(user)``: a user of an executing authority reaches the tasks of that
authority and nothing else; the Central Authority's staff reach the tasks of the matters they may see. Every
change is one call to ``execution.actions``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.cases.api import ApiViewMixin, _errors, _refuse_oversized
from entraide.cases.choices import EXTRADITION_KINDS
from entraide.cases.models import Case, Measure
from entraide.cases.queries import visible_cases
from entraide.cases.serializers import ErrorSerializer
from entraide.core.auth import acting_user
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.execution import actions
from entraide.execution import serializers as s
from entraide.execution.models import (
    Consultation,
    DisclosureDuty,
    EvidenceItem,
    ExecutionTask,
    TaskEntry,
    TaskResult,
)
from entraide.execution.queries import find_duplicates, visible_tasks


def _task_queryset(user: Any) -> QuerySet[ExecutionTask]:
    return (
        visible_tasks(user)
        .select_related("case", "authority", "measure", "contact")
        .prefetch_related(
            Prefetch("entries", queryset=TaskEntry.objects.select_related("author")),
            Prefetch("results", queryset=TaskResult.objects.select_related("uploaded_by")),
            "challenges",
        )
    )


@extend_schema_view(
    list=extend_schema(summary=_("Execution tasks you may see (an executing authority: its own)")),
    retrieve=extend_schema(responses={200: s.TaskSerializer, **_errors(404)}),
    create=extend_schema(
        summary=_("Give an execution task to a national executing authority"),
        request=s.TaskCreateSerializer,
        responses={201: s.TaskSerializer, **_errors(400, 403, 409)},
    ),
)
class ExecutionTaskViewSet(  # type: ignore[misc]
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.TaskSerializer

    def get_queryset(self) -> QuerySet[ExecutionTask]:
        return _task_queryset(self.request.user).order_by("due_on", "id")

    def get_parsers(self) -> list[Any]:
        if getattr(self, "action", None) == "results":
            return [MultiPartParser(), FormParser()]
        return super().get_parsers()

    def _done(self, task: ExecutionTask, status: int = 200) -> Response:
        return self._output(self.get_queryset().get(pk=task.pk), status=status)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from entraide.accounts.models import User

        data = dict(self._input(s.TaskCreateSerializer).validated_data)
        case = data.pop("case")
        measure_id = data.pop("measure")
        contact_id = data.pop("contact")
        measure = None
        if measure_id is not None:
            measure = Measure.objects.filter(pk=measure_id, case=case).first()
            if measure is None:
                raise ActionError(_("No such measure on this matter."), fields={"measure": _("No such measure.")})
        contact = None
        if contact_id is not None:
            contact = User.objects.filter(pk=contact_id).first()
            if contact is None:
                raise ActionError(_("No such user."), fields={"contact": _("No such user.")})
        task = actions.create_task(case, actor=acting_user(request), measure=measure, contact=contact, **data)
        return self._done(task, status=201)

    @extend_schema(
        summary=_("Record progress (or the outcome) of a task"),
        request=s.ProgressInputSerializer,
        responses={200: s.TaskSerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        data = self._input(s.ProgressInputSerializer).validated_data
        return self._done(actions.report_progress(task, actor=acting_user(request), **data))

    @extend_schema(
        summary=_("Ask the Central Authority a question on a task"),
        request=s.TextInputSerializer,
        responses={200: s.TaskSerializer, **_errors(400, 403, 404)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def question(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        data = self._input(s.TextInputSerializer).validated_data
        actions.ask_question(task, actor=acting_user(request), text=data["text"])
        return self._done(task)

    @extend_schema(
        summary=_("Answer an executing authority's question"),
        request=s.AnswerInputSerializer,
        responses={200: s.TaskSerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        data = self._input(s.AnswerInputSerializer).validated_data
        question = task.entries.filter(pk=data["question"]).first()
        if question is None:
            raise Http404
        actions.answer_question(question, actor=acting_user(request), text=data["text"])
        return self._done(task)

    @extend_schema(
        summary=_("Return a result file for a task"),
        description=_(
            "The same file twice is refused (409, code `duplicate`); a file after the deadline is kept and marked late."
        ),
        request={"multipart/form-data": s.ResultUploadSerializer},
        responses={
            201: s.TaskSerializer,
            **_errors(400, 403, 404, 409),
            413: OpenApiResponse(ErrorSerializer, description=_("The file is too large.")),
        },
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def results(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        _refuse_oversized(request)
        data = self._input(s.ResultUploadSerializer).validated_data
        actions.add_result(task, data["file"], actor=acting_user(request), description=data["description"])
        return self._done(task, status=201)

    @extend_schema(
        summary=_("Give the task to another executing authority"),
        request=s.ReassignInputSerializer,
        responses={200: s.TaskSerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def reassign(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        data = self._input(s.ReassignInputSerializer).validated_data
        return self._done(actions.reassign_task(task, actor=acting_user(request), **data))

    @extend_schema(
        summary=_("Cancel a task"),
        request=s.ReasonInputSerializer,
        responses={200: s.TaskSerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        data = self._input(s.ReasonInputSerializer).validated_data
        return self._done(actions.cancel_task(task, actor=acting_user(request), reason=data["reason"]))

    @extend_schema(
        summary=_("Record a challenge to the executing authority's decision (good practice 6)"),
        request=s.ChallengeInputSerializer,
        responses={200: s.TaskSerializer, **_errors(400, 403, 404)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def challenges(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        data = self._input(s.ChallengeInputSerializer).validated_data
        actions.record_challenge(task, actor=acting_user(request), **data)
        return self._done(task)

    @extend_schema(
        summary=_("Record the hearing date or the outcome of a challenge"),
        request=s.ChallengeOutcomeInputSerializer,
        responses={200: s.TaskSerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="challenge-outcome", filter_backends=[])
    def challenge_outcome(self, request: Request, pk: str | None = None) -> Response:
        task = self.get_object()
        data = dict(self._input(s.ChallengeOutcomeInputSerializer).validated_data)
        challenge = task.challenges.filter(pk=data.pop("challenge")).first()
        if challenge is None:
            raise Http404
        actions.record_challenge_outcome(challenge, actor=acting_user(request), **data)
        return self._done(task)


@extend_schema_view(
    list=extend_schema(summary=_("Results returned on the tasks you may see")),
    retrieve=extend_schema(responses={200: s.ResultSerializer, **_errors(404)}),
)
class ExecutionResultViewSet(  # type: ignore[misc]
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.ResultSerializer

    def get_queryset(self) -> QuerySet[TaskResult]:
        return (
            TaskResult.objects.filter(task__in=visible_tasks(self.request.user))
            .select_related("task", "uploaded_by")
            .order_by("id")
        )

    @extend_schema(
        summary=_("Download a result (its SHA-256 is checked first)"),
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **_errors(404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def download(self, request: Request, pk: str | None = None) -> FileResponse:
        result = self.get_object()
        digest = hashlib.sha256()
        try:
            with result.file.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                    digest.update(chunk)
        except OSError:
            pass
        if digest.hexdigest() != result.sha256:
            raise Conflict(
                _(
                    "The stored file no longer matches the fingerprint (SHA-256) recorded when it was filed. "
                    "Tell the administrator."
                ),
                code="integrity_error",
            )
        actions.record_result_download(result, actor=acting_user(request))
        response = FileResponse(
            result.file.open("rb"), as_attachment=True, filename=result.original_name, content_type=result.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        response["X-Checksum-SHA256"] = result.sha256
        return response


@extend_schema_view(
    retrieve=extend_schema(
        summary=_("The admissibility review of an incoming request (by the matter's id)"),
        responses={200: s.AdmissibilitySerializer, **_errors(404)},
    ),
)
class AdmissibilityViewSet(ApiViewMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    serializer_class = s.AdmissibilitySerializer

    def get_queryset(self) -> QuerySet[Case]:
        return (
            visible_cases(self.request.user)
            .filter(direction="incoming")
            .exclude(kind__in=list(EXTRADITION_KINDS))
            .prefetch_related(
                "admissibility_items", "admissibility_decisions__decided_by", "consultations__recorded_by"
            )
        )

    def _done(self, case: Case) -> Response:
        return self._output(self.get_queryset().get(pk=case.pk))

    @extend_schema(
        summary=_("Assess items of the checklist"),
        request=s.AssessInputSerializer,
        responses={200: s.AdmissibilitySerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def assess(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._input(s.AssessInputSerializer).validated_data
        items = {code: (entry["value"], entry["note"]) for code, entry in data["items"].items()}
        actions.save_assessments(case, actor=acting_user(request), items=items)
        return self._done(case)

    @extend_schema(
        summary=_("Record a consultation of the requesting State (UNTOC art. 18(26))"),
        request=s.ConsultationInputSerializer,
        responses={200: s.AdmissibilitySerializer, **_errors(400, 403, 404)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def consultations(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._input(s.ConsultationInputSerializer).validated_data
        actions.record_consultation(case, actor=acting_user(request), **data)
        return self._done(case)

    @extend_schema(
        summary=_("Decide: accept, accept in part, ask for information, postpone or refuse"),
        request=s.DecisionInputSerializer,
        responses={200: s.AdmissibilitySerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = dict(self._input(s.DecisionInputSerializer).validated_data)
        measures = list(Measure.objects.filter(case=case, pk__in=data.pop("refused_measures")))
        consultation_id = data.pop("consultation")
        consultation = None
        if consultation_id is not None:
            consultation = Consultation.objects.filter(case=case, pk=consultation_id).first()
            if consultation is None:
                raise ActionError(
                    _("No such consultation on this matter."), fields={"consultation": _("No such consultation.")}
                )
        actions.decide(case, actor=acting_user(request), refused_measures=measures, consultation=consultation, **data)
        return self._done(case)

    @extend_schema(
        summary=_("The requesting State's supplementary information arrived"),
        description=_("The clocks paused by the request resume and the review continues."),
        request=s.SupplementaryAnswerInputSerializer,
        responses={200: s.AdmissibilitySerializer, **_errors(400, 403, 404)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._input(s.SupplementaryAnswerInputSerializer).validated_data
        actions.record_supplementary_answer(
            case, actor=acting_user(request), summary=data["summary"], received_at=data["received_at"]
        )
        return self._done(case)

    @extend_schema(
        summary=_("Resume the execution of a postponed request"),
        description=_("The executing authorities whose tasks are open are told they may go on."),
        request=s.ResumeInputSerializer,
        responses={200: s.AdmissibilitySerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        case = self.get_object()
        data = self._input(s.ResumeInputSerializer).validated_data
        actions.resume_execution(case, actor=acting_user(request), reason=data["reason"])
        return self._done(case)


class DuplicateCheckViewSet(ApiViewMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    """Probable duplicates of an incoming request about to be registered."""

    serializer_class = s.DuplicatesSerializer

    def get_queryset(self) -> QuerySet[Case]:
        return visible_cases(self.request.user)

    @extend_schema(
        summary=_("Probable duplicates of a request about to be registered"),
        description=_(
            "Same counterpart reference and country, or a subject of the same name in another open matter. Matters "
            "you may not see are only counted (`restricted`)."
        ),
        request=s.DuplicateCheckInputSerializer,
        responses={200: s.DuplicatesSerializer, **_errors(400, 403)},
    )
    def create(self, request: Request) -> Response:
        from entraide.directory.models import Country
        from entraide.execution.views import may_register_incoming

        user = acting_user(request)
        if not may_register_incoming(user):
            raise Forbidden(_("Your role does not allow registering matters."))
        data = self._input(s.DuplicateCheckInputSerializer).validated_data
        country = Country.objects.filter(code=data["counterpart_country"].upper()).first()
        found = find_duplicates(user, country=country, reference=data["counterpart_reference"], names=data["names"])
        return Response(s.DuplicatesSerializer(found).data)


@extend_schema_view(
    list=extend_schema(summary=_("Evidence gathered on the incoming matters you may see, with its chain of custody")),
    retrieve=extend_schema(responses={200: s.EvidenceSerializer, **_errors(404)}),
)
class EvidenceViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    serializer_class = s.EvidenceSerializer

    def get_queryset(self) -> QuerySet[EvidenceItem]:
        return (
            EvidenceItem.objects.filter(case__in=visible_cases(self.request.user))
            .select_related("returned_in")
            .prefetch_related("custody")
            .order_by("id")
        )

    @extend_schema(
        summary=_("Return evidence to the requesting State in one package, with its transmittal letter"),
        request=s.ReturnInputSerializer,
        responses={201: s.ReturnPackageSerializer, **_errors(400, 403, 409)},
        filters=False,
    )
    @action(detail=False, methods=["post"], url_path="return", url_name="return", filter_backends=[])
    def return_items(self, request: Request) -> Response:
        data = dict(self._input(s.ReturnInputSerializer).validated_data)
        case = data.pop("case")
        items = list(EvidenceItem.objects.filter(case=case, pk__in=data.pop("items")))
        package = actions.return_evidence(case, actor=acting_user(request), items=items, **data)
        return Response(s.ReturnPackageSerializer(package).data, status=201)


@extend_schema_view(
    list=extend_schema(summary=_("Duties to notify a person, on the matters you may see")),
    retrieve=extend_schema(responses={200: s.DisclosureDutySerializer, **_errors(404)}),
    create=extend_schema(
        summary=_("Record that national law obliges notifying a person (the requesting State must be told first)"),
        request=s.DisclosureDutyInputSerializer,
        responses={201: s.DisclosureDutySerializer, **_errors(400, 403)},
    ),
)
class DisclosureDutyViewSet(  # type: ignore[misc]
    ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.DisclosureDutySerializer

    def get_queryset(self) -> QuerySet[DisclosureDuty]:
        return DisclosureDuty.objects.filter(case__in=visible_cases(self.request.user)).order_by("notify_on", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = dict(self._input(s.DisclosureDutyInputSerializer).validated_data)
        case = data.pop("case")
        duty = actions.record_disclosure_duty(case, actor=acting_user(request), **data)
        return self._output(duty, status=201)

    @extend_schema(
        summary=_("The requesting State was told of the coming notification"),
        request=s.NoticeInputSerializer,
        responses={200: s.DisclosureDutySerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def notice(self, request: Request, pk: str | None = None) -> Response:
        duty = self.get_object()
        data = self._input(s.NoticeInputSerializer).validated_data
        return self._output(actions.record_disclosure_notice(duty, actor=acting_user(request), **data))

    @extend_schema(
        summary=_("The person was notified (only after the requesting State was told)"),
        request=s.NotifiedInputSerializer,
        responses={200: s.DisclosureDutySerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def notified(self, request: Request, pk: str | None = None) -> Response:
        duty = self.get_object()
        data = self._input(s.NotifiedInputSerializer).validated_data
        return self._output(actions.record_person_notified(duty, actor=acting_user(request), **data))


def register(router: Any) -> None:
    router.register("execution-tasks", ExecutionTaskViewSet, basename="execution-task")
    router.register("execution-results", ExecutionResultViewSet, basename="execution-result")
    router.register("execution-admissibility", AdmissibilityViewSet, basename="admissibility")
    router.register("execution-duplicates", DuplicateCheckViewSet, basename="execution-duplicate")
    router.register("execution-evidence", EvidenceViewSet, basename="execution-evidence")
    router.register("execution-disclosures", DisclosureDutyViewSet, basename="execution-disclosure")
