"""Every change to a matter goes through one of these functions.

Each is atomic, takes the acting user as keyword-only ``actor``, checks that the actor may do it, refuses what the
lifecycle or the law does not allow with a clear message (``ActionError``), and writes its audit record and
timeline event in the same transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import Role, User
from entraide.audit import log as audit
from entraide.cases import choices as c
from entraide.cases.catalogue import DEFINITIONS, clean_details
from entraide.cases.lifecycles import lifecycle_for
from entraide.cases.models import (
    CASE_EDITABLE_FIELDS,
    CASE_REGISTRATION_FIELDS,
    SUBJECT_EDITABLE_FIELDS,
    SUBJECT_FIELDS,
    Case,
    CaseLink,
    CaseMember,
    Communication,
    Deadline,
    DeadlineRule,
    Document,
    DocumentVersion,
    Event,
    Identifier,
    Measure,
    Offence,
    ReferenceCounter,
    Subject,
)
from entraide.cases.queries import can_assign, can_file, can_register, can_work_on, visible_cases
from entraide.cases.uploads import check_upload
from entraide.core import clockwork, extensions
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.core.text import fold, normalize_identifier

FLAG_FIELDS = tuple(f"flag_{f.value}" for f in c.Flag)
CASE_FIELDS = (*CASE_REGISTRATION_FIELDS, *FLAG_FIELDS)
EDITABLE_FIELDS = (*CASE_EDITABLE_FIELDS, *FLAG_FIELDS)


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, f"{name}_id", None) if hasattr(obj, f"{name}_id") else getattr(obj, name)
        data[name] = value.isoformat() if isinstance(value, date | datetime) else value
    return data


def _event(case: Case, verb: str, *, actor: User | None, reason: str = "", **params: Any) -> Event:
    return Event.objects.create(case=case, actor=actor, verb=verb, params=params, reason=reason)


def _touch(case: Case) -> None:
    case.updated_at = timezone.now()
    case.version += 1
    Case.objects.filter(pk=case.pk).update(updated_at=case.updated_at, version=case.version)


# --- references ---------------------------------------------------------------------------------------------


def next_reference(kind: str, direction: str, year: int) -> str:
    """Reserve the next reference for (kind, direction, year) from the configured pattern."""
    pattern = settings.ENTRAIDE_REFERENCE_PATTERN
    values = {
        "kind": c.KIND_CODES[c.Kind(kind)],
        "direction": c.DIRECTION_CODES[c.Direction(direction)],
        "year": year,
    }
    prefix = pattern.split("{seq")[0].format(**values)
    return ReferenceCounter.reserve(
        prefix,
        lambda seq: pattern.format(seq=seq, **values),
        lambda reference: Case.objects.filter(reference=reference).exists(),
    )


# --- validation ---------------------------------------------------------------------------------------------


def _validate_case(data: dict[str, Any], *, existing: Case | None = None) -> None:
    errors: dict[str, Any] = {}
    received, sent = data.get("received_on"), data.get("sent_on")
    today = timezone.localdate()
    if received and received > today:
        errors["received_on"] = _("The date received cannot be in the future.")
    if sent and sent > today:
        errors["sent_on"] = _("The date sent cannot be in the future.")
    if received and sent and sent < received:
        errors["sent_on"] = _("The date sent cannot be before the date received.")
    if not (data.get("title") or "").strip():
        errors["title"] = _("A title is required.")
    if data.get("priority") == c.Priority.URGENT and not (data.get("priority_reason") or "").strip():
        errors["priority_reason"] = _("Say why the matter is urgent.")
    country = data.get("counterpart_country")
    authority = data.get("counterpart_authority")
    if authority is not None and country is not None and authority.country_id != country.pk:
        errors["counterpart_authority"] = _("This authority is not in the counterpart country.")
    national = data.get("national_authority")
    if national is not None and national.country_id != settings.ENTRAIDE_COUNTRY:
        errors["national_authority"] = _("The national authority must be an authority of this country.")
    ref = (data.get("counterpart_reference") or "").strip()
    if ref and country is not None:
        duplicates = Case.objects.filter(
            counterpart_reference=ref, counterpart_country=country, direction=data.get("direction")
        )
        if existing is not None:
            duplicates = duplicates.exclude(pk=existing.pk)
        if duplicates.exists():
            errors["counterpart_reference"] = _("A matter with this reference from this country is already registered.")
    if errors:
        raise ActionError(_("The matter was not saved: correct the fields marked."), fields=errors)


def _check_clearance(actor: User, level: Any) -> None:
    """A matter above its author's clearance would vanish from their sight the moment it is saved."""
    if level is not None and int(level) > actor.clearance:
        raise ActionError(
            _("You cannot give a matter a confidentiality above your own clearance."),
            fields={"confidentiality": _("Above your clearance.")},
        )


