"""Users of a Central Authority and of the national authorities it works with."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.core.choices import Confidentiality


class Role(models.TextChoices):
    HEAD = "head", _("Head of the Central Authority")
    OFFICER = "officer", _("Case officer")
    CLERK = "clerk", _("Registry clerk")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")
    REQUESTING = "requesting", _("Requesting authority (national)")
    EXECUTING = "executing", _("Executing authority (national)")


CA_ROLES = {Role.HEAD, Role.OFFICER, Role.CLERK}


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    authority = models.ForeignKey(
        "directory.Authority",
        verbose_name=_("authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("For users of national requesting or executing authorities: the authority they work for."),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=[("fr", "Français"), ("en", "English"), ("ar", "العربية")],
        help_text=_("Empty: follow the browser's language."),
    )
    clearance = models.PositiveSmallIntegerField(
        _("clearance"), choices=Confidentiality.choices, default=Confidentiality.CONFIDENTIAL
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_head(self) -> bool:
        return self.role == Role.HEAD

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def is_clerk(self) -> bool:
        return self.role == Role.CLERK

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR

    @property
    def is_ca_staff(self) -> bool:
        return self.role in CA_ROLES

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_national_authority(self) -> bool:
        return self.role in {Role.REQUESTING, Role.EXECUTING}
