"""Forms of the drafting pages. They only read input; the actions validate, decide and record."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from entraide.cases import choices as c
from entraide.cases.forms import LocalizedChoiceField
from entraide.core.choices import Channel, Confidentiality, Language
from entraide.core.forms import StyledFormMixin
from entraide.directory.models import Country, Instrument

from .schema import ANNEX_ROLES, DRAFT_KINDS, FieldSpec, Section


class StartForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=[(k.value, k.label) for k in DRAFT_KINDS])
    counterpart_country = LocalizedChoiceField(label=_("Requested State"), queryset=Country.objects.none())
    title = forms.CharField(label=_("Short title"), max_length=255)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=c.Priority.choices, coerce=int, initial=c.Priority.NORMAL
    )
    priority_reason = forms.CharField(label=_("Reason for the priority"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["counterpart_country"]).queryset = Country.objects.exclude(
            code=settings.ENTRAIDE_COUNTRY
        )


class MatterForm(StyledFormMixin, forms.Form):
    """The matter's own fields the composer changes (through ``cases.actions.update_case``)."""

    legal_basis = forms.ModelChoiceField(
        label=_("Legal basis"), queryset=Instrument.objects.all(), required=False, empty_label=_("Reciprocity")
    )
    priority = forms.TypedChoiceField(label=_("Priority"), choices=c.Priority.choices, coerce=int)
    priority_reason = forms.CharField(label=_("Reason for the priority"), max_length=255, required=False)
    confidentiality = forms.TypedChoiceField(label=_("Confidentiality"), choices=Confidentiality.choices, coerce=int)


class LinkForm(StyledFormMixin, forms.Form):
    offences = forms.MultipleChoiceField(
        label=_("Offences the evidence relates to"), required=False, widget=forms.CheckboxSelectMultiple
    )
    relevance = forms.CharField(
        label=_("How the evidence is relevant to the offence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=20000,
    )
    evidence_form = forms.CharField(
        label=_("Form the evidence must take to be admissible"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=20000,
    )

    def __init__(self, *args: Any, offences: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["offences"]).choices = [
            (str(o.pk), o.description) for o in offences
        ]


class AnnexForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title of the annex"), max_length=300)
    role = forms.ChoiceField(label=_("Kind of annex"), choices=ANNEX_ROLES)
    document = forms.ChoiceField(label=_("Document already filed"), required=False)
    file = forms.FileField(label=_("Or upload it now"), required=False)

    def __init__(self, *args: Any, documents: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["document"]).choices = [("", "—")] + [
            (str(d.pk), d.title) for d in documents
        ]


class CommentForm(StyledFormMixin, forms.Form):
    section = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class AcceptForm(StyledFormMixin, forms.Form):
    rule = forms.CharField(widget=forms.HiddenInput)
    justification = forms.CharField(label=_("Justification"), max_length=2000)


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("What must change"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


def languages_of(content: dict[str, Any], fallback: str) -> list[str]:
    """The languages the composer offers a box for: the language written in, then the request's."""
    langs = [content.get("source_language") or fallback, content.get("request_language") or ""]
    out: list[str] = []
    for lang in langs:
        if lang and lang not in out:
            out.append(lang)
    return out


def section_changes(section: Section, kind: str, data: QueryDict, languages: list[str]) -> dict[str, Any]:
    """What the composer sent for one section, as ``save_content`` expects it."""
    changes: dict[str, Any] = {}
    present = set(data.getlist("_fields"))
    for spec in section.fields_for(kind):
        if spec.name not in present:
            continue
        changes[spec.name] = _value(spec, data, languages)
    return changes


def _value(spec: FieldSpec, data: QueryDict, languages: list[str]) -> Any:
    if spec.multilingual:
        return {lang: data.get(f"{spec.name}__{lang}", "") for lang in languages if f"{spec.name}__{lang}" in data}
    if spec.kind == "bool":
        return spec.name in data
    return data.get(spec.name, "")


LANGUAGE_CHOICES = [("", "—"), *Language.choices]


class AdvanceCopyForm(StyledFormMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.EMAIL)
    counterpart = forms.CharField(label=_("Sent to"), max_length=255, required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class AdvanceCommentsForm(StyledFormMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.EMAIL)
    comments = forms.CharField(label=_("Their comments"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class TransmitForm(StyledFormMixin, forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    counterpart = forms.CharField(label=_("Sent to"), max_length=255, required=False)


class GuideForm(StyledFormMixin, forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    body = forms.CharField(
        label=_("Guide"),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=100_000,
        help_text=_("How to ask for what, languages, channels, pitfalls, contacts. Blank lines separate paragraphs."),
    )
    note = forms.CharField(label=_("What changed"), max_length=255, required=False)
