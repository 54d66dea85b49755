"""Every change to a draft request goes through one of these functions.

Each is atomic, takes the acting user as keyword-only ``actor``, checks that the actor may do it, refuses with a
clear message (``ActionError``), and writes its audit record in the same transaction. The matter moves through
the outgoing lifecycle only by ``cases.actions.transition(..., owner="drafting")``: drafting takes over the steps
of the review (``apps.claims``), so the case page's generic "Next steps" and the API cannot skip it. Each step of
the review (submission, comment, accepted warning, the reviewer's and the head's approval, changes asked,
reopening) also writes its own event on the matter's timeline (``drafting.timeline``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from entraide.accounts.models import Role, User
from entraide.audit import log as audit
from entraide.cases import actions as case_actions
from entraide.cases.choices import Direction
from entraide.cases.models import Case, Document, Event
from entraide.cases.queries import can_work_on, visible_cases
from entraide.core.choices import Language
from entraide.core.errors import ActionError, Conflict, Forbidden

from .models import Draft, Override, ReviewComment, ReviewState, Severity
from .schema import ANNEX_ROLES, DRAFT_KINDS, FIELD_INDEX, FIELD_KINDS, FieldSpec

# Keys of the content that are bookkeeping, not what the request says (the generated documents' ids and the
# approved version they were generated from).
BOOKKEEPING = frozenset({"documents", "documents_hash", "edited_by"})
OWNER = "drafting"  # the key under which drafting takes over the review steps of the outgoing lifecycles
TEXT_LIMIT = 5000
REVIEWERS = frozenset({Role.OFFICER, Role.HEAD})
DRAFTERS = frozenset({Role.OFFICER, Role.HEAD, Role.CLERK, Role.REQUESTING})
LANGUAGE_CODES = frozenset(Language.values)


def _event(draft: Draft, verb: str, *, actor: User, reason: str = "", **params: Any) -> Event:
    """A step of the review on the matter's timeline (``drafting.timeline`` gives its sentence)."""
    return Event.objects.create(case_id=draft.case_id, actor=actor, verb=verb, params=params, reason=reason)


def get_draft(case: Case) -> Draft:
    try:
        return case.draft  # type: ignore[attr-defined,no-any-return]
    except Draft.DoesNotExist as exc:
        raise ActionError(_("This matter has no draft request."), status=404, code="not_found") from exc


# --- the content hash ---------------------------------------------------------------------------------------


def content_digest(draft: Draft) -> str:
    """SHA-256 of everything the request says: the draft's content and the matter's offences, subjects,
    measures and annexes. Approval freezes this value; any change afterwards shows as a different hash."""
    case = draft.case
    content = {k: v for k, v in (draft.content or {}).items() if k not in BOOKKEEPING}
    annexed = {a.get("document") for a in content.get("annexes") or [] if a.get("document")}
    payload = {
        "content": content,
        "case": {
            "title": case.title,
            "summary": case.summary,
            "country": case.counterpart_country_id,
            "authority": case.counterpart_authority_id,
            "legal_basis": case.legal_basis_id,
            "priority": case.priority,
            "priority_reason": case.priority_reason,
            "confidentiality": case.confidentiality,
        },
        "offences": list(case.offences.order_by("id").values("id", "iccs_section", "description", "legal_provision")),
        "subjects": [
            {k: str(v) if v is not None else None for k, v in s.items()}
            for s in case.subjects.order_by("id").values(
                "id", "kind", "role", "name", "birth_date", "birth_place", "nationality_id", "address", "notes"
            )
        ],
        "measures": list(case.measures.order_by("id").values("id", "type", "details", "description")),
        # The annexes' files: replacing an annex by a new version changes what was approved.
        "annexes": sorted(
            (d.pk, d.current.sha256 if d.current else "")
            for d in case.documents.filter(pk__in=annexed).prefetch_related("versions")
        ),
    }
    raw = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


# --- starting a draft ---------------------------------------------------------------------------------------


@transaction.atomic
def start_draft(*, actor: User, kind: str, counterpart_country: Any, title: str, **case_data: Any) -> Draft:
    """Register an outgoing matter in the ``draft`` state of its lifecycle, with an empty draft request."""
    if actor.role not in DRAFTERS:
        raise Forbidden(_("Your role does not allow drafting requests."))
    if kind not in DRAFT_KINDS:
        raise ActionError(_("Choose the kind of request."), fields={"kind": _("Not a kind of request you can draft.")})
    case = case_actions.register_case(
        actor=actor,
        direction=Direction.OUTGOING,
        kind=kind,
        counterpart_country=counterpart_country,
        title=title,
        **case_data,
    )
    content: dict[str, Any] = {}
    if case.national_authority is not None:
        content["requesting_authority"] = case.national_authority.name
    draft = Draft.objects.create(case=case, content=content, created_by=actor)
    draft.content_hash = content_digest(draft)
    draft.save(update_fields=["content_hash"])
    audit.record(
        "draft.start",
        actor=actor,
        obj=draft,
        case_id=case.pk,
        after={"kind": kind, "country": case.counterpart_country_id},
    )
    return draft


