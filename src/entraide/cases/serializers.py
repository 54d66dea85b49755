"""API representations of the register. Reading serializers shape responses; input serializers only check the
shape of what a client sends: the rules live in ``cases.actions``, which every write goes through."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from entraide.accounts.models import User
from entraide.cases import choices as c
from entraide.cases.catalogue import DEFINITIONS, MeasureType
from entraide.cases.models import (
    CASE_EDITABLE_FIELDS,
    CASE_REGISTRATION_FIELDS,
    SUBJECT_EDITABLE_FIELDS,
    SUBJECT_FIELDS,
    Case,
    CaseLink,
    Communication,
    Deadline,
    Document,
    DocumentVersion,
    Event,
    Identifier,
    Measure,
    Offence,
    Subject,
)
from entraide.cases.queries import visible_cases
from entraide.cases.timeline import describe
from entraide.core.choices import Channel
from entraide.directory.models import Authority, Country, Instrument

# --- fields -------------------------------------------------------------------------------------------------


class VisibleCaseField(serializers.PrimaryKeyRelatedField):
    """A matter the requesting user may see; any other id reads as if it did not exist."""

    default_error_messages = {
        "does_not_exist": _("No such matter."),
        "incorrect_type": _("Give the matter's id (a number)."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Case.objects.none())
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        return visible_cases(getattr(request, "user", None))


class LabelField(serializers.CharField):
    """A choice's label in the reader's language. ``get_FOO_display`` translates every choice on each call,
    which on a page of fifty matters costs more than the query."""

    def __init__(self, model: type[Any], name: str, **kwargs: Any) -> None:
        self.labels = dict(model._meta.get_field(name).flatchoices)
        # Translated once per value: a field lives for one response, in one language.
        self.translated: dict[Any, str] = {}
        super().__init__(source=name, read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        if value not in self.translated:
            self.translated[value] = str(self.labels.get(value, value))
        return self.translated[value]


class CountryField(serializers.SlugRelatedField):
    """A country by its ISO 3166-1 alpha-2 code (any case)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Country.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        return super().to_internal_value(str(data).strip().upper())


def flags_to_fields(flags: list[str]) -> dict[str, bool]:
    """``["cybercrime"]`` → every ``flag_*`` field, set or cleared."""
    return {f"flag_{flag.value}": flag.value in flags for flag in c.Flag}


# What ``case_counts`` counts: (key, model, extra condition on the model's ``status``, its values).
_COUNTED: tuple[tuple[str, type[Any], str, tuple[str, ...]], ...] = (
    ("offences", Offence, "", ()),
    ("subjects", Subject, "", ()),
    ("measures", Measure, "", ()),
    ("measures_open", Measure, "NOT IN", tuple(c.MEASURE_DONE)),
    ("documents", Document, "", ()),
    ("communications", Communication, "", ()),
    ("deadlines_running", Deadline, "IN", (c.DeadlineStatus.RUNNING,)),
)


def case_counts(ids: list[int]) -> dict[int, dict[str, int]]:
    """How many offences, subjects, measures… each matter has, in one query for a whole page.

    Written as SQL: building the seven grouped querysets through the ORM took ten times as long as running them.
    """
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys((key for key, *_rest in _COUNTED), 0) for pk in ids}
    if not ids:
        return counts
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(ids))
    parts: list[str] = []
    params: list[Any] = []
    # Names come from the models and values go as parameters.
    for index, (_key, model, operator, values) in enumerate(_COUNTED):
        table, case_id = quote(model._meta.db_table), quote(model._meta.get_field("case").column)
        where = f"{case_id} IN ({marks})"
        if operator:
            status = quote(model._meta.get_field("status").column)
            where += f" AND {status} {operator} ({', '.join(['%s'] * len(values))})"
        parts.append(f"SELECT {case_id}, COUNT(*), {index} FROM {table} WHERE {where} GROUP BY {case_id}")  # noqa: S608
        params += [*ids, *values]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for case_id, n, index in cursor.fetchall():
            counts[case_id][_COUNTED[index][0]] = n
    return counts


