"""Forms of the execution pages. They only validate input; the actions decide and record."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import Role, User
from entraide.cases.models import Case, Measure
from entraide.core.forms import DateInput, StyledFormMixin
from entraide.directory.models import Authority
from entraide.execution import choices as x


class _AuthorityField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.get_kind_display()})"


def national_authorities() -> Any:
    return Authority.objects.filter(active=True, country_id=settings.ENTRAIDE_COUNTRY).exclude(kind="central_authority")


class TaskForm(StyledFormMixin, forms.Form):
    measure = forms.ModelChoiceField(label=_("Measure"), queryset=Measure.objects.none(), required=False)
    authority = _AuthorityField(label=_("Executing authority"), queryset=Authority.objects.none())
    title = forms.CharField(label=_("Title"), max_length=255)
    instructions = forms.CharField(label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 5}))
    due_on = forms.DateField(label=_("Deadline"), widget=DateInput())
    contact = forms.ModelChoiceField(
        label=_("Contact at the Central Authority"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["measure"]).queryset = case.measures.all()
        cast(forms.ModelChoiceField, self.fields["authority"]).queryset = national_authorities()
        cast(forms.ModelChoiceField, self.fields["contact"]).queryset = User.objects.filter(
            role__in=[Role.OFFICER, Role.HEAD, Role.CLERK], is_active=True
        )


class ProgressForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in x.TASK_REPORTABLE],
        initial=x.TaskStatus.IN_PROGRESS,
    )
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))


class TextForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}))


class ResultForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), required=False, max_length=500)


class ReassignForm(StyledFormMixin, forms.Form):
    authority = _AuthorityField(label=_("New executing authority"), queryset=Authority.objects.none())
    due_on = forms.DateField(label=_("New deadline"), widget=DateInput(), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["authority"]).queryset = national_authorities()


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
