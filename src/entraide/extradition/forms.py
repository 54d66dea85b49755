"""Forms of the extradition pages; each feeds one action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from entraide.cases.models import Case
from entraide.core.forms import DateInput, DateTimeInput, StyledFormMixin
from entraide.directory.models import Country
from entraide.extradition import choices as c


class ArrestForm(StyledFormMixin, forms.Form):
    subject: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Person arrested"), queryset=None)  # type: ignore[arg-type]
    arrested_at = forms.DateTimeField(label=_("Date and time of the arrest"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place of arrest or detention"), max_length=300, required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["subject"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = case.subjects.filter(kind="person")


class FormalRequestForm(StyledFormMixin, forms.Form):
    at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput())


class StepForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=c.StepKind.choices)
    at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeInput())
    court = forms.CharField(label=_("Court or authority"), max_length=300, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=c.Outcome.choices, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StatusUpdateForm(StyledFormMixin, forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput())
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AssuranceForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Assurance"), choices=c.AssuranceKind.choices)
    asked_on = forms.DateField(label=_("Asked on"), widget=DateInput())
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AssessForm(StyledFormMixin, forms.Form):
    received_on = forms.DateField(label=_("Received on"), required=False, widget=DateInput())
    assessment = forms.ChoiceField(label=_("Assessment"), choices=c.Assessment.choices)
    assessment_note = forms.CharField(
        label=_("Assessment note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SpecialityForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=c.ConsentKind.choices)
    offences = forms.CharField(label=_("Offences or third State concerned"), widget=forms.Textarea(attrs={"rows": 2}))
    requested_on = forms.DateField(label=_("Requested on"), widget=DateInput())


class DecideForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(c.Decision.GRANTED, c.Decision.GRANTED.label), (c.Decision.REFUSED, c.Decision.REFUSED.label)],
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class StatusLetterForm(StyledFormMixin, forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the letter"), choices=[("fr", "Français"), ("en", "English"), ("ar", "العربية")]
    )


class GroundsForm(StyledFormMixin, forms.Form):
    """One finding and its reasons per ground for refusal."""

    def __init__(self, *args: Any, initial_findings: dict[str, tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for ground in c.Ground:
            finding, note = initial_findings.get(ground.value, (c.Finding.TO_CHECK.value, ""))
            self.fields[f"finding_{ground.value}"] = forms.ChoiceField(
                label=ground.label, choices=c.Finding.choices, initial=finding, required=False
            )
            self.fields[f"note_{ground.value}"] = forms.CharField(
                label=_("Reasons"), required=False, initial=note, widget=forms.TextInput()
            )
        for field in self.fields.values():
            widget = field.widget
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs["class"] = css

    def rows(self) -> list[tuple[str, bool, Any, Any]]:
        return [
            (ground.value, ground in c.MANDATORY_GROUNDS, self[f"finding_{ground.value}"], self[f"note_{ground.value}"])
            for ground in c.Ground
        ]

    def findings(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            g.value: (data[f"finding_{g.value}"] or c.Finding.TO_CHECK.value, data[f"note_{g.value}"] or "")
            for g in c.Ground
            if f"finding_{g.value}" in self.data
        }


class LogisticsForm(StyledFormMixin, forms.Form):
    place = forms.CharField(label=_("Place of surrender"), max_length=300, required=False)
    escort = forms.CharField(label=_("Escort"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    travel = forms.CharField(
        label=_("Travel (flights, route)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    transit = forms.CharField(
        label=_("Transit through third States"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    property_handed_over = forms.CharField(
        label=_("Property handed over with the person"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    arrived_at = forms.DateTimeField(label=_("Arrived at"), required=False, widget=DateTimeInput())


class CompetingForm(StyledFormMixin, forms.Form):
    country = forms.ModelChoiceField(label=_("Requesting State"), queryset=Country.objects.all())
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    offences = forms.CharField(label=_("Offences"), widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CompetingDecideForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Which request prevails"),
        choices=[
            (c.CompetingDecision.PREFERRED, c.CompetingDecision.PREFERRED.label),
            (c.CompetingDecision.SET_ASIDE, c.CompetingDecision.SET_ASIDE.label),
        ],
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AssuranceEditForm(StyledFormMixin, forms.Form):
    asked_on = forms.DateField(label=_("Asked on"), widget=DateInput())
    details = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SpecialityEditForm(StyledFormMixin, forms.Form):
    offences = forms.CharField(label=_("Offences or third State concerned"), widget=forms.Textarea(attrs={"rows": 2}))
    requested_on = forms.DateField(label=_("Requested on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RegisterFilterForm(forms.Form):
    """The filters of the registers page (GET)."""

    register = forms.ChoiceField(
        choices=[
            ("consents", _("Speciality, re-extradition and transit")),
            ("assurances", _("Assurances")),
            ("competing", _("Competing requests")),
            ("property", _("Property handed over")),
        ],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *c.ConsentKind.choices, *c.AssuranceKind.choices],
        required=False,
    )
    pending = forms.BooleanField(label=_("Awaiting an answer only"), required=False)