class CaseCountsSerializer(serializers.Serializer):
    offences = serializers.IntegerField()
    subjects = serializers.IntegerField()
    measures = serializers.IntegerField()
    measures_open = serializers.IntegerField(help_text=_("Measures not yet executed, refused or withdrawn."))
    documents = serializers.IntegerField()
    communications = serializers.IntegerField()
    deadlines_running = serializers.IntegerField()


class CaseSerializer(serializers.ModelSerializer):
    direction_label = LabelField(Case, "direction")
    kind_label = LabelField(Case, "kind")
    status_label = serializers.CharField(read_only=True)
    priority_label = LabelField(Case, "priority")
    counterpart_country = serializers.CharField(
        source="counterpart_country_id", read_only=True, help_text=_("ISO 3166-1 alpha-2 code.")
    )
    counterpart_country_name = serializers.CharField(source="counterpart_country.display_name", read_only=True)
    legal_basis = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="code", read_only=True, help_text=_("Instrument code; null for reciprocity.")
    )
    flags = serializers.ListField(child=serializers.ChoiceField(choices=c.Flag.choices), read_only=True)
    officer = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]
    is_overdue = serializers.BooleanField(read_only=True)
    counts = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = (
            "id",
            "reference",
            "direction",
            "direction_label",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "title",
            "summary",
            "counterpart_country",
            "counterpart_country_name",
            "counterpart_authority",
            "counterpart_reference",
            "legal_basis",
            "legal_basis_note",
            "national_authority",
            "received_on",
            "sent_on",
            "priority",
            "priority_label",
            "priority_reason",
            "confidentiality",
            "flags",
            "officer",
            "created_by",
            "created_at",
            "updated_at",
            "closed_at",
            "is_open",
            "next_due_at",
            "is_overdue",
            "waiting_on_others",
            "version",
            "counts",
        )
        read_only_fields = fields

    @extend_schema_field(CaseCountsSerializer)
    def get_counts(self, obj: Case) -> dict[str, int]:
        counts = self.context.get("counts")
        if counts is None or obj.pk not in counts:
            counts = case_counts([obj.pk])
        return counts[obj.pk]

    def to_representation(self, instance: Case) -> dict[str, Any]:
        """What DRF's field-by-field loop gives (a test holds them equal), a quarter of the time: the API's list
        of 50 matters spent most of its server time in that loop."""
        labels = self._labels()
        tz = timezone.get_current_timezone()

        def moment(value: Any) -> str | None:
            if value is None:
                return None
            text = value.astimezone(tz).isoformat() if timezone.is_aware(value) else value.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text

        def day(value: Any) -> str | None:
            return value.isoformat() if value is not None else None

        def text(value: Any) -> str | None:
            return str(value) if value is not None else None

        def slug(related: Any, field: str) -> Any:
            return getattr(related, field) if related is not None else None

        country = instance.counterpart_country
        status_label = labels["status"]
        status_key = (instance.kind, instance.direction, instance.status)
        if status_key not in status_label:
            status_label[status_key] = instance.status_label
        return {
            "id": instance.pk,
            "reference": text(instance.reference),
            "direction": instance.direction,
            "direction_label": labels["direction"].to_representation(instance.direction),
            "kind": instance.kind,
            "kind_label": labels["kind"].to_representation(instance.kind),
            "status": text(instance.status),
            "status_label": status_label[status_key],
            "title": text(instance.title),
            "summary": text(instance.summary),
            "counterpart_country": text(instance.counterpart_country_id),
            "counterpart_country_name": text(country.display_name) if country is not None else None,
            "counterpart_authority": instance.counterpart_authority_id,
            "counterpart_reference": text(instance.counterpart_reference),
            "legal_basis": slug(instance.legal_basis, "code"),
            "legal_basis_note": text(instance.legal_basis_note),
            "national_authority": instance.national_authority_id,
            "received_on": day(instance.received_on),
            "sent_on": day(instance.sent_on),
            "priority": instance.priority,
            "priority_label": labels["priority"].to_representation(instance.priority),
            "priority_reason": text(instance.priority_reason),
            "confidentiality": instance.confidentiality,
            "flags": instance.flags,
            "officer": slug(instance.officer, "username"),
            "created_by": slug(instance.created_by, "username"),
            "created_at": moment(instance.created_at),
            "updated_at": moment(instance.updated_at),
            "closed_at": moment(instance.closed_at),
            "is_open": bool(instance.is_open),
            "next_due_at": moment(instance.next_due_at),
            "is_overdue": instance.is_overdue,
            "waiting_on_others": bool(instance.waiting_on_others),
            "version": instance.version,
            "counts": self.get_counts(instance),
        }

    def _labels(self) -> dict[str, Any]:
        """The label fields, translating each value once for the whole list (one language per response)."""
        if not hasattr(self, "_label_cache"):
            self._label_cache = {
                "direction": LabelField(Case, "direction"),
                "kind": LabelField(Case, "kind"),
                "priority": LabelField(Case, "priority"),
                "status": {},
            }
        return self._label_cache


