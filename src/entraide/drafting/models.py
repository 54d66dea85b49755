"""Outgoing requests: the structured draft behind an outgoing matter, its review, and the data rules.

A ``Draft`` belongs to one outgoing matter (``Case``) in the outgoing lifecycle. Its ``content`` holds what the
request says, section by section (``drafting.schema``); subjects, offences and measures stay on the matter and
are changed through ``cases.actions``. Nothing here changes state by itself: every change goes through
``drafting.actions``, which audits it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.core.i18n import localized


class ReviewState(models.TextChoices):
    DRAFTING = "drafting", _("Being drafted")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REVIEWED = "reviewed", _("Approved by the reviewer, awaiting the head")
    APPROVED = "approved", _("Approved")


class Severity(models.TextChoices):
    BLOCKING = "blocking", _("Blocking")
    WARNING = "warning", _("Warning")
    ADVICE = "advice", _("Advice")


class Draft(models.Model):
    """The structured content of one outgoing request, and where its four-eyes review stands."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="draft")
    content = models.JSONField(_("content"), default=dict, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    review_state = models.CharField(
        _("review"), max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFTING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_hash = models.CharField(max_length=64, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_hash = models.CharField(_("approved version (SHA-256)"), max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("draft request")
        verbose_name_plural = _("draft requests")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id}"


class ReviewComment(models.Model):
    """A reviewer's comment on one section of a draft."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(_("section"), max_length=30)
    text = models.TextField(_("comment"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.section}: {self.text[:40]}"


class Override(models.Model):
    """A reviewer's recorded decision to accept a warning, with the justification."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="overrides")
    rule = models.CharField(_("rule"), max_length=60)
    justification = models.TextField(_("justification"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("accepted warning")
        verbose_name_plural = _("accepted warnings")
        constraints = [models.UniqueConstraint(fields=["draft", "rule"], name="unique_draft_override")]

    def __str__(self) -> str:
        return self.rule


class Check(models.TextChoices):
    """What a data rule checks; the check itself is code (``drafting.rules``), its scope and wording are data."""

    FIELD_REQUIRED = "field_required", _("A field of the draft must be filled in")
    ANNEX_REQUIRED = "annex_required", _("An annex of a given kind must be attached")
    MEASURE_NEEDS_FIELD = "measure_needs_field", _("A kind of measure needs a detail or field")
    LANGUAGE_REQUIRED = "language_required", _("The request must be in one of the given languages")
    MEASURE_ADVICE = "measure_advice", _("Advice when a kind of measure is requested")
    ALWAYS = "always", _("Advice shown whenever the rule applies")


class DraftRule(models.Model):
    """A check that depends on the requested country or the legal basis, editable by an administrator.

    The rule applies when the draft's kind, requested country and legal basis match its filters (an empty
    filter matches everything); then ``condition`` with ``params`` decides whether it fires.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    condition = models.CharField(_("check"), max_length=30, choices=Check.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    kinds = models.JSONField(_("kinds of matter"), default=list, blank=True, help_text=_("Empty: every kind."))
    countries = models.JSONField(
        _("requested countries"), default=list, blank=True, help_text=_("ISO codes; empty: every country.")
    )
    instruments = models.JSONField(
        _("legal bases"), default=list, blank=True, help_text=_("Instrument codes; empty: any legal basis.")
    )
    message = models.TextField(_("explanation (English)"))
    message_fr = models.TextField(_("explanation (French)"), blank=True)
    message_ar = models.TextField(_("explanation (Arabic)"), blank=True)
    section = models.CharField(_("section of the draft"), max_length=30, blank=True)
    source = models.CharField(_("source"), max_length=300)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("drafting rule")
        verbose_name_plural = _("drafting rules")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def display_message(self) -> str:
        return localized(self, "message")


class AdvanceCopy(models.Model):
    """The draft sent to the foreign Central Authority for comments before formal transmission (good practice 3).

    Each sending and each answer is also a communication on the matter; the comments received stay here, beside
    the version of the draft they are about."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="advance_copies")
    sent = models.ForeignKey("cases.Communication", on_delete=models.PROTECT, related_name="+")
    content_hash = models.CharField(_("version sent (SHA-256)"), max_length=64)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comments = models.TextField(_("their comments"), blank=True)
    answer = models.ForeignKey("cases.Communication", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("comments received on"), null=True, blank=True)

    class Meta:
        verbose_name = _("advance copy")
        verbose_name_plural = _("advance copies")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.draft_id}: {self.content_hash[:12]}"


class CountryGuide(models.Model):
    """How to ask one country for assistance, in one language, for prosecutors and investigators (good practice 2).

    Edited by the Central Authority; each edit is kept as a ``GuideVersion``."""

    country = models.ForeignKey(
        "directory.Country", verbose_name=_("country"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("guide"))
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("country guide")
        verbose_name_plural = _("country guides")
        ordering = ["country__name", "language"]
        constraints = [models.UniqueConstraint(fields=["country", "language"], name="unique_country_guide_language")]

    def __str__(self) -> str:
        return f"{self.country_id} ({self.language}) v{self.version}"


class GuideVersion(models.Model):
    guide = models.ForeignKey(CountryGuide, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("guide"))
    note = models.CharField(_("what changed"), max_length=255, blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["guide", "-number"]
        constraints = [models.UniqueConstraint(fields=["guide", "number"], name="unique_guide_version")]

    def __str__(self) -> str:
        return f"{self.guide_id} v{self.number}"
