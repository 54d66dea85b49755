"""Forms of the informal register. They only validate input; the actions decide and record."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import Role, User
from entraide.cases import choices as cc
from entraide.core.choices import Confidentiality
from entraide.core.forms import DateInput, DateTimeInput, StyledFormMixin
from entraide.directory.models import Country
from entraide.informal import choices as c


class CountryField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class SubjectFieldsMixin(forms.Form):
    """The fields of one subject and its first identifier (more identifiers through the subject form or API)."""

    subject_kind = forms.ChoiceField(label=_("Kind of subject"), choices=cc.SubjectKind.choices, required=False)
    subject_name = forms.CharField(label=_("Subject's full name"), max_length=300, required=False)
    subject_original_script_name = forms.CharField(label=_("Name in original script"), max_length=300, required=False)
    subject_birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    subject_nationality = CountryField(
        label=_("Nationality or country"), queryset=Country.objects.all(), required=False
    )
    identifier_type = forms.ChoiceField(
        label=_("Identifier"), required=False, choices=[("", "—"), *cc.IdentifierType.choices]
    )
    identifier_value = forms.CharField(label=_("Identifier value"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("identifier_type")) != bool(data.get("identifier_value")):
            self.add_error("identifier_value", _("Give both the identifier's type and its value."))
        return data

    def subject_data(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        identifiers = (
            [{"type": d["identifier_type"], "value": d["identifier_value"]}] if d.get("identifier_type") else []
        )
        if not d.get("subject_name") and not identifiers:
            return None
        return {
            "kind": d.get("subject_kind") or cc.SubjectKind.PERSON,
            "name": d.get("subject_name", ""),
            "original_script_name": d.get("subject_original_script_name", ""),
            "birth_date": d.get("subject_birth_date"),
            "nationality": d.get("subject_nationality"),
            "identifiers": identifiers,
        }


class ContactForm(StyledFormMixin, SubjectFieldsMixin):
    channel = forms.ChoiceField(label=_("Channel"), choices=c.InformalChannel.choices)
    counterpart_country = CountryField(label=_("Counterpart country"), queryset=Country.objects.all())
    counterpart_unit = forms.CharField(label=_("Counterpart unit"), max_length=300, required=False)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    direction = forms.ChoiceField(label=_("Direction"), choices=c.ContactDirection.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=c.Outcome.choices)
    outcome_note = forms.CharField(
        label=_("Note on the outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confidentiality = forms.TypedChoiceField(
        label=_("Confidentiality"), choices=Confidentiality.choices, coerce=int, initial=Confidentiality.RESTRICTED
    )
    case_references = forms.CharField(
        label=_("Formal matters (references, separated by commas)"), required=False, max_length=600
    )

    field_order = [
        "channel",
        "counterpart_country",
        "counterpart_unit",
        "occurred_on",
        "direction",
        "confidentiality",
        "summary",
        "outcome",
        "outcome_note",
        "case_references",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["counterpart_country"]).queryset = Country.objects.exclude(
            code=settings.ENTRAIDE_COUNTRY
        )

    def contact_data(self) -> dict[str, Any]:
        from entraide.informal.models import CONTACT_FIELDS

        return {name: self.cleaned_data[name] for name in CONTACT_FIELDS if name in self.cleaned_data}

    def references(self) -> list[str]:
        raw = self.cleaned_data.get("case_references") or ""
        return [r.strip() for r in raw.replace(";", ",").split(",") if r.strip()]


class ContactEditForm(StyledFormMixin, forms.Form):
    counterpart_unit = forms.CharField(label=_("Counterpart unit"), max_length=300, required=False)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=c.Outcome.choices)
    outcome_note = forms.CharField(
        label=_("Note on the outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SubjectForm(StyledFormMixin, SubjectFieldsMixin):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject_kind"].required = True


class LinkForm(StyledFormMixin, forms.Form):
    reference = forms.CharField(label=_("Reference of the formal matter"), max_length=60)


class AssignForm(StyledFormMixin, forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["officer"]).queryset = User.objects.filter(
            role__in=[Role.OFFICER, Role.HEAD], is_active=True
        )


class GrantForm(StyledFormMixin, forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"))
    expires_at = forms.DateTimeField(label=_("Expires at"), required=False, widget=DateTimeInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = User.objects.filter(
            is_active=True, role__in=[Role.OFFICER, Role.CLERK, Role.HEAD]
        )


class AdvisorForm(StyledFormMixin, forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), choices=())
    country = CountryField(label=_("Country"), queryset=Country.objects.all(), to_field_name="code")
    purpose = forms.ChoiceField(label=_("Purpose"), choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from entraide.cases.catalogue import MeasureType
        from entraide.informal.models import Purpose

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["measure"]).choices = MeasureType.choices
        cast(forms.ChoiceField, self.fields["purpose"]).choices = Purpose.choices
        cast(forms.ModelChoiceField, self.fields["country"]).queryset = Country.objects.exclude(
            code=settings.ENTRAIDE_COUNTRY
        )