@transaction.atomic
def ensure_draft(case: Case, *, actor: User) -> Draft:
    """The draft of an outgoing matter registered without one (e.g. through the register), created on demand."""
    existing = Draft.objects.filter(case=case).first()
    if existing is not None:
        return existing
    if case.direction != Direction.OUTGOING or case.kind not in DRAFT_KINDS:
        raise ActionError(_("Only outgoing requests are drafted here."))
    if not can_work_on(actor, case):
        raise Forbidden(_("You may not change this matter."))
    draft = Draft.objects.create(case=case, content={}, created_by=case.created_by)
    draft.content_hash = content_digest(draft)
    draft.save(update_fields=["content_hash"])
    audit.record("draft.start", actor=actor, obj=draft, case_id=case.pk, after={"kind": case.kind})
    return draft


# --- editing ------------------------------------------------------------------------------------------------


def may_edit(user: Any, draft: Draft) -> bool:
    return bool(draft.case.status == "draft" and can_work_on(user, draft.case))


def _require_edit(actor: User, draft: Draft) -> None:
    draft.case.refresh_from_db()
    if not visible_cases(actor).filter(pk=draft.case_id).exists():
        raise ActionError(_("No such matter."), status=404, code="not_found")
    if draft.case.status != "draft":
        raise Conflict(
            _("The request is no longer a draft (it is “{state}”): it cannot be changed.").format(
                state=draft.case.status_label
            ),
            code="not_editable",
        )
    if not can_work_on(actor, draft.case):
        raise Forbidden(_("You may not change this draft."))


