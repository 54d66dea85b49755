"""Extradition: the clocks of the judicial phase, the persons in custody and the registers of the judicial phase.

The clocks themselves are ``cases.Deadline`` rows (so they show wherever a matter's deadlines show, sort the
register by ``next_due_at`` and are paused, resumed and extended by the audited deadline actions). What
``DeadlineRule`` cannot say — a period in hours or months, the country whose law sets it, which clock it is —
lives in ``ClockRule``, which keeps a ``DeadlineRule`` twin for the deadlines it starts.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.cases import choices as cc
from entraide.core.i18n import localized
from entraide.extradition import choices as c


class ClosureDay(models.Model):
    """A day the offices or the courts are closed besides the public holidays the ``holidays`` library knows."""

    day = models.DateField(_("day"))
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO code; empty: this country (ENTRAIDE_COUNTRY).")
    )
    label = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["day", "country"], name="unique_closure_day")]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.label}"


class ClockRule(models.Model):
    """How long one clock of extradition runs under one instrument or one country's law, with its source."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    clock = models.CharField(_("clock"), max_length=30, choices=c.Clock.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=cc.Direction.choices, blank=True)
    instrument_code = models.CharField(
        _("instrument"), max_length=40, blank=True, help_text=_("Code of the legal instrument; empty: national law.")
    )
    country_code = models.CharField(
        _("country whose law sets it"),
        max_length=2,
        blank=True,
        help_text=_("Empty: any. Incoming matters use this country's law, outgoing ones the requested State's."),
    )
    amount = models.PositiveIntegerField(_("period"))
    unit = models.CharField(_("unit"), max_length=10, choices=c.Unit.choices, default=c.Unit.DAYS)
    day_count = models.CharField(
        _("day count"), max_length=10, choices=cc.DayCount.choices, default=cc.DayCount.CALENDAR
    )
    repeat = models.BooleanField(_("repeats when met"), default=False)
    source = models.CharField(_("source"), max_length=400)
    active = models.BooleanField(_("active"), default=True)
    deadline_rule = models.OneToOneField(
        "cases.DeadlineRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="clock_rule"
    )

    class Meta:
        verbose_name = _("extradition clock rule")
        verbose_name_plural = _("extradition clock rules")
        ordering = ["clock", "code"]

    def __str__(self) -> str:
        return localized(self)

    @property
    def display_name(self) -> str:
        return localized(self)

    @property
    def period_label(self) -> str:
        unit = c.Unit(self.unit).label
        working = f" ({cc.DayCount(self.day_count).label})" if self.unit != c.Unit.HOURS else ""
        return f"{self.amount} {unit}{working}"


