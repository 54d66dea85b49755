"""Serializers of the execution API. A task read by its executing authority carries nothing of the matter."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from entraide.cases.serializers import VisibleCaseField
from entraide.directory.models import Authority
from entraide.execution import checklist
from entraide.execution import choices as x
from entraide.execution.models import (
    Challenge,
    Consultation,
    CustodyEvent,
    Decision,
    DisclosureDuty,
    EvidenceItem,
    ExecutionTask,
    ReturnPackage,
    TaskEntry,
    TaskResult,
)
from entraide.execution.queries import sees_case


class EntrySerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.get_full_name")
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = TaskEntry
        fields = ["id", "kind", "kind_label", "text", "author", "at", "answered_at"]


class ResultSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.get_full_name")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = TaskResult
        fields = [
            "id",
            "task",
            "original_name",
            "description",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "late",
            "download_url",
        ]

    def get_download_url(self, obj: TaskResult) -> str:
        return reverse("execution-result-download", args=[obj.pk])


class ChallengeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Challenge
        fields = [
            "id",
            "by",
            "challenger",
            "decision",
            "forum",
            "filed_on",
            "hearing_on",
            "suspends",
            "outcome",
            "outcome_on",
            "outcome_note",
        ]


class ChallengeInputSerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=x.ChallengeBy.choices)
    challenger = serializers.CharField(max_length=300)
    decision = serializers.CharField()
    forum = serializers.CharField(max_length=300)
    filed_on = serializers.DateField()
    hearing_on = serializers.DateField(required=False, allow_null=True, default=None)
    suspends = serializers.BooleanField(required=False, default=False)


class ChallengeOutcomeInputSerializer(serializers.Serializer):
    challenge = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=x.ChallengeOutcome.choices)
    outcome_on = serializers.DateField()
    hearing_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TaskSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    authority_name = serializers.CharField(source="authority.display_name")
    measure = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    is_late = serializers.BooleanField()
    on_hold_since = serializers.DateField(read_only=True, allow_null=True)
    entries = EntrySerializer(many=True)
    results = ResultSerializer(many=True)
    challenges = ChallengeSerializer(many=True)

    class Meta:
        model = ExecutionTask
        fields = [
            "id",
            "reference",
            "case",
            "title",
            "instructions",
            "due_on",
            "status",
            "status_label",
            "status_note",
            "is_late",
            "on_hold_since",
            "authority",
            "authority_name",
            "measure",
            "contact",
            "created_at",
            "finished_at",
            "entries",
            "results",
            "challenges",
        ]

    def get_case(self, obj: ExecutionTask) -> dict[str, Any] | None:
        """The matter, for readers who may see it; ``null`` for the executing authority."""
        request = self.context.get("request")
        if request is None or not sees_case(request.user, obj):
            return None
        return {"id": obj.case_id, "reference": obj.case.reference}

    def get_measure(self, obj: ExecutionTask) -> dict[str, Any] | None:
        m = obj.measure
        if m is None:
            return None
        label = str(m.get_type_display())
        return {"type": m.type, "type_label": label, "description": m.description, "details": m.details}

    def get_contact(self, obj: ExecutionTask) -> dict[str, str]:
        c = obj.contact
        return {"name": str(c), "email": c.email, "phone": c.phone}


class TaskCreateSerializer(serializers.Serializer):
    case = VisibleCaseField()
    measure = serializers.IntegerField(required=False, allow_null=True, default=None)
    authority = serializers.PrimaryKeyRelatedField(queryset=Authority.objects.all())
    title = serializers.CharField(max_length=255)
    instructions = serializers.CharField()
    due_on = serializers.DateField()
    contact = serializers.IntegerField(required=False, allow_null=True, default=None)


class ProgressInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in x.TASK_REPORTABLE], default="in_progress")
    text = serializers.CharField(max_length=10000)


class TextInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=10000)


class AnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField(help_text=_("The id of the question (an entry of kind `question`)."))
    text = serializers.CharField(max_length=10000)


class ReassignInputSerializer(serializers.Serializer):
    authority = serializers.PrimaryKeyRelatedField(queryset=Authority.objects.all())
    reason = serializers.CharField(max_length=2000)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


@extend_schema_serializer(component_name="ExecutionReasonInput")
class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ResultUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, use_url=False)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


# --- admissibility ------------------------------------------------------------------------------------------


class ConsultationSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.username")

    class Meta:
        model = Consultation
        fields = ["id", "at", "channel", "counterpart", "summary", "recorded_by", "recorded_at"]


@extend_schema_serializer(component_name="AdmissibilityDecision")
class DecisionSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    decided_by = serializers.CharField(source="decided_by.username")

    class Meta:
        model = Decision
        fields = [
            "id",
            "kind",
            "kind_label",
            "reasons",
            "grounds",
            "refused_measures",
            "consultation",
            "decided_by",
            "decided_at",
            "paused_deadlines",
            "answered_at",
            "answer_summary",
        ]


class AdmissibilitySerializer(serializers.Serializer):
    """The admissibility review of an incoming matter: checklist, decisions, consultations."""

    case = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    items = serializers.SerializerMethodField()
    decisions = DecisionSerializer(many=True, source="admissibility_decisions.all")
    consultations = ConsultationSerializer(many=True, source="consultations.all")

    def get_items(self, case: Any) -> list[dict[str, Any]]:
        current = {a.code: a for a in case.admissibility_items.all()}
        rows = []
        for item in checklist.ITEMS:
            found = current.get(item.code)
            value = found.value if found else ""
            rows.append(
                {
                    "code": item.code,
                    "group": item.group,
                    "label": str(item.label),
                    "source": item.source,
                    "value": value,
                    "value_label": str(dict(item.choices).get(value, "")),
                    "note": found.note if found else "",
                }
            )
        return rows


class AssessmentInputSerializer(serializers.Serializer):
    value = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True, required=False, default="")


@extend_schema_serializer(component_name="ExecutionAssessInput")
class AssessInputSerializer(serializers.Serializer):
    items = serializers.DictField(child=AssessmentInputSerializer(), help_text=_("Item code → {value, note}."))


class ConsultationInputSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    channel = serializers.CharField()
    counterpart = serializers.CharField(max_length=255)
    summary = serializers.CharField(max_length=10000)


class DecisionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=x.DecisionKind.choices)
    reasons = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    grounds = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    refused_measures = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    consultation = serializers.IntegerField(required=False, allow_null=True, default=None)


class SupplementaryAnswerInputSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=10000)
    received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ResumeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=10000)


class DuplicateCheckInputSerializer(serializers.Serializer):
    counterpart_country = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("ISO code."))
    counterpart_reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    names = serializers.ListField(child=serializers.CharField(max_length=300), required=False, default=list)


class DuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="case.pk")
    reference = serializers.CharField(source="case.reference")
    title = serializers.CharField(source="case.title")
    reasons = serializers.ListField(child=serializers.CharField())


class DuplicatesSerializer(serializers.Serializer):
    visible = DuplicateSerializer(many=True)
    restricted = serializers.IntegerField(help_text=_("Possible duplicates among matters you may not see."))


# --- evidence -----------------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="EvidenceCustody")
class CustodySerializer(serializers.ModelSerializer):
    class Meta:
        model = CustodyEvent
        fields = ["at", "from_party", "to_party", "note"]


class EvidenceSerializer(serializers.ModelSerializer):
    custody = CustodySerializer(many=True)
    returned_in = serializers.IntegerField(source="returned_in.number", allow_null=True, default=None)

    class Meta:
        model = EvidenceItem
        fields = [
            "id",
            "case",
            "task",
            "kind",
            "description",
            "seal_number",
            "sha256",
            "holder",
            "returned_in",
            "custody",
        ]


class ReturnInputSerializer(serializers.Serializer):
    case = VisibleCaseField()
    items = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    channel = serializers.CharField()
    sent_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    language = serializers.CharField(required=False, allow_blank=True, default="", max_length=8)
    letter = serializers.BooleanField(required=False, default=True)


class ReturnPackageSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReturnPackage
        fields = ["id", "case", "number", "channel", "sent_at", "partial", "note", "documents"]


# --- confidentiality duties ---------------------------------------------------------------------------------


class DisclosureDutySerializer(serializers.ModelSerializer):
    class Meta:
        model = DisclosureDuty
        fields = ["id", "case", "task", "person", "legal_basis", "notify_on", "notice_sent_at", "notified_at", "note"]


class DisclosureDutyInputSerializer(serializers.Serializer):
    case = VisibleCaseField()
    person = serializers.CharField(max_length=300)
    legal_basis = serializers.CharField(max_length=300)
    notify_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoticeInputSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    channel = serializers.CharField()


class NotifiedInputSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