def _clean_text(spec: FieldSpec, value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ActionError(_("Text expected."), fields={spec.name: _("Text expected.")})
    value = value.strip()
    if len(value) > spec.max_length:
        raise ActionError(
            _("“{field}” is too long: {length} characters, {limit} at most.").format(
                field=spec.label, length=len(value), limit=spec.max_length
            ),
            fields={spec.name: _("Too long ({limit} characters at most).").format(limit=spec.max_length)},
        )
    return value


def clean_value(spec: FieldSpec, value: Any) -> Any:
    """The stored form of one field's value, or ActionError naming the field."""
    if spec.multilingual:
        if value in (None, ""):
            return {}
        if isinstance(value, str):
            raise ActionError(
                _('Give the text by language, e.g. {{"fr": "…"}}.'), fields={spec.name: _("Text by language expected.")}
            )
        if not isinstance(value, dict):
            raise ActionError(_("Text by language expected."), fields={spec.name: _("Text by language expected.")})
        out: dict[str, str] = {}
        for lang, text in value.items():
            if lang not in LANGUAGE_CODES:
                raise ActionError(
                    _("Unknown language: {code}.").format(code=lang),
                    fields={f"{spec.name}.{lang}": _("Unknown language.")},
                )
            cleaned = _clean_text(FieldSpec(f"{spec.name}.{lang}", spec.label, spec.kind), text)
            if cleaned:
                out[lang] = cleaned
        return out
    if spec.kind == "bool":
        if value in (None, ""):
            return False
        if not isinstance(value, bool):
            raise ActionError(_("True or false expected."), fields={spec.name: _("True or false expected.")})
        return value
    if spec.kind == "date":
        if value in (None, ""):
            return ""
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError as exc:
            raise ActionError(_("Enter a date as YYYY-MM-DD."), fields={spec.name: _("Not a date.")}) from exc
    if spec.kind == "number":
        if value in (None, ""):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise ActionError(_("A number is expected."), fields={spec.name: _("Not a number.")}) from exc
        if not 0 <= number <= 1000:
            raise ActionError(_("A number is expected."), fields={spec.name: _("Out of range.")})
        return number
    if spec.kind == "choice":
        if value in (None, ""):
            return ""
        allowed = {c[0] for c in spec.choices} if spec.choices else LANGUAGE_CODES
        if value not in allowed:
            raise ActionError(
                _("Not one of the allowed choices."), fields={spec.name: _("Not one of the allowed choices.")}
            )
        return value
    text = _clean_text(spec, value)
    if spec.kind == "email" and text and ("@" not in text or " " in text):
        raise ActionError(_("Enter a valid e-mail address."), fields={spec.name: _("Not an e-mail address.")})
    return text


def _after_change(draft: Draft, actor: User, what: str, fields: list[str]) -> Draft:
    draft.updated_at = timezone.now()
    draft.version += 1
    draft.content_hash = content_digest(draft)
    draft.save()
    audit.record(
        f"draft.{what}",
        actor=actor,
        obj=draft,
        case_id=draft.case_id,
        after={"fields": fields, "hash": draft.content_hash},
    )
    # Saving as you go would flood the timeline: one entry per author and quarter of an hour is enough.
    recent = Event.objects.filter(
        case_id=draft.case_id, actor=actor, verb="updated", at__gte=timezone.now() - dt.timedelta(minutes=15)
    ).first()
    if recent is None or (recent.params or {}).get("fields") != ["draft"]:
        Event.objects.create(case=draft.case, actor=actor, verb="updated", params={"fields": ["draft"]})
    return draft


def value_digest(value: Any) -> str:
    """A short fingerprint of one field's (or one language's) stored value; an empty value of any type is ""."""
    if value in (None, "", {}, [], False):
        value = ""
    raw = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def field_digests(content: dict[str, Any], names: Any, languages: dict[str, list[str]] | None = None) -> dict[str, str]:
    """The fingerprints of the values the composer shows, by input: ``name`` for a field, ``name__lang`` for one
    language of a multilingual field (``languages[name]``)."""
    out: dict[str, str] = {}
    for name in names:
        value = content.get(name)
        if languages and name in languages:
            texts = value if isinstance(value, dict) else {}
            for lang in languages[name]:
                out[f"{name}__{lang}"] = value_digest(texts.get(lang))
        else:
            out[name] = value_digest(value)
    return out


def _stale(content: dict[str, Any], name: str, clean: Any, sent: Any, seen: dict[str, str], actor: User) -> list[str]:
    """The inputs of ``name`` someone else changed since the sender's page showed them (``seen``), and that this
    save would overwrite with a different value."""
    edited_by = content.get("edited_by") or {}
    spec = FIELD_INDEX[name]
    if spec.multilingual and isinstance(sent, dict):
        stored = content.get(name)
        current: dict[str, Any] = stored if isinstance(stored, dict) else {}
        pairs = [(f"{name}__{lang}", current.get(lang), (clean or {}).get(lang)) for lang in sent]
    else:
        pairs = [(name, content.get(name), clean)]
    return [
        key
        for key, now, new in pairs
        if key in seen
        and seen[key] != value_digest(now)
        and value_digest(new) != value_digest(now)
        and edited_by.get(key) != actor.pk
    ]


@transaction.atomic
def save_content(
    draft: Draft,
    *,
    actor: User,
    changes: dict[str, Any],
    expected_version: int | None = None,
    seen: dict[str, str] | None = None,
) -> Draft:
    """Save some fields of the draft (what the composer sends as you type). Unknown fields are refused.

    ``seen``: the fingerprints (``field_digests``) of the values the sender's page showed. A field someone else
    changed since is not overwritten: the save is refused naming it (the sender's text stays on their screen).
    """
    locked = Draft.objects.select_for_update(of=("self",)).select_related("case").get(pk=draft.pk)
    _require_edit(actor, locked)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(_("Someone else changed this draft in the meantime. Reload it and try again."))
    unknown = sorted(k for k in changes if k not in FIELD_INDEX or locked.case.kind not in FIELD_KINDS[k])
    if unknown:
        raise ActionError(
            _("Unknown fields: {fields}").format(fields=", ".join(unknown)),
            fields={k: _("Unknown field.") for k in unknown},
        )
    content = dict(locked.content)
    changed = []
    stale: list[str] = []
    edited_by = dict(content.get("edited_by") or {})
    for name, value in changes.items():
        spec = FIELD_INDEX[name]
        clean = clean_value(spec, value)
        if seen:
            stale.extend(_stale(content, name, clean, value, seen, actor))
        keys = [f"{name}__{lang}" for lang in value] if spec.multilingual and isinstance(value, dict) else [name]
        if spec.multilingual and isinstance(value, dict):
            # Languages not sent keep their text: each language's box is saved on its own.
            merged = dict(content.get(name) or {})
            merged.update(clean)
            for lang, text in value.items():
                if not (text or "").strip():
                    merged.pop(lang, None)
            clean = merged
        if content.get(name) != clean:
            before = content.get(name)
            content[name] = clean
            changed.append(name)
            for key in keys:
                lang = key.partition("__")[2]
                old = (before or {}).get(lang) if lang and isinstance(before, dict) else before
                new = clean.get(lang) if lang and isinstance(clean, dict) else clean
                if value_digest(old) != value_digest(new):
                    edited_by[key] = actor.pk
    if stale:
        others = set(User.objects.filter(pk__in=[(locked.content.get("edited_by") or {}).get(k) for k in stale]))
        labels = sorted({str(FIELD_INDEX[k.partition("__")[0]].label) for k in stale})
        raise ActionError(
            _(
                "{fields}: changed by {users} since this page was opened. Nothing was saved; your text is still on "
                "your screen: copy it, reload the page to see theirs, then merge."
            ).format(fields=", ".join(labels), users=", ".join(sorted(u.username for u in others)) or "—"),
            status=409,
            code="stale_field",
            fields={k: _("Changed by someone else since you opened the page.") for k in stale},
        )
    if not changed:
        return locked
    content["edited_by"] = edited_by
    locked.content = content
    return _after_change(locked, actor, "save", changed)


@transaction.atomic
def save_measure_link(
    draft: Draft, measure_id: int, *, actor: User, offences: list[int], relevance: str = "", evidence_form: str = ""
) -> Draft:
    """Link one requested measure to the offences its evidence relates to, say why it is relevant and in
    what form it must come back to be admissible."""
    locked = Draft.objects.select_for_update(of=("self",)).select_related("case").get(pk=draft.pk)
    _require_edit(actor, locked)
    case = locked.case
    if not case.measures.filter(pk=measure_id).exists():
        raise ActionError(_("No such measure in this request."), status=404, code="not_found")
    known = set(case.offences.values_list("pk", flat=True))
    wrong = [o for o in offences if o not in known]
    if wrong:
        raise ActionError(_("These offences are not in this request."), fields={"offences": _("Unknown offence.")})
    relevance = _clean_text(FieldSpec("relevance", _("Relevance"), "textarea"), relevance)
    evidence_form = _clean_text(FieldSpec("evidence_form", _("Admissible form"), "textarea"), evidence_form)
    content = dict(locked.content)
    links = dict(content.get("links") or {})
    links[str(measure_id)] = {"offences": sorted(set(offences)), "relevance": relevance, "evidence_form": evidence_form}
    content["links"] = links
    locked.content = content
    return _after_change(locked, actor, "link", [f"links.{measure_id}"])


@transaction.atomic
def add_annex(
    draft: Draft, *, actor: User, title: str, role: str = "other", document: Document | None = None
) -> dict[str, Any]:
    """Refer to an annex in the request; ``document`` is the filed document that is the annex, if any yet."""
    locked = Draft.objects.select_for_update(of=("self",)).select_related("case").get(pk=draft.pk)
    _require_edit(actor, locked)
    title = _clean_text(FieldSpec("title", _("Title"), "text"), title)
    if not title:
        raise ActionError(_("Give the annex a title."), fields={"title": _("Required.")})
    if role not in {r[0] for r in ANNEX_ROLES}:
        raise ActionError(_("Not one of the allowed choices."), fields={"role": _("Unknown kind of annex.")})
    if document is not None and document.case_id != locked.case_id:
        raise ActionError(
            _("This document is not filed on this matter."), fields={"document": _("Not on this matter.")}
        )
    annex = {"id": uuid.uuid4().hex[:12], "title": title, "role": role, "document": document.pk if document else None}
    content = dict(locked.content)
    content["annexes"] = [*(content.get("annexes") or []), annex]
    locked.content = content
    _after_change(locked, actor, "annex", ["annexes"])
    return annex


@transaction.atomic
def attach_annex(draft: Draft, annex_id: str, *, actor: User, document: Document | None) -> Draft:
    locked = Draft.objects.select_for_update(of=("self",)).select_related("case").get(pk=draft.pk)
    _require_edit(actor, locked)
    if document is not None and document.case_id != locked.case_id:
        raise ActionError(
            _("This document is not filed on this matter."), fields={"document": _("Not on this matter.")}
        )
    annexes = [dict(a) for a in locked.content.get("annexes") or []]
    for annex in annexes:
        if annex.get("id") == annex_id:
            annex["document"] = document.pk if document else None
            break
    else:
        raise ActionError(_("No such annex."), status=404, code="not_found")
    locked.content = {**locked.content, "annexes": annexes}
    return _after_change(locked, actor, "annex", ["annexes"])


@transaction.atomic
def remove_annex(draft: Draft, annex_id: str, *, actor: User) -> Draft:
    locked = Draft.objects.select_for_update(of=("self",)).select_related("case").get(pk=draft.pk)
    _require_edit(actor, locked)
    annexes = [a for a in locked.content.get("annexes") or [] if a.get("id") != annex_id]
    if len(annexes) == len(locked.content.get("annexes") or []):
        raise ActionError(_("No such annex."), status=404, code="not_found")
    locked.content = {**locked.content, "annexes": annexes}
    return _after_change(locked, actor, "annex", ["annexes"])


def refresh_hash(draft: Draft) -> Draft:
    """Recompute the hash after a change made through ``cases.actions`` (an offence, subject or measure)."""
    digest = content_digest(draft)
    if digest != draft.content_hash:
        draft.content_hash = digest
        draft.updated_at = timezone.now()
        draft.save(update_fields=["content_hash", "updated_at"])
    return draft


# --- review -------------------------------------------------------------------------------------------------


def _open_findings(draft: Draft) -> tuple[list[Any], list[Any]]:
    """Blocking findings, and warnings nobody accepted."""
    from .rules import evaluate

    findings = evaluate(draft)
    accepted = set(draft.overrides.values_list("rule", flat=True))
    blocking = [f for f in findings if f.severity == Severity.BLOCKING]
    warnings = [f for f in findings if f.severity == Severity.WARNING and f.rule not in accepted]
    return blocking, warnings


def _blocked(blocking: list[Any], message: Any) -> Conflict:
    listed = "; ".join(f"{f.rule}: {f.message}" for f in blocking[:10])
    return Conflict(f"{message} {listed}", code="blocking_findings")


def is_author(user: Any, draft: Draft) -> bool:
    return bool(user.pk in {draft.created_by_id, draft.submitted_by_id, draft.case.created_by_id})


def may_review(user: Any, draft: Draft) -> bool:
    return bool(
        user.is_authenticated
        and user.role in REVIEWERS
        and not is_author(user, draft)
        and draft.case.status == "under_review"
        and can_work_on(user, draft.case)
    )


def _require_review(actor: User, draft: Draft) -> None:
    draft.case.refresh_from_db()
    if not visible_cases(actor).filter(pk=draft.case_id).exists():
        raise ActionError(_("No such matter."), status=404, code="not_found")
    if actor.role not in REVIEWERS:
        raise Forbidden(_("Only a Central Authority legal expert reviews requests."))
    if is_author(actor, draft):
        raise Forbidden(_("You drafted this request: someone else must review it."))
    if draft.case.status != "under_review":
        raise Conflict(_("The request is not under review."), code="not_under_review")
    if not can_work_on(actor, draft.case):
        raise Forbidden(_("You may not review this matter: ask the head to assign it to you."))


@transaction.atomic
def submit(draft: Draft, *, actor: User) -> Draft:
    """Send the draft for review. Refused while any blocking finding remains."""
    locked = Draft.objects.select_for_update(of=("self",)).select_related("case").get(pk=draft.pk)
    _require_edit(actor, locked)
    refresh_hash(locked)
    blocking, _warnings = _open_findings(locked)
    if blocking:
        raise _blocked(blocking, _("The draft cannot be submitted while blocking findings remain:"))
    case_actions.transition(locked.case, "under_review", actor=actor, owner=OWNER)
    locked.refresh_from_db()
    locked.review_state = ReviewState.SUBMITTED
    locked.submitted_by = actor
    locked.submitted_at = timezone.now()
    locked.reviewer = None
    locked.reviewed_at = None
    locked.reviewed_hash = ""
    locked.save()
    audit.record("draft.submit", actor=actor, obj=locked, case_id=locked.case_id, after={"hash": locked.content_hash})
    _event(locked, "draft_submitted", actor=actor, hash=locked.content_hash[:16])
    return locked


@transaction.atomic
def comment(draft: Draft, *, actor: User, section: str, text: str) -> ReviewComment:
    from .schema import SECTION_INDEX

    _require_review(actor, draft)
    if section not in SECTION_INDEX:
        raise ActionError(_("Unknown section."), fields={"section": _("Unknown section.")})
    text = (text or "").strip()
    if not text:
        raise ActionError(_("Write the comment."), fields={"text": _("Required.")})
    if len(text) > 5000:
        raise ActionError(_("Too long (5000 characters at most)."), fields={"text": _("Too long.")})
    note = ReviewComment.objects.create(draft=draft, section=section, text=text, author=actor)
    audit.record("draft.comment", actor=actor, obj=note, case_id=draft.case_id, after={"section": section})
    # The comment's text stays on the draft; the timeline says where it is.
    _event(draft, "draft_comment", actor=actor, section=section)
    return note


@transaction.atomic
def accept_warning(draft: Draft, *, actor: User, rule: str, justification: str) -> Override:
    """Accept a warning for this request, with the reason. Blocking findings cannot be accepted."""
    _require_review(actor, draft)
    justification = (justification or "").strip()
    if not justification:
        raise ActionError(_("Say why the warning is accepted."), fields={"justification": _("Required.")})
    from .rules import evaluate

    current = {f.rule: f for f in evaluate(draft)}
    finding = current.get(rule)
    if finding is None:
        raise ActionError(_("This rule raises no finding on this draft."), fields={"rule": _("Not raised.")})
    if finding.severity != Severity.WARNING:
        raise Conflict(_("Only a warning can be accepted; a blocking finding must be fixed."), code="not_a_warning")
    override, _created = Override.objects.update_or_create(
        draft=draft, rule=rule, defaults={"justification": justification[:2000], "by": actor, "at": timezone.now()}
    )
    audit.record(
        "draft.accept_warning",
        actor=actor,
        obj=override,
        case_id=draft.case_id,
        after={"rule": rule, "justification": justification},
    )
    _event(draft, "draft_warning_accepted", actor=actor, reason=justification[:2000], rule=rule)
    return override


def _back_to_draft(locked: Draft, *, actor: User, reason: str, clear_approval: bool = False) -> None:
    """The matter back to draft and the review to do again (changes asked, or an approved request reopened)."""
    case_actions.transition(locked.case, "draft", actor=actor, reason=reason, owner=OWNER)
    locked.refresh_from_db()
    locked.review_state = ReviewState.CHANGES_REQUESTED
    locked.reviewer = None
    locked.reviewed_at = None
    locked.reviewed_hash = ""
    if clear_approval:
        locked.approved_by = None
        locked.approved_at = None
        locked.approved_hash = ""
    locked.save()


@transaction.atomic
def request_changes(draft: Draft, *, actor: User, reason: str) -> Draft:
    locked = Draft.objects.select_for_update(of=("self",)).select_related("case").get(pk=draft.pk)
    _require_review(actor, locked)
    if not (reason or "").strip():
        raise ActionError(_("Say what must change."), fields={"reason": _("A reason is required.")})
    _back_to_draft(locked, actor=actor, reason=reason)
    audit.record("draft.request_changes", actor=actor, obj=locked, case_id=locked.case_id, after={"reason": reason})
    _event(locked, "draft_changes_requested", actor=actor, reason=reason.strip())
    return locked


@transaction.atomic
def approve(draft: Draft, *, actor: User) -> Draft:
    """The reviewer's approval, then the head's. Each freezes the content hash; the head's approval holds only
    for the version the reviewer approved, and moves the matter to ``approved``."""
    locked = Draft.objects.select_for_update(of=("self",)).select_related("case").get(pk=draft.pk)
    _require_review(actor, locked)
    refresh_hash(locked)
    blocking, warnings = _open_findings(locked)
    if blocking:
        raise _blocked(blocking, _("The request cannot be approved while blocking findings remain:"))
    if warnings:
        listed = "; ".join(f"{f.rule}: {f.message}" for f in warnings[:10])
        raise Conflict(
            str(_("Fix each warning or accept it with a justification first:")) + " " + listed,
            code="open_warnings",
        )
    now = timezone.now()
    if locked.review_state == ReviewState.REVIEWED and locked.reviewed_hash != locked.content_hash:
        # Changed since the reviewer approved it: the reviewer's approval no longer holds.
        locked.review_state = ReviewState.SUBMITTED
        locked.reviewer = None
        locked.reviewed_hash = ""
        locked.save()
        audit.record(
            "draft.review_reset", actor=actor, obj=locked, case_id=locked.case_id, after={"hash": locked.content_hash}
        )
    if locked.review_state in (ReviewState.SUBMITTED, ReviewState.DRAFTING, ReviewState.CHANGES_REQUESTED):
        locked.review_state = ReviewState.REVIEWED
        locked.reviewer = actor
        locked.reviewed_at = now
        locked.reviewed_hash = locked.content_hash
        locked.save()
        audit.record(
            "draft.review_approve", actor=actor, obj=locked, case_id=locked.case_id, after={"hash": locked.content_hash}
        )
        _event(locked, "draft_review_approved", actor=actor, hash=locked.content_hash[:16])
        if actor.role != Role.HEAD:
            return locked
    # The head's approval (a head who reviewed it approves in the same step).
    if actor.role != Role.HEAD:
        raise Forbidden(_("The reviewer has approved; the head of the Central Authority approves next."))
    case_actions.transition(locked.case, "approved", actor=actor, owner=OWNER)
    locked.refresh_from_db()
    locked.review_state = ReviewState.APPROVED
    locked.approved_by = actor
    locked.approved_at = now
    locked.approved_hash = locked.content_hash
    locked.save()
    audit.record("draft.approve", actor=actor, obj=locked, case_id=locked.case_id, after={"hash": locked.approved_hash})
    _event(locked, "draft_approved", actor=actor, hash=locked.approved_hash[:16])
    return locked


def may_reopen(user: Any, draft: Draft) -> bool:
    """An approved request not yet sent can be reopened by the head, or a case officer working on the matter."""
    return bool(
        user.is_authenticated
        and user.role in REVIEWERS
        and draft.case.status == "approved"
        and can_work_on(user, draft.case)
    )


@transaction.atomic
def reopen(draft: Draft, *, actor: User, reason: str) -> Draft:
    """Send an approved request, not yet sent, back to draft to change it. The approvals are cleared: the request
    goes through the four-eyes review again before it can be generated and sent. Its author, reviewer and
    approver are told why."""
    locked = Draft.objects.select_for_update(of=("self",)).select_related("case").get(pk=draft.pk)
    locked.case.refresh_from_db()
    if not visible_cases(actor).filter(pk=locked.case_id).exists():
        raise ActionError(_("No such matter."), status=404, code="not_found")
    if actor.role not in REVIEWERS:
        raise Forbidden(_("Only the Central Authority reopens an approved request."))
    if locked.case.status != "approved":
        raise Conflict(_("Only an approved request that has not been sent can be reopened."), code="not_approved")
    if not can_work_on(actor, locked.case):
        raise Forbidden(_("You may not change this matter."))
    reason = (reason or "").strip()
    if not reason:
        raise ActionError(_("Say why the approved request is reopened."), fields={"reason": _("A reason is required.")})
    if len(reason) > TEXT_LIMIT:
        raise ActionError(_("Too long (5000 characters at most)."), fields={"reason": _("Too long.")})
    before: dict[str, Any] = {
        "review_state": locked.review_state,
        "approved_by": locked.approved_by_id,
        "approved_hash": locked.approved_hash,
        "reviewer": locked.reviewer_id,
    }
    told = [locked.created_by, locked.submitted_by, locked.reviewer, locked.approved_by, locked.case.created_by]
    _back_to_draft(locked, actor=actor, reason=reason, clear_approval=True)
    audit.record(
        "draft.reopen", actor=actor, obj=locked, case_id=locked.case_id, before=before, after={"reason": reason}
    )
    _event(locked, "draft_reopened", actor=actor, reason=reason, hash=str(before["approved_hash"])[:16])
    from entraide.notifications.actions import notify

    case = locked.case
    notify(
        [u for u in told if u is not None and u.pk != actor.pk and u.clearance >= case.confidentiality],
        kind="draft.reopened",
        message=gettext_noop("The approved request {reference} was reopened for changes by {user}: {reason}"),
        params={"reference": case.reference, "user": actor.username, "reason": reason[:300]},
        case=case,
        url=reverse("drafting:compose", args=[case.pk]),
    )
    return locked


# --- advance copy and transmission --------------------------------------------------------------------------


def _require_file(actor: User, draft: Draft) -> None:
    from entraide.cases.queries import can_file

    draft.case.refresh_from_db()
    if not visible_cases(actor).filter(pk=draft.case_id).exists():
        raise ActionError(_("No such matter."), status=404, code="not_found")
    if actor.role not in {Role.OFFICER, Role.HEAD, Role.CLERK} or not can_file(actor, draft.case):
        raise Forbidden(_("Only the Central Authority corresponds with the foreign Central Authority."))


@transaction.atomic
def send_advance_copy(draft: Draft, *, actor: User, channel: str, counterpart: str = "", note: str = "") -> Any:
    """Record that the draft went to the foreign Central Authority for comments before formal transmission."""
    from .models import AdvanceCopy

    _require_file(actor, draft)
    if draft.case.status not in {"draft", "under_review", "approved"}:
        raise Conflict(_("The request has been sent: an advance copy is no longer useful."), code="already_sent")
    refresh_hash(draft)
    summary = str(_("Advance copy of the draft request sent for comments (version {hash}).")).format(
        hash=draft.content_hash[:16]
    )
    if note.strip():
        summary += "\n" + note.strip()
    sent = case_actions.log_communication(
        draft.case,
        actor=actor,
        at=timezone.now(),
        channel=channel,
        direction="sent",
        summary=summary,
        counterpart=counterpart,
    )
    copy = AdvanceCopy.objects.create(draft=draft, sent=sent, content_hash=draft.content_hash, sent_by=actor)
    audit.record(
        "draft.advance_copy",
        actor=actor,
        obj=copy,
        case_id=draft.case_id,
        after={"hash": copy.content_hash, "channel": channel},
    )
    return copy


@transaction.atomic
def record_advance_comments(
    copy: Any, *, actor: User, comments: str, channel: str, at: dt.datetime | None = None
) -> Any:
    """The foreign Central Authority's comments on an advance copy, attached to the draft."""
    from .models import AdvanceCopy

    locked = AdvanceCopy.objects.select_for_update(of=("self",)).select_related("draft__case").get(pk=copy.pk)
    _require_file(actor, locked.draft)
    comments = (comments or "").strip()
    if not comments:
        raise ActionError(_("Give their comments."), fields={"comments": _("Required.")})
    if len(comments) > TEXT_LIMIT:
        raise ActionError(_("Too long (5000 characters at most)."), fields={"comments": _("Too long.")})
    answer = case_actions.log_communication(
        locked.draft.case,
        actor=actor,
        at=at or timezone.now(),
        channel=channel,
        direction="received",
        summary=str(_("Comments on the advance copy:")) + "\n" + comments,
    )
    locked.comments = comments
    locked.answer = answer
    locked.answered_at = answer.at
    locked.save()
    audit.record(
        "draft.advance_comments", actor=actor, obj=locked, case_id=locked.draft.case_id, after={"channel": channel}
    )
    return locked


@transaction.atomic
def record_transmission(draft: Draft, *, actor: User, channel: str, counterpart: str = "") -> Draft:
    """The approved request is sent: the matter moves to ``sent`` and the communication names what was sent
    (the request documents and their SHA-256), by whom, when and how."""
    from entraide.cases.models import Document

    locked = Draft.objects.select_for_update(of=("self",)).select_related("case").get(pk=draft.pk)
    _require_file(actor, locked)
    if locked.review_state != ReviewState.APPROVED or locked.case.status != "approved":
        raise Conflict(_("Only an approved request is transmitted."), code="not_approved")
    if content_digest(locked) != locked.approved_hash:
        raise Conflict(
            _("The request changed after its approval: reopen it as a draft and have it approved again."),
            code="changed",
        )
    generated_for = (locked.content or {}).get("documents_hash")
    if generated_for and generated_for != locked.approved_hash:
        raise Conflict(
            _("The request document was generated for an earlier approved version: generate it again."),
            code="no_document",
        )
    ids = list(((locked.content or {}).get("documents") or {}).values())
    documents = list(Document.objects.filter(pk__in=ids, case=locked.case).prefetch_related("versions"))
    if not documents:
        raise Conflict(_("Generate the request document before recording its transmission."), code="no_document")
    sent_files = [(d.title, d.current.number, d.current.sha256) for d in documents if d.current is not None]
    summary = str(_("Request transmitted (approved version {hash}):")).format(hash=locked.approved_hash[:16])
    summary += "".join(f"\n- {title} v{number} · SHA-256 {sha}" for title, number, sha in sent_files)
    case_actions.log_communication(
        locked.case,
        actor=actor,
        at=timezone.now(),
        channel=channel,
        direction="sent",
        summary=summary,
        counterpart=counterpart,
    )
    case_actions.transition(locked.case, "sent", actor=actor, owner=OWNER)
    audit.record(
        "draft.transmit",
        actor=actor,
        obj=locked,
        case_id=locked.case_id,
        after={"channel": channel, "approved_hash": locked.approved_hash, "files": [list(f) for f in sent_files]},
    )
    locked.refresh_from_db()
    return locked


# --- country guides -----------------------------------------------------------------------------------------


def may_edit_guides(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in REVIEWERS)


@transaction.atomic
def save_guide(*, actor: User, country: Any, language: str, title: str, body: str, note: str = "") -> Any:
    """Write a country's guide in one language: a new version, the earlier ones kept."""
    from .models import CountryGuide, GuideVersion

    if not may_edit_guides(actor):
        raise Forbidden(_("Only the Central Authority edits the country guides."))
    errors: dict[str, Any] = {}
    if language not in LANGUAGE_CODES:
        errors["language"] = _("Unknown language.")
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        errors["title"] = _("Required.")
    if not body:
        errors["body"] = _("Required.")
    if len(title) > 255:
        errors["title"] = _("Too long.")
    if len(body) > 100_000:
        errors["body"] = _("Too long.")
    if errors:
        raise ActionError(_("The guide was not saved: correct the fields marked."), fields=errors)
    guide = CountryGuide.objects.select_for_update().filter(country=country, language=language).first()
    if guide is None:
        guide = CountryGuide.objects.create(
            country=country, language=language, title=title, body=body, version=1, updated_by=actor
        )
    else:
        if guide.title == title and guide.body == body:
            return guide
        guide.title, guide.body = title, body
        guide.version += 1
        guide.updated_by, guide.updated_at = actor, timezone.now()
        guide.save()
    GuideVersion.objects.create(
        guide=guide, number=guide.version, title=title, body=body, note=note[:255], edited_by=actor
    )
    audit.record(
        "guide.save",
        actor=actor,
        obj=guide,
        after={"country": guide.country_id, "language": language, "version": guide.version, "note": note[:255]},
    )
    return guide
