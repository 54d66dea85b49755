"""Serializers of the execution API. A task read by its executing authority carries nothing of the matter."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from entraide.cases.serializers import VisibleCaseField
from entraide.directory.models import Authority
from entraide.execution import choices as x
from entraide.execution.models import ExecutionTask, TaskEntry, TaskResult
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


class TaskSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    authority_name = serializers.CharField(source="authority.display_name")
    measure = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    is_late = serializers.BooleanField()
    entries = EntrySerializer(many=True)
    results = ResultSerializer(many=True)

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
            "authority",
            "authority_name",
            "measure",
            "contact",
            "created_at",
            "finished_at",
            "entries",
            "results",
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


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ResultUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, use_url=False)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
