"""Changes to sign-in security: two-factor enrolment and use, recovery codes, the administrator's policy.

Each function is atomic, takes the acting user as ``actor``, writes its audit record and refuses with an
``ActionError`` carrying a message for the user.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from typing import Any

import pyotp
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import Role, User
from entraide.audit import log as audit
from entraide.core.errors import ActionError, Forbidden
from entraide.security.models import BreakGlass, RecoveryCode, SecurityPolicy, TwoFactorDevice

RECOVERY_CODES = 10
STEP = 30
ISSUER = "Entraide"


def _clean_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isalnum()).upper()


def _hash_recovery(code: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    return f"{salt}${hashlib.sha256((salt + _clean_code(code)).encode()).hexdigest()}"


def _recovery_matches(code: str, stored: str) -> bool:
    salt, _digest = stored.split("$", 1)
    return hmac.compare_digest(_hash_recovery(code, salt), stored)


def may_administer(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", "") == Role.ADMIN)


def has_device(user: Any) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def provisioning_uri(device: TwoFactorDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.username, issuer_name=ISSUER)


@transaction.atomic
def start_enrolment(*, actor: User) -> TwoFactorDevice:
    """A new, unconfirmed authenticator secret (or the pending one, so the QR code stays the same)."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=actor).first()
    if device is not None and device.confirmed:
        raise ActionError(_("Two-factor sign-in is already on for your account."))
    if device is None:
        device = TwoFactorDevice(user=actor)
        device.secret = pyotp.random_base32()
        device.save()
    return device


def _match_step(device: TwoFactorDevice, code: str) -> int | None:
    code = _clean_code(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(device.secret)
    now_step = int(time.time()) // STEP
    for step in (now_step - 1, now_step, now_step + 1):
        if hmac.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = base64.b32encode(secrets.token_bytes(8)).decode()[:12]  # 60 random bits
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_hash_recovery(c)) for c in codes])
    return codes


@transaction.atomic
def confirm_enrolment(code: str, *, actor: User) -> list[str]:
    """Turn two-factor sign-in on once the authenticator shows a right code; returns the recovery codes."""
    device = TwoFactorDevice.objects.select_for_update().filter(user=actor, confirmed_at__isnull=True).first()
    if device is None:
        raise ActionError(_("Start again: no authenticator is waiting for confirmation."))
    step = _match_step(device, code)
    if step is None:
        audit.record("auth.2fa_enrol_failed", actor=actor, obj=actor)
        raise ActionError(
            _("That code is not right. Check the clock of your phone and enter the 6 digits shown now."),
            fields={"code": _("Wrong code.")},
        )
    device.confirmed_at = timezone.now()
    device.last_step = step
    device.save()
    codes = _new_recovery_codes(actor)
    audit.record("auth.2fa_enrolled", actor=actor, obj=actor)
    return codes


@transaction.atomic
def check_second_factor(user: User, code: str) -> str | None:
    """Accept a current TOTP code (never one already used) or an unused recovery code.

    Returns ``"totp"`` or ``"recovery"``, or None when refused. Records the outcome.
    """
    device = TwoFactorDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return None
    step = _match_step(device, code)
    if step is not None:
        if step <= device.last_step:
            audit.record("auth.2fa_replayed", actor=user, obj=user)
            return None
        device.last_step = step
        device.save(update_fields=["last_step"])
        audit.record("auth.2fa_verified", actor=user, obj=user, after={"method": "totp"})
        return "totp"
    for recovery in RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True):
        if _recovery_matches(code, recovery.code_hash):
            recovery.used_at = timezone.now()
            recovery.save(update_fields=["used_at"])
            left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
            audit.record("auth.2fa_verified", actor=user, obj=user, after={"method": "recovery", "left": left})
            return "recovery"
    audit.record("auth.2fa_failed", actor=user, obj=user)
    return None


def remaining_recovery_codes(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def regenerate_recovery_codes(code: str, *, actor: User) -> list[str]:
    if check_second_factor(actor, code) is None:
        raise ActionError(_("That code is not right."), fields={"code": _("Wrong code.")})
    codes = _new_recovery_codes(actor)
    audit.record("auth.2fa_recovery_regenerated", actor=actor, obj=actor)
    return codes


@transaction.atomic
def disable_two_factor(code: str, *, actor: User) -> None:
    if SecurityPolicy.current().requires_two_factor(actor):
        raise Forbidden(_("Your role must use two-factor sign-in; it cannot be turned off."))
    if check_second_factor(actor, code) is None:
        raise ActionError(_("That code is not right."), fields={"code": _("Wrong code.")})
    TwoFactorDevice.objects.filter(user=actor).delete()
    RecoveryCode.objects.filter(user=actor).delete()
    audit.record("auth.2fa_disabled", actor=actor, obj=actor)


@transaction.atomic
def reset_two_factor(user: User, *, actor: User, reason: str) -> None:
    """The administrator removes a user's authenticator (lost phone and codes); the user enrols again."""
    if not may_administer(actor):
        raise Forbidden(_("Only an administrator may reset two-factor sign-in."))
    if not reason.strip():
        raise ActionError(_("Say why."), fields={"reason": _("Required.")})
    TwoFactorDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit.record("auth.2fa_reset", actor=actor, obj=user, after={"reason": reason.strip()})


@transaction.atomic
def set_policy(*, actor: User, two_factor_roles: list[str], idle_minutes: int) -> SecurityPolicy:
    if not may_administer(actor):
        raise Forbidden(_("Only an administrator may change the security policy."))
    unknown = set(two_factor_roles) - set(Role.values)
    if unknown:
        raise ActionError(_("Unknown role."), fields={"two_factor_roles": _("Unknown role.")})
    if not 1 <= idle_minutes <= 24 * 60:
        raise ActionError(
            _("Idle time must be between 1 and 1440 minutes."), fields={"idle_minutes": _("Out of range.")}
        )
    policy = SecurityPolicy.current()
    before = {"two_factor_roles": policy.two_factor_roles, "idle_minutes": policy.idle_minutes}
    policy.two_factor_roles = sorted(set(two_factor_roles))
    policy.idle_minutes = idle_minutes
    policy.updated_at = timezone.now()
    policy.updated_by = actor
    policy.save()
    audit.record(
        "security.policy",
        actor=actor,
        obj=policy,
        before=before,
        after={"two_factor_roles": policy.two_factor_roles, "idle_minutes": idle_minutes},
    )
    from entraide.security import middleware

    middleware.forget_policy()
    return policy


# --- emergency ("break-glass") access ---------------------------------------------------------------------------

BREAK_GLASS_ROLES = {Role.OFFICER, Role.CLERK}
BREAK_GLASS_HOURS = (1, 4, 8, 24)
MIN_JUSTIFICATION = 30


def may_break_glass(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "role", "") in BREAK_GLASS_ROLES)


