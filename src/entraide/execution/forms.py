"""Forms of the execution pages. They only validate input; the actions decide and record."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import Role, User
from entraide.cases import choices as cc
from entraide.cases.models import Case, Measure
from entraide.core.choices import Channel
from entraide.core.forms import DateInput, DateTimeInput, StyledFormMixin
from entraide.directory.models import Authority, Country
from entraide.execution import checklist
from entraide.execution import choices as x
from entraide.execution.letters import LETTER_LANGUAGE_CHOICES
from entraide.execution.models import Consultation, Decision, EvidenceItem, ExecutionTask


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


class ChecklistForm(StyledFormMixin, forms.Form):
    """One assessment and one note per item of the admissibility checklist."""

    def __init__(self, *args: Any, current: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in checklist.ITEMS:
            existing = current.get(item.code)
            self.fields[item.code] = forms.ChoiceField(
                label=str(item.label),
                choices=item.choices,
                required=False,
                initial=existing.value if existing else "",
                help_text=item.source,
            )
            self.fields[f"{item.code}_note"] = forms.CharField(
                label=_("Note"),
                required=False,
                initial=existing.note if existing else "",
                widget=forms.Textarea(attrs={"rows": 1}),
            )
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if css not in field.widget.attrs.get("class", ""):
                field.widget.attrs["class"] = (field.widget.attrs.get("class", "") + " " + css).strip()

    def rows(self) -> list[dict[str, Any]]:
        groups: list[dict[str, Any]] = []
        for group, label in checklist.GROUP_LABELS.items():
            items = [
                {
                    "item": item,
                    "field": self[item.code],
                    "note": self[f"{item.code}_note"],
                    "display": dict(item.choices).get(self[item.code].value() or "", ""),
                    "note_text": self[f"{item.code}_note"].value() or "",
                }
                for item in checklist.ITEMS
                if item.group == group
            ]
            groups.append({"code": group, "label": label, "items": items})
        return groups

    def items(self) -> dict[str, tuple[str, str]]:
        return {
            item.code: (self.cleaned_data.get(item.code) or "", self.cleaned_data.get(f"{item.code}_note") or "")
            for item in checklist.ITEMS
        }


class ConsultationForm(StyledFormMixin, forms.Form):
    at = forms.DateTimeField(label=_("Date"), widget=DateTimeInput())
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    counterpart = forms.CharField(label=_("With whom"), max_length=255)
    summary = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=x.DecisionKind.choices)
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a request for supplementary information: what is missing. Required except to accept."),
    )
    grounds = forms.MultipleChoiceField(
        label=_("Grounds for refusal cited"),
        choices=[(i.code, i.label) for i in checklist.ITEMS if i.group == checklist.GROUND],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    refused_measures = forms.ModelMultipleChoiceField(
        label=_("Measures refused (accept in part)"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consultation = forms.ModelChoiceField(
        label=_("Consultation of the requesting State (UNTOC art. 18(26))"),
        queryset=Consultation.objects.none(),
        required=False,
        help_text=_("Required to refuse, accept in part or postpone."),
    )
    letter = forms.BooleanField(
        label=_("File the letter to the requesting State (DOCX and PDF, in its language)"), required=False, initial=True
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from entraide.execution.actions import POSTPONABLE_STATES

        if case.status in POSTPONABLE_STATES:  # a request being executed may only be postponed (18(25))
            cast(forms.ChoiceField, self.fields["kind"]).choices = [
                (x.DecisionKind.POSTPONE.value, x.DecisionKind.POSTPONE.label)
            ]
            for name in ("grounds", "refused_measures"):
                del self.fields[name]
        else:
            cast(forms.ModelChoiceField, self.fields["refused_measures"]).queryset = case.measures.all()
        cast(forms.ModelChoiceField, self.fields["consultation"]).queryset = case.consultations.all()


class SupplementaryAnswerForm(StyledFormMixin, forms.Form):
    received_at = forms.DateTimeField(label=_("Received at"), widget=DateTimeInput())
    summary = forms.CharField(label=_("What the requesting State supplied"), widget=forms.Textarea(attrs={"rows": 4}))


class _LocalizedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class QuickRegisterForm(StyledFormMixin, forms.Form):
    """The minimum to register an incoming request as it arrives; the officer completes the rest."""

    kind = forms.ChoiceField(label=_("Kind"), choices=cc.Kind.choices, initial=cc.Kind.MLA)
    counterpart_country = _LocalizedChoiceField(label=_("Requesting country"), queryset=Country.objects.none())
    counterpart_authority = _LocalizedChoiceField(
        label=_("Requesting authority"), queryset=Authority.objects.none(), required=False
    )
    counterpart_reference = forms.CharField(label=_("Their reference"), max_length=120, required=False)
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    title = forms.CharField(label=_("Title"), max_length=255)
    names = forms.CharField(
        label=_("Persons or organisations concerned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name per line."),
    )
    role = forms.ChoiceField(label=_("Their role"), choices=cc.SubjectRole.choices, initial=cc.SubjectRole.SUSPECT)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=cc.Priority.choices, coerce=int, initial=cc.Priority.NORMAL
    )
    priority_reason = forms.CharField(label=_("Reason for the priority"), max_length=255, required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["counterpart_country"]).queryset = Country.objects.exclude(
            code=settings.ENTRAIDE_COUNTRY
        )
        cast(forms.ModelChoiceField, self.fields["counterpart_authority"]).queryset = (
            Authority.objects.filter(active=True)
            .exclude(country_id=settings.ENTRAIDE_COUNTRY)
            .select_related("country")
        )

    def name_list(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("names") or "").splitlines() if line.strip()]

    def action_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        role = data["role"]
        return {
            "direction": cc.Direction.INCOMING,
            "kind": data["kind"],
            "counterpart_country": data["counterpart_country"],
            "counterpart_authority": data["counterpart_authority"],
            "counterpart_reference": data["counterpart_reference"].strip(),
            "received_on": data["received_on"],
            "title": data["title"],
            "priority": data["priority"],
            "priority_reason": data["priority_reason"],
            "subjects": [
                {
                    "kind": cc.SubjectKind.ORGANISATION if role == cc.SubjectRole.COMPANY else cc.SubjectKind.PERSON,
                    "role": role,
                    "name": name,
                }
                for name in self.name_list()
            ],
        }


class LetterForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Letter"), choices=[])
    decision = forms.ModelChoiceField(label=_("Decision"), queryset=Decision.objects.none(), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LETTER_LANGUAGE_CHOICES)
    sent_by = forms.ChoiceField(
        label=_("Sent by"),
        choices=[("", _("Not sent yet: file it only")), *Channel.choices],
        required=False,
        help_text=_("Sent already: it is logged as a communication sent to the requesting State."),
    )
    sent_at = forms.DateTimeField(label=_("Sent at"), widget=DateTimeInput(), required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        from entraide.execution.letters import LETTER_KINDS

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = list(LETTER_KINDS.items())
        cast(forms.ModelChoiceField, self.fields["decision"]).queryset = case.admissibility_decisions.all()


class PhysicalItemForm(StyledFormMixin, forms.Form):
    description = forms.CharField(label=_("Description"), max_length=500)
    seal_number = forms.CharField(label=_("Seal number"), max_length=100)
    received_from = forms.CharField(label=_("Handed over by"), max_length=255)
    holder = forms.CharField(label=_("Held by"), max_length=255)
    at = forms.DateTimeField(label=_("Date"), widget=DateTimeInput())
    task = forms.ModelChoiceField(label=_("Task"), queryset=ExecutionTask.objects.none(), required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["task"]).queryset = case.execution_tasks.all()


class CustodyForm(StyledFormMixin, forms.Form):
    to_party = forms.CharField(label=_("Received by"), max_length=255)
    at = forms.DateTimeField(label=_("Date"), widget=DateTimeInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class _ItemField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        mark = obj.seal_number or (obj.sha256[:16] + "…" if obj.sha256 else "")
        return f"{obj.description} ({mark})" if mark else str(obj.description)


class ReturnForm(StyledFormMixin, forms.Form):
    items = _ItemField(
        label=_("Items to return"), queryset=EvidenceItem.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    sent_at = forms.DateTimeField(label=_("Sent at"), widget=DateTimeInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    language = forms.ChoiceField(label=_("Language of the transmittal letter"), choices=LETTER_LANGUAGE_CHOICES)
    letter = forms.BooleanField(label=_("File the transmittal letter (DOCX and PDF)"), required=False, initial=True)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["items"]).queryset = case.evidence_items.filter(
            returned_in__isnull=True
        )


class DisclosureDutyForm(StyledFormMixin, forms.Form):
    person = forms.CharField(label=_("Person to be notified"), max_length=300)
    legal_basis = forms.CharField(label=_("Legal provision requiring the notification"), max_length=300)
    notify_on = forms.DateField(label=_("Notification due on"), widget=DateInput())
    task = forms.ModelChoiceField(label=_("Task"), queryset=ExecutionTask.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["task"]).queryset = case.execution_tasks.all()


class NoticeForm(StyledFormMixin, forms.Form):
    at = forms.DateTimeField(label=_("Date"), widget=DateTimeInput())
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)


class NotifiedForm(StyledFormMixin, forms.Form):
    at = forms.DateTimeField(label=_("Date"), widget=DateTimeInput())


class ChallengeForm(StyledFormMixin, forms.Form):
    by = forms.ChoiceField(label=_("Challenged by"), choices=x.ChallengeBy.choices)
    challenger = forms.CharField(label=_("Challenger"), max_length=300)
    decision = forms.CharField(label=_("Decision challenged"), widget=forms.Textarea(attrs={"rows": 2}))
    forum = forms.CharField(label=_("Court or body"), max_length=300)
    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput())
    hearing_on = forms.DateField(label=_("Hearing on"), widget=DateInput(), required=False)
    suspends = forms.BooleanField(label=_("Holds up the execution"), required=False)


class ChallengeOutcomeForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=x.ChallengeOutcome.choices)
    outcome_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    hearing_on = forms.DateField(label=_("Hearing on"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Effect on the task"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StatusScheduleForm(StyledFormMixin, forms.Form):
    every_days = forms.IntegerField(label=_("Every (days)"), min_value=7, max_value=366, initial=30)
    next_on = forms.DateField(label=_("Next letter on"), widget=DateInput())
    language = forms.ChoiceField(label=_("Language"), choices=LETTER_LANGUAGE_CHOICES)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
