"""The register: matters (cases) and what hangs off them.

Nothing here changes state by itself: every change goes through ``cases.actions``, which audits it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from entraide.cases import choices as c
from entraide.cases.catalogue import MeasureType
from entraide.core.choices import Channel, Confidentiality
from entraide.core.i18n import localized

if TYPE_CHECKING:
    from entraide.accounts.models import User


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: User) -> CaseQuerySet:
        from entraide.cases.queries import visible_cases_filter

        return self.filter(visible_cases_filter(user))


class Case(models.Model):
    """One matter of the register, incoming or outgoing, of any kind."""

    reference = models.CharField(_("our reference"), max_length=60, unique=True)
    direction = models.CharField(_("direction"), max_length=10, choices=c.Direction.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=c.Kind.choices)
    status = models.CharField(_("status"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary of the facts"), blank=True)
    counterpart_country = models.ForeignKey(
        "directory.Country", verbose_name=_("counterpart country"), on_delete=models.PROTECT, related_name="+"
    )
    counterpart_authority = models.ForeignKey(
        "directory.Authority",
        verbose_name=_("counterpart authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    counterpart_reference = models.CharField(_("their reference"), max_length=120, blank=True)
    legal_basis = models.ForeignKey(
        "directory.Instrument",
        verbose_name=_("legal basis"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        help_text=_("Leave empty for reciprocity."),
    )
    legal_basis_note = models.CharField(_("legal basis note"), max_length=255, blank=True)
    national_authority = models.ForeignKey(
        "directory.Authority",
        verbose_name=_("national requesting or executing authority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_on = models.DateField(_("received on"), null=True, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=c.Priority.choices, default=c.Priority.NORMAL)
    priority_reason = models.CharField(_("reason for the priority"), max_length=255, blank=True)
    confidentiality = models.PositiveSmallIntegerField(
        _("confidentiality"), choices=Confidentiality.choices, default=Confidentiality.RESTRICTED
    )
    flag_terrorism = models.BooleanField(c.Flag.TERRORISM.label, default=False)
    flag_cybercrime = models.BooleanField(c.Flag.CYBERCRIME.label, default=False)
    flag_corruption = models.BooleanField(c.Flag.CORRUPTION.label, default=False)
    flag_organised_crime = models.BooleanField(c.Flag.ORGANISED_CRIME.label, default=False)
    flag_drugs = models.BooleanField(c.Flag.DRUGS.label, default=False)
    flag_trafficking = models.BooleanField(c.Flag.TRAFFICKING.label, default=False)
    flag_asset_recovery = models.BooleanField(c.Flag.ASSET_RECOVERY.label, default=False)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    is_open = models.BooleanField(_("open"), default=True)
    # Earliest due date of the running deadlines, kept by the deadline actions so lists can sort and filter on it.
    next_due_at = models.DateTimeField(_("next deadline"), null=True, blank=True)
    waiting_on_others = models.BooleanField(_("waiting on others"), default=False)
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["direction", "kind", "status"]),
            models.Index(fields=["counterpart_country", "-created_at"]),
            models.Index(fields=["officer", "is_open", "next_due_at"]),
            models.Index(fields=["is_open", "next_due_at"]),
            models.Index(fields=["priority", "-created_at"]),
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["counterpart_reference"]),
            # "My work" and "To assign": open matters by officer, in the order each section lists them, and
            # covering its counts (``is_open`` is listed so that SQLite sees the index as covering). Partial,
            # because SQLite cannot use ``is_open`` as a column of an index when Django tests it as a bare boolean
            # (``WHERE "is_open"``), but can use an index on that condition.
            models.Index(
                fields=["officer", "next_due_at", "waiting_on_others", "confidentiality", "is_open"],
                condition=models.Q(is_open=True),
                name="case_open_officer_due",
            ),
            models.Index(
                fields=["officer", "priority", "next_due_at"],
                condition=models.Q(is_open=True),
                name="case_open_officer_priority",
            ),
            models.Index(
                fields=["priority", "created_at"],
                condition=models.Q(is_open=True, officer__isnull=True),
                name="case_open_unassigned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"

    @property
    def flags(self) -> list[str]:
        return [f.value for f in c.Flag if getattr(self, f"flag_{f.value}")]

    @property
    def flag_labels(self) -> list[str]:
        return [str(f.label) for f in c.Flag if getattr(self, f"flag_{f.value}")]

    @property
    def lifecycle(self):  # type: ignore[no-untyped-def]
        from entraide.cases.lifecycles import lifecycle_for

        return lifecycle_for(self.kind, self.direction)

    @property
    def status_label(self) -> str:
        return str(self.lifecycle.label(self.status))

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.next_due_at and self.next_due_at < timezone.now())

    @property
    def is_due_soon(self) -> bool:
        if not self.is_open or not self.next_due_at:
            return False
        now = timezone.now()
        return now <= self.next_due_at <= now + timedelta(days=7)


# What describes a matter, as registered and edited (the flags aside); the form, the API and the actions use it.
CASE_EDITABLE_FIELDS = (
    "title",
    "summary",
    "counterpart_country",
    "counterpart_authority",
    "counterpart_reference",
    "legal_basis",
    "legal_basis_note",
    "national_authority",
    "received_on",
    "sent_on",
    "priority",
    "priority_reason",
    "confidentiality",
)
CASE_REGISTRATION_FIELDS = ("direction", "kind", *CASE_EDITABLE_FIELDS)


class CaseMember(models.Model):
    """Who besides the lead officer may see a case, and until when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_memberships")
    role = models.CharField(_("role"), max_length=20, choices=c.MemberRole.choices)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="unique_case_member")]
        indexes = [models.Index(fields=["user", "case"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.case_id}"


class ReferenceCounter(models.Model):
    """The last number used for one reference prefix (e.g. MLA/OUT/2026)."""

    prefix = models.CharField(max_length=80, unique=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last_value}"

    @classmethod
    def reserve(cls, prefix: str, render: Callable[[int], str], taken: Callable[[str], bool]) -> str:
        """Reserve the next reference under ``prefix``: ``render(n)`` writes it, ``taken(reference)`` says whether
        a record already has it (a reference typed by hand, or imported); the counter row is locked meanwhile."""
        with transaction.atomic():
            counter, _created = cls.objects.select_for_update().get_or_create(prefix=prefix)
            seq = counter.last_value + 1
            while taken(render(seq)):
                seq += 1
            counter.last_value = seq
            counter.save(update_fields=["last_value"])
        return render(seq)


class Offence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="offences")
    iccs_section = models.CharField(_("ICCS section"), max_length=2, choices=c.ICCSSection.choices)
    iccs_code = models.CharField(_("ICCS code"), max_length=12, blank=True)
    description = models.CharField(_("description"), max_length=500)
    legal_provision = models.CharField(_("legal provision"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("offence")
        verbose_name_plural = _("offences")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class Subject(models.Model):
    """A person or organisation concerned by a matter."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subjects")
    kind = models.CharField(_("kind"), max_length=20, choices=c.SubjectKind.choices)
    role = models.CharField(_("role"), max_length=30, choices=c.SubjectRole.choices)
    name = models.CharField(_("full name"), max_length=300)
    # Lower-case, accent-free form of the name, used by the register's search.
    search_name = models.CharField(max_length=300, db_index=True, editable=False)
    given_names = models.CharField(_("given names"), max_length=200, blank=True)
    family_name = models.CharField(_("family name"), max_length=200, blank=True)
    original_script_name = models.CharField(_("name in original script"), max_length=300, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_place = models.CharField(_("place of birth"), max_length=200, blank=True)
    nationality = models.ForeignKey(
        "directory.Country",
        verbose_name=_("nationality or country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    gender = models.CharField(
        _("sex"),
        max_length=1,
        blank=True,
        choices=[("F", _("Female")), ("M", _("Male")), ("X", _("Other or unknown"))],
    )
    address = models.TextField(_("address or location"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["id"]
        # The search reads the matters of thousands of subjects found by name: from this small index rather than
        # from the subjects' wide rows (cases.filters.search_cases names it).
        indexes = [models.Index(fields=["id", "case"], name="subject_id_case")]

    def __str__(self) -> str:
        return self.name


# What describes a subject and may change after it is recorded (its kind may not).
SUBJECT_EDITABLE_FIELDS = (
    "role",
    "name",
    "given_names",
    "family_name",
    "original_script_name",
    "birth_date",
    "birth_place",
    "nationality",
    "gender",
    "address",
    "notes",
)
SUBJECT_FIELDS = ("kind", *SUBJECT_EDITABLE_FIELDS)


class Identifier(models.Model):
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="identifiers")
    type = models.CharField(_("type"), max_length=20, choices=c.IdentifierType.choices)
    value = models.CharField(_("value"), max_length=200)
    normalized = models.CharField(max_length=200, db_index=True, editable=False)
    country = models.ForeignKey(
        "directory.Country",
        verbose_name=_("issuing country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.value}"


class Measure(models.Model):
    """One measure requested in a matter, with its own details and status."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measures")
    type = models.CharField(_("measure"), max_length=40, choices=MeasureType.choices)
    status = models.CharField(
        _("status"), max_length=30, choices=c.MeasureStatus.choices, default=c.MeasureStatus.REQUESTED
    )
    description = models.TextField(_("description"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    status_note = models.CharField(_("note on the status"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.get_type_display())

    @property
    def is_done(self) -> bool:
        return self.status in c.MEASURE_DONE

    def detail_items(self) -> list[tuple[str, object]]:
        from entraide.cases.catalogue import DEFINITIONS

        spec = DEFINITIONS.get(self.type)
        if spec is None:
            return []
        return [(str(f.label), self.details[f.name]) for f in spec.fields if f.name in self.details]


def _document_path(instance: DocumentVersion, filename: str) -> str:
    return f"cases/{instance.document.case_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=c.DocumentKind.choices)
    title = models.CharField(_("title"), max_length=255)
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> DocumentVersion | None:
        return self.versions.order_by("-number").first()


class DocumentVersion(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(upload_to=_document_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_document_version")]

    def __str__(self) -> str:
        return f"{self.original_name} v{self.number}"


class Communication(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="communications")
    at = models.DateTimeField(_("date"))
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=c.CommDirection.choices)
    counterpart = models.CharField(_("with whom"), max_length=255, blank=True)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("communication")
        verbose_name_plural = _("communications")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.channel}"


class CaseLink(models.Model):
    source = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("link"), max_length=30, choices=c.LinkKind.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="unique_case_link"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="case_link_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


class DeadlineRule(models.Model):
    """How a deadline is computed, and where the rule comes from (treaty article, law, service level)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200, blank=True)
    kinds = models.JSONField(_("kinds of matter"), default=list, blank=True, help_text=_("Empty: every kind."))
    direction = models.CharField(_("direction"), max_length=10, choices=c.Direction.choices, blank=True)
    trigger = models.CharField(
        _("starts when"),
        max_length=60,
        help_text=_("'registered', or 'status:<state>' to start when the matter enters that state."),
    )
    anchor = models.CharField(
        _("counted from"),
        max_length=20,
        default="event",
        choices=[
            ("event", _("the triggering event")),
            ("received_on", _("the date received")),
            ("sent_on", _("the date sent")),
        ],
    )
    days = models.PositiveIntegerField(_("days"))
    day_count = models.CharField(_("day count"), max_length=10, choices=c.DayCount.choices, default=c.DayCount.CALENDAR)
    repeat = models.BooleanField(_("repeats when met"), default=False)
    stop_statuses = models.JSONField(
        _("met when the matter enters"),
        default=list,
        blank=True,
        help_text=_("States that meet the deadline automatically."),
    )
    source = models.CharField(_("source"), max_length=300)
    instrument = models.ForeignKey(
        "directory.Instrument",
        verbose_name=_("instrument"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadline_rules",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["code"]

    def __str__(self) -> str:
        return localized(self)

    @property
    def display_name(self) -> str:
        return localized(self)

    def applies_to(self, case: Case) -> bool:
        if self.kinds and case.kind not in self.kinds:
            return False
        if self.direction and self.direction != case.direction:
            return False
        # A treaty's clock runs only on matters based on that treaty.
        return self.instrument_id is None or self.instrument_id == case.legal_basis_id


class Deadline(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    rule = models.ForeignKey(DeadlineRule, on_delete=models.PROTECT, related_name="deadlines")
    starts_at = models.DateTimeField(_("starts"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=c.DeadlineStatus.choices, default=c.DeadlineStatus.RUNNING
    )
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    extended_days = models.PositiveIntegerField(_("extended by (days)"), default=0)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.rule} ({self.due_at:%Y-%m-%d})"

    @property
    def is_overdue(self) -> bool:
        return self.status == c.DeadlineStatus.RUNNING and self.due_at < timezone.now()

    @property
    def days_left(self) -> int:
        return (self.due_at - timezone.now()).days

    @property
    def days_overdue(self) -> int:
        return max(0, (timezone.now() - self.due_at).days)

    @property
    def is_due_soon(self) -> bool:
        now = timezone.now()
        return self.status == c.DeadlineStatus.RUNNING and now <= self.due_at <= now + timedelta(days=7)


class Event(models.Model):
    """An entry of a case's timeline. ``verb`` and ``params`` are rendered in the reader's language."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    verb = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.verb}"