class _CaseInputMixin(serializers.Serializer):
    counterpart_country = CountryField(help_text=_("ISO 3166-1 alpha-2 code."))
    counterpart_authority = serializers.PrimaryKeyRelatedField(
        queryset=Authority.objects.all(), required=False, allow_null=True
    )
    national_authority = serializers.PrimaryKeyRelatedField(
        queryset=Authority.objects.all(), required=False, allow_null=True
    )
    legal_basis = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Instrument.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Instrument code; null or absent for reciprocity."),
    )
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=c.Flag.choices),
        required=False,
        help_text=_("Flag codes; every flag not listed is cleared."),
    )

    def fields_for_action(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        for name in ("offences", "subjects", "measures", "version"):
            data.pop(name, None)
        if "flags" in data:
            data.update(flags_to_fields(data.pop("flags")))
        return data


class OffenceInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Offence
        fields = ("iccs_section", "iccs_code", "description", "legal_provision")


class IdentifierInputSerializer(serializers.ModelSerializer):
    country = CountryField(required=False, allow_null=True)

    class Meta:
        model = Identifier
        fields = ("type", "value", "country")


class SubjectInputSerializer(serializers.ModelSerializer):
    nationality = CountryField(required=False, allow_null=True)
    identifiers = IdentifierInputSerializer(many=True, required=False)

    class Meta:
        model = Subject
        fields = (*SUBJECT_FIELDS, "identifiers")


class MeasureInputSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=MeasureType.choices, help_text=_("A type from /measure-types/."))
    description = serializers.CharField(required=False, allow_blank=True)
    details = serializers.DictField(required=False, help_text=_("Values of the type's fields (see /measure-types/)."))


class CaseCreateSerializer(_CaseInputMixin, serializers.ModelSerializer):
    offences = OffenceInputSerializer(many=True, required=False)
    subjects = SubjectInputSerializer(many=True, required=False)
    measures = MeasureInputSerializer(many=True, required=False)

    class Meta:
        model = Case
        fields = (*CASE_REGISTRATION_FIELDS, "flags", "offences", "subjects", "measures")


class CaseUpdateSerializer(_CaseInputMixin, serializers.ModelSerializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("The version you read; if the matter changed since, the update is refused with 409."),
    )

    class Meta:
        model = Case
        fields = (*CASE_EDITABLE_FIELDS, "flags", "version")


class TransitionInputSerializer(serializers.Serializer):
    to = serializers.CharField(max_length=40, help_text=_("The state to move to (see /transitions/)."))
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class TransitionOptionSerializer(serializers.Serializer):
    to = serializers.CharField()
    state_label = serializers.CharField()
    label = serializers.CharField(help_text=_("What the step is called."))  # type: ignore[assignment]
    needs_reason = serializers.BooleanField()
    available = serializers.BooleanField(help_text=_("False while a condition of the step is not met."))
    blocked_by = serializers.CharField(allow_null=True, help_text=_("The unmet condition, if any."))
    taken_from = serializers.CharField(
        allow_null=True,
        help_text=_("Where the step is taken when an app has taken it over (e.g. the admissibility review)."),
    )


