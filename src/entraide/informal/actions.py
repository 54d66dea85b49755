"""Every change to the informal register goes through one of these functions (atomic, audited, checked)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from entraide.accounts.models import Role, User
from entraide.audit import log as audit
from entraide.cases import choices as cc
from entraide.cases.models import Case
from entraide.cases.queries import visible_cases
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.informal import choices as c
from entraide.informal.models import CONTACT_FIELDS, InformalContact, InformalGrant, InformalSubject
from entraide.informal.queries import can_assign, can_register, can_work_on


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, f"{name}_id") if hasattr(obj, f"{name}_id") else getattr(obj, name)
        data[name] = value.isoformat() if isinstance(value, date | datetime) else value
    return data


def _validate(data: dict[str, Any]) -> None:
    errors: dict[str, Any] = {}
    for name in ("channel", "counterpart_country", "occurred_on", "direction", "summary"):
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[name] = _("Required.")
    if data.get("channel") and data["channel"] not in c.InformalChannel.values:
        errors["channel"] = _("Unknown channel.")
    if data.get("direction") and data["direction"] not in c.ContactDirection.values:
        errors["direction"] = _("Unknown direction.")
    if data.get("outcome") and data["outcome"] not in c.Outcome.values:
        errors["outcome"] = _("Unknown outcome.")
    occurred = data.get("occurred_on")
    if isinstance(occurred, date) and occurred > timezone.localdate():
        errors["occurred_on"] = _("The date cannot be in the future.")
    if errors:
        raise ActionError(_("The informal contact is incomplete: correct the fields marked."), fields=errors)


def _check_clearance(actor: User, level: Any) -> None:
    if level is not None and int(level) > actor.clearance:
        raise ActionError(
            _("You cannot classify above your own clearance."),
            fields={"confidentiality": _("Above your clearance.")},
        )


def clean_identifiers(identifiers: Any) -> list[dict[str, str]]:
    """Each identifier as {"type", "value"}; an unknown type or an empty value is refused, never dropped."""
    if identifiers in (None, ""):
        return []
    if not isinstance(identifiers, list):
        raise ActionError(_("Identifiers must be a list."), fields={"identifiers": _("Must be a list.")})
    cleaned = []
    for index, item in enumerate(identifiers):
        kind = str((item or {}).get("type", "")).strip() if isinstance(item, dict) else ""
        value = str((item or {}).get("value", "")).strip() if isinstance(item, dict) else ""
        if kind not in cc.IdentifierType.values:
            raise ActionError(
                _("Unknown identifier type."), fields={f"identifiers.{index}.type": _("Unknown identifier type.")}
            )
        if not value:
            raise ActionError(_("An identifier needs a value."), fields={f"identifiers.{index}.value": _("Required.")})
        cleaned.append({"type": kind, "value": value[:200]})
    return cleaned


def _create_subject(contact: InformalContact, data: dict[str, Any]) -> InformalSubject:
    kind = data.get("kind") or cc.SubjectKind.PERSON
    if kind not in cc.SubjectKind.values:
        raise ActionError(_("Unknown kind of subject."), fields={"kind": _("Unknown kind.")})
    name = (data.get("name") or "").strip()
    identifiers = clean_identifiers(data.get("identifiers"))
    if not name and not identifiers:
        raise ActionError(_("A subject needs a name or at least one identifier."), fields={"name": _("Required.")})
    return InformalSubject.objects.create(
        contact=contact,
        kind=kind,
        name=name,
        original_script_name=(data.get("original_script_name") or "").strip(),
        birth_date=data.get("birth_date"),
        nationality=data.get("nationality"),
        identifiers=identifiers,
    )


def _heads() -> list[User]:
    return list(User.objects.filter(role=Role.HEAD, is_active=True))


@transaction.atomic
def register_contact(
    *,
    actor: User,
    subjects: list[dict[str, Any]] | None = None,
    cases: list[Case] | None = None,
    officer: User | None = None,
    **data: Any,
) -> InformalContact:
    if not can_register(actor):
        raise Forbidden(_("You may not register informal contacts."))
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise ActionError(_("Unknown fields: {fields}").format(fields=", ".join(sorted(unknown))))
    _validate(data)
    _check_clearance(actor, data.get("confidentiality"))
    if officer is not None and officer.role not in (Role.OFFICER, Role.HEAD):
        raise ActionError(
            _("Only a case officer or the head can be assigned."), fields={"officer": _("Not an officer.")}
        )
    contact = InformalContact.objects.create(
        created_by=actor, officer=officer or (actor if actor.role == Role.OFFICER else None), **data
    )
    for index, item in enumerate(subjects or []):
        try:
            _create_subject(contact, item)
        except ActionError as error:
            error.fields = {f"subjects.{index}.{k}": v for k, v in error.fields.items()}
            raise
    for case in cases or []:
        _link(contact, case, actor=actor)
    audit.record(
        "informal.register",
        actor=actor,
        obj=contact,
        after={**_snapshot(contact, CONTACT_FIELDS), "subjects": contact.subjects.count()},
    )
    from entraide.notifications.actions import notify

    notify(
        [u for u in _heads() if u.pk != actor.pk and u.clearance >= contact.confidentiality],
        kind="informal.registered",
        message=gettext_noop("New informal contact {reference} ({channel}) registered by {user}"),
        params={"reference": contact.reference, "channel": contact.channel, "user": actor.username},
        url=reverse("informal:detail", args=[contact.pk]),
    )
    return contact


@transaction.atomic
def update_contact(contact: InformalContact, *, actor: User, **changes: Any) -> InformalContact:
    if not can_work_on(actor, contact):
        raise Forbidden(_("You may not change this informal contact."))
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ActionError(_("Unknown fields: {fields}").format(fields=", ".join(sorted(unknown))))
    _validate({**_snapshot(contact, CONTACT_FIELDS), **{k: getattr(contact, k) for k in CONTACT_FIELDS}, **changes})
    _check_clearance(actor, changes.get("confidentiality"))
    before = _snapshot(contact, tuple(changes))
    for key, value in changes.items():
        setattr(contact, key, value)
    contact.updated_at = timezone.now()
    contact.save()
    audit.record("informal.update", actor=actor, obj=contact, before=before, after=_snapshot(contact, tuple(changes)))
    return contact


@transaction.atomic
def add_subject(contact: InformalContact, *, actor: User, **data: Any) -> InformalSubject:
    if not can_work_on(actor, contact):
        raise Forbidden(_("You may not change this informal contact."))
    subject = _create_subject(contact, data)
    audit.record(
        "informal.subject_add",
        actor=actor,
        obj=subject,
        after={"name": subject.name, "kind": subject.kind, "identifiers": len(subject.identifiers)},
    )
    return subject


@transaction.atomic
def remove_subject(subject: InformalSubject, *, actor: User) -> None:
    if not can_work_on(actor, subject.contact):
        raise Forbidden(_("You may not change this informal contact."))
    pk, name = subject.pk, subject.name
    subject.delete()
    audit.record(
        "informal.subject_remove",
        actor=actor,
        object_type="informal.informalsubject",
        object_id=str(pk),
        before={"name": name},
    )


def _link(contact: InformalContact, case: Case, *, actor: User) -> None:
    if not visible_cases(actor).filter(pk=case.pk).exists():
        raise ActionError(_("No such matter."), fields={"case": _("No such matter.")}, status=404)
    if contact.cases.filter(pk=case.pk).exists():
        raise Conflict(_("This contact is already linked to that matter."))
    contact.cases.add(case)


@transaction.atomic
def link_case(contact: InformalContact, case: Case, *, actor: User) -> None:
    if not can_work_on(actor, contact):
        raise Forbidden(_("You may not change this informal contact."))
    _link(contact, case, actor=actor)
    audit.record("informal.link_case", actor=actor, obj=contact, case_id=case.pk, after={"case": case.pk})


@transaction.atomic
def assign(contact: InformalContact, officer: User, *, actor: User) -> InformalContact:
    if not can_assign(actor):
        raise Forbidden(_("Only the head of the Central Authority assigns."))
    if officer.role not in (Role.OFFICER, Role.HEAD) or not officer.is_active:
        raise ActionError(
            _("Only a case officer or the head can be assigned."), fields={"officer": _("Not an officer.")}
        )
    before = contact.officer_id
    contact.officer = officer
    contact.updated_at = timezone.now()
    contact.save(update_fields=["officer", "updated_at"])
    audit.record("informal.assign", actor=actor, obj=contact, before={"officer": before}, after={"officer": officer.pk})
    return contact


@transaction.atomic
def grant_access(
    contact: InformalContact, user: User, *, actor: User, reason: str, expires_at: datetime | None = None
) -> InformalGrant:
    if not can_assign(actor):
        raise Forbidden(_("Only the head of the Central Authority grants access."))
    if not reason.strip():
        raise ActionError(_("Give a reason for the access."), fields={"reason": _("A reason is required.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ActionError(_("The expiry must be in the future."), fields={"expires_at": _("In the past.")})
    grant, _created = InformalGrant.objects.update_or_create(
        contact=contact, user=user, defaults={"granted_by": actor, "expires_at": expires_at, "reason": reason}
    )
    audit.record(
        "informal.grant_access",
        actor=actor,
        obj=grant,
        after={"user": user.username, "expires_at": expires_at, "reason": reason},
    )
    return grant
