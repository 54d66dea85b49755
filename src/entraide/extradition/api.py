"""Extradition's REST API (``/api/v1/extradition/…``).

Every queryset starts from ``visible_cases(user)``: what a user may not see answers 404. Every change is one
call to ``extradition.actions``, which checks the actor's right, audits and writes the timeline.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.cases import choices as cc
from entraide.cases.api import ApiViewMixin, _errors
from entraide.cases.models import Case
from entraide.cases.queries import visible_cases
from entraide.core.auth import acting_user
from entraide.core.errors import ActionError
from entraide.extradition import actions
from entraide.extradition import serializers as s
from entraide.extradition.models import Assurance, CompetingRequest, JudicialStep, SpecialityConsent
from entraide.extradition.queries import clock_view, custody_rows, extradition_clocks


def _visible_extradition(user: Any) -> QuerySet[Case]:
    return visible_cases(user).filter(kind__in=cc.EXTRADITION_KINDS)


def _case_of(request: Request, pk: Any) -> Case:
    try:
        return _visible_extradition(request.user).select_related("legal_basis").get(pk=int(pk))
    except (Case.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


@extend_schema_view(
    list=extend_schema(summary=_("Extradition matters you may see, with their clocks")),
    retrieve=extend_schema(
        summary=_("One extradition matter: clocks, custody, judicial phase, assurances, speciality"),
        responses={200: s.ExtraditionSummarySerializer, **_errors(404)},
    ),
)
class ExtraditionViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    serializer_class = s.ExtraditionSummarySerializer

    def get_queryset(self) -> QuerySet[Case]:
        return (
            _visible_extradition(self.request.user)
            .filter(is_open=True)
            .select_related("surrender_logistics")
            .prefetch_related(
                "custodies", "judicial_steps", "assurances", "speciality_consents", "competing_requests__case"
            )
            .order_by("next_due_at", "id")
        )

    def _summary(self, case: Case) -> Response:
        return self._output(self.get_queryset().get(pk=case.pk))

    @extend_schema(
        summary=_("Record the arrest (provisional arrest here, or arrest abroad on our request)"),
        request=s.ArrestInputSerializer,
        responses={200: s.ExtraditionSummarySerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def arrest(self, request: Request, pk: str | None = None) -> Response:
        case = _case_of(request, pk)
        data = self._input(s.ArrestInputSerializer).validated_data
        if data["subject"].case_id != case.pk:
            raise ActionError(_("This person is not a subject of this matter."), fields={"subject": _("Not in it.")})
        actions.record_arrest(case, actor=acting_user(request), **data)
        return self._summary(case)

    @extend_schema(
        summary=_("Record the formal request received (incoming) or delivered abroad (outgoing)"),
        request=s.MomentInputSerializer,
        responses={200: s.ExtraditionSummarySerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="formal-request", filter_backends=[])
    def formal_request(self, request: Request, pk: str | None = None) -> Response:
        case = _case_of(request, pk)
        data = self._input(s.MomentInputSerializer).validated_data
        actions.record_formal_request(case, actor=acting_user(request), at=data["at"])
        return self._summary(case)

    @extend_schema(
        summary=_("Record a step of the judicial phase"),
        request=s.StepInputSerializer,
        responses={201: s.StepSerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def steps(self, request: Request, pk: str | None = None) -> Response:
        case = _case_of(request, pk)
        data = self._input(s.StepInputSerializer).validated_data
        step = actions.record_step(case, actor=acting_user(request), **data)
        return self._output(step, s.StepSerializer, status=201)

    @extend_schema(
        summary=_("Record a status update sent to the counterpart"),
        request=s.StatusUpdateInputSerializer,
        responses={200: s.ExtraditionSummarySerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="status-update", filter_backends=[])
    def status_update(self, request: Request, pk: str | None = None) -> Response:
        case = _case_of(request, pk)
        data = self._input(s.StatusUpdateInputSerializer).validated_data
        actions.record_status_update(case, actor=acting_user(request), **data)
        return self._summary(case)

    @extend_schema(
        summary=_("Generate the status letter to the counterpart and file it (DOCX and PDF)"),
        request=s.StatusLetterInputSerializer,
        responses={201: s.FiledDocumentSerializer(many=True), **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="status-letter", filter_backends=[])
    def status_letter(self, request: Request, pk: str | None = None) -> Response:
        case = _case_of(request, pk)
        data = self._input(s.StatusLetterInputSerializer).validated_data
        documents = actions.file_status_letter(case, actor=acting_user(request), language=data["language"])
        return Response(s.FiledDocumentSerializer(documents, many=True).data, status=201)

    @extend_schema(
        summary=_("The review of the formal request against the grounds for refusal, and what it leads to"),
        responses={200: s.GroundsReviewSerializer, **_errors(404)},
        filters=False,
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def grounds(self, request: Request, pk: str | None = None) -> Response:
        return self._grounds(_case_of(request, pk))

    def _grounds(self, case: Case) -> Response:
        from entraide.extradition.models import GroundAssessment
        from entraide.extradition.queries import grounds_conclusions

        data = {"grounds": GroundAssessment.objects.filter(case=case), "conclusions": grounds_conclusions(case)}
        return Response(s.GroundsReviewSerializer(data).data)

    @extend_schema(
        summary=_("Record findings on grounds for refusal"),
        request=s.GroundsInputSerializer,
        responses={200: s.GroundsReviewSerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @grounds.mapping.post
    def assess_grounds(self, request: Request, pk: str | None = None) -> Response:
        case = _case_of(request, pk)
        data = self._input(s.GroundsInputSerializer).validated_data
        findings = {item["ground"]: (item["finding"], item["note"]) for item in data["findings"]}
        actions.assess_grounds(case, actor=acting_user(request), findings=findings)
        return self._grounds(case)

    @extend_schema(
        summary=_("Update the surrender's logistics and record the arrival"),
        request=s.LogisticsSerializer,
        responses={200: s.LogisticsSerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def logistics(self, request: Request, pk: str | None = None) -> Response:
        case = _case_of(request, pk)
        data = self._input(s.LogisticsSerializer, partial=True).validated_data
        if not data:
            raise ActionError(_("Send at least one field."), fields={"place": _("Required.")})
        logistics = actions.update_logistics(case, actor=acting_user(request), **data)
        return Response(s.LogisticsSerializer(logistics).data)

    @extend_schema(
        summary=_("Record a competing request from another State for the same person"),
        request=s.CompetingSerializer,
        responses={201: s.CompetingSerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def competing(self, request: Request, pk: str | None = None) -> Response:
        case = _case_of(request, pk)
        data = self._input(s.CompetingSerializer).validated_data
        competing = actions.record_competing_request(case, actor=acting_user(request), **data)
        return Response(s.CompetingSerializer(competing).data, status=201)


class ClockViewSet(ApiViewMixin, viewsets.ViewSet):
    pagination_class = None  # type: ignore[assignment]

    @extend_schema(
        summary=_("Running extradition clocks of the matters you may see, nearest first"),
        responses={200: s.ClockSerializer(many=True)},
    )
    def list(self, request: Request) -> Response:
        deadlines = extradition_clocks(_visible_extradition(request.user).filter(is_open=True))[:500]
        return Response(s.ClockSerializer([clock_view(d) for d in deadlines], many=True).data)


class CustodyViewSet(ApiViewMixin, viewsets.ViewSet):
    pagination_class = None  # type: ignore[assignment]

    @extend_schema(
        summary=_("Everyone held in extradition proceedings, with their clocks"),
        responses={200: s.CustodyWithClocksSerializer(many=True)},
    )
    def list(self, request: Request) -> Response:
        rows = custody_rows(request.user)
        clocks = {row["case"].pk: row["clocks"] for row in rows}
        data = s.CustodyWithClocksSerializer([row["custody"] for row in rows], many=True, context={"clocks": clocks})
        return Response(data.data)


class _RegisterViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    model: type[Any]

    def get_queryset(self) -> QuerySet:
        return self.model.objects.filter(case__in=visible_cases(self.request.user)).order_by("id")


@extend_schema_view(list=extend_schema(summary=_("Judicial-phase steps of the matters you may see")))
class StepViewSet(_RegisterViewSet):
    model = JudicialStep
    serializer_class = s.StepSerializer


@extend_schema_view(list=extend_schema(summary=_("Assurances of the matters you may see")))
class AssuranceViewSet(_RegisterViewSet, mixins.CreateModelMixin):  # type: ignore[misc]
    model = Assurance
    serializer_class = s.AssuranceSerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._input(s.AssuranceSerializer).validated_data
        case = _case_of(request, data["case"].pk)
        assurance = actions.ask_assurance(
            case, actor=acting_user(request), kind=data["kind"], asked_on=data["asked_on"], details=data["details"]
        )
        return self._output(assurance, status=201)

    @extend_schema(
        summary=_("Record the assurance received and its assessment"),
        request=s.AssessInputSerializer,
        responses={200: s.AssuranceSerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def assess(self, request: Request, pk: str | None = None) -> Response:
        assurance = self.get_object()
        data = self._input(s.AssessInputSerializer).validated_data
        return self._output(actions.assess_assurance(assurance, actor=acting_user(request), **data))

    @extend_schema(
        summary=_("Correct an assurance's date asked or details (audited)"),
        request=s.AssuranceCorrectSerializer,
        responses={200: s.AssuranceSerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def correct(self, request: Request, pk: str | None = None) -> Response:
        return self._output(_correct(request, self.get_object(), s.AssuranceCorrectSerializer, self))


@extend_schema_view(list=extend_schema(summary=_("Speciality and re-extradition consents of the matters you may see")))
class SpecialityViewSet(_RegisterViewSet, mixins.CreateModelMixin):  # type: ignore[misc]
    model = SpecialityConsent
    serializer_class = s.SpecialitySerializer

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._input(s.SpecialitySerializer).validated_data
        case = _case_of(request, data["case"].pk)
        consent = actions.ask_speciality_consent(
            case,
            actor=acting_user(request),
            kind=data["kind"],
            offences=data["offences"],
            requested_on=data["requested_on"],
        )
        return self._output(consent, status=201)

    @extend_schema(
        summary=_("Record the decision on the consent"),
        request=s.DecideInputSerializer,
        responses={200: s.SpecialitySerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        consent = self.get_object()
        data = self._input(s.DecideInputSerializer).validated_data
        return self._output(actions.decide_speciality_consent(consent, actor=acting_user(request), **data))

    @extend_schema(
        summary=_("Correct a request for consent: offences or third State, date, note (audited)"),
        request=s.SpecialityCorrectSerializer,
        responses={200: s.SpecialitySerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def correct(self, request: Request, pk: str | None = None) -> Response:
        return self._output(_correct(request, self.get_object(), s.SpecialityCorrectSerializer, self))


@extend_schema_view(
    list=extend_schema(summary=_("Competing requests from other States in the matters you may see")),
)
class CompetingViewSet(_RegisterViewSet):
    model = CompetingRequest
    serializer_class = s.CompetingEntrySerializer

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("case")

    @extend_schema(
        summary=_("Record which request prevails"),
        request=s.CompetingDecideInputSerializer,
        responses={200: s.CompetingEntrySerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def decide(self, request: Request, pk: str | None = None) -> Response:
        competing = self.get_object()
        data = self._input(s.CompetingDecideInputSerializer).validated_data
        return self._output(actions.decide_competing_request(competing, actor=acting_user(request), **data))

    @extend_schema(
        summary=_("Correct a competing request: State, date, offences, note (audited)"),
        request=s.CompetingCorrectSerializer,
        responses={200: s.CompetingEntrySerializer, **_errors(400, 403, 404, 409)},
        filters=False,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def correct(self, request: Request, pk: str | None = None) -> Response:
        return self._output(_correct(request, self.get_object(), s.CompetingCorrectSerializer, self))


def _correct(request: Request, entry: Any, serializer_class: Any, view: Any) -> Any:
    data = view._input(serializer_class).validated_data
    if not data:
        raise ActionError(_("Send at least one field to correct."))
    return actions.correct_entry(entry, actor=acting_user(request), **data)


def register(router: Any) -> None:
    router.register("extradition/matters", ExtraditionViewSet, basename="extradition")
    router.register("extradition/clocks", ClockViewSet, basename="extradition-clock")
    router.register("extradition/custody", CustodyViewSet, basename="extradition-custody")
    router.register("extradition/steps", StepViewSet, basename="extradition-step")
    router.register("extradition/assurances", AssuranceViewSet, basename="extradition-assurance")
    router.register("extradition/speciality", SpecialityViewSet, basename="extradition-speciality")
    router.register("extradition/competing", CompetingViewSet, basename="extradition-competing-request")
