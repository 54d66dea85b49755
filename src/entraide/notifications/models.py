"""Notifications to users: shown on screen, and sent by e-mail when asked.

A notification keeps its message as an English msgid with its parameters, and is rendered in the reader's
language when shown or mailed: a head who reads Arabic and an officer who reads French get the same notice each
in their own language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    DANGER = "danger", _("Urgent")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=60)  # machine key, e.g. "deadline.threshold", "match.found"
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.INFO)
    message = models.CharField(max_length=500)  # an English msgid, marked with gettext_noop where it is written
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind}"

    @property
    def text(self) -> str:
        """The message in the active language, with its parameters."""
        params: dict[str, Any] = self.params or {}
        try:
            return gettext(self.message).format(**params)
        except (KeyError, IndexError, ValueError):
            return gettext(self.message)
