"""What a user may see of the informal register: the same need-to-know as for formal matters."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from entraide.accounts.models import Role
from entraide.core.choices import Confidentiality
from entraide.informal.models import InformalContact

NOTHING = Q(pk__in=[])
REGISTERING_ROLES = {Role.HEAD, Role.OFFICER, Role.CLERK}


def visible_filter(user: Any) -> Q:
    """Heads and auditors see every contact up to their clearance; officers and clerks those they created, are
    assigned to or were granted; every other role sees none."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    cleared = Q(confidentiality__lte=user.clearance) if user.clearance < max(Confidentiality.values) else Q()
    if user.role in (Role.HEAD, Role.AUDITOR):
        return cleared
    if user.role in (Role.OFFICER, Role.CLERK):
        now = timezone.now()
        granted = Q(grants__user=user) & (Q(grants__expires_at__isnull=True) | Q(grants__expires_at__gt=now))
        own = Q(created_by=user) | Q(officer=user)
        return cleared & (own | Q(pk__in=InformalContact.objects.filter(granted).values("pk")))
    return NOTHING


def visible_contacts(user: Any) -> QuerySet[InformalContact]:
    return InformalContact.objects.filter(visible_filter(user))


def get_contact_for(user: Any, pk: Any) -> InformalContact:
    try:
        return visible_contacts(user).select_related("counterpart_country", "officer", "created_by").get(pk=int(pk))
    except (ValueError, TypeError, InformalContact.DoesNotExist) as exc:
        raise Http404 from exc


def can_register(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in REGISTERING_ROLES)


def can_work_on(user: Any, contact: InformalContact) -> bool:
    if not user.is_authenticated:
        return False
    if user.role == Role.HEAD:
        return True
    if user.role in (Role.OFFICER, Role.CLERK):
        if user.pk in (contact.created_by_id, contact.officer_id):
            return True
        now = timezone.now()
        return contact.grants.filter(user=user).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now)).exists()
    return False


def can_assign(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.HEAD)


def can_see_feed(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in (Role.HEAD, Role.AUDITOR))