# --- registration and edits ---------------------------------------------------------------------------------


@transaction.atomic
def register_case(
    *,
    actor: User,
    offences: list[dict[str, Any]] | None = None,
    subjects: list[dict[str, Any]] | None = None,
    measures: list[dict[str, Any]] | None = None,
    **data: Any,
) -> Case:
    """Register a matter with its first offences, subjects and measures, all or nothing."""
    if not can_register(actor):
        raise Forbidden(_("Your role does not allow registering matters."))
    if actor.role == Role.REQUESTING and data.get("direction") != c.Direction.OUTGOING:
        raise Forbidden(_("A requesting authority can only prepare outgoing requests."))
    unknown = set(data) - set(CASE_FIELDS)
    if unknown:
        raise ActionError(_("Unknown fields: {fields}").format(fields=", ".join(sorted(unknown))))
    if data.get("direction") not in c.Direction.values or data.get("kind") not in c.Kind.values:
        raise ActionError(_("Direction and kind are required."), fields={"kind": _("Choose a kind.")})
    if data.get("counterpart_country") is None:
        raise ActionError(_("The counterpart country is required."), fields={"counterpart_country": _("Required.")})
    _check_clearance(actor, data.get("confidentiality"))
    if actor.role == Role.REQUESTING:
        data["national_authority"] = actor.authority
    _validate_case(data)
    lifecycle = lifecycle_for(data["kind"], data["direction"])
    year = (data.get("received_on") or timezone.localdate()).year
    case = Case(**data)
    case.reference = next_reference(data["kind"], data["direction"], year)
    case.status = lifecycle.initial
    case.created_by = actor
    if actor.role == Role.OFFICER:
        case.officer = actor
    case.save()
    for i, item in enumerate(offences or []):
        with _item_of("offences", i):
            _create_offence(case, item)
    for i, item in enumerate(subjects or []):
        with _item_of("subjects", i):
            _create_subject(case, item)
    for i, item in enumerate(measures or []):
        with _item_of("measures", i):
            _create_measure(case, item)
    _event(case, "registered", actor=actor, reference=case.reference)
    audit.record("case.register", actor=actor, obj=case, case_id=case.pk, after=_snapshot(case, CASE_FIELDS))
    _start_deadlines(case, trigger="registered", actor=actor)
    return case