class Custody(models.Model):
    """A person arrested in extradition proceedings, here (incoming) or abroad on our request (outgoing)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="custodies")
    subject = models.ForeignKey(
        "cases.Subject", null=True, blank=True, on_delete=models.SET_NULL, related_name="custodies"
    )
    person_name = models.CharField(_("person"), max_length=300)
    arrested_at = models.DateTimeField(_("arrested at"))
    place = models.CharField(_("place of arrest or detention"), max_length=300, blank=True)
    abroad = models.BooleanField(_("held abroad"), default=False)
    status = models.CharField(
        _("custody"), max_length=20, choices=c.CustodyStatus.choices, default=c.CustodyStatus.DETAINED
    )
    status_since = models.DateTimeField(_("since"), default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("custody")
        verbose_name_plural = _("custodies")
        ordering = ["-arrested_at", "-id"]
        indexes = [models.Index(fields=["status", "arrested_at"])]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.get_status_display()})"

    @property
    def is_held(self) -> bool:
        return self.status in c.HELD


class JudicialStep(models.Model):
    """One entry of the judicial phase: a hearing, a decision, an appeal, a surrender, a release…"""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="judicial_steps")
    kind = models.CharField(_("step"), max_length=30, choices=c.StepKind.choices)
    at = models.DateTimeField(_("date and time"))
    court = models.CharField(_("court or authority"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=c.Outcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    abroad = models.BooleanField(_("reported from abroad"), default=False)
    deadline = models.ForeignKey(
        "cases.Deadline",
        verbose_name=_("clock started"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    warning = models.CharField(_("warning"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("judicial step")
        verbose_name_plural = _("judicial steps")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class Assurance(models.Model):
    """An assurance asked of the requesting State (death penalty, fair trial, detention…), received and assessed."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="assurances")
    kind = models.CharField(_("assurance"), max_length=20, choices=c.AssuranceKind.choices)
    details = models.TextField(_("details"), blank=True)
    asked_on = models.DateField(_("asked on"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    assessment = models.CharField(
        _("assessment"), max_length=12, choices=c.Assessment.choices, default=c.Assessment.PENDING
    )
    assessment_note = models.TextField(_("assessment note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("assurance")
        verbose_name_plural = _("assurances")
        ordering = ["asked_on", "id"]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class SpecialityConsent(models.Model):
    """A waiver of speciality, a consent to prosecute further offences, or a consent to re-extradition."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="speciality_consents")
    kind = models.CharField(_("kind"), max_length=30, choices=c.ConsentKind.choices)
    offences = models.TextField(_("offences or third State concerned"))
    requested_on = models.DateField(_("requested on"))
    decision = models.CharField(_("decision"), max_length=10, choices=c.Decision.choices, default=c.Decision.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("speciality consent")
        verbose_name_plural = _("speciality consents")
        ordering = ["requested_on", "id"]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class ClockAlert(models.Model):
    """A threshold alert already sent for a clock, so that each threshold is announced once."""

    deadline = models.ForeignKey("cases.Deadline", on_delete=models.CASCADE, related_name="+")
    threshold = models.PositiveIntegerField()
    due_at = models.DateTimeField()  # an extended or resumed clock announces its thresholds again
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deadline", "threshold", "due_at"], name="unique_clock_alert"),
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id} ≤{self.threshold}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarTokenQuerySet(models.QuerySet["CalendarToken"]):
    def find(self, token: str) -> CalendarToken | None:
        return self.filter(token_hash=_hash(token), revoked_at__isnull=True).select_related("user").first()


class CalendarToken(models.Model):
    """The secret in a user's iCalendar feed address. Only its hash is stored; revoking it stops the feed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"

    @staticmethod
    def new_secret() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash(token)


class DigestSent(models.Model):
    """The daily digest went to this user on this day (it goes once a day, whatever the worker's schedule)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    clocks = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="unique_digest_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class GroundAssessment(models.Model):
    """The review of a formal request against one ground for refusal: does it apply, and why."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="ground_assessments")
    ground = models.CharField(_("ground for refusal"), max_length=30, choices=c.Ground.choices)
    finding = models.CharField(_("finding"), max_length=10, choices=c.Finding.choices, default=c.Finding.TO_CHECK)
    note = models.TextField(_("reasons"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ground for refusal assessed")
        verbose_name_plural = _("grounds for refusal assessed")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "ground"], name="unique_ground_per_case")]

    def __str__(self) -> str:
        return f"{self.ground}: {self.finding}"

    @property
    def mandatory(self) -> bool:
        return self.ground in c.MANDATORY_GROUNDS


class Logistics(models.Model):
    """Practical arrangements of a surrender (escort, travel, agreed place and date) and the arrival."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="surrender_logistics")
    place = models.CharField(_("place of surrender"), max_length=300, blank=True)
    escort = models.TextField(_("escort"), blank=True)
    travel = models.TextField(_("travel (flights, route)"), blank=True)
    transit = models.TextField(_("transit through third States"), blank=True)
    property_handed_over = models.TextField(_("property handed over with the person"), blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("surrender logistics")
        verbose_name_plural = _("surrender logistics")

    def __str__(self) -> str:
        return f"{self.case_id} {self.place}"


class CompetingRequest(models.Model):
    """Another State's request for the same person (UN Model Treaty art. 16): the decision must weigh them."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="competing_requests")
    country = models.ForeignKey("directory.Country", verbose_name=_("requesting State"), on_delete=models.PROTECT)
    received_on = models.DateField(_("received on"))
    offences = models.TextField(_("offences"))
    note = models.TextField(_("note"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=12, choices=c.CompetingDecision.choices, default=c.CompetingDecision.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("competing request")
        verbose_name_plural = _("competing requests")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.country_id} {self.received_on}"
