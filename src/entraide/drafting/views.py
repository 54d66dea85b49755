"""Drafting pages: start a request, the guided composer, review. Each view finds the matter through
``get_case_for`` (404 when not visible) and makes one action call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entraide.cases import actions as case_actions
from entraide.cases.catalogue import DEFINITIONS
from entraide.cases.choices import Direction
from entraide.cases.forms import MeasureTypeForm, OffenceForm, SubjectForm, measure_details_form, measure_details_from
from entraide.cases.models import Case, Document
from entraide.cases.queries import can_file, can_work_on, get_case_for, visible_cases
from entraide.core.auth import acting_user
from entraide.core.errors import ActionError
from entraide.core.i18n import current_language
from entraide.directory.models import CountryProfile

from . import actions
from .bases import proposed_bases
from .forms import (
    LANGUAGE_CHOICES,
    AcceptForm,
    AdvanceCommentsForm,
    AdvanceCopyForm,
    AnnexForm,
    CommentForm,
    LinkForm,
    MatterForm,
    ReasonForm,
    StartForm,
    TransmitForm,
    languages_of,
    section_changes,
)
from .models import AdvanceCopy, Draft, ReviewState, Severity
from .rules import Finding, evaluate
from .schema import DRAFT_KINDS, SECTION_INDEX, sections_for


def may_draft(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in actions.DRAFTERS)


def _attempt(request: HttpRequest, action: Callable[[], Any], form: Any = None, success: str = "") -> tuple[bool, Any]:
    try:
        result = action()
    except ActionError as error:
        messages.error(request, str(error.message))
        if form is not None:
            for name, message in error.fields.items():
                key = name.split(".")[-1]
                form.add_error(key if key in form.fields else None, str(message))
        return False, None
    if success:
        messages.success(request, success)
    return True, result


def _compose_url(case: Case, step: str = "") -> str:
    return reverse("drafting:compose", args=[case.pk]) + (f"?step={step}" if step else "")


def _draft_for(request: HttpRequest, pk: int) -> Draft:
    """The draft of a visible outgoing matter; created on first visit for a matter registered without one."""
    case = get_case_for(request.user, pk, related=("counterpart_country", "legal_basis", "national_authority"))
    if case.direction != Direction.OUTGOING or case.kind not in DRAFT_KINDS:
        raise Http404
    draft = Draft.objects.filter(case=case).select_related("case").first()
    if draft is None:
        if not can_work_on(request.user, case):
            raise Http404
        draft = actions.ensure_draft(case, actor=acting_user(request))
    draft.case = case
    return draft


# --- list and start -----------------------------------------------------------------------------------------


@login_required
def draft_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not may_draft(user) and not user.is_auditor:
        raise Http404
    drafts = (
        Draft.objects.filter(case__in=visible_cases(user))
        .select_related("case", "case__counterpart_country", "created_by")
        .order_by("-updated_at")
    )
    state = request.GET.get("state", "")
    if state in ReviewState.values:
        drafts = drafts.filter(review_state=state)
    page = Paginator(drafts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "drafting/list.html",
        {"page": page, "state": state, "states": ReviewState.choices, "nav": "drafts", "may_start": may_draft(user)},
    )


@login_required
def draft_start(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not may_draft(user):
        raise Http404
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, draft = _attempt(request, lambda: actions.start_draft(actor=user, **form.cleaned_data), form)
        if ok:
            messages.success(request, _("Draft started as {reference}.").format(reference=draft.case.reference))
            return redirect(_compose_url(draft.case, "basis"))
    return render(request, "drafting/start.html", {"form": form, "nav": "drafts"})


# --- the composer -------------------------------------------------------------------------------------------


def _field_rows(draft: Draft, section_key: str, languages: list[str]) -> list[dict[str, Any]]:
    section = SECTION_INDEX[section_key]
    rows = []
    for spec in section.fields_for(draft.case.kind):
        value = draft.content.get(spec.name)
        row: dict[str, Any] = {"spec": spec, "name": spec.name, "value": value if value is not None else ""}
        if spec.multilingual:
            value = value if isinstance(value, dict) else {}
            row["languages"] = [(lang, value.get(lang, "")) for lang in languages]
            extra = [lang for lang in value if lang not in languages]
            row["other_languages"] = [(lang, value[lang]) for lang in extra]
        if spec.kind == "choice":
            row["choices"] = spec.choices or LANGUAGE_CHOICES
        rows.append(row)
    return rows


def _base(draft: Draft, section_key: str, languages: list[str]) -> str:
    """The fingerprints of the values this step's form shows (``actions.field_digests``), sent back with each
    save so that a field someone else changed in the meantime is not overwritten."""
    import json

    specs = SECTION_INDEX[section_key].fields_for(draft.case.kind)
    multilingual = {spec.name: languages for spec in specs if spec.multilingual}
    return json.dumps(actions.field_digests(draft.content, [spec.name for spec in specs], multilingual))


def _seen(request: HttpRequest) -> dict[str, str] | None:
    import json

    try:
        seen = json.loads(request.POST.get("_base") or "null")
    except ValueError:
        return None
    if not isinstance(seen, dict):
        return None
    return {str(k): str(v) for k, v in seen.items()}


def _findings_context(draft: Draft, findings: list[Finding] | None = None) -> dict[str, Any]:
    findings = evaluate(draft) if findings is None else findings
    counts = {s.value: sum(1 for f in findings if f.severity == s.value and not f.accepted) for s in Severity}
    by_section: dict[str, int] = {}
    for f in findings:
        if f.severity != Severity.ADVICE and not f.accepted:
            by_section[f.section] = by_section.get(f.section, 0) + 1
    return {"findings": findings, "counts": counts, "by_section": by_section}


@login_required
def compose(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    user = acting_user(request)
    case = draft.case
    sections = sections_for(case.kind)
    keys = [s.key for s in sections]
    step = request.GET.get("step") or keys[0]
    if step not in keys:
        step = keys[0]
    languages = languages_of(draft.content, current_language())
    context: dict[str, Any] = {
        "draft": draft,
        "case": case,
        "sections": sections,
        "section": SECTION_INDEX[step],
        "step": step,
        "next_step": keys[keys.index(step) + 1] if keys.index(step) + 1 < len(keys) else "",
        "previous_step": keys[keys.index(step) - 1] if keys.index(step) > 0 else "",
        "rows": _field_rows(draft, step, languages),
        "base": _base(draft, step, languages),
        "languages": languages,
        "may_edit": actions.may_edit(user, draft),
        "may_review": actions.may_review(user, draft),
        "may_reopen": actions.may_reopen(user, draft),
        # Changed through the register (an offence, a measure…) since the head approved it: it cannot be sent.
        "changed_since_approval": bool(
            case.status == "approved" and draft.approved_hash and actions.content_digest(draft) != draft.approved_hash
        ),
        "is_head": user.is_head,
        "comments": draft.comments.select_related("author").filter(section=step),
        "all_comments": draft.comments.select_related("author"),
        "may_generate": draft.review_state == ReviewState.APPROVED and can_file(user, case),
        "request_documents": case.documents.filter(kind="request").prefetch_related("versions"),
        "may_correspond": user.role in {"officer", "head", "clerk"} and can_file(user, case),
        "advance_copies": draft.advance_copies.select_related("sent_by", "sent", "answer"),
        "advance_form": AdvanceCopyForm(),
        "comments_form": AdvanceCommentsForm(),
        "transmit_form": TransmitForm(),
        "profile": CountryProfile.objects.filter(country_id=case.counterpart_country_id).first(),
        "nav": "drafts",
    }
    context.update(_findings_context(draft))
    if step == "basis":
        context["bases"] = proposed_bases(case.counterpart_country_id, case.kind)
        context["matter_form"] = MatterForm(
            initial={
                "legal_basis": case.legal_basis_id,
                "priority": case.priority,
                "priority_reason": case.priority_reason,
                "confidentiality": case.confidentiality,
            }
        )
    if step == "facts":
        context["offences"] = case.offences.all()
    if step == "persons":
        context["subjects"] = case.subjects.select_related("nationality").prefetch_related("identifiers")
    if step == "measures":
        offences = list(case.offences.all())
        context["measure_rows"] = [
            {
                "measure": m,
                "form": LinkForm(
                    prefix=f"m{m.pk}",
                    offences=offences,
                    initial={
                        "offences": [
                            str(o) for o in (draft.content.get("links") or {}).get(str(m.pk), {}).get("offences", [])
                        ],
                        "relevance": (draft.content.get("links") or {}).get(str(m.pk), {}).get("relevance", ""),
                        "evidence_form": (draft.content.get("links") or {}).get(str(m.pk), {}).get("evidence_form", ""),
                    },
                ),
            }
            for m in case.measures.all()
        ]
    if step == "annexes":
        documents = {d.pk: d for d in case.documents.all()}
        context["annexes"] = [
            {**a, "doc": documents.get(a.get("document"))} for a in draft.content.get("annexes") or []
        ]
    if context["may_review"]:
        context["comment_form"] = CommentForm(initial={"section": step})
        context["reason_form"] = ReasonForm()
    return render(request, "drafting/compose.html", context)


@login_required
def findings(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    context = {"draft": draft, "case": draft.case, "may_review": actions.may_review(request.user, draft)}
    context.update(_findings_context(draft))
    return render(request, "drafting/_findings.html", context)


@login_required
@require_POST
def save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one step's fields: the composer posts here as you type (htmx) and on "Save"."""
    draft = _draft_for(request, pk)
    user = acting_user(request)
    step = request.POST.get("step", "")
    if step not in SECTION_INDEX:
        return HttpResponseBadRequest(_("Unknown step."))
    languages = languages_of(draft.content, current_language())
    changes = section_changes(SECTION_INDEX[step], draft.case.kind, request.POST, languages)
    # A language box may have been added or dropped by this very save (the languages step).
    for key in request.POST:
        name, _sep, lang = key.partition("__")
        if lang and name in {f.name for f in SECTION_INDEX[step].fields if f.multilingual} and lang not in languages:
            changes.setdefault(name, {})[lang] = request.POST[key]
    error = None
    try:
        draft = actions.save_content(draft, actor=user, changes=changes, seen=_seen(request))
    except ActionError as exc:
        error = exc
    if request.headers.get("HX-Request"):
        context: dict[str, Any] = {
            "draft": draft,
            "case": draft.case,
            "may_review": actions.may_review(user, draft),
            "save_error": error,
            "saved": error is None,
            # What the form now shows, for its next save (swapped in out of band); unchanged after a refusal.
            "next_base": _base(draft, step, languages_of(draft.content, current_language())) if error is None else "",
        }
        context.update(_findings_context(draft))
        return render(request, "drafting/_findings.html", context, status=200 if error is None else 400)
    if error is not None and error.code == "stale_field":
        # The page is reloaded with the other person's text: the refused text goes in the message, not lost.
        refused = [f"{key}: {request.POST.get(key, '')}" for key in error.fields]
        messages.error(request, "\n".join([str(error.message), _("Your text, not saved:"), *refused]))
    elif error is not None:
        messages.error(request, "{} {}".format(error.message, " ".join(str(v) for v in error.fields.values())))
    else:
        messages.success(request, _("Draft saved."))
    target = request.POST.get("next") or step
    return redirect(_compose_url(draft.case, target if target in SECTION_INDEX else step))


