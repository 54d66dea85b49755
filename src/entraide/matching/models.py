"""The index of subjects (one entry per subject of a matter or of an informal contact), its search keys, and the
candidate matches found between entries, with their explanation and the decision taken on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    CASE = "case", _("Matter")
    INFORMAL = "informal", _("Informal contact")


class Entry(models.Model):
    """One subject, normalised. Rebuilt whenever the subject or its identifiers change."""

    source = models.CharField(max_length=10, choices=Source.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject = models.OneToOneField(
        "cases.Subject", null=True, blank=True, on_delete=models.CASCADE, related_name="match_entry"
    )
    contact = models.ForeignKey(
        "informal.InformalContact", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    informal_subject = models.OneToOneField(
        "informal.InformalSubject", null=True, blank=True, on_delete=models.CASCADE, related_name="match_entry"
    )
    kind = models.CharField(max_length=20)
    display_name = models.CharField(max_length=300)
    # What the engine needs to rebuild the record without reading the subject again.
    data = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["case"]), models.Index(fields=["contact"])]

    def __str__(self) -> str:
        return self.display_name


class Key(models.Model):
    """A search key of an entry (a name part's skeleton, an identifier): candidates share at least one."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=120)

    class Meta:
        indexes = [models.Index(fields=["key", "entry"])]

    def __str__(self) -> str:
        return self.key


class MatchStatus(models.TextChoices):
    OPEN = "open", _("To review")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class Match(models.Model):
    """A candidate match between two entries (``left.pk < right.pk``)."""

    left = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("score"))
    explanation = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("possible match")
        verbose_name_plural = _("possible matches")
        constraints = [models.UniqueConstraint(fields=["left", "right"], name="unique_match_pair")]
        indexes = [models.Index(fields=["right"])]

    def __str__(self) -> str:
        return f"{self.left_id}~{self.right_id} ({self.score:.2f})"
