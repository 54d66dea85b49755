"""Extradition pages: the case panel's forms, the persons in custody, the calendar and its iCalendar feed.

Each case page finds its matter through ``get_case_for`` (404 when not visible) and makes one action call.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import Role
from entraide.cases import choices as cc
from entraide.cases.models import Case
from entraide.cases.queries import can_work_on
from entraide.cases.views import _require, _simple_form_view, case_view
from entraide.core.auth import acting_user
from entraide.extradition import actions
from entraide.extradition import forms as f
from entraide.extradition.models import Assurance, Custody, JudicialStep, SpecialityConsent
from entraide.extradition.queries import case_clocks, custody_rows

STAFF = {Role.OFFICER, Role.HEAD}
ANCHOR = "extradition"


def may_work(user: Any, case: Case) -> bool:
    return bool(
        user.is_authenticated
        and user.role in STAFF
        and case.kind in cc.EXTRADITION_KINDS
        and case.is_open
        and can_work_on(user, case)
    )


def _extradition(case: Case) -> None:
    if case.kind not in cc.EXTRADITION_KINDS:
        raise Http404


def panel_context(request: HttpRequest, case: Case, base: dict[str, Any]) -> dict[str, Any] | None:
    """The case page's extradition panel: clocks as countdowns, custody, the registers of the judicial phase."""
    if case.kind not in cc.EXTRADITION_KINDS:
        return None
    return {
        "clocks": case_clocks(case),
        "custodies": Custody.objects.filter(case=case),
        "steps": JudicialStep.objects.filter(case=case),
        "assurances": Assurance.objects.filter(case=case),
        "consents": SpecialityConsent.objects.filter(case=case),
        "may_act": may_work(request.user, case),
        "arrest_possible": case.lifecycle.get(case.status, actions.ARREST_STATE[cc.Direction(case.direction)])
        is not None
        or case.direction == cc.Direction.INCOMING,
    }


@case_view
def arrest(request: HttpRequest, case: Case) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    form = f.ArrestForm(request.POST or None, case=case)
    title = (
        _("Record the arrest abroad") if case.direction == cc.Direction.OUTGOING else _("Record the provisional arrest")
    )
    return _simple_form_view(
        request,
        case,
        form,
        title,
        lambda: actions.record_arrest(case, actor=acting_user(request), **form.cleaned_data),
        _("Arrest recorded; the clock runs from the arrest."),
        ANCHOR,
    )


@case_view
def formal_request(request: HttpRequest, case: Case) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    form = f.FormalRequestForm(request.POST or None, initial={"at": timezone.localtime().replace(second=0)})
    title = (
        _("Formal request delivered to the requested State")
        if case.direction == cc.Direction.OUTGOING
        else _("Formal request received")
    )
    return _simple_form_view(
        request,
        case,
        form,
        title,
        lambda: actions.record_formal_request(case, actor=acting_user(request), **form.cleaned_data),
        _("Formal request recorded; its clock is met."),
        ANCHOR,
    )


@case_view
def step_add(request: HttpRequest, case: Case) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    form = f.StepForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    return _simple_form_view(
        request,
        case,
        form,
        _("Record a step of the judicial phase"),
        lambda: actions.record_step(case, actor=acting_user(request), **form.cleaned_data),
        _("Step recorded."),
        ANCHOR,
    )


@case_view
def status_update(request: HttpRequest, case: Case) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    form = f.StatusUpdateForm(request.POST or None, initial={"sent_on": timezone.localdate()})
    return _simple_form_view(
        request,
        case,
        form,
        _("Status update sent to the counterpart"),
        lambda: actions.record_status_update(case, actor=acting_user(request), **form.cleaned_data),
        _("Status update recorded; the next reminder is set."),
        ANCHOR,
    )


@case_view
def assurance_add(request: HttpRequest, case: Case) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    form = f.AssuranceForm(request.POST or None, initial={"asked_on": timezone.localdate()})
    return _simple_form_view(
        request,
        case,
        form,
        _("Ask for an assurance"),
        lambda: actions.ask_assurance(case, actor=acting_user(request), **form.cleaned_data),
        _("Assurance recorded as asked."),
        ANCHOR,
    )


@case_view
def assurance_assess(request: HttpRequest, case: Case, item_id: int) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    assurance = get_object_or_404(Assurance, pk=item_id, case=case)
    form = f.AssessForm(
        request.POST or None,
        initial={"received_on": assurance.received_on or timezone.localdate(), "assessment": assurance.assessment},
    )
    return _simple_form_view(
        request,
        case,
        form,
        _("Assurance received and assessed"),
        lambda: actions.assess_assurance(
            assurance,
            actor=acting_user(request),
            received_on=form.cleaned_data["received_on"],
            assessment=form.cleaned_data["assessment"],
            note=form.cleaned_data["assessment_note"],
        ),
        _("Assessment recorded."),
        ANCHOR,
    )


@case_view
def speciality_add(request: HttpRequest, case: Case) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    form = f.SpecialityForm(request.POST or None, initial={"requested_on": timezone.localdate()})
    return _simple_form_view(
        request,
        case,
        form,
        _("Speciality or re-extradition consent"),
        lambda: actions.ask_speciality_consent(case, actor=acting_user(request), **form.cleaned_data),
        _("Request for consent recorded."),
        ANCHOR,
    )


@case_view
def speciality_decide(request: HttpRequest, case: Case, item_id: int) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    consent = get_object_or_404(SpecialityConsent, pk=item_id, case=case)
    form = f.DecideForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    return _simple_form_view(
        request,
        case,
        form,
        _("Decision on the consent"),
        lambda: actions.decide_speciality_consent(consent, actor=acting_user(request), **form.cleaned_data),
        _("Decision recorded."),
        ANCHOR,
    )


@login_required
def custody(request: HttpRequest) -> HttpResponse:
    """Everyone held in extradition proceedings, with their clocks: the head's morning page."""
    rows = custody_rows(acting_user(request))
    return render(request, "extradition/custody.html", {"rows": rows, "nav": "custody", "now": timezone.now()})