class AssignInputSerializer(serializers.Serializer):
    officer = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]
    text = serializers.SerializerMethodField(help_text=_("The event as a sentence, in the reader's language."))

    class Meta:
        model = Event
        fields = ("id", "at", "actor", "verb", "text", "params", "reason")
        read_only_fields = fields

    def get_text(self, obj: Event) -> str:
        return describe(obj, self.context.get("rule_names"))


# --- subjects -----------------------------------------------------------------------------------------------


class IdentifierSerializer(serializers.ModelSerializer):
    type_label = LabelField(Identifier, "type")
    country = serializers.CharField(source="country_id", read_only=True, allow_null=True)

    class Meta:
        model = Identifier
        fields = ("id", "type", "type_label", "value", "normalized", "country")
        read_only_fields = fields


class SubjectSerializer(serializers.ModelSerializer):
    kind_label = LabelField(Subject, "kind")
    role_label = LabelField(Subject, "role")
    nationality = serializers.CharField(source="nationality_id", read_only=True, allow_null=True)
    identifiers = IdentifierSerializer(many=True, read_only=True)

    class Meta:
        model = Subject
        fields = (
            "id",
            "case",
            "kind",
            "kind_label",
            "role",
            "role_label",
            "name",
            "given_names",
            "family_name",
            "original_script_name",
            "birth_date",
            "birth_place",
            "nationality",
            "gender",
            "address",
            "notes",
            "identifiers",
            "created_at",
        )
        read_only_fields = fields


class SubjectCreateSerializer(SubjectInputSerializer):
    case = VisibleCaseField()

    class Meta(SubjectInputSerializer.Meta):
        fields = ("case", *SubjectInputSerializer.Meta.fields)  # type: ignore[assignment]


class SubjectUpdateSerializer(serializers.ModelSerializer):
    nationality = CountryField(required=False, allow_null=True)

    class Meta:
        model = Subject
        fields = SUBJECT_EDITABLE_FIELDS


# --- measures -----------------------------------------------------------------------------------------------


class MeasureSerializer(serializers.ModelSerializer):
    type_label = LabelField(Measure, "type")
    status_label = LabelField(Measure, "status")
    source = serializers.SerializerMethodField(help_text=_("Where the measure comes from (treaty and article)."))  # type: ignore[assignment]
    coercive = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = (
            "id",
            "case",
            "type",
            "type_label",
            "source",
            "coercive",
            "status",
            "status_label",
            "status_note",
            "description",
            "details",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def get_source(self, obj: Measure) -> str:
        spec = DEFINITIONS.get(obj.type)
        return spec.source if spec else ""

    def get_coercive(self, obj: Measure) -> bool:
        spec = DEFINITIONS.get(obj.type)
        return bool(spec and spec.coercive)


class MeasureCreateSerializer(MeasureInputSerializer):
    case = VisibleCaseField()


class MeasureUpdateSerializer(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True)
    details = serializers.DictField(required=False, help_text=_("Replaces all the details."))


class MeasureStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=c.MeasureStatus.choices)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text=_("Required for refused, withdrawn and partially executed."),
    )


class ChoiceOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class MeasureFieldSpecSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.ChoiceField(choices=["text", "textarea", "date", "bool", "choice"])
    required = serializers.BooleanField()  # type: ignore[assignment]
    choices = ChoiceOptionSerializer(many=True)


class MeasureTypeSerializer(serializers.Serializer):
    type = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    source = serializers.CharField()  # type: ignore[assignment]
    coercive = serializers.BooleanField()
    fields = MeasureFieldSpecSerializer(many=True)  # type: ignore[assignment]


def measure_catalogue() -> list[dict[str, Any]]:
    """The catalogue in the active language, shaped for ``MeasureTypeSerializer``."""
    return [
        {
            "type": spec.type.value,
            "label": str(spec.type.label),
            "source": spec.source,
            "coercive": spec.coercive,
            "fields": [
                {
                    "name": f.name,
                    "label": str(f.label),
                    "kind": f.kind,
                    "required": f.required,
                    "choices": [{"value": v, "label": str(label)} for v, label in f.choices],
                }
                for f in spec.fields
            ],
        }
        for spec in DEFINITIONS.values()
    ]


# --- offences, communications, links ------------------------------------------------------------------------