@login_required
@require_POST
def matter(request: HttpRequest, pk: int) -> HttpResponse:
    """The legal basis, priority and confidentiality: fields of the matter itself."""
    draft = _draft_for(request, pk)
    form = MatterForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["priority_reason"] = data.get("priority_reason") or ""

        def run() -> Any:
            actions._require_edit(acting_user(request), draft)
            result = case_actions.update_case(draft.case, actor=acting_user(request), **data)
            actions.refresh_hash(draft)
            return result

        _attempt(request, run, success=_("Draft saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(_compose_url(draft.case, "basis"))


def _child_form(
    request: HttpRequest,
    pk: int,
    form_factory: Callable[[Any], Any],
    run: Callable[[Draft, Any], Any],
    title: str,
    step: str,
    success: str,
    template: str = "drafting/form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    draft = _draft_for(request, pk)
    if not actions.may_edit(request.user, draft):
        return HttpResponseForbidden(_("You may not change this draft."))
    form = form_factory(draft)
    if request.method == "POST" and form.is_valid():
        ok, _result = _attempt(request, lambda: run(draft, form), form, success)
        if ok:
            actions.refresh_hash(draft)
            return redirect(_compose_url(draft.case, step))
    context = {"form": form, "case": draft.case, "draft": draft, "title": title, "step": step, "nav": "drafts"}
    context.update(extra or {})
    return render(request, template, context)


@login_required
def offence_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_form(
        request,
        pk,
        lambda d: OffenceForm(request.POST or None),
        lambda d, f: case_actions.add_offence(d.case, actor=acting_user(request), **f.cleaned_data),
        _("Add an offence"),
        "facts",
        _("Offence added."),
    )


@login_required
def subject_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_form(
        request,
        pk,
        lambda d: SubjectForm(request.POST or None),
        lambda d, f: case_actions.add_subject(d.case, actor=acting_user(request), **f.action_data()),
        _("Add a person concerned"),
        "persons",
        _("Person added."),
    )


@login_required
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    """One form per measure, with that measure's own details (cases.catalogue)."""
    draft = _draft_for(request, pk)
    if not actions.may_edit(request.user, draft):
        return HttpResponseForbidden(_("You may not change this draft."))
    measure_type = request.POST.get("type") or request.GET.get("type") or ""
    type_form = MeasureTypeForm(initial={"type": measure_type} if measure_type else None)
    context: dict[str, Any] = {"case": draft.case, "draft": draft, "type_form": type_form, "nav": "drafts"}
    if measure_type in DEFINITIONS:
        form = measure_details_form(measure_type, request.POST or None, prefix="d")
        if request.method == "POST" and form.is_valid():
            ok, _result = _attempt(
                request,
                lambda: case_actions.add_measure(
                    draft.case,
                    actor=acting_user(request),
                    type=measure_type,
                    description=form.cleaned_data.get("description", ""),
                    details=measure_details_from(form),
                ),
                form,
                _("Measure added."),
            )
            if ok:
                actions.refresh_hash(draft)
                return redirect(_compose_url(draft.case, "measures"))
        context.update({"form": form, "measure_type": measure_type, "definition": DEFINITIONS[measure_type]})
    return render(request, "drafting/measure_form.html", context)


@login_required
@require_POST
def measure_link(request: HttpRequest, pk: int, measure_id: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    form = LinkForm(request.POST, prefix=f"m{measure_id}", offences=list(draft.case.offences.all()))
    user = acting_user(request)
    error: ActionError | None = None
    if form.is_valid():
        try:
            draft = actions.save_measure_link(
                draft,
                measure_id,
                actor=user,
                offences=[int(o) for o in form.cleaned_data["offences"]],
                relevance=form.cleaned_data["relevance"],
                evidence_form=form.cleaned_data["evidence_form"],
            )
        except ActionError as exc:
            error = exc
    else:
        error = ActionError(" ".join(str(e) for errors in form.errors.values() for e in errors))
    if request.headers.get("HX-Request"):
        context: dict[str, Any] = {
            "draft": draft,
            "case": draft.case,
            "may_review": actions.may_review(user, draft),
            "save_error": error,
            "saved": error is None,
        }
        context.update(_findings_context(draft))
        return render(request, "drafting/_findings.html", context, status=200 if error is None else 400)
    if error is not None:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Draft saved."))
    return redirect(_compose_url(draft.case, "measures") + f"#measure-{measure_id}")


@login_required
def annex_add(request: HttpRequest, pk: int) -> HttpResponse:
    def run(draft: Draft, form: AnnexForm) -> Any:
        user = acting_user(request)
        document = None
        if form.cleaned_data.get("file"):
            document = case_actions.add_document(
                draft.case, form.cleaned_data["file"], actor=user, kind="annex", title=form.cleaned_data["title"]
            )
        elif form.cleaned_data.get("document"):
            document = Document.objects.filter(pk=int(form.cleaned_data["document"]), case=draft.case).first()
        return actions.add_annex(
            draft, actor=user, title=form.cleaned_data["title"], role=form.cleaned_data["role"], document=document
        )

    return _child_form(
        request,
        pk,
        lambda d: AnnexForm(request.POST or None, request.FILES or None, documents=list(d.case.documents.all())),
        run,
        _("Add an annex"),
        "annexes",
        _("Annex added."),
        extra={"multipart": True},
    )


@login_required
@require_POST
def annex_remove(request: HttpRequest, pk: int, annex_id: str) -> HttpResponse:
    draft = _draft_for(request, pk)
    _attempt(
        request, lambda: actions.remove_annex(draft, annex_id, actor=acting_user(request)), success=_("Annex removed.")
    )
    return redirect(_compose_url(draft.case, "annexes"))


# --- review -------------------------------------------------------------------------------------------------


@login_required
def panel_findings(request: HttpRequest, pk: int) -> HttpResponse:
    """The findings shown in the case page's panel, loaded after the page (they take a dozen queries)."""
    case = get_case_for(request.user, pk, related=("counterpart_country", "legal_basis", "national_authority"))
    draft = Draft.objects.filter(case=case).first()
    if draft is None:
        raise Http404
    draft.case = case
    context = _findings_context(draft)
    context["findings"] = context["findings"][:8]
    return render(request, "drafting/_panel_findings.html", context)


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an approved request, not yet sent, back to draft with the reason; it must be reviewed again."""
    draft = _draft_for(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: actions.reopen(draft, actor=acting_user(request), reason=form.cleaned_data["reason"]),
            success=_("The request is a draft again: it must be reviewed and approved again before it is sent."),
        )
    else:
        messages.error(request, _("Say why the approved request is reopened."))
    return redirect(_compose_url(draft.case, request.POST.get("step", "")))


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    _attempt(
        request, lambda: actions.submit(draft, actor=acting_user(request)), success=_("Draft submitted for review.")
    )
    return redirect(_compose_url(draft.case, request.POST.get("step", "")))


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    form = CommentForm(request.POST)
    step = request.POST.get("section", "")
    if form.is_valid():
        _attempt(
            request,
            lambda: actions.comment(
                draft, actor=acting_user(request), section=form.cleaned_data["section"], text=form.cleaned_data["text"]
            ),
            success=_("Comment added."),
        )
    else:
        messages.error(request, _("Write the comment."))
    return redirect(_compose_url(draft.case, step if step in SECTION_INDEX else ""))


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    form = AcceptForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: actions.accept_warning(
                draft,
                actor=acting_user(request),
                rule=form.cleaned_data["rule"],
                justification=form.cleaned_data["justification"],
            ),
            success=_("Warning accepted."),
        )
    else:
        messages.error(request, _("Say why the warning is accepted."))
    return redirect(_compose_url(draft.case, request.POST.get("step", "")))


@login_required
@require_POST
def request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: actions.request_changes(draft, actor=acting_user(request), reason=form.cleaned_data["reason"]),
            success=_("Changes requested: the draft went back to its author."),
        )
    else:
        messages.error(request, _("Say what must change."))
    return redirect(_compose_url(draft.case))


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    ok, result = _attempt(request, lambda: actions.approve(draft, actor=acting_user(request)))
    if ok:
        if result.review_state == ReviewState.APPROVED:
            messages.success(request, _("Request approved."))
        else:
            messages.success(request, _("Review approved: the head of the Central Authority approves next."))
    return redirect(_compose_url(draft.case))


@login_required
@require_POST
def advance_copy(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    form = AdvanceCopyForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: actions.send_advance_copy(draft, actor=acting_user(request), **form.cleaned_data),
            success=_("Advance copy recorded."),
        )
    else:
        messages.error(request, _("Choose the channel."))
    return redirect(_compose_url(draft.case, request.POST.get("step", "")))


@login_required
@require_POST
def advance_comments(request: HttpRequest, pk: int, copy_id: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    copy = get_object_or_404(AdvanceCopy, pk=copy_id, draft=draft)
    form = AdvanceCommentsForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: actions.record_advance_comments(copy, actor=acting_user(request), **form.cleaned_data),
            success=_("Their comments are attached to the draft."),
        )
    else:
        messages.error(request, _("Give their comments."))
    return redirect(_compose_url(draft.case, request.POST.get("step", "")))


@login_required
@require_POST
def transmit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    form = TransmitForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: actions.record_transmission(draft, actor=acting_user(request), **form.cleaned_data),
            success=_("Transmission recorded: the request is sent."),
        )
    else:
        messages.error(request, _("Choose the channel."))
    return redirect(_compose_url(draft.case, request.POST.get("step", "")))


@login_required
@require_POST
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate the approved request as DOCX and PDF, filed on the matter (a new version each time)."""
    from .document import generate

    draft = _draft_for(request, pk)
    _attempt(
        request,
        lambda: generate(draft, actor=acting_user(request)),
        success=_("The request document was generated in DOCX and PDF."),
    )
    return redirect(_compose_url(draft.case, request.POST.get("step", "")))


@login_required
def legal_bases(request: HttpRequest) -> HttpResponse:
    """The legal bases and the profile of a requested State, for the start page (htmx) or a link."""
    if not may_draft(request.user):
        raise Http404
    country = (request.GET.get("counterpart_country") or request.GET.get("country") or "").upper()[:2]
    kind = request.GET.get("kind") or "mla"
    if kind not in DRAFT_KINDS:
        kind = "mla"
    context = {
        "bases": proposed_bases(country, kind) if country else [],
        "profile": CountryProfile.objects.filter(country_id=country).first() if country else None,
        "country": country,
    }
    return render(request, "drafting/_bases.html", context)


# --- country guides -----------------------------------------------------------------------------------------


@login_required
def guide_list(request: HttpRequest) -> HttpResponse:
    """Every country guide, searchable; readable by every signed-in user (they hold no case data)."""
    from django.db.models import Q

    from .models import CountryGuide

    code = (request.GET.get("country") or "").strip().upper()[:2]
    if code and actions.may_edit_guides(request.user):
        return redirect("drafting:guide-edit", country=code)
    guides = CountryGuide.objects.select_related("country", "updated_by")
    q = (request.GET.get("q") or "").strip()[:200]
    if q:
        guides = guides.filter(
            Q(title__icontains=q)
            | Q(body__icontains=q)
            | Q(country__name__icontains=q)
            | Q(country__name_fr__icontains=q)
            | Q(country__name_ar__icontains=q)
            | Q(country__code__iexact=q)
        )
    return render(
        request,
        "drafting/guides.html",
        {"guides": guides[:300], "q": q, "may_edit": actions.may_edit_guides(request.user), "nav": "drafts"},
    )


@login_required
def guide_detail(request: HttpRequest, country: str) -> HttpResponse:
    from entraide.directory.models import Country

    from .models import CountryGuide

    place = get_object_or_404(Country, code=country.upper())
    guides = list(
        CountryGuide.objects.filter(country=place).select_related("updated_by").prefetch_related("versions__edited_by")
    )
    # The reader's language first.
    lang = current_language()
    guides.sort(key=lambda g: (g.language != lang, g.language))
    return render(
        request,
        "drafting/guide.html",
        {
            "country": place,
            "guides": guides,
            "profile": CountryProfile.objects.filter(country=place).first(),
            "may_edit": actions.may_edit_guides(request.user),
            "nav": "drafts",
        },
    )


@login_required
def guide_edit(request: HttpRequest, country: str) -> HttpResponse:
    from entraide.directory.models import Country

    from .forms import GuideForm
    from .models import CountryGuide

    if not actions.may_edit_guides(request.user):
        raise Http404
    place = get_object_or_404(Country, code=country.upper())
    language = request.POST.get("language") or request.GET.get("language") or current_language()
    existing = CountryGuide.objects.filter(country=place, language=language).first()
    initial = {"language": language}
    if existing is not None:
        initial.update({"title": existing.title, "body": existing.body})
    form = GuideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _guide = _attempt(
            request,
            lambda: actions.save_guide(actor=acting_user(request), country=place, **form.cleaned_data),
            form,
            _("Guide saved."),
        )
        if ok:
            return redirect("drafting:guide", country=place.code)
    return render(
        request,
        "drafting/guide_form.html",
        {"form": form, "country": place, "title": _("Country guide: {country}").format(country=place), "nav": "drafts"},
    )


def get_draft_or_404(case: Case) -> Draft:
    return get_object_or_404(Draft, case=case)
