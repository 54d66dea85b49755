"""API shapes of extradition."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from entraide.cases.models import Subject
from entraide.extradition import choices as c
from entraide.extradition.models import (
    Assurance,
    CompetingRequest,
    Custody,
    GroundAssessment,
    JudicialStep,
    Logistics,
    SpecialityConsent,
)
from entraide.extradition.queries import clock_view


class ClockSerializer(serializers.Serializer):
    """A running or paused clock as a countdown, with its rule and source."""

    id = serializers.IntegerField(source="deadline.pk")
    case = serializers.IntegerField(source="deadline.case_id")
    rule = serializers.CharField(source="deadline.rule.code")
    clock = serializers.CharField(source="deadline.rule.clock_rule.clock")
    name = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.source
    status = serializers.CharField(source="deadline.status")
    starts_at = serializers.DateTimeField(source="deadline.starts_at")
    due_at = serializers.DateTimeField()
    days_left = serializers.IntegerField()
    hours_left = serializers.IntegerField()
    level = serializers.CharField(help_text=_("danger below the alert threshold or overdue; warning; primary"))
    text = serializers.CharField()


def clocks_data(deadlines: Any) -> list[dict[str, Any]]:
    return list(ClockSerializer([clock_view(d) for d in deadlines], many=True).data)


class CustodySerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="case.reference", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Custody
        fields = [
            "id",
            "case",
            "reference",
            "subject",
            "person_name",
            "arrested_at",
            "place",
            "abroad",
            "status",
            "status_label",
            "status_since",
        ]


class CustodyWithClocksSerializer(CustodySerializer):
    clocks = serializers.SerializerMethodField()

    class Meta(CustodySerializer.Meta):
        fields = [*CustodySerializer.Meta.fields, "clocks"]

    def get_clocks(self, obj: Custody) -> list[dict[str, Any]]:
        return list(ClockSerializer(self.context["clocks"].get(obj.case_id, []), many=True).data)


class StepSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = JudicialStep
        fields = ["id", "case", "kind", "kind_label", "at", "court", "outcome", "note", "abroad", "deadline", "warning"]


class StepInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=c.StepKind.choices)
    at = serializers.DateTimeField()
    court = serializers.CharField(required=False, allow_blank=True, default="")
    outcome = serializers.ChoiceField(choices=c.Outcome.choices, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ArrestInputSerializer(serializers.Serializer):
    subject = serializers.PrimaryKeyRelatedField(queryset=Subject.objects.all())
    arrested_at = serializers.DateTimeField()
    place = serializers.CharField(required=False, allow_blank=True, default="")


class MomentInputSerializer(serializers.Serializer):
    at = serializers.DateTimeField()


class StatusUpdateInputSerializer(serializers.Serializer):
    sent_on = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class AssuranceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assurance
        fields = ["id", "case", "kind", "details", "asked_on", "received_on", "assessment", "assessment_note"]
        read_only_fields = ["received_on", "assessment", "assessment_note"]


class AssessInputSerializer(serializers.Serializer):
    received_on = serializers.DateField(required=False, allow_null=True, default=None)
    assessment = serializers.ChoiceField(choices=c.Assessment.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SpecialitySerializer(serializers.ModelSerializer):
    class Meta:
        model = SpecialityConsent
        fields = ["id", "case", "kind", "offences", "requested_on", "decision", "decided_on", "note"]
        read_only_fields = ["decision", "decided_on", "note"]


class DecideInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[c.Decision.GRANTED, c.Decision.REFUSED])
    decided_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ExtraditionSummarySerializer(serializers.Serializer):
    """One extradition matter: its clocks, custody and the registers of its judicial phase."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    direction = serializers.CharField()
    status = serializers.CharField()
    clocks = serializers.SerializerMethodField()
    custodies = CustodySerializer(many=True)
    steps = StepSerializer(many=True, source="judicial_steps")
    assurances = AssuranceSerializer(many=True)
    speciality = SpecialitySerializer(many=True, source="speciality_consents")
    competing = serializers.SerializerMethodField()
    logistics = serializers.SerializerMethodField()

    def get_competing(self, obj: Any) -> list[dict[str, Any]]:
        return list(CompetingEntrySerializer(obj.competing_requests.all(), many=True).data)

    def get_logistics(self, obj: Any) -> dict[str, Any] | None:
        try:
            logistics = obj.surrender_logistics  # selected with the matter (``select_related``)
        except Logistics.DoesNotExist:
            return None
        return dict(LogisticsSerializer(logistics).data)

    def get_clocks(self, obj: Any) -> list[dict[str, Any]]:
        from entraide.extradition.queries import extradition_clocks

        return clocks_data(extradition_clocks([obj.pk]))


class StatusLetterInputSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=["fr", "en", "ar"], required=False, allow_blank=True, default="")


class FiledDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    language = serializers.CharField()


class GroundSerializer(serializers.ModelSerializer):
    mandatory = serializers.BooleanField(read_only=True)

    class Meta:
        model = GroundAssessment
        fields = ["ground", "finding", "note", "mandatory", "assessed_at"]


class GroundInputSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=c.Ground.choices)
    finding = serializers.ChoiceField(choices=c.Finding.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class GroundsInputSerializer(serializers.Serializer):
    findings = GroundInputSerializer(many=True)


class ConclusionSerializer(serializers.Serializer):
    level = serializers.CharField()
    text = serializers.CharField()


class GroundsReviewSerializer(serializers.Serializer):
    grounds = GroundSerializer(many=True)
    conclusions = ConclusionSerializer(many=True)


class LogisticsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Logistics
        fields = ["place", "escort", "travel", "transit", "property_handed_over", "arrived_at", "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {name: {"required": False} for name in fields}


class CompetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetingRequest
        fields = ["id", "country", "received_on", "offences", "note"]


class CompetingEntrySerializer(serializers.ModelSerializer):
    """A competing request in the register across matters."""

    reference = serializers.CharField(source="case.reference", read_only=True)
    decision_label = serializers.CharField(source="get_decision_display", read_only=True)

    class Meta:
        model = CompetingRequest
        fields = [
            "id",
            "case",
            "reference",
            "country",
            "received_on",
            "offences",
            "note",
            "decision",
            "decision_label",
            "decided_on",
        ]
        read_only_fields = fields


class CompetingDecideInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[c.CompetingDecision.PREFERRED, c.CompetingDecision.SET_ASIDE])
    decided_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssuranceCorrectSerializer(serializers.Serializer):
    asked_on = serializers.DateField(required=False)
    details = serializers.CharField(required=False, allow_blank=True)


class SpecialityCorrectSerializer(serializers.Serializer):
    offences = serializers.CharField(required=False)
    requested_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class CompetingCorrectSerializer(serializers.Serializer):
    from entraide.directory.models import Country as _Country

    country = serializers.PrimaryKeyRelatedField(queryset=_Country.objects.all(), required=False)
    received_on = serializers.DateField(required=False)
    offences = serializers.CharField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