@transaction.atomic
def break_glass(reference: str, *, actor: User, justification: str, hours: int = 4) -> BreakGlass:
    """Open a matter the actor has no need-to-know for, for ``hours``, with a written justification.

    Clearance still holds: a matter above the actor's clearance is refused like one that does not exist. The
    heads of the Central Authority are notified at once (on screen and by e-mail), the matter's timeline shows
    the access, and the audit trail records it with the justification.
    """
    from datetime import timedelta

    from django.urls import reverse
    from django.utils.translation import gettext_noop

    from entraide.cases.choices import MemberRole
    from entraide.cases.models import Case, CaseMember, Event
    from entraide.cases.queries import visible_cases
    from entraide.notifications.actions import notify

    if not may_break_glass(actor):
        raise Forbidden(_("Your role may not use emergency access."))
    justification = justification.strip()
    if len(justification) < MIN_JUSTIFICATION:
        raise ActionError(
            _("Explain in at least {n} characters why you need this matter now.").format(n=MIN_JUSTIFICATION),
            fields={"justification": _("Too short.")},
        )
    if hours not in BREAK_GLASS_HOURS:
        raise ActionError(_("Choose a duration."), fields={"hours": _("Unknown duration.")})
    case = Case.objects.filter(reference=reference.strip(), confidentiality__lte=actor.clearance).first()
    if case is None:
        raise ActionError(
            _("No matter with that reference within your clearance."), fields={"reference": _("Not found.")}
        )
    if visible_cases(actor).filter(pk=case.pk).exists():
        raise ActionError(_("You already have access to this matter."), fields={"reference": _("Already open.")})
    expires_at = timezone.now() + timedelta(hours=hours)
    reason = f"Emergency access: {justification}"[:255]
    member, _created = CaseMember.objects.update_or_create(
        case=case,
        user=actor,
        defaults={"role": MemberRole.GRANTED, "granted_by": actor, "expires_at": expires_at, "reason": reason},
    )
    access = BreakGlass.objects.create(case=case, user=actor, justification=justification, expires_at=expires_at)
    Event.objects.create(
        case=case,
        actor=actor,
        verb="access_granted",
        params={"user": actor.username, "expires_at": expires_at.isoformat(), "emergency": True},
        reason=reason,
    )
    audit.record(
        "case.break_glass",
        actor=actor,
        obj=member,
        case_id=case.pk,
        after={"justification": justification, "expires_at": expires_at, "hours": hours, "access": access.pk},
    )
    heads = User.objects.filter(role=Role.HEAD, is_active=True)
    notify(
        heads,
        kind="break_glass",
        message=gettext_noop("{user} used emergency access to {reference}: {justification}"),
        params={"user": actor.username, "reference": case.reference, "justification": justification[:300]},
        case=case,
        url=reverse("security:break-glass"),
        level="warning",
        email=True,
    )
    return access


@transaction.atomic
def review_break_glass(access: BreakGlass, *, actor: User, note: str, revoke: bool) -> BreakGlass:
    """The head reviews an emergency access: notes it, and may end it at once."""
    from entraide.cases.models import CaseMember

    if getattr(actor, "role", "") != Role.HEAD:
        raise Forbidden(_("Only the head of the Central Authority reviews emergency accesses."))
    if access.reviewed_at is not None:
        raise ActionError(_("This emergency access was already reviewed."))
    access.reviewed_by = actor
    access.reviewed_at = timezone.now()
    access.review_note = note.strip()
    access.save()
    if revoke:
        member = CaseMember.objects.filter(case=access.case, user=access.user).first()
        if member is not None:
            member.expires_at = timezone.now()
            member.save(update_fields=["expires_at"])
    audit.record(
        "case.break_glass_review",
        actor=actor,
        obj=access,
        case_id=access.case_id,
        after={"note": access.review_note, "revoked": revoke},
    )
    return access
