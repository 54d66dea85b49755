"""Forms of the case pages. They only validate input; the actions decide and record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import Role, User
from entraide.cases import choices as c
from entraide.cases.catalogue import DEFINITIONS, MeasureType
from entraide.cases.models import CASE_REGISTRATION_FIELDS, Case
from entraide.core.choices import Channel, Confidentiality, Language
from entraide.core.forms import DateInput, DateTimeInput, StyledFormMixin
from entraide.directory.models import Authority, Country, Instrument

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class LocalizedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class CaseForm(StyledFormMixin, forms.ModelForm):
    flags = forms.MultipleChoiceField(
        label=_("Flags"), choices=c.Flag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    counterpart_country = LocalizedChoiceField(label=_("Counterpart country"), queryset=Country.objects.all())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Case
        fields = list(CASE_REGISTRATION_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "received_on": DateInput(),
            "sent_on": DateInput(),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        cast(forms.ModelChoiceField, self.fields["counterpart_authority"]).queryset = (
            Authority.objects.filter(active=True)
            .exclude(country_id=settings.ENTRAIDE_COUNTRY)
            .select_related("country")
        )
        cast(forms.ModelChoiceField, self.fields["national_authority"]).queryset = Authority.objects.filter(
            active=True, country_id=settings.ENTRAIDE_COUNTRY
        )
        cast(forms.ModelChoiceField, self.fields["legal_basis"]).queryset = Instrument.objects.all()
        cast(forms.ModelChoiceField, self.fields["counterpart_country"]).queryset = Country.objects.exclude(
            code=settings.ENTRAIDE_COUNTRY
        )
        if self.instance.pk:
            del self.fields["direction"]
            del self.fields["kind"]
            self.fields["flags"].initial = self.instance.flags
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
            if user.role == Role.REQUESTING:
                cast(forms.ChoiceField, self.fields["direction"]).choices = [
                    (c.Direction.OUTGOING, c.Direction.OUTGOING.label)
                ]
                self.fields["direction"].initial = c.Direction.OUTGOING
                del self.fields["national_authority"]
        cast(forms.TypedChoiceField, self.fields["confidentiality"]).choices = [
            (level.value, level.label) for level in Confidentiality if level.value <= user.clearance
        ]

    def action_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"flags", "version"}}
        for flag in c.Flag:
            data[f"flag_{flag.value}"] = flag.value in self.cleaned_data.get("flags", [])
        for key in ("title", "summary", "counterpart_reference", "legal_basis_note", "priority_reason"):
            if key in data and data[key] is None:
                data[key] = ""
        return data


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransitionForm(ReasonForm):
    to = forms.CharField(widget=forms.HiddenInput)


class AssignForm(StyledFormMixin, forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), required=False)

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
        cast(forms.ModelChoiceField, self.fields["user"]).queryset = User.objects.filter(is_active=True).exclude(
            role=Role.ADMIN
        )


class OffenceForm(StyledFormMixin, forms.Form):
    iccs_section = forms.ChoiceField(label=_("ICCS section"), choices=c.ICCSSection.choices)
    iccs_code = forms.CharField(label=_("ICCS code"), required=False, max_length=12)
    description = forms.CharField(label=_("Description"), max_length=500)
    legal_provision = forms.CharField(label=_("Legal provision"), required=False, max_length=255)


class SubjectForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=c.SubjectKind.choices)
    role = forms.ChoiceField(label=_("Role"), choices=c.SubjectRole.choices)
    name = forms.CharField(label=_("Full name"), max_length=300)
    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    original_script_name = forms.CharField(label=_("Name in original script"), max_length=300, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    birth_place = forms.CharField(label=_("Place of birth"), max_length=200, required=False)
    nationality = LocalizedChoiceField(
        label=_("Nationality or country"), queryset=Country.objects.all(), required=False
    )
    gender = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", "—"), ("F", _("Female")), ("M", _("Male")), ("X", _("Other or unknown"))],
    )
    address = forms.CharField(label=_("Address or location"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    identifier_type = forms.ChoiceField(
        label=_("Identifier"), required=False, choices=[("", "—"), *c.IdentifierType.choices]
    )
    identifier_value = forms.CharField(label=_("Identifier value"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("identifier_type")) != bool(data.get("identifier_value")):
            self.add_error("identifier_value", _("Give both the identifier's type and its value."))
        return data

    def action_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        ident_type = data.pop("identifier_type", "")
        ident_value = data.pop("identifier_value", "")
        if ident_type and ident_value:
            data["identifiers"] = [{"type": ident_type, "value": ident_value}]
        return data


class SubjectEditForm(SubjectForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("kind", "identifier_type", "identifier_value"):
            del self.fields[name]

    def clean(self) -> dict[str, Any]:
        return forms.Form.clean(self) or {}

    def action_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class IdentifierForm(StyledFormMixin, forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=c.IdentifierType.choices)
    value = forms.CharField(label=_("Value"), max_length=200)
    country = LocalizedChoiceField(label=_("Issuing country"), queryset=Country.objects.all(), required=False)


class MeasureTypeForm(StyledFormMixin, forms.Form):
    type = forms.ChoiceField(label=_("Measure"), choices=MeasureType.choices)


def measure_details_form(measure_type: str, *args: Any, **kwargs: Any) -> forms.Form:
    """A form with the fields this measure type needs (catalogue.DEFINITIONS)."""
    spec = DEFINITIONS[measure_type]
    fields: dict[str, forms.Field] = {
        "description": forms.CharField(
            label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        ),
    }
    for f in spec.fields:
        label = cast("StrOrPromise", f.label)
        if f.kind == "textarea":
            fields[f.name] = forms.CharField(label=label, required=f.required, widget=forms.Textarea(attrs={"rows": 2}))
        elif f.kind == "date":
            fields[f.name] = forms.DateField(label=label, required=f.required, widget=DateInput())
        elif f.kind == "bool":
            fields[f.name] = forms.BooleanField(label=label, required=False)
        elif f.kind == "choice":
            fields[f.name] = forms.ChoiceField(label=label, required=f.required, choices=[("", "—"), *f.choices])
        else:
            fields[f.name] = forms.CharField(label=label, required=f.required, max_length=5000)
    form_class = type("MeasureDetailsForm", (StyledFormMixin, forms.Form), fields)
    return form_class(*args, **kwargs)


def measure_details_from(form: forms.Form) -> dict[str, Any]:
    details: dict[str, Any] = {}
    for name, value in form.cleaned_data.items():
        if name == "description":
            continue
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        if value in (None, ""):
            continue
        details[name] = value
    return details


class MeasureStatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=c.MeasureStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=c.DocumentKind.choices)
    title = forms.CharField(label=_("Title"), required=False, max_length=255)
    language = forms.ChoiceField(label=_("Language"), choices=[("", "—"), *Language.choices], required=False)
    file = forms.FileField(label=_("File"))


class VersionForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("File"))


class CommunicationForm(StyledFormMixin, forms.Form):
    at = forms.DateTimeField(label=_("Date"), widget=DateTimeInput())
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=c.CommDirection.choices)
    counterpart = forms.CharField(label=_("With whom"), required=False, max_length=255)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class LinkForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Link"), choices=c.LinkKind.choices)
    target = forms.CharField(label=_("Reference of the other matter"), max_length=60)


class ExtendForm(StyledFormMixin, forms.Form):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=366)
    reason = forms.CharField(label=_("Reason"))
