"""The drafting API (``/api/v1/drafts/``, ``/api/v1/legal-bases/``, ``/api/v1/drafting-rules/``).

A draft is addressed by its matter's id. Every queryset starts from ``visible_cases(user)``: a draft the user may
not see answers 404. Every change is one call to ``drafting.actions``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from entraide.cases.api import ApiViewMixin
from entraide.cases.choices import Priority
from entraide.cases.models import Document
from entraide.cases.queries import visible_cases
from entraide.core.auth import acting_user
from entraide.core.choices import Channel
from entraide.directory.models import Country, Instrument

from . import actions
from .bases import proposed_bases
from .models import Draft
from .rules import catalogue, evaluate
from .schema import ANNEX_ROLES, DRAFT_KINDS


class FindingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rule = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    section = serializers.CharField()
    field = serializers.CharField()
    accepted = serializers.BooleanField()


class CommentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    section = serializers.CharField()
    text = serializers.CharField()
    author = serializers.CharField(source="author.username")
    created_at = serializers.DateTimeField()


class DraftSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="case_id", read_only=True)
    reference = serializers.CharField(source="case.reference", read_only=True)
    title = serializers.CharField(source="case.title", read_only=True)
    kind = serializers.CharField(source="case.kind", read_only=True)
    status = serializers.CharField(source="case.status", read_only=True)
    counterpart_country = serializers.CharField(source="case.counterpart_country_id", read_only=True)
    legal_basis = serializers.CharField(source="case.legal_basis.code", read_only=True, default=None)
    reviewer = serializers.CharField(source="reviewer.username", read_only=True, default=None)
    approved_by = serializers.CharField(source="approved_by.username", read_only=True, default=None)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = Draft
        fields = [
            "id",
            "reference",
            "title",
            "kind",
            "status",
            "counterpart_country",
            "legal_basis",
            "review_state",
            "content",
            "content_hash",
            "reviewer",
            "reviewed_at",
            "approved_by",
            "approved_at",
            "approved_hash",
            "created_by",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class DraftDetailSerializer(DraftSerializer):
    findings = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField()
    advance_copies = serializers.SerializerMethodField()

    class Meta(DraftSerializer.Meta):
        fields = [*DraftSerializer.Meta.fields, "findings", "comments", "advance_copies"]
        read_only_fields = fields

    def get_findings(self, draft: Draft) -> list[dict[str, Any]]:
        return [f.as_dict() for f in evaluate(draft)]

    def get_advance_copies(self, draft: Draft) -> list[dict[str, Any]]:
        return [
            {
                "id": a.pk,
                "sent_at": a.sent.at,
                "channel": a.sent.channel,
                "content_hash": a.content_hash,
                "comments": a.comments,
                "answered_at": a.answered_at,
            }
            for a in draft.advance_copies.select_related("sent")
        ]

    def get_comments(self, draft: Draft) -> Any:
        return CommentSerializer(draft.comments.select_related("author"), many=True).data


class StartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=[k.value for k in DRAFT_KINDS])
    counterpart_country = serializers.PrimaryKeyRelatedField(queryset=Country.objects.all())
    title = serializers.CharField(max_length=255)
    legal_basis = serializers.SlugRelatedField(
        slug_field="code", queryset=Instrument.objects.all(), required=False, allow_null=True
    )
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    priority_reason = serializers.CharField(max_length=255, required=False, allow_blank=True)


class ContentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    content = serializers.DictField(help_text=_("Fields of the draft to change, by name (see docs/drafting.md)."))
    version = serializers.IntegerField(required=False)


class CommentInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    section = serializers.CharField(max_length=30)
    text = serializers.CharField(max_length=5000)


class AcceptSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rule = serializers.CharField(max_length=60)
    justification = serializers.CharField(max_length=2000)


class ReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=5000)


class LinkSerializer(serializers.Serializer):  # type: ignore[type-arg]
    measure = serializers.IntegerField()
    offences = serializers.ListField(child=serializers.IntegerField(), allow_empty=True)
    relevance = serializers.CharField(allow_blank=True, required=False, default="")
    evidence_form = serializers.CharField(allow_blank=True, required=False, default="")


class AnnexSerializer(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=300)
    role = serializers.ChoiceField(choices=[r[0] for r in ANNEX_ROLES], default="other")
    document = serializers.IntegerField(required=False, allow_null=True)


class AdvanceCopyInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    channel = serializers.ChoiceField(choices=Channel.choices)
    counterpart = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class AdvanceCommentsInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    advance_copy = serializers.IntegerField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    comments = serializers.CharField(max_length=5000)


class TransmitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    channel = serializers.ChoiceField(choices=Channel.choices)
    counterpart = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)


class DocumentOutSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = serializers.CharField()
    language = serializers.CharField()
    version = serializers.IntegerField(source="current.number")
    sha256 = serializers.CharField(source="current.sha256")


@extend_schema_view(
    list=extend_schema(summary=_("Draft requests you may see")),
    retrieve=extend_schema(summary=_("One draft request, with its findings and the reviewers' comments")),
    create=extend_schema(
        summary=_("Start a draft request"), request=StartSerializer, responses={201: DraftDetailSerializer}
    ),
    partial_update=extend_schema(
        summary=_("Save fields of the draft"),
        description=_("Send `version` to refuse the change (409) if someone else changed the draft since."),
        request=ContentSerializer,
        responses={200: DraftDetailSerializer},
    ),
)
class DraftViewSet(  # type: ignore[misc]
    ApiViewMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = DraftSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    lookup_field = "case_id"
    lookup_url_kwarg = "pk"

    def get_queryset(self) -> QuerySet[Draft]:
        return (
            Draft.objects.filter(case__in=visible_cases(self.request.user))
            .select_related("case", "case__legal_basis", "reviewer", "approved_by", "created_by")
            .order_by("-updated_at", "-id")
        )

    def get_serializer_class(self) -> Any:
        return DraftSerializer if self.action == "list" else DraftDetailSerializer

    def _fresh(self, draft: Draft, status: int = 200) -> Response:
        return self._output(self.get_queryset().get(pk=draft.pk), DraftDetailSerializer, status=status)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = dict(self._input(StartSerializer).validated_data)
        draft = actions.start_draft(actor=acting_user(request), **data)
        return self._fresh(draft, status=201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        draft = self.get_object()
        data = self._input(ContentSerializer).validated_data
        actions.save_content(
            draft, actor=acting_user(request), changes=data["content"], expected_version=data.get("version")
        )
        return self._fresh(draft)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.MethodNotAllowed(request.method)  # type: ignore[arg-type]

    @extend_schema(summary=_("The draft's findings, blocking first"), responses={200: FindingSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def findings(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        return Response([f.as_dict() for f in evaluate(draft)])

    @extend_schema(
        summary=_("Submit the draft for review"),
        description=_("Refused (409, `code` `blocking_findings`) while a blocking finding remains."),
        request=None,
        responses={200: DraftDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        actions.submit(draft, actor=acting_user(request))
        return self._fresh(draft)

    @extend_schema(summary=_("Comment on a section (reviewer)"), request=CommentInputSerializer)
    @action(detail=True, methods=["post"])
    def comment(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        data = self._input(CommentInputSerializer).validated_data
        actions.comment(draft, actor=acting_user(request), section=data["section"], text=data["text"])
        return self._fresh(draft, status=201)

    @extend_schema(summary=_("Accept a warning with a justification (reviewer)"), request=AcceptSerializer)
    @action(detail=True, methods=["post"], url_path="accept-warning")
    def accept_warning(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        data = self._input(AcceptSerializer).validated_data
        actions.accept_warning(
            draft, actor=acting_user(request), rule=data["rule"], justification=data["justification"]
        )
        return self._fresh(draft)

    @extend_schema(summary=_("Send the draft back to its author (reviewer)"), request=ReasonSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        data = self._input(ReasonSerializer).validated_data
        actions.request_changes(draft, actor=acting_user(request), reason=data["reason"])
        return self._fresh(draft)

    @extend_schema(
        summary=_("Approve: the reviewer's approval, then the head's"),
        description=_("409 with `code` `blocking_findings` or `open_warnings` when the draft is not ready."),
        request=None,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        actions.approve(draft, actor=acting_user(request))
        return self._fresh(draft)

    @extend_schema(
        summary=_("Reopen an approved request, not yet sent, as a draft (head or case officer)"),
        description=_(
            "Clears the approvals: the request must be reviewed and approved again. 409 `not_approved` unless the "
            "request is approved and not sent; 400 without a reason."
        ),
        request=ReasonSerializer,
        responses={200: DraftDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        data = self._input(ReasonSerializer).validated_data
        actions.reopen(draft, actor=acting_user(request), reason=data["reason"])
        return self._fresh(draft)

    @extend_schema(summary=_("Link a measure to its offences, relevance and admissible form"), request=LinkSerializer)
    @action(detail=True, methods=["post"], url_path="link-measure")
    def link_measure(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        data = self._input(LinkSerializer).validated_data
        actions.save_measure_link(
            draft,
            data["measure"],
            actor=acting_user(request),
            offences=data["offences"],
            relevance=data["relevance"],
            evidence_form=data["evidence_form"],
        )
        return self._fresh(draft)

    @extend_schema(
        summary=_("Generate the approved request as DOCX and PDF, filed on the matter"),
        description=_("A new version of each document when generated again; 409 `not_approved` before approval."),
        request=None,
        responses={201: DocumentOutSerializer(many=True)},
    )
    @action(detail=True, methods=["post"])
    def document(self, request: Request, pk: str | None = None) -> Response:
        from .document import generate

        draft = self.get_object()
        documents = generate(draft, actor=acting_user(request))
        return Response(DocumentOutSerializer(documents, many=True).data, status=201)

    @extend_schema(
        summary=_("Record an advance copy sent to the foreign Central Authority for comments"),
        request=AdvanceCopyInputSerializer,
    )
    @action(detail=True, methods=["post"], url_path="advance-copy")
    def advance_copy(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        data = self._input(AdvanceCopyInputSerializer).validated_data
        actions.send_advance_copy(draft, actor=acting_user(request), **data)
        return self._fresh(draft, status=201)

    @extend_schema(
        summary=_("Attach the foreign Central Authority's comments on an advance copy"),
        request=AdvanceCommentsInputSerializer,
    )
    @action(detail=True, methods=["post"], url_path="advance-comments")
    def advance_comments(self, request: Request, pk: str | None = None) -> Response:
        from .models import AdvanceCopy

        draft = self.get_object()
        data = self._input(AdvanceCommentsInputSerializer).validated_data
        copy = AdvanceCopy.objects.filter(pk=data["advance_copy"], draft=draft).first()
        if copy is None:
            raise exceptions.ValidationError({"advance_copy": [_("No such advance copy of this draft.")]})
        actions.record_advance_comments(
            copy, actor=acting_user(request), comments=data["comments"], channel=data["channel"]
        )
        return self._fresh(draft)

    @extend_schema(
        summary=_("Record the transmission of the approved request"),
        description=_("Moves the matter to `sent`; 409 `no_document` before the request document is generated."),
        request=TransmitSerializer,
    )
    @action(detail=True, methods=["post"])
    def transmit(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        data = self._input(TransmitSerializer).validated_data
        actions.record_transmission(draft, actor=acting_user(request), **data)
        return self._fresh(draft)

    @extend_schema(summary=_("Refer to an annex, optionally a document filed on the matter"), request=AnnexSerializer)
    @action(detail=True, methods=["post"])
    def annexes(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        data = self._input(AnnexSerializer).validated_data
        document = None
        if data.get("document"):
            document = Document.objects.filter(pk=data["document"], case_id=draft.case_id).first()
            if document is None:
                raise exceptions.ValidationError({"document": [_("Not a document of this matter.")]})
        actions.add_annex(draft, actor=acting_user(request), title=data["title"], role=data["role"], document=document)
        return self._fresh(draft, status=201)


class BasisSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(source="instrument.code")
    title = serializers.CharField(source="instrument.display_title")
    kind = serializers.CharField(source="instrument.kind")
    status = serializers.CharField()
    status_label = serializers.CharField()
    confidence = serializers.CharField(source="instrument.confidence")
    parties_as_of = serializers.DateField(source="instrument.parties_as_of")
    settled = serializers.BooleanField()


class LegalBasisViewSet(ApiViewMixin, viewsets.ViewSet):  # type: ignore[misc]
    @extend_schema(
        summary=_("Legal bases between this State and a requested State"),
        parameters=[
            OpenApiParameter(
                "country", OpenApiTypes.STR, required=True, description=_("ISO code of the requested State")
            ),
            OpenApiParameter("kind", OpenApiTypes.STR, description=_("Kind of request (mla, extradition…)")),
        ],
        responses={200: BasisSerializer(many=True)},
    )
    def list(self, request: Request) -> Response:
        country = (request.query_params.get("country") or "").upper()
        kind = request.query_params.get("kind") or "mla"
        if not Country.objects.filter(code=country).exists():
            raise exceptions.ValidationError({"country": [_("Unknown country.")]})
        if kind not in {k.value for k in DRAFT_KINDS}:
            raise exceptions.ValidationError({"kind": [_("Not a kind of request you can draft.")]})
        return Response(BasisSerializer(proposed_bases(country, kind), many=True).data)


class RuleCatalogueSerializer(serializers.Serializer):  # type: ignore[type-arg]
    rule = serializers.CharField()
    severity = serializers.CharField()
    title = serializers.CharField()
    section = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    kinds = serializers.ListField(child=serializers.CharField())
    editable = serializers.BooleanField()


class RuleViewSet(ApiViewMixin, viewsets.ViewSet):  # type: ignore[misc]
    @extend_schema(
        summary=_("Every drafting rule: code rules and the data rules an administrator edits"),
        responses={200: RuleCatalogueSerializer(many=True)},
    )
    def list(self, request: Request) -> Response:
        return Response(RuleCatalogueSerializer(catalogue(), many=True).data)


class GuideSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    country = serializers.CharField(source="country_id")
    language = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    version = serializers.IntegerField()
    updated_by = serializers.CharField(source="updated_by.username")
    updated_at = serializers.DateTimeField()


@extend_schema_view(
    list=extend_schema(
        summary=_("Country guides for prosecutors and investigators"),
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description=_("Words in the title or the guide")),
            OpenApiParameter("country", OpenApiTypes.STR, description=_("ISO code of the country")),
        ],
    ),
    retrieve=extend_schema(summary=_("One country guide")),
)
class GuideViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[misc]
    serializer_class = GuideSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        from django.db.models import Q

        from .models import CountryGuide

        guides = CountryGuide.objects.select_related("updated_by").order_by("country_id", "language")
        q = (self.request.query_params.get("q") or "").strip()[:200]
        if q:
            guides = guides.filter(Q(title__icontains=q) | Q(body__icontains=q))
        code = (self.request.query_params.get("country") or "").strip().upper()
        if code:
            guides = guides.filter(country_id=code)
        return guides


def register(router: Any) -> None:
    router.register("drafts", DraftViewSet, basename="draft")
    router.register("legal-bases", LegalBasisViewSet, basename="legal-basis")
    router.register("drafting-rules", RuleViewSet, basename="drafting-rule")
    router.register("country-guides", GuideViewSet, basename="country-guide")