@transaction.atomic
def update_case(case: Case, *, actor: User, expected_version: int | None = None, **changes: Any) -> Case:
    if not can_work_on(actor, case):
        raise Forbidden(_("You may not change this matter."))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ActionError(_("These fields cannot be changed: {fields}").format(fields=", ".join(sorted(unknown))))
    if "confidentiality" in changes:
        _check_clearance(actor, changes["confidentiality"])
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(_("Someone else changed this matter in the meantime. Reload it and try again."))
    before = _snapshot(locked, EDITABLE_FIELDS)
    data = {name: getattr(locked, name) for name in CASE_FIELDS}
    data.update(changes)
    _validate_case(data, existing=locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.updated_at = timezone.now()
    locked.version += 1
    locked.save()
    after = _snapshot(locked, EDITABLE_FIELDS)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        _event(locked, "updated", actor=actor, fields=sorted(changed))
        audit.record(
            "case.update",
            actor=actor,
            obj=locked,
            case_id=locked.pk,
            before={k: before[k] for k in changed},
            after=changed,
        )
    return locked


# --- lifecycle ----------------------------------------------------------------------------------------------


@transaction.atomic
def transition(case: Case, to: str, *, actor: User, reason: str = "", owner: str = "") -> Case:
    """Move a matter to state ``to``. Serialised per case: of two concurrent transitions only one can win.

    A step an app has taken over (``core.extensions.register_transition_owner``) is taken only by that app,
    which passes its key as ``owner``; apps' guards (``register_transition_guard``) may forbid a step."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not visible_cases(actor).filter(pk=locked.pk).exists():
        raise Forbidden(_("You may not change this matter."))
    lifecycle = lifecycle_for(locked.kind, locked.direction)
    step = lifecycle.get(locked.status, to)
    if step is None:
        allowed = ", ".join(str(lifecycle.label(t.target)) for t in lifecycle.next_states(locked.status)) or "—"
        raise Conflict(
            _("A matter in state “{current}” cannot move to “{target}”. Possible next states: {allowed}.").format(
                current=lifecycle.label(locked.status), target=lifecycle.label(to), allowed=allowed
            ),
            code="transition_not_allowed",
        )
    if actor.role not in step.roles:
        raise Forbidden(_("Your role may not take this step: “{step}”.").format(step=step.label or lifecycle.label(to)))
    if actor.role in {Role.OFFICER, Role.REQUESTING} and not can_work_on(actor, locked):
        raise Forbidden(_("You may not change this matter."))
    claimant = extensions.step_owner(locked, to)
    if claimant is not None and claimant.key != owner:
        raise Conflict(
            _("This step is taken from “{page}”, where its conditions are checked and its letter prepared.").format(
                page=claimant.label
            ),
            code="step_owned",
        )
    if step.needs_reason and not reason.strip():
        raise ActionError(_("Give a reason for this step."), fields={"reason": _("A reason is required.")})
    for guard in step.guards:
        problem = guard(locked)
        if problem:
            raise Conflict(problem, code="guard")
    problem = extensions.step_blocked(locked, to)
    if problem:
        raise Conflict(problem, code="guard")
    previous = locked.status
    locked.status = to
    now = timezone.now()
    was_open = locked.is_open
    locked.is_open = lifecycle.is_active(to)
    if was_open and not locked.is_open:
        locked.closed_at = now
    elif locked.is_open:
        locked.closed_at = None
    if to == "sent" and locked.sent_on is None:
        locked.sent_on = timezone.localdate()
    locked.updated_at = now
    locked.version += 1
    locked.save()
    _event(locked, "transition", actor=actor, reason=reason, source=previous, target=to)
    audit.record(
        "case.transition",
        actor=actor,
        obj=locked,
        case_id=locked.pk,
        before={"status": previous},
        after={"status": to, "reason": reason},
    )
    _meet_deadlines_on_status(locked, to, actor=actor)
    if not locked.is_open:
        for deadline in locked.deadlines.filter(status__in=[c.DeadlineStatus.RUNNING, c.DeadlineStatus.PAUSED]):
            deadline.status = c.DeadlineStatus.CANCELLED
            deadline.save(update_fields=["status"])
    _start_deadlines(locked, trigger=f"status:{to}", actor=actor)
    _refresh_next_due(locked)
    return locked


# --- assignment and access ----------------------------------------------------------------------------------


@transaction.atomic
def assign(case: Case, officer: User, *, actor: User, reason: str = "") -> Case:
    if not can_assign(actor):
        raise Forbidden(_("Only the head of the Central Authority assigns matters."))
    if officer.role not in {Role.OFFICER, Role.HEAD} or not officer.is_active:
        raise ActionError(_("Matters are assigned to active case officers."), fields={"officer": _("Not an officer.")})
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if officer.clearance < locked.confidentiality:
        raise ActionError(
            _("{user} is not cleared for this confidentiality level.").format(user=officer),
            fields={"officer": _("Insufficient clearance.")},
        )
    previous = locked.officer
    if previous == officer:
        return locked
    locked.officer = officer
    locked.updated_at = timezone.now()
    locked.version += 1
    locked.save(update_fields=["officer", "updated_at", "version"])
    verb = "reassigned" if previous else "assigned"
    _event(
        locked,
        verb,
        actor=actor,
        reason=reason,
        officer=officer.username,
        previous=previous.username if previous else "",
    )
    audit.record(
        f"case.{verb}",
        actor=actor,
        obj=locked,
        case_id=locked.pk,
        before={"officer": previous.username if previous else None},
        after={"officer": officer.username},
    )
    return locked


@transaction.atomic
def grant_access(case: Case, user: User, *, actor: User, reason: str, expires_at: datetime | None = None) -> CaseMember:
    if not can_assign(actor):
        raise Forbidden(_("Only the head of the Central Authority grants access."))
    if not reason.strip():
        raise ActionError(_("Give a reason for the access."), fields={"reason": _("A reason is required.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ActionError(_("The expiry must be in the future."), fields={"expires_at": _("In the past.")})
    member, _created = CaseMember.objects.update_or_create(
        case=case,
        user=user,
        defaults={
            "role": c.MemberRole.GRANTED,
            "granted_by": actor,
            "expires_at": expires_at,
            "reason": reason,
        },
    )
    _event(
        case,
        "access_granted",
        actor=actor,
        reason=reason,
        user=user.username,
        expires_at=expires_at.isoformat() if expires_at else "",
    )
    audit.record(
        "case.grant_access",
        actor=actor,
        obj=member,
        case_id=case.pk,
        after={"user": user.username, "expires_at": expires_at, "reason": reason},
    )
    return member


@transaction.atomic
def revoke_access(case: Case, user: User, *, actor: User) -> None:
    if not can_assign(actor):
        raise Forbidden(_("Only the head of the Central Authority revokes access."))
    deleted, _rows = CaseMember.objects.filter(case=case, user=user).delete()
    if deleted:
        _event(case, "access_revoked", actor=actor, user=user.username)
        audit.record(
            "case.revoke_access",
            actor=actor,
            case_id=case.pk,
            object_type="cases.casemember",
            object_id=f"{case.pk}:{user.pk}",
            before={"user": user.username},
        )


# --- offences, subjects, measures ---------------------------------------------------------------------------


@contextmanager
def _item_of(collection: str, index: int) -> Iterator[None]:
    """Name the item of a list an error is about, e.g. ``measures.1.details.person``."""
    try:
        yield
    except ActionError as exc:
        prefix = f"{collection}.{index}"
        exc.fields = {f"{prefix}.{k}": v for k, v in exc.fields.items()} or {prefix: exc.message}
        raise


def _require_work(actor: User, case: Case) -> None:
    if not can_work_on(actor, case):
        raise Forbidden(_("You may not change this matter."))


def _create_offence(case: Case, data: dict[str, Any]) -> Offence:
    if data.get("iccs_section") not in c.ICCSSection.values:
        raise ActionError(_("Choose an ICCS section."), fields={"iccs_section": _("Unknown ICCS section.")})
    if not (data.get("description") or "").strip():
        raise ActionError(_("Describe the offence."), fields={"description": _("Required.")})
    return Offence.objects.create(
        case=case,
        iccs_section=data["iccs_section"],
        iccs_code=(data.get("iccs_code") or "")[:12],
        description=data["description"].strip(),
        legal_provision=(data.get("legal_provision") or "").strip(),
    )


@transaction.atomic
def add_offence(case: Case, *, actor: User, **data: Any) -> Offence:
    _require_work(actor, case)
    offence = _create_offence(case, data)
    _event(case, "offence_added", actor=actor, description=offence.description)
    audit.record("offence.add", actor=actor, obj=offence, case_id=case.pk, after=data)
    _touch(case)
    return offence


@transaction.atomic
def remove_offence(offence: Offence, *, actor: User, reason: str = "") -> None:
    case = offence.case
    _require_work(actor, case)
    before = {"description": offence.description, "iccs_section": offence.iccs_section}
    pk = offence.pk
    offence.delete()
    _event(case, "offence_removed", actor=actor, reason=reason, description=before["description"])
    audit.record(
        "offence.remove",
        actor=actor,
        case_id=case.pk,
        object_type="cases.offence",
        object_id=str(pk),
        before=before,
    )
    _touch(case)


def _create_subject(case: Case, data: dict[str, Any]) -> Subject:
    data = dict(data)
    identifiers = data.pop("identifiers", None) or []
    if data.get("kind") not in c.SubjectKind.values:
        raise ActionError(_("Say whether the subject is a person or an organisation."), fields={"kind": _("Required.")})
    if data.get("role") not in c.SubjectRole.values:
        raise ActionError(_("Choose the subject's role."), fields={"role": _("Required.")})
    name = (data.get("name") or "").strip()
    if not name:
        raise ActionError(_("The subject's name is required."), fields={"name": _("Required.")})
    birth = data.get("birth_date")
    if birth and birth > timezone.localdate():
        raise ActionError(_("The date of birth cannot be in the future."), fields={"birth_date": _("In the future.")})
    unknown = set(data) - set(SUBJECT_FIELDS)
    if unknown:
        raise ActionError(_("Unknown fields: {fields}").format(fields=", ".join(sorted(unknown))))
    data["name"] = name
    subject = Subject.objects.create(
        case=case, search_name=fold(name + " " + data.get("original_script_name", "")), **data
    )
    for i, ident in enumerate(identifiers):
        with _item_of("identifiers", i):
            _create_identifier(subject, ident)
    return subject


def _create_identifier(subject: Subject, data: dict[str, Any]) -> Identifier:
    kind, value = data.get("type"), (data.get("value") or "").strip()
    if kind not in c.IdentifierType.values:
        raise ActionError(_("Unknown identifier type."), fields={"type": _("Unknown identifier type.")})
    if not value:
        raise ActionError(_("The identifier's value is required."), fields={"value": _("Required.")})
    return Identifier.objects.create(
        subject=subject,
        type=kind,
        value=value[:200],
        normalized=normalize_identifier(kind, value)[:200],
        country=data.get("country"),
    )


@transaction.atomic
def add_subject(case: Case, *, actor: User, **data: Any) -> Subject:
    _require_work(actor, case)
    subject = _create_subject(case, data)
    _event(case, "subject_added", actor=actor, name=subject.name, role=subject.role)
    audit.record(
        "subject.add",
        actor=actor,
        obj=subject,
        case_id=case.pk,
        after={"name": subject.name, "role": subject.role, "kind": subject.kind},
    )
    _touch(case)
    return subject


@transaction.atomic
def update_subject(subject: Subject, *, actor: User, **changes: Any) -> Subject:
    case = subject.case
    _require_work(actor, case)
    unknown = set(changes) - set(SUBJECT_EDITABLE_FIELDS)
    if unknown:
        raise ActionError(_("Unknown fields: {fields}").format(fields=", ".join(sorted(unknown))))
    if "name" in changes and not (changes["name"] or "").strip():
        raise ActionError(_("The subject's name is required."), fields={"name": _("Required.")})
    before = _snapshot(subject, tuple(changes))
    for key, value in changes.items():
        setattr(subject, key, value)
    subject.search_name = fold(subject.name + " " + subject.original_script_name)
    subject.save()
    _event(case, "subject_updated", actor=actor, name=subject.name)
    audit.record(
        "subject.update",
        actor=actor,
        obj=subject,
        case_id=case.pk,
        before=before,
        after=_snapshot(subject, tuple(changes)),
    )
    _touch(case)
    return subject


@transaction.atomic
def add_identifier(subject: Subject, *, actor: User, **data: Any) -> Identifier:
    _require_work(actor, subject.case)
    ident = _create_identifier(subject, data)
    audit.record(
        "identifier.add",
        actor=actor,
        obj=ident,
        case_id=subject.case_id,
        after={"type": ident.type, "value": ident.value},
    )
    _event(subject.case, "identifier_added", actor=actor, name=subject.name, type=ident.type)
    return ident


@transaction.atomic
def remove_subject(subject: Subject, *, actor: User, reason: str = "") -> None:
    case = subject.case
    _require_work(actor, case)
    before = {"name": subject.name, "role": subject.role}
    pk = subject.pk
    subject.delete()
    _event(case, "subject_removed", actor=actor, reason=reason, name=before["name"])
    audit.record(
        "subject.remove",
        actor=actor,
        case_id=case.pk,
        object_type="cases.subject",
        object_id=str(pk),
        before=before,
    )
    _touch(case)


def _create_measure(case: Case, data: dict[str, Any]) -> Measure:
    mtype = data.get("type")
    if mtype not in DEFINITIONS:
        raise ActionError(_("Choose a measure from the catalogue."), fields={"type": _("Unknown measure.")})
    details, errors = clean_details(mtype, data.get("details"))
    if errors:
        raise ActionError(
            _("The measure's details are incomplete or invalid."),
            fields={f"details.{k}": v for k, v in errors.items()},
        )
    return Measure.objects.create(
        case=case, type=mtype, details=details, description=(data.get("description") or "").strip()
    )


@transaction.atomic
def add_measure(case: Case, *, actor: User, **data: Any) -> Measure:
    _require_work(actor, case)
    measure = _create_measure(case, data)
    _event(case, "measure_added", actor=actor, type=measure.type)
    audit.record(
        "measure.add",
        actor=actor,
        obj=measure,
        case_id=case.pk,
        after={"type": measure.type, "details": measure.details},
    )
    _touch(case)
    return measure


@transaction.atomic
def update_measure(
    measure: Measure, *, actor: User, details: dict[str, Any] | None = None, description: str | None = None
) -> Measure:
    _require_work(actor, measure.case)
    before = {"details": measure.details, "description": measure.description}
    if details is not None:
        clean, errors = clean_details(measure.type, details)
        if errors:
            raise ActionError(
                _("The measure's details are incomplete or invalid."),
                fields={f"details.{k}": v for k, v in errors.items()},
            )
        measure.details = clean
    if description is not None:
        measure.description = description.strip()
    measure.updated_at = timezone.now()
    measure.save()
    audit.record(
        "measure.update",
        actor=actor,
        obj=measure,
        case_id=measure.case_id,
        before=before,
        after={"details": measure.details, "description": measure.description},
    )
    _event(measure.case, "measure_updated", actor=actor, type=measure.type)
    return measure


@transaction.atomic
def set_measure_status(measure: Measure, status: str, *, actor: User, note: str = "") -> Measure:
    _require_work(actor, measure.case)
    if status not in c.MeasureStatus.values:
        raise ActionError(_("Unknown measure status."), fields={"status": _("Unknown status.")})
    if (
        status in {c.MeasureStatus.REFUSED, c.MeasureStatus.WITHDRAWN, c.MeasureStatus.PARTIALLY_EXECUTED}
        and not note.strip()
    ):
        raise ActionError(_("Give a reason for this status."), fields={"note": _("A reason is required.")})
    locked = Measure.objects.select_for_update().get(pk=measure.pk)
    previous = locked.status
    if previous == status:
        return locked
    locked.status = status
    locked.status_note = note.strip()[:500]
    locked.updated_at = timezone.now()
    locked.save()
    _event(
        locked.case,
        "measure_status",
        actor=actor,
        reason=note,
        type=locked.type,
        source=previous,
        target=status,
    )
    audit.record(
        "measure.status",
        actor=actor,
        obj=locked,
        case_id=locked.case_id,
        before={"status": previous},
        after={"status": status, "note": note},
    )
    _touch(locked.case)
    return locked


# --- documents ----------------------------------------------------------------------------------------------


def _store_version(document: Document, upload: UploadedFile, *, actor: User, number: int) -> DocumentVersion:
    content_type = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    version = DocumentVersion(
        document=document,
        number=number,
        original_name=(upload.name or "document")[:255],
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    # The content was checked before anything is written; should the row fail to save, the file goes too.
    version.file.save(upload.name or "document", upload, save=False)
    try:
        version.save()
    except Exception:
        if version.file.name:
            version.file.storage.delete(version.file.name)
        raise
    return version


@transaction.atomic
def add_document(
    case: Case, upload: UploadedFile, *, actor: User, kind: str, title: str = "", language: str = ""
) -> Document:
    if not can_file(actor, case):
        raise Forbidden(_("You may not file documents on this matter."))
    if kind not in c.DocumentKind.values:
        raise ActionError(_("Choose the kind of document."), fields={"kind": _("Unknown kind.")})
    document = Document.objects.create(
        case=case,
        kind=kind,
        title=(title or upload.name or "")[:255],
        language=language[:8],
        created_by=actor,
    )
    version = _store_version(document, upload, actor=actor, number=1)
    _event(case, "document_added", actor=actor, title=document.title, version=1)
    audit.record(
        "document.add",
        actor=actor,
        obj=document,
        case_id=case.pk,
        after={"title": document.title, "kind": kind, "sha256": version.sha256, "size": version.size},
    )
    _touch(case)
    return document


@transaction.atomic
def add_document_version(document: Document, upload: UploadedFile, *, actor: User) -> DocumentVersion:
    case = document.case
    if not can_file(actor, case):
        raise Forbidden(_("You may not file documents on this matter."))
    Document.objects.select_for_update().filter(pk=document.pk).first()
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = _store_version(document, upload, actor=actor, number=number)
    _event(case, "document_version", actor=actor, title=document.title, version=number)
    audit.record(
        "document.version",
        actor=actor,
        obj=version,
        case_id=case.pk,
        after={"document": document.pk, "number": number, "sha256": version.sha256},
    )
    _touch(case)
    return version


def record_download(version: DocumentVersion, *, actor: User) -> None:
    audit.record(
        "document.download",
        actor=actor,
        obj=version,
        case_id=version.document.case_id,
        after={"sha256": version.sha256},
    )


def record_view(case: Case, *, actor: User, what: str = "case.view") -> None:
    audit.record(what, actor=actor, obj=case, case_id=case.pk)


# --- communications and links -------------------------------------------------------------------------------


@transaction.atomic
def log_communication(
    case: Case,
    *,
    actor: User,
    at: datetime,
    channel: str,
    direction: str,
    summary: str,
    counterpart: str = "",
) -> Communication:
    if not can_file(actor, case):
        raise Forbidden(_("You may not log communications on this matter."))
    errors: dict[str, Any] = {}
    from entraide.core.choices import Channel

    if channel not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    if direction not in c.CommDirection.values:
        errors["direction"] = _("Unknown direction.")
    if not summary.strip():
        errors["summary"] = _("A summary is required.")
    if at > timezone.now() + timedelta(minutes=5):
        errors["at"] = _("The date cannot be in the future.")
    if errors:
        raise ActionError(_("The communication was not saved: correct the fields marked."), fields=errors)
    comm = Communication.objects.create(
        case=case,
        at=at,
        channel=channel,
        direction=direction,
        summary=summary.strip(),
        counterpart=counterpart.strip()[:255],
        recorded_by=actor,
    )
    _event(case, "communication", actor=actor, channel=channel, direction=direction)
    audit.record(
        "communication.add",
        actor=actor,
        obj=comm,
        case_id=case.pk,
        after={"channel": channel, "direction": direction, "at": at},
    )
    _touch(case)
    return comm


@transaction.atomic
def link_cases(source: Case, target: Case, *, actor: User, kind: str) -> CaseLink:
    _require_work(actor, source)
    if not visible_cases(actor).filter(pk=target.pk).exists():
        raise ActionError(_("No such matter."), fields={"target": _("No such matter.")}, status=404)
    if source.pk == target.pk:
        raise ActionError(_("A matter cannot be linked to itself."), fields={"target": _("Same matter.")})
    if kind not in c.LinkKind.values:
        raise ActionError(_("Unknown kind of link."), fields={"kind": _("Unknown kind.")})
    try:
        with transaction.atomic():
            link = CaseLink.objects.create(source=source, target=target, kind=kind, created_by=actor)
    except IntegrityError as exc:
        raise Conflict(_("These matters are already linked that way.")) from exc
    _event(source, "linked", actor=actor, kind=kind, target=target.reference)
    audit.record("case.link", actor=actor, obj=link, case_id=source.pk, after={"target": target.pk, "kind": kind})
    return link


# --- deadlines ----------------------------------------------------------------------------------------------


def add_days(start: datetime, days: int, day_count: str) -> datetime:
    """``start`` moved ``days`` calendar or working days on, at the same local wall-clock time.

    Days are counted on the local calendar (``TIME_ZONE``), so a daylight-saving change keeps the hour. Working
    days skip this country's weekend and public holidays (``ENTRAIDE_COUNTRY``, from the ``holidays`` library).
    """
    zone = timezone.get_default_timezone()
    local = timezone.localtime(start, zone) if timezone.is_aware(start) else start
    if day_count == c.DayCount.CALENDAR:
        day = local.date() + timedelta(days=days)
    else:
        country = settings.ENTRAIDE_COUNTRY
        day = clockwork.add_working_days(local.date(), days, country)
    if timezone.is_naive(start):
        return datetime.combine(day, local.time())
    return clockwork.at_local(day, local.time(), zone)


def _anchor(case: Case, rule: DeadlineRule) -> datetime:
    now = timezone.now()
    day = getattr(case, rule.anchor, None) if rule.anchor in {"received_on", "sent_on"} else None
    if isinstance(day, date):
        return timezone.make_aware(datetime.combine(day, time(0, 0)))
    return now


def _start_deadlines(case: Case, *, trigger: str, actor: User | None) -> list[Deadline]:
    started = []
    for rule in DeadlineRule.objects.filter(active=True, trigger=trigger):
        if not rule.applies_to(case):
            continue
        running = [c.DeadlineStatus.RUNNING, c.DeadlineStatus.PAUSED]
        if case.deadlines.filter(rule=rule, status__in=running).exists():
            continue  # re-entering a state does not start a second clock beside the one still running
        start = _anchor(case, rule)
        deadline = Deadline.objects.create(
            case=case, rule=rule, starts_at=start, due_at=add_days(start, rule.days, rule.day_count)
        )
        _event(case, "deadline_started", actor=actor, rule=rule.code, due_at=deadline.due_at.isoformat())
        audit.record(
            "deadline.start",
            actor=actor,
            obj=deadline,
            case_id=case.pk,
            after={"rule": rule.code, "due_at": deadline.due_at, "source": rule.source},
        )
        started.append(deadline)
    _refresh_next_due(case)
    return started


def _meet_deadlines_on_status(case: Case, status: str, *, actor: User) -> None:
    for deadline in case.deadlines.filter(status__in=[c.DeadlineStatus.RUNNING, c.DeadlineStatus.PAUSED]):
        if status in (deadline.rule.stop_statuses or []):
            _meet(
                deadline,
                actor=actor,
                note=str(_("Met when the matter became “{state}”.").format(state=case.lifecycle.label(status))),
            )


def _refresh_next_due(case: Case) -> None:
    nxt = case.deadlines.filter(status=c.DeadlineStatus.RUNNING).aggregate(m=Min("due_at"))["m"]
    case.next_due_at = nxt
    Case.objects.filter(pk=case.pk).update(next_due_at=nxt)


def _lock_deadline(deadline: Deadline, actor: User) -> Deadline:
    locked = Deadline.objects.select_for_update(of=("self",)).select_related("case", "rule").get(pk=deadline.pk)
    if not can_work_on(actor, locked.case):
        raise Forbidden(_("You may not change this matter."))
    return locked


def _meet(deadline: Deadline, *, actor: User, note: str = "") -> Deadline:
    deadline.status = c.DeadlineStatus.MET
    deadline.met_at = timezone.now()
    deadline.note = note[:255]
    deadline.save()
    _event(deadline.case, "deadline_met", actor=actor, rule=deadline.rule.code)
    audit.record("deadline.met", actor=actor, obj=deadline, case_id=deadline.case_id, after={"note": note})
    if deadline.rule.repeat and deadline.case.is_open:
        start = timezone.now()
        nxt = Deadline.objects.create(
            case=deadline.case,
            rule=deadline.rule,
            starts_at=start,
            due_at=add_days(start, deadline.rule.days, deadline.rule.day_count),
        )
        audit.record(
            "deadline.start",
            actor=actor,
            obj=nxt,
            case_id=deadline.case_id,
            after={"rule": deadline.rule.code, "due_at": nxt.due_at, "source": deadline.rule.source},
        )
    return deadline


@transaction.atomic
def meet_deadline(deadline: Deadline, *, actor: User, note: str = "", owner: str = "") -> Deadline:
    """Record a clock as met. A clock an app meets by its own record (``core.extensions.register_deadline_owner``)
    is met only by that app, which passes its key as ``owner``."""
    locked = _lock_deadline(deadline, actor)
    if locked.status not in {c.DeadlineStatus.RUNNING, c.DeadlineStatus.PAUSED}:
        raise Conflict(_("This deadline is no longer running."))
    claimant = extensions.deadline_owner(locked)
    if claimant is not None and claimant.key != owner:
        raise Conflict(
            _("This clock is met by recording what it waits for, from “{page}”.").format(page=claimant.label),
            code="deadline_owned",
        )
    _meet(locked, actor=actor, note=note)
    _refresh_next_due(locked.case)
    return locked


@transaction.atomic
def pause_deadline(deadline: Deadline, *, actor: User, reason: str) -> Deadline:
    locked = _lock_deadline(deadline, actor)
    if locked.status != c.DeadlineStatus.RUNNING:
        raise Conflict(_("Only a running deadline can be paused."))
    if not reason.strip():
        raise ActionError(_("Give a reason for the pause."), fields={"reason": _("A reason is required.")})
    locked.status = c.DeadlineStatus.PAUSED
    locked.paused_at = timezone.now()
    locked.save()
    _event(locked.case, "deadline_paused", actor=actor, reason=reason, rule=locked.rule.code)
    audit.record("deadline.pause", actor=actor, obj=locked, case_id=locked.case_id, after={"reason": reason})
    _refresh_next_due(locked.case)
    return locked


@transaction.atomic
def resume_deadline(deadline: Deadline, *, actor: User) -> Deadline:
    locked = _lock_deadline(deadline, actor)
    if locked.status != c.DeadlineStatus.PAUSED or locked.paused_at is None:
        raise Conflict(_("Only a paused deadline can be resumed."))
    paused_for = timezone.now() - locked.paused_at
    before = locked.due_at
    locked.due_at = locked.due_at + paused_for
    locked.status = c.DeadlineStatus.RUNNING
    locked.paused_at = None
    locked.save()
    _event(locked.case, "deadline_resumed", actor=actor, rule=locked.rule.code, due_at=locked.due_at.isoformat())
    audit.record(
        "deadline.resume",
        actor=actor,
        obj=locked,
        case_id=locked.case_id,
        before={"due_at": before},
        after={"due_at": locked.due_at},
    )
    _refresh_next_due(locked.case)
    return locked


@transaction.atomic
def extend_deadline(deadline: Deadline, *, actor: User, days: int, reason: str) -> Deadline:
    locked = _lock_deadline(deadline, actor)
    if locked.status not in {c.DeadlineStatus.RUNNING, c.DeadlineStatus.PAUSED}:
        raise Conflict(_("Only a running or paused deadline can be extended."))
    if not 1 <= days <= 366:
        raise ActionError(_("Extend by 1 to 366 days."), fields={"days": _("Out of range.")})
    if not reason.strip():
        raise ActionError(_("Give a reason for the extension."), fields={"reason": _("A reason is required.")})
    before = locked.due_at
    locked.due_at = add_days(locked.due_at, days, locked.rule.day_count)
    locked.extended_days += days
    locked.save()
    _event(locked.case, "deadline_extended", actor=actor, reason=reason, rule=locked.rule.code, days=days)
    audit.record(
        "deadline.extend",
        actor=actor,
        obj=locked,
        case_id=locked.case_id,
        before={"due_at": before},
        after={"due_at": locked.due_at, "days": days, "reason": reason},
    )
    _refresh_next_due(locked.case)
    return locked


@transaction.atomic
def set_waiting(case: Case, waiting: bool, *, actor: User) -> Case:
    _require_work(actor, case)
    Case.objects.filter(pk=case.pk).update(waiting_on_others=waiting)
    case.waiting_on_others = waiting
    _event(case, "waiting" if waiting else "not_waiting", actor=actor)
    audit.record("case.waiting", actor=actor, obj=case, case_id=case.pk, after={"waiting_on_others": waiting})
    return case


def record_search(*, actor: User, query: str) -> None:
    audit.record("case.search", actor=actor, object_type="search", after={"query": query[:500]})
