"""Execution pages. A task is found through ``get_task_for`` (404 when not visible), a matter through
``get_case_for``; each page makes one action call."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.accounts.models import Role
from entraide.cases.choices import EXTRADITION_KINDS
from entraide.cases.models import Case
from entraide.cases.queries import can_register, can_work_on, get_case_for
from entraide.core.auth import acting_user
from entraide.core.errors import ActionError
from entraide.core.prepared import prepared
from entraide.execution import actions
from entraide.execution import choices as x
from entraide.execution.forms import (
    CancelForm,
    ChallengeForm,
    ChallengeOutcomeForm,
    ChecklistForm,
    ConsultationForm,
    CustodyForm,
    DecisionForm,
    DisclosureDutyForm,
    LetterForm,
    NoticeForm,
    NotifiedForm,
    PhysicalItemForm,
    ProgressForm,
    QuickRegisterForm,
    ReassignForm,
    ResultForm,
    ReturnForm,
    StatusScheduleForm,
    SupplementaryAnswerForm,
    TaskForm,
    TextForm,
)
from entraide.execution.letters import counterpart_language, generate_letter, language_note
from entraide.execution.models import (
    AdmissibilityItem,
    Decision,
    DisclosureDuty,
    EvidenceItem,
    ExecutionTask,
    ReturnPackage,
    TaskEntry,
    TaskResult,
)
from entraide.execution.queries import (
    can_manage_tasks,
    can_report,
    find_duplicates,
    get_task_for,
    is_executor,
    sees_case,
    visible_tasks,
)


def _attempt(request: HttpRequest, action: Callable[[], Any], form: forms.BaseForm | None = None) -> tuple[bool, Any]:
    try:
        result = action()
    except ActionError as error:
        messages.error(request, str(error.message))
        if form is not None:
            for field, message in error.fields.items():
                form.add_error(field if field in form.fields else None, str(message))
        return False, None
    return True, result


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    run: Callable[[], Any],
    success: str,
    done_url: Callable[[Any], str],
    back_url: str,
    task: ExecutionTask | None = None,
    case: Any = None,
    multipart: bool = False,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        ok, result = _attempt(request, run, form)
        if ok:
            messages.success(request, success)
            return redirect(done_url(result))
    return render(
        request,
        "execution/form.html",
        {
            "form": form,
            "title": title,
            "task": task,
            "case": case,
            "back_url": back_url,
            "multipart": multipart,
            "nav": _nav(request),
        },
    )


def _language_warning(request: HttpRequest, case: Any) -> None:
    """Tell the officer, on a page that files a letter, that the requesting State gets it in English."""
    note = language_note(case) if request.method == "GET" else None
    if note:
        messages.warning(request, note)


def _nav(request: HttpRequest) -> str:
    return "tasks" if is_executor(request.user) else "execution-tasks"


# --- lists --------------------------------------------------------------------------------------------------


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    tasks = visible_tasks(user).select_related("authority", "measure", "contact")
    show = request.GET.get("show", "open")
    today = timezone.localdate()
    if show == "late":
        tasks = tasks.filter(status__in=x.TASK_OPEN, due_on__lt=today, on_hold_since__isnull=True)
    elif show == "open":
        tasks = tasks.filter(status__in=x.TASK_OPEN)
    else:
        show = "all"
    executor = is_executor(user)
    if not executor:
        tasks = tasks.select_related("case")
    return render(
        request,
        "execution/task_list.html",
        {"tasks": tasks.order_by("due_on", "id")[:500], "show": show, "executor": executor, "nav": _nav(request)},
    )


# --- one task -----------------------------------------------------------------------------------------------


@login_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    task = get_task_for(user, pk)
    actions.record_task_view(task, actor=user)
    show_case = sees_case(user, task)
    context = {
        "task": task,
        "show_case": show_case,
        "entries": task.entries.select_related("author"),
        "results": task.results.select_related("uploaded_by"),
        "challenges": task.challenges.all(),
        "may_report": can_report(user, task) or (show_case and can_manage_tasks(user, task.case)),
        "may_ask": can_report(user, task),
        "may_manage": show_case and can_manage_tasks(user, task.case),
        "provider_warning": bool(task.measure and task.measure.type in actions.PROVIDER_MEASURES),
        "nav": _nav(request),
    }
    return render(request, "execution/task_detail.html", context)


def task_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Login required; the task is loaded through need-to-know (404 otherwise)."""

    @login_required
    def wrapper(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponseBase:
        task = get_task_for(request.user, pk)
        return view(request, task, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _task_url(task: ExecutionTask) -> str:
    return reverse("execution:task", args=[task.pk])


def _forbidden() -> HttpResponse:
    return HttpResponseForbidden(_("You may not change this task."))


@task_view
def task_progress(request: HttpRequest, task: ExecutionTask) -> HttpResponse:
    user = acting_user(request)
    if not (can_report(user, task) or can_manage_tasks(user, task.case)):
        return _forbidden()
    form = ProgressForm(request.POST or None)
    return _form_page(
        request,
        form,
        title=_("Report progress on {task}").format(task=task.reference),
        run=lambda: actions.report_progress(
            task, actor=user, text=form.cleaned_data["text"], status=form.cleaned_data["status"]
        ),
        success=_("Progress recorded."),
        done_url=lambda _result: _task_url(task),
        back_url=_task_url(task),
        task=task,
    )


@task_view
def task_question(request: HttpRequest, task: ExecutionTask) -> HttpResponse:
    user = acting_user(request)
    if not can_report(user, task):
        return _forbidden()
    form = TextForm(request.POST or None)
    form.fields["text"].label = _("Your question to the Central Authority")
    return _form_page(
        request,
        form,
        title=_("Ask a question on {task}").format(task=task.reference),
        run=lambda: actions.ask_question(task, actor=user, text=form.cleaned_data["text"]),
        success=_("Question sent to the Central Authority."),
        done_url=lambda _result: _task_url(task),
        back_url=_task_url(task),
        task=task,
    )


@task_view
def task_answer(request: HttpRequest, task: ExecutionTask, entry_id: int) -> HttpResponse:
    user = acting_user(request)
    question = get_object_or_404(task.entries, pk=entry_id, kind=x.EntryKind.QUESTION)
    if not can_manage_tasks(user, task.case):
        return _forbidden()
    form = TextForm(request.POST or None)
    form.fields["text"].label = _("Answer")
    form.fields["text"].help_text = question.text
    return _form_page(
        request,
        form,
        title=_("Answer the question on {task}").format(task=task.reference),
        run=lambda: actions.answer_question(question, actor=user, text=form.cleaned_data["text"]),
        success=_("Answer sent to the executing authority."),
        done_url=lambda _result: _task_url(task),
        back_url=_task_url(task),
        task=task,
    )


@task_view
def task_result_add(request: HttpRequest, task: ExecutionTask) -> HttpResponse:
    user = acting_user(request)
    if not (can_report(user, task) or can_manage_tasks(user, task.case)):
        return _forbidden()
    form = ResultForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ok, result = _attempt(
            request,
            lambda: actions.add_result(
                task, form.cleaned_data["file"], actor=user, description=form.cleaned_data["description"]
            ),
            form,
        )
        if ok:
            if result.late:
                messages.warning(
                    request,
                    _("Result received after the deadline of {due}: it is kept and marked late.").format(
                        due=task.due_on.isoformat()
                    ),
                )
            else:
                messages.success(request, _("Result received."))
            return redirect(_task_url(task))
    return render(
        request,
        "execution/form.html",
        {
            "form": form,
            "title": _("Return a result for {task}").format(task=task.reference),
            "task": task,
            "back_url": _task_url(task),
            "multipart": True,
            "nav": _nav(request),
        },
    )


@task_view
def task_result_download(request: HttpRequest, task: ExecutionTask, result_id: int) -> HttpResponseBase:
    user = acting_user(request)
    result = get_object_or_404(task.results, pk=result_id)
    digest = hashlib.sha256()
    try:
        with result.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
    except OSError as exc:
        raise Http404 from exc
    if digest.hexdigest() != result.sha256:
        message = _(
            "The stored file no longer matches the fingerprint (SHA-256) recorded when it was filed. "
            "Tell the administrator."
        )
        return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    actions.record_result_download(result, actor=user)
    response = FileResponse(
        result.file.open("rb"), as_attachment=True, filename=result.original_name, content_type=result.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Checksum-SHA256"] = result.sha256
    return response


@task_view
def task_reassign(request: HttpRequest, task: ExecutionTask) -> HttpResponse:
    user = acting_user(request)
    if not sees_case(user, task) or not can_manage_tasks(user, task.case):
        return _forbidden()
    form = ReassignForm(request.POST or None)
    return _form_page(
        request,
        form,
        title=_("Reassign {task}").format(task=task.reference),
        run=lambda: actions.reassign_task(
            task,
            actor=user,
            authority=form.cleaned_data["authority"],
            reason=form.cleaned_data["reason"],
            due_on=form.cleaned_data["due_on"],
        ),
        success=_("Task reassigned."),
        done_url=lambda _result: _task_url(task),
        back_url=_task_url(task),
        task=task,
    )


@task_view
def task_cancel(request: HttpRequest, task: ExecutionTask) -> HttpResponse:
    user = acting_user(request)
    if not sees_case(user, task) or not can_manage_tasks(user, task.case):
        return _forbidden()
    form = CancelForm(request.POST or None)
    return _form_page(
        request,
        form,
        title=_("Cancel {task}").format(task=task.reference),
        run=lambda: actions.cancel_task(task, actor=user, reason=form.cleaned_data["reason"]),
        success=_("Task cancelled."),
        done_url=lambda _result: _task_url(task),
        back_url=_task_url(task),
        task=task,
    )


# --- tasks of a matter --------------------------------------------------------------------------------------


@login_required
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = get_case_for(user, pk)
    if not can_manage_tasks(user, case):
        return HttpResponseForbidden(_("You may not give execution tasks on this matter."))
    initial: dict[str, Any] = {"contact": case.officer_id or user.pk}
    measure_id = request.GET.get("measure")
    if measure_id and measure_id.isdigit():
        initial["measure"] = int(measure_id)
    form = TaskForm(request.POST or None, case=case, initial=initial)
    return _form_page(
        request,
        form,
        title=_("Give an execution task"),
        run=lambda: actions.create_task(
            case,
            actor=user,
            authority=form.cleaned_data["authority"],
            title=form.cleaned_data["title"],
            instructions=form.cleaned_data["instructions"],
            due_on=form.cleaned_data["due_on"],
            measure=form.cleaned_data["measure"],
            contact=form.cleaned_data["contact"],
        ),
        success=_("Task given."),
        done_url=lambda _task: reverse("cases:detail", args=[case.pk]) + "#execution-tasks",
        back_url=reverse("cases:detail", args=[case.pk]),
        case=case,
    )


def _count(model: Any, **conditions: Any) -> Any:
    """The number of ``model`` rows of the matter, as a subquery of the matter's own row."""
    rows = model.objects.filter(case=OuterRef("pk"), **conditions).order_by().values("case")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def _summary_query(pk: Any) -> Any:
    last = Decision.objects.filter(case=OuterRef("pk")).order_by("-decided_at", "-id")
    return (
        Case.objects.filter(pk=pk)
        .annotate(
            x_held=_count(EvidenceItem, returned_in__isnull=True),
            x_returned=_count(EvidenceItem, returned_in__isnull=False),
            x_packages=_count(ReturnPackage),
            x_notices=_count(DisclosureDuty, notice_sent_at__isnull=True),
            x_tasks=_count(ExecutionTask),
            x_assessed=_count(AdmissibilityItem, value__gt=""),
            x_flagged=_count(AdmissibilityItem, value__in=[x.Assessment.NOT_MET, x.Assessment.APPLIES]),
            x_decision=Subquery(last.values("kind")[:1]),
            x_decided_at=Subquery(last.values("decided_at")[:1]),
        )
        .values(
            "x_held",
            "x_returned",
            "x_packages",
            "x_notices",
            "x_tasks",
            "x_assessed",
            "x_flagged",
            "x_decision",
            "x_decided_at",
            "status_schedule__every_days",
            "status_schedule__next_on",
            "status_schedule__active",
        )
    )


def _summary(case: Any, base: dict[str, Any]) -> dict[str, Any]:
    """What the three execution panels of a matter's page show, counted in one query of the matter's row and kept
    in the page's context for the other panels. The panels then read the checklist items (only if one is missing
    or applies) and the tasks (only if there are any): three queries at most, whatever the matter holds."""
    if "execution_summary" in base:
        return cast(dict[str, Any], base["execution_summary"])
    # Compiled once per process (``core.prepared``): building this query with the ORM took 90 times longer than
    # running it.
    summary = prepared("execution.summary", _summary_query, case.pk)[0]
    base["execution_summary"] = summary
    return summary


def _may_manage(user: Any, case: Any, base: dict[str, Any]) -> bool:
    """``can_manage_tasks`` with the page's own answer to "may work on it" (no query)."""
    may_work = base["may_work"] if "may_work" in base else can_work_on(user, case)
    return bool(user.role in {Role.HEAD, Role.OFFICER} and may_work)


def case_panel(request: HttpRequest, case: Any, base: dict[str, Any]) -> dict[str, Any] | None:
    """The execution tasks panel of an incoming MLA matter's page (an extradition has no tasks to give)."""
    if case.direction != "incoming" or case.kind in EXTRADITION_KINDS:
        return None
    user = acting_user(request)
    summary = _summary(case, base)
    tasks: list[Any] = []
    if summary["x_tasks"]:
        questions = TaskEntry.objects.filter(task=OuterRef("pk"), kind=x.EntryKind.QUESTION, answered_at__isnull=True)
        results = TaskResult.objects.filter(task=OuterRef("pk"))
        tasks = list(
            case.execution_tasks.select_related("authority", "measure", "contact").annotate(
                result_count=Coalesce(
                    Subquery(results.order_by().values("task").annotate(n=Count("pk")).values("n")[:1]), 0
                ),
                open_questions=Coalesce(
                    Subquery(questions.order_by().values("task").annotate(n=Count("pk")).values("n")[:1]), 0
                ),
            )
        )
    schedule = None
    if summary["status_schedule__every_days"] is not None:
        schedule = {
            "every_days": summary["status_schedule__every_days"],
            "next_on": summary["status_schedule__next_on"],
            "active": summary["status_schedule__active"],
        }
    may_manage = _may_manage(user, case, base)
    return {
        "tasks": tasks,
        "schedule": schedule,
        "may_manage": may_manage,
        "may_add": may_manage and case.status in actions.TASKABLE_STATES,
    }


# --- admissibility review -----------------------------------------------------------------------------------


def _is_reviewable(case: Any) -> bool:
    return bool(case.direction == "incoming" and case.kind not in EXTRADITION_KINDS)


def review_url(case: Any) -> str:
    return reverse("execution:admissibility", args=[case.pk])


@login_required
def admissibility(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = get_case_for(user, pk)
    if not _is_reviewable(case):
        raise Http404
    may_work = can_work_on(user, case) and case.is_open
    current = {a.code: a for a in case.admissibility_items.select_related("assessed_by")}
    form = ChecklistForm(request.POST or None, current=current)
    if request.method == "POST":
        if not may_work:
            return HttpResponseForbidden(_("You may not change this matter."))
        if form.is_valid():
            ok, _saved = _attempt(request, lambda: actions.save_assessments(case, actor=user, items=form.items()), form)
            if ok:
                messages.success(request, _("Review saved."))
                return redirect(review_url(case))
    context = {
        "case": case,
        "form": form,
        "current": current,
        "may_work": may_work,
        "decisions": case.admissibility_decisions.select_related("decided_by", "consultation"),
        "consultations": case.consultations.select_related("recorded_by"),
        "nav": "register",
    }
    return render(request, "execution/admissibility.html", context)


def _review_form_view(request: HttpRequest, pk: int) -> tuple[Any, Any, HttpResponse | None]:
    user = acting_user(request)
    case = get_case_for(user, pk)
    if not _is_reviewable(case):
        raise Http404
    if not can_work_on(user, case):
        return user, case, HttpResponseForbidden(_("You may not change this matter."))
    return user, case, None


@login_required
def consultation_add(request: HttpRequest, pk: int) -> HttpResponse:
    user, case, refused = _review_form_view(request, pk)
    if refused is not None:
        return refused
    form = ConsultationForm(request.POST or None, initial={"at": timezone.localtime().replace(second=0, microsecond=0)})
    return _form_page(
        request,
        form,
        title=_("Record a consultation of the requesting State"),
        run=lambda: actions.record_consultation(case, actor=user, **form.cleaned_data),
        success=_("Consultation recorded."),
        done_url=lambda _result: review_url(case),
        back_url=review_url(case),
        case=case,
    )


@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    user, case, refused = _review_form_view(request, pk)
    if refused is not None:
        return refused
    form = DecisionForm(request.POST or None, case=case, initial={"kind": request.GET.get("kind", "")})
    _language_warning(request, case)
    return _form_page(
        request,
        form,
        title=_("Decide on the request"),
        run=lambda: _decide_with_letter(case, user, form.cleaned_data),
        success=_("Decision recorded."),
        done_url=lambda _result: review_url(case),
        back_url=review_url(case),
        case=case,
    )


@login_required
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    user, case, refused = _review_form_view(request, pk)
    if refused is not None:
        return refused
    form = CancelForm(request.POST or None)  # a reason
    return _form_page(
        request,
        form,
        title=_("Resume the execution of the request"),
        run=lambda: actions.resume_execution(case, actor=user, reason=form.cleaned_data["reason"]),
        success=_("The execution resumes; the executing authorities with open tasks are told."),
        done_url=lambda _result: review_url(case),
        back_url=review_url(case),
        case=case,
    )


@transaction.atomic
def _decide_with_letter(case: Any, user: Any, data: dict[str, Any]) -> Any:
    """The decision and, when asked, its letter: both or neither."""
    decision = actions.decide(
        case,
        actor=user,
        kind=data["kind"],
        reasons=data["reasons"],
        grounds=data.get("grounds") or [],
        refused_measures=list(data.get("refused_measures") or []),
        consultation=data["consultation"],
    )
    if data.get("letter"):
        fresh = type(case).objects.get(pk=case.pk)
        generate_letter(fresh, actor=user, kind="decision", decision=decision)
    return decision


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    user, case, refused = _review_form_view(request, pk)
    if refused is not None:
        return refused
    initial: dict[str, Any] = {
        "kind": request.GET.get("kind", "acknowledgement"),
        "language": counterpart_language(case),
        "sent_at": timezone.localtime().replace(second=0, microsecond=0),
    }
    decision_id = request.GET.get("decision", "")
    if decision_id.isdigit():
        initial["decision"] = int(decision_id)
    form = LetterForm(request.POST or None, case=case, initial=initial)
    _language_warning(request, case)
    return _form_page(
        request,
        form,
        title=_("Letter to the requesting State"),
        run=lambda: generate_letter(
            case,
            actor=user,
            kind=form.cleaned_data["kind"],
            decision=form.cleaned_data["decision"],
            language=form.cleaned_data["language"],
            sent_by=form.cleaned_data["sent_by"],
            sent_at=form.cleaned_data["sent_at"],
        ),
        success=_("Letter filed on the matter as DOCX and PDF."),
        done_url=lambda _result: reverse("cases:detail", args=[case.pk]) + "#documents",
        back_url=review_url(case),
        case=case,
    )


@login_required
def supplementary_answer(request: HttpRequest, pk: int) -> HttpResponse:
    user, case, refused = _review_form_view(request, pk)
    if refused is not None:
        return refused
    form = SupplementaryAnswerForm(
        request.POST or None, initial={"received_at": timezone.localtime().replace(second=0, microsecond=0)}
    )
    if request.method == "POST" and form.is_valid():
        ok, answered = _attempt(
            request,
            lambda: actions.record_supplementary_answer(
                case, actor=user, summary=form.cleaned_data["summary"], received_at=form.cleaned_data["received_at"]
            ),
            form,
        )
        if ok:
            if answered is None:
                fresh = type(case).objects.get(pk=case.pk)
                messages.warning(
                    request,
                    _(
                        "The matter is “{state}”, not awaiting information: the answer is filed as a communication "
                        "received, and nothing else changed."
                    ).format(state=fresh.lifecycle.label(fresh.status)),
                )
            else:
                messages.success(request, _("Answer recorded: the clocks resume and the review continues."))
            return redirect(review_url(case))
    return render(
        request,
        "execution/form.html",
        {
            "form": form,
            "title": _("Record the supplementary information received"),
            "case": case,
            "back_url": review_url(case),
            "nav": "register",
        },
    )


def admissibility_panel(request: HttpRequest, case: Any, base: dict[str, Any]) -> dict[str, Any] | None:
    """The admissibility summary on an incoming MLA matter's page."""
    if not _is_reviewable(case):
        return None
    from entraide.execution.checklist import BY_CODE, GROUND, REQUIREMENT

    summary = _summary(case, base)
    flagged: list[tuple[str, str]] = []
    if summary["x_flagged"]:
        flagged = list(
            case.admissibility_items.filter(value__in=[x.Assessment.NOT_MET, x.Assessment.APPLIES])
            .order_by("id")
            .values_list("code", "value")
        )
    decision = None
    if summary["x_decision"]:
        decision = Decision(kind=summary["x_decision"], decided_at=summary["x_decided_at"])
    return {
        "assessed": summary["x_assessed"],
        "total": len(BY_CODE),
        "missing": [
            BY_CODE[c].label for c, v in flagged if c in BY_CODE and BY_CODE[c].group == REQUIREMENT and v == "not_met"
        ],
        "grounds": [
            BY_CODE[c].label for c, v in flagged if c in BY_CODE and BY_CODE[c].group == GROUND and v == "applies"
        ],
        "decision": decision,
    }


# --- fast registration --------------------------------------------------------------------------------------


def may_register_incoming(user: Any) -> bool:
    return bool(can_register(user) and user.role != Role.REQUESTING)


@login_required
def register_incoming(request: HttpRequest) -> HttpResponse:
    """Register an incoming request from what arrived, warned of probable duplicates first."""
    user = acting_user(request)
    if not may_register_incoming(user):
        raise Http404
    form = QuickRegisterForm(request.POST or None, initial={"received_on": timezone.localdate()})
    duplicates: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        duplicates = find_duplicates(
            user,
            country=form.cleaned_data["counterpart_country"],
            reference=form.cleaned_data["counterpart_reference"],
            names=form.name_list(),
        )
        found = duplicates["visible"] or duplicates["restricted"]
        if not found or form.cleaned_data["confirm"]:
            ok, case = _attempt(request, lambda: actions_register(user, form), form)
            if ok:
                messages.success(
                    request, _("Incoming request registered as {reference}.").format(reference=case.reference)
                )
                return redirect(reverse("cases:detail", args=[case.pk]))
        else:
            # Shown again with the warning; submitting it once more confirms.
            confirmed = request.POST.copy()
            confirmed["confirm"] = "1"
            form = QuickRegisterForm(confirmed)
            form.is_valid()
    return render(
        request,
        "execution/register.html",
        {"form": form, "duplicates": duplicates, "nav": "execution-register"},
    )


def actions_register(user: Any, form: QuickRegisterForm) -> Any:
    from entraide.cases import actions as case_actions

    return case_actions.register_case(actor=user, **form.action_data())


# --- evidence and return ------------------------------------------------------------------------------------


def _evidence_url(case: Any) -> str:
    return reverse("execution:evidence", args=[case.pk])


def _incoming_case(request: HttpRequest, pk: int) -> Any:
    case = get_case_for(request.user, pk)
    if case.direction != "incoming":
        raise Http404
    return case


def _may_handle_evidence(user: Any, case: Any) -> bool:
    return bool(user.role in {Role.HEAD, Role.OFFICER} and can_work_on(user, case))


@login_required
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = _incoming_case(request, pk)
    items = case.evidence_items.select_related("task", "returned_in").prefetch_related("custody")
    context = {
        "case": case,
        "items": items,
        "packages": case.return_packages.select_related("created_by"),
        "may_work": _may_handle_evidence(user, case),
        "nav": "register",
    }
    return render(request, "execution/evidence.html", context)


@login_required
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = _incoming_case(request, pk)
    if not _may_handle_evidence(user, case):
        return HttpResponseForbidden(_("You may not change this matter."))
    form = PhysicalItemForm(
        request.POST or None, case=case, initial={"at": timezone.localtime().replace(second=0, microsecond=0)}
    )
    return _form_page(
        request,
        form,
        title=_("Record a physical item"),
        run=lambda: actions.add_physical_item(case, actor=user, **form.cleaned_data),
        success=_("Item recorded."),
        done_url=lambda _result: _evidence_url(case),
        back_url=_evidence_url(case),
        case=case,
    )


@login_required
def evidence_custody(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    user = acting_user(request)
    case = _incoming_case(request, pk)
    item = get_object_or_404(case.evidence_items, pk=item_id)
    if not _may_handle_evidence(user, case):
        return HttpResponseForbidden(_("You may not change this matter."))
    form = CustodyForm(request.POST or None, initial={"at": timezone.localtime().replace(second=0, microsecond=0)})
    return _form_page(
        request,
        form,
        title=_("Hand over: {item}").format(item=item.description),
        run=lambda: actions.record_custody(item, actor=user, **form.cleaned_data),
        success=_("Hand-over recorded."),
        done_url=lambda _result: _evidence_url(case),
        back_url=_evidence_url(case),
        case=case,
    )


@login_required
def evidence_return(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = _incoming_case(request, pk)
    if not _may_handle_evidence(user, case):
        return HttpResponseForbidden(_("You may not change this matter."))
    form = ReturnForm(
        request.POST or None,
        case=case,
        initial={
            "sent_at": timezone.localtime().replace(second=0, microsecond=0),
            "language": counterpart_language(case),
            "channel": "diplomatic",
        },
    )
    _language_warning(request, case)
    return _form_page(
        request,
        form,
        title=_("Return evidence to the requesting State"),
        run=lambda: actions.return_evidence(
            case,
            actor=user,
            items=list(form.cleaned_data["items"]),
            channel=form.cleaned_data["channel"],
            sent_at=form.cleaned_data["sent_at"],
            note=form.cleaned_data["note"],
            language=form.cleaned_data["language"],
            letter=form.cleaned_data["letter"],
        ),
        success=_("Evidence returned; the transmittal letter is filed on the matter."),
        done_url=lambda _result: _evidence_url(case),
        back_url=_evidence_url(case),
        case=case,
    )


def evidence_panel(request: HttpRequest, case: Any, base: dict[str, Any]) -> dict[str, Any] | None:
    if case.direction != "incoming":
        return None
    summary = _summary(case, base)
    # The page lists the measures anyway: reading its own queryset here fills the cache its template then uses.
    measures = base.get("measures")
    types = [m.type for m in measures] if measures is not None else list(case.measures.values_list("type", flat=True))
    return {
        "held": summary["x_held"],
        "returned": summary["x_returned"],
        "packages": summary["x_packages"],
        "pending_notices": summary["x_notices"],
        "provider": any(t in actions.PROVIDER_MEASURES for t in types),
    }


# --- confidentiality duties ---------------------------------------------------------------------------------


def _confidentiality_url(case: Any) -> str:
    return reverse("execution:confidentiality", args=[case.pk])


def _provider_measures(case: Any) -> list[Any]:
    return [m for m in case.measures.all() if m.type in actions.PROVIDER_MEASURES]


@login_required
def confidentiality(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = _incoming_case(request, pk)
    context = {
        "case": case,
        "duties": case.disclosure_duties.select_related("task", "deadline"),
        "provider_measures": _provider_measures(case),
        "may_work": _may_handle_evidence(user, case),
        "today": timezone.localdate(),
        "nav": "register",
    }
    return render(request, "execution/confidentiality.html", context)


def _now_initial() -> dict[str, Any]:
    return {"at": timezone.localtime().replace(second=0, microsecond=0)}


@login_required
def disclosure_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = _incoming_case(request, pk)
    if not _may_handle_evidence(user, case):
        return HttpResponseForbidden(_("You may not change this matter."))
    form = DisclosureDutyForm(request.POST or None, case=case)
    return _form_page(
        request,
        form,
        title=_("Record a duty to notify a person"),
        run=lambda: actions.record_disclosure_duty(case, actor=user, **form.cleaned_data),
        success=_("Duty recorded: tell the requesting State before the notification date."),
        done_url=lambda _result: _confidentiality_url(case),
        back_url=_confidentiality_url(case),
        case=case,
    )


@login_required
def disclosure_step(request: HttpRequest, pk: int, duty_id: int, step: str) -> HttpResponse:
    user = acting_user(request)
    case = _incoming_case(request, pk)
    duty = get_object_or_404(case.disclosure_duties, pk=duty_id)
    if step not in {"notice", "notified"}:
        raise Http404
    if not _may_handle_evidence(user, case):
        return HttpResponseForbidden(_("You may not change this matter."))
    if step == "notice":
        notice = NoticeForm(request.POST or None, initial={**_now_initial(), "channel": "email"})
        return _form_page(
            request,
            notice,
            title=_("Requesting State told of the notification of {person}").format(person=duty.person),
            run=lambda: actions.record_disclosure_notice(duty, actor=user, **notice.cleaned_data),
            success=_("Notice recorded."),
            done_url=lambda _result: _confidentiality_url(case),
            back_url=_confidentiality_url(case),
            case=case,
        )
    notified = NotifiedForm(request.POST or None, initial=_now_initial())
    return _form_page(
        request,
        notified,
        title=_("{person} notified").format(person=duty.person),
        run=lambda: actions.record_person_notified(duty, actor=user, **notified.cleaned_data),
        success=_("Notification recorded."),
        done_url=lambda _result: _confidentiality_url(case),
        back_url=_confidentiality_url(case),
        case=case,
    )


# --- challenges ---------------------------------------------------------------------------------------------


@task_view
def challenge_add(request: HttpRequest, task: ExecutionTask) -> HttpResponse:
    user = acting_user(request)
    if not can_manage_tasks(user, task.case):
        return _forbidden()
    form = ChallengeForm(request.POST or None, initial={"filed_on": timezone.localdate()})
    return _form_page(
        request,
        form,
        title=_("Record a challenge on {task}").format(task=task.reference),
        run=lambda: actions.record_challenge(task, actor=user, **form.cleaned_data),
        success=_("Challenge recorded."),
        done_url=lambda _result: _task_url(task) + "#challenges",
        back_url=_task_url(task),
        task=task,
    )


@task_view
def challenge_outcome(request: HttpRequest, task: ExecutionTask, challenge_id: int) -> HttpResponse:
    user = acting_user(request)
    challenge = get_object_or_404(task.challenges, pk=challenge_id)
    if not can_manage_tasks(user, task.case):
        return _forbidden()
    form = ChallengeOutcomeForm(
        request.POST or None,
        initial={"outcome_on": timezone.localdate(), "hearing_on": challenge.hearing_on, "outcome": challenge.outcome},
    )
    return _form_page(
        request,
        form,
        title=_("Hearing and outcome of the challenge by {challenger}").format(challenger=challenge.challenger),
        run=lambda: actions.record_challenge_outcome(challenge, actor=user, **form.cleaned_data),
        success=_("Challenge updated."),
        done_url=lambda _result: _task_url(task) + "#challenges",
        back_url=_task_url(task),
        task=task,
    )


@login_required
def status_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = _incoming_case(request, pk)
    if not can_manage_tasks(user, case):
        return HttpResponseForbidden(_("You may not change this matter."))
    current = getattr(case, "status_schedule", None)
    initial: dict[str, Any] = {
        "next_on": timezone.localdate() + timedelta(days=30),
        "language": counterpart_language(case),
        "active": True,
    }
    if current is not None:
        initial.update(
            every_days=current.every_days, next_on=current.next_on, language=current.language, active=current.active
        )
    form = StatusScheduleForm(request.POST or None, initial=initial)
    _language_warning(request, case)
    return _form_page(
        request,
        form,
        title=_("Status letters on a schedule"),
        run=lambda: actions.set_status_schedule(case, actor=user, **form.cleaned_data),
        success=_("Schedule saved: each status letter is filed on the matter and you are told to send it."),
        done_url=lambda _result: reverse("cases:detail", args=[case.pk]) + "#execution-tasks",
        back_url=reverse("cases:detail", args=[case.pk]),
        case=case,
    )


@task_view
def task_settle(request: HttpRequest, task: ExecutionTask) -> HttpResponseBase:
    user = acting_user(request)
    if request.method != "POST":
        return HttpResponse(status=405)
    if not can_manage_tasks(user, task.case):
        return _forbidden()
    ok, measure = _attempt(request, lambda: actions.settle_measure(task, actor=user))
    if ok:
        messages.success(request, _("The measure is now “{status}”.").format(status=measure.get_status_display()))
    return redirect(_task_url(task))