class OffenceSerializer(serializers.ModelSerializer):
    iccs_section_label = LabelField(Offence, "iccs_section")

    class Meta:
        model = Offence
        fields = (
            "id",
            "case",
            "iccs_section",
            "iccs_section_label",
            "iccs_code",
            "description",
            "legal_provision",
        )
        read_only_fields = fields


class OffenceCreateSerializer(OffenceInputSerializer):
    case = VisibleCaseField()

    class Meta(OffenceInputSerializer.Meta):
        fields = ("case", *OffenceInputSerializer.Meta.fields)  # type: ignore[assignment]


class CommunicationSerializer(serializers.ModelSerializer):
    channel_label = LabelField(Communication, "channel")
    direction_label = LabelField(Communication, "direction")
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Communication
        fields = (
            "id",
            "case",
            "at",
            "channel",
            "channel_label",
            "direction",
            "direction_label",
            "counterpart",
            "summary",
            "recorded_by",
            "recorded_at",
        )
        read_only_fields = fields


class CommunicationCreateSerializer(serializers.Serializer):
    case = VisibleCaseField()
    at = serializers.DateTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    direction = serializers.ChoiceField(choices=c.CommDirection.choices)
    counterpart = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    summary = serializers.CharField()


class LinkSerializer(serializers.ModelSerializer):
    kind_label = LabelField(CaseLink, "kind")
    source_reference = serializers.CharField(source="source.reference", read_only=True)
    target_reference = serializers.CharField(source="target.reference", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = CaseLink
        fields = (
            "id",
            "source",
            "source_reference",
            "target",
            "target_reference",
            "kind",
            "kind_label",
            "created_by",
            "created_at",
        )
        read_only_fields = fields


class LinkCreateSerializer(serializers.Serializer):
    source = VisibleCaseField()  # type: ignore[assignment]
    target = VisibleCaseField()
    kind = serializers.ChoiceField(choices=c.LinkKind.choices)


# --- deadlines ----------------------------------------------------------------------------------------------


class DeadlineSerializer(serializers.ModelSerializer):
    rule = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    rule_name = serializers.CharField(source="rule.display_name", read_only=True)
    source = serializers.CharField(  # type: ignore[assignment]
        source="rule.source",
        read_only=True,
        help_text=_("Where the rule comes from (treaty and article, law, service level)."),
    )
    status_label = LabelField(Deadline, "status")
    is_overdue = serializers.BooleanField(read_only=True)
    days_left = serializers.IntegerField(read_only=True)

    class Meta:
        model = Deadline
        fields = (
            "id",
            "case",
            "rule",
            "rule_name",
            "source",
            "starts_at",
            "due_at",
            "status",
            "status_label",
            "paused_at",
            "extended_days",
            "met_at",
            "note",
            "is_overdue",
            "days_left",
        )
        read_only_fields = fields


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)


class ExtendInputSerializer(serializers.Serializer):
    days = serializers.IntegerField(help_text=_("1 to 366."))
    reason = serializers.CharField(max_length=2000, allow_blank=True)


# --- documents ----------------------------------------------------------------------------------------------


class DocumentVersionSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = DocumentVersion
        fields = ("number", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
        read_only_fields = fields


class DocumentSerializer(serializers.ModelSerializer):
    kind_label = LabelField(Document, "kind")
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)  # type: ignore[var-annotated]
    versions = DocumentVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = (
            "id",
            "case",
            "kind",
            "kind_label",
            "title",
            "language",
            "created_by",
            "created_at",
            "versions",
        )
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    case = VisibleCaseField()
    kind = serializers.ChoiceField(choices=c.DocumentKind.choices)
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    language = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=8, help_text=_("ISO 639-1 code.")
    )
    file = serializers.FileField(allow_empty_file=True, use_url=False)


class DocumentVersionUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, use_url=False)


class ErrorSerializer(serializers.Serializer):
    """Every error answer: a message, a machine code and, for invalid input, a message per field."""

    detail = serializers.CharField()
    code = serializers.CharField()
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.CharField(),
        required=False,
        help_text=_("Field path (e.g. measures.1.details.person) → message."),
    )
