"""The informal register's REST API (``/api/v1/informal-contacts/``): the same need-to-know as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.cases import choices as cc
from entraide.cases.queries import visible_cases
from entraide.core.auth import acting_user
from entraide.core.choices import Confidentiality
from entraide.core.errors import ActionError
from entraide.directory.models import Country
from entraide.informal import actions
from entraide.informal import choices as c
from entraide.informal.models import InformalContact
from entraide.informal.queries import visible_contacts


class InformalIdentifierSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=cc.IdentifierType.choices)
    value = serializers.CharField(max_length=200)


class InformalSubjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=cc.SubjectKind.choices, default=cc.SubjectKind.PERSON)
    name = serializers.CharField(max_length=300, allow_blank=True, default="")
    original_script_name = serializers.CharField(max_length=300, allow_blank=True, default="")
    birth_date = serializers.DateField(required=False, allow_null=True)
    nationality = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.all(), required=False, allow_null=True
    )
    identifiers = InformalIdentifierSerializer(many=True, required=False, default=list)


class InformalContactSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    channel = serializers.ChoiceField(choices=c.InformalChannel.choices)
    counterpart_country = serializers.SlugRelatedField(slug_field="code", queryset=Country.objects.all())
    counterpart_unit = serializers.CharField(max_length=300, allow_blank=True, default="")
    occurred_on = serializers.DateField()
    direction = serializers.ChoiceField(choices=c.ContactDirection.choices)
    summary = serializers.CharField()
    outcome = serializers.ChoiceField(choices=c.Outcome.choices, default=c.Outcome.PENDING)
    outcome_note = serializers.CharField(allow_blank=True, default="")
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, default=Confidentiality.RESTRICTED)
    subjects = InformalSubjectSerializer(many=True, required=False, default=list, write_only=True)
    cases = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, default=list, write_only=True
    )
    officer = serializers.CharField(source="officer.username", read_only=True, default=None)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        user = self.context["request"].user
        # Only the linked matters the reader may see are named.
        data["cases"] = list(visible_cases(user).filter(informal_contacts=instance).values_list("reference", flat=True))
        data["subjects"] = InformalSubjectSerializer(instance.subjects.all(), many=True).data
        return data


class InformalContactUpdateSerializer(serializers.Serializer):
    counterpart_unit = serializers.CharField(max_length=300, allow_blank=True, required=False)
    summary = serializers.CharField(required=False)
    outcome = serializers.ChoiceField(choices=c.Outcome.choices, required=False)
    outcome_note = serializers.CharField(allow_blank=True, required=False)


class InformalContactViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = InformalContactSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[InformalContact]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return InformalContact.objects.none()
        qs = visible_contacts(acting_user(self.request)).select_related("counterpart_country", "officer", "created_by")
        channel = self.request.query_params.get("channel")
        if channel:
            qs = qs.filter(channel=channel)
        return qs.prefetch_related("subjects")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = acting_user(request)
        serializer = InformalContactSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        subjects = [dict(s) for s in data.pop("subjects", [])]
        for subject in subjects:
            subject["identifiers"] = [dict(i) for i in subject.get("identifiers", [])]
        references = data.pop("cases", [])
        cases = []
        for index, reference in enumerate(references):
            case = visible_cases(user).filter(reference=reference).first()
            if case is None:
                raise ActionError(_("No such matter."), fields={f"cases.{index}": _("No such matter.")}, status=400)
            cases.append(case)
        contact = actions.register_contact(actor=user, subjects=subjects, cases=cases, **data)
        return Response(InformalContactSerializer(contact, context={"request": request}).data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contact = self.get_object()
        serializer = InformalContactUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data:
            actions.update_contact(contact, actor=acting_user(request), **serializer.validated_data)
        return Response(
            InformalContactSerializer(self.get_queryset().get(pk=contact.pk), context={"request": request}).data
        )

    @action(detail=True, methods=["post"])
    def subjects(self, request: Request, pk: str | None = None) -> Response:
        contact = self.get_object()
        serializer = InformalSubjectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["identifiers"] = [dict(i) for i in data.get("identifiers", [])]
        actions.add_subject(contact, actor=acting_user(request), **data)
        return Response(
            InformalContactSerializer(self.get_queryset().get(pk=contact.pk), context={"request": request}).data,
            status=201,
        )


class ChannelAdviceViewSet(viewsets.ViewSet):
    """``GET /api/v1/channel-advice/?measure=…&country=…&purpose=intelligence|evidence``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("measure", str, required=True, description="A measure type (see /api/v1/measure-types/)."),
            OpenApiParameter("country", str, required=True, description="ISO 3166-1 alpha-2 code of the other State."),
            OpenApiParameter("purpose", str, required=True, enum=["intelligence", "evidence"]),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request: Request) -> Response:
        from dataclasses import asdict

        from entraide.cases.catalogue import MeasureType
        from entraide.informal.advisor import advise
        from entraide.informal.models import Purpose, Verdict

        params = request.query_params
        errors: dict[str, Any] = {}
        if params.get("measure") not in MeasureType.values:
            errors["measure"] = _("Unknown measure.")
        if not Country.objects.filter(code=(params.get("country") or "").upper()).exists():
            errors["country"] = _("Unknown country.")
        if params.get("purpose") not in Purpose.values:
            errors["purpose"] = _("Give intelligence or evidence.")
        if errors:
            raise ActionError(_("The data sent is invalid: correct the fields marked."), fields=errors)
        advice = advise(measure=params["measure"], country=params["country"].upper(), purpose=params["purpose"])
        data = asdict(advice)
        data["verdict_label"] = str(Verdict(advice.verdict).label)
        return Response(data)


def register(router: Any) -> None:
    router.register("informal-contacts", InformalContactViewSet, basename="informal-contact")
    router.register("channel-advice", ChannelAdviceViewSet, basename="channel-advice")
