"""The directory: countries, authorities and contacts, legal instruments, country requirement profiles."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from entraide.core.i18n import localized


class Country(models.Model):
    """An ISO 3166-1 country, named in each interface language."""

    code = models.CharField(_("ISO alpha-2 code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO alpha-3 code"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO numeric code"), max_length=3, blank=True)
    name = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]

    def __str__(self) -> str:
        return localized(self)

    @property
    def display_name(self) -> str:
        return localized(self)


class AuthorityKind(models.TextChoices):
    CENTRAL_AUTHORITY = "central_authority", _("Central authority")
    MINISTRY = "ministry", _("Ministry")
    PROSECUTION = "prosecution", _("Prosecution service")
    COURT = "court", _("Court")
    POLICE = "police", _("Police")
    FIU = "fiu", _("Financial intelligence unit")
    CUSTOMS = "customs", _("Customs")
    OTHER = "other", _("Other")


class Authority(models.Model):
    """A national or foreign authority: central authority, ministry, prosecution, court, police, FIU…"""

    name = models.CharField(_("name"), max_length=255)
    name_fr = models.CharField(_("name (French)"), max_length=255, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AuthorityKind.choices)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="authorities"
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    website = models.URLField(_("website"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes"))
    channels = models.JSONField(_("channels"), default=list, blank=True)
    regional_networks = models.CharField(
        _("regional networks"),
        max_length=255,
        blank=True,
        help_text=_("Contact point for regional platforms"),
    )
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["country__name", "name"]
        indexes = [models.Index(fields=["country", "kind"])]

    def __str__(self) -> str:
        return localized(self)

    @property
    def display_name(self) -> str:
        return localized(self)


class Contact(models.Model):
    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InstrumentKind(models.TextChoices):
    MULTILATERAL = "multilateral", _("Multilateral treaty")
    BILATERAL = "bilateral", _("Bilateral treaty")
    DOMESTIC = "domestic", _("Domestic law")


class InstrumentScope(models.TextChoices):
    MLA = "mla", _("Mutual legal assistance")
    EXTRADITION = "extradition", _("Extradition")
    BOTH = "both", _("Both")


class Confidence(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Instrument(models.Model):
    """A legal basis for cooperation: a multilateral or bilateral treaty, or domestic law (reciprocity)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=400)
    title_fr = models.CharField(_("title (French)"), max_length=400, blank=True)
    title_ar = models.CharField(_("title (Arabic)"), max_length=400, blank=True)
    # Spanish and Portuguese are document languages, not interface languages: these titles name the legal basis in
    # a request or letter written in Spanish or Portuguese; empty where the published title is not known.
    title_es = models.CharField(_("title (Spanish)"), max_length=400, blank=True)
    title_pt = models.CharField(_("title (Portuguese)"), max_length=400, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=InstrumentKind.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=InstrumentScope.choices)
    binding = models.BooleanField(_("binding"), default=True)
    adopted = models.DateField(_("adopted"), null=True, blank=True)
    in_force = models.DateField(_("in force since"), null=True, blank=True)
    depositary = models.CharField(_("depositary"), max_length=255, blank=True)
    articles = models.JSONField(_("articles"), default=dict, blank=True)
    parties = models.ManyToManyField(Country, verbose_name=_("parties"), blank=True, related_name="instruments")
    parties_known = models.BooleanField(
        _("party list checked"), default=False, help_text=_("False when only the membership rule is known.")
    )
    parties_rule = models.TextField(_("who the parties are"), blank=True)
    parties_as_of = models.DateField(_("parties as of"), null=True, blank=True)
    parties_source = models.URLField(_("source of the party list"), max_length=500, blank=True)
    non_parties = models.JSONField(_("non-parties"), default=list, blank=True)
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.LOW)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    details = models.JSONField(
        _("further details"),
        default=dict,
        blank=True,
        help_text=_(
            "Facts from the source that have no field of their own: parties whose status is uncertain,"
            " notes on the as-of date and on the non-party list, the party count given by the source."
        ),
    )

    class Meta:
        verbose_name = _("legal instrument")
        verbose_name_plural = _("legal instruments")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.display_title}"

    @property
    def display_title(self) -> str:
        return localized(self, "title")


class CountryProfile(models.Model):
    """What a country requires of the requests it receives."""

    country = models.OneToOneField(Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="profile")
    languages = models.JSONField(_("accepted languages"), default=list, blank=True)
    channels = models.JSONField(_("accepted channels"), default=list, blank=True)
    electronic_transmission = models.BooleanField(_("electronic transmission accepted"), null=True, blank=True)
    # Nullable: for many countries the requirement is simply not known yet, and that must show.
    originals_required = models.BooleanField(_("originals required"), null=True, blank=True, default=False)
    certification_required = models.BooleanField(
        _("certification or authentication required"), null=True, blank=True, default=False
    )
    dual_criminality_required = models.BooleanField(
        _("dual criminality required for coercive measures"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.CharField(_("source"), max_length=400, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("country requirement profile")
        verbose_name_plural = _("country requirement profiles")
        ordering = ["country__name"]

    def __str__(self) -> str:
        return str(self.country)
