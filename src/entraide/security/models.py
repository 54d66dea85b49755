"""Two-factor sign-in, the security policy the administrator sets, and failed sign-ins (for lockout)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.security import crypto


class SecurityPolicy(models.Model):
    """One row: what the administrator chose. ``current()`` creates it with safe defaults."""

    two_factor_roles = models.JSONField(
        _("roles that must use two-factor sign-in"),
        default=list,
        blank=True,
    )
    idle_minutes = models.PositiveIntegerField(_("sign out after this many idle minutes"), default=30)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")

    def __str__(self) -> str:
        return str(_("security policy"))

    @classmethod
    def current(cls) -> SecurityPolicy:
        from entraide.security import conf

        policy, _created = cls.objects.get_or_create(pk=1, defaults={"idle_minutes": conf.idle_minutes_default()})
        return policy

    def requires_two_factor(self, user: Any) -> bool:
        return getattr(user, "role", None) in set(self.two_factor_roles or [])


class TwoFactorDevice(models.Model):
    """A TOTP authenticator. The shared secret is sealed with the master key, like the documents."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor")
    sealed_secret = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last time step accepted: a code is never accepted twice (replay).
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")

    def __str__(self) -> str:
        return f"TOTP {self.user}"

    @property
    def secret(self) -> str:
        return crypto.decrypt_bytes(bytes(self.sealed_secret)).decode()

    @secret.setter
    def secret(self, value: str) -> None:
        self.sealed_secret = crypto.encrypt_bytes(value.encode())

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A one-time code for a lost authenticator, kept only as a salted SHA-256 (the code has 60 random bits)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=100)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"recovery code of {self.user}"


class LoginFailure(models.Model):
    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username}"


def reseal_secrets(ring: crypto.Keyring, target: crypto.MasterKey) -> int:
    """Re-wrap the sealed TOTP secrets under ``target``; returns how many changed."""
    changed = 0
    for device in TwoFactorDevice.objects.all():
        blob = bytes(device.sealed_secret)
        if crypto.Header.unpack(blob).key_id == target.id:
            continue
        device.sealed_secret = crypto.rewrap_header(blob, ring, target) + blob[crypto.HEADER_SIZE :]
        device.save(update_fields=["sealed_secret"])
        changed += 1
    return changed


class BreakGlass(models.Model):
    """An emergency access a user took to a matter they had no need-to-know for, with its written justification."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    justification = models.TextField(_("justification"))
    at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.case_id} {self.at:%Y-%m-%d %H:%M}"


class RetentionRule(models.Model):
    """How long a closed matter of one kind stays in the register before it is archived, and how long it then stays
    in the archive before it may be purged (``purge_years`` None: kept in the archive, never purged)."""

    kind = models.CharField(_("kind of matter"), max_length=30, unique=True)
    years = models.PositiveSmallIntegerField(_("years after closure"))
    purge_years = models.PositiveSmallIntegerField(_("years in the archive before purge"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True, help_text=_("Law or instruction that sets it."))

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.years}"


class LegalHold(models.Model):
    """A matter that must not be purged (litigation, inquiry, request of a court), until the hold is lifted."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return f"hold on {self.case_id}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class Archive(models.Model):
    """A matter archived at the end of its retention period: read-only, out of the way, still found by those who
    may see it; purged ``RetentionRule.purge_years`` after ``archived_at`` unless a legal hold stops it."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="+")
    archived_at = models.DateTimeField(_("archived at"), default=timezone.now, db_index=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("archived matter")
        verbose_name_plural = _("archived matters")
        ordering = ["-archived_at"]

    def __str__(self) -> str:
        return f"archive of {self.case_id}"
