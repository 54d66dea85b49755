"""Informal cooperation: contacts through police, FIU, INTERPOL and other channels, outside formal requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.cases import choices as cc
from entraide.core.choices import Confidentiality
from entraide.informal import choices as c


class InformalContact(models.Model):
    channel = models.CharField(_("channel"), max_length=20, choices=c.InformalChannel.choices)
    counterpart_country = models.ForeignKey(
        "directory.Country", verbose_name=_("counterpart country"), on_delete=models.PROTECT, related_name="+"
    )
    counterpart_unit = models.CharField(_("counterpart unit"), max_length=300, blank=True)
    occurred_on = models.DateField(_("date"))
    direction = models.CharField(_("direction"), max_length=10, choices=c.ContactDirection.choices)
    summary = models.TextField(_("summary"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=c.Outcome.choices, default=c.Outcome.PENDING)
    outcome_note = models.TextField(_("note on the outcome"), blank=True)
    confidentiality = models.PositiveSmallIntegerField(
        _("confidentiality"), choices=Confidentiality.choices, default=Confidentiality.RESTRICTED
    )
    cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("formal matters"), blank=True, related_name="informal_contacts"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="informal_contacts",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("informal contact")
        verbose_name_plural = _("informal contacts")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"INF-{self.pk}"


# What describes an informal contact and may change after it is recorded.
CONTACT_FIELDS = (
    "channel",
    "counterpart_country",
    "counterpart_unit",
    "occurred_on",
    "direction",
    "summary",
    "outcome",
    "outcome_note",
    "confidentiality",
)


class InformalGrant(models.Model):
    """Who besides the creator and the officer may see an informal contact, and until when."""

    contact = models.ForeignKey(InformalContact, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "user"], name="unique_informal_grant")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.contact_id}"


class InformalSubject(models.Model):
    """A person or organisation an informal contact was about."""

    contact = models.ForeignKey(InformalContact, on_delete=models.CASCADE, related_name="subjects")
    kind = models.CharField(_("kind"), max_length=20, choices=cc.SubjectKind.choices)
    name = models.CharField(_("full name"), max_length=300)
    original_script_name = models.CharField(_("name in original script"), max_length=300, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.ForeignKey(
        "directory.Country",
        verbose_name=_("nationality or country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # [{"type": IdentifierType, "value": str}]
    identifiers = models.JSONField(_("identifiers"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subject of an informal contact")
        verbose_name_plural = _("subjects of informal contacts")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


INFORMAL_SUBJECT_FIELDS = ("kind", "name", "original_script_name", "birth_date", "nationality", "identifiers")


class Purpose(models.TextChoices):
    INTELLIGENCE = "intelligence", _("Intelligence (to guide the investigation)")
    EVIDENCE = "evidence", _("Evidence to be used in court")


class Verdict(models.TextChoices):
    FORMAL = "formal", _("A formal request for mutual legal assistance is needed")
    INFORMAL = "informal", _("An informal channel will do")
    INFORMAL_THEN_FORMAL = "informal_then_formal", _("Informal channel first, then a formal request")


class ChannelRule(models.Model):
    """One rule of the channel advisor: when it applies, what it advises, why, what to watch, and its source.

    Editable data (Django admin): the texts are given per language (``{"en": …, "fr": …, "ar": …}``)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    # Conditions: an empty list or None means "any".
    measures = models.JSONField(_("kinds of measure"), default=list, blank=True)
    coercive = models.BooleanField(_("coercive measures only"), null=True, blank=True)
    purposes = models.JSONField(_("purposes"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    verdict = models.CharField(_("advice"), max_length=30, choices=Verdict.choices)
    channels = models.JSONField(_("informal channels"), default=list, blank=True)
    reason = models.JSONField(_("why"), default=dict)
    watch = models.JSONField(_("what to watch"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=400)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("channel advisor rule")
        verbose_name_plural = _("channel advisor rules")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code
