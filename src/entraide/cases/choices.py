"""Choices of the register."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    INCOMING = "incoming", _("Incoming")
    OUTGOING = "outgoing", _("Outgoing")


DIRECTION_CODES = {Direction.INCOMING: "IN", Direction.OUTGOING: "OUT"}


class Kind(models.TextChoices):
    MLA = "mla", _("Mutual legal assistance")
    EXTRADITION = "extradition", _("Extradition")
    PROVISIONAL_ARREST = "provisional_arrest", _("Provisional arrest")
    PRESERVATION = "preservation", _("Expedited preservation of computer data")
    EMERGENCY = "emergency", _("Emergency request")
    TRANSFER_PROCEEDINGS = "transfer_proceedings", _("Transfer of criminal proceedings")
    ASSET_RECOVERY = "asset_recovery", _("Freezing, seizure, confiscation and asset sharing")
    SERVICE = "service", _("Service of documents")
    VIDEOCONFERENCE = "videoconference", _("Hearing by video-conference")
    JIT = "jit", _("Joint investigation team")
    SUPPLEMENTARY = "supplementary", _("Supplementary request")


KIND_CODES = {
    Kind.MLA: "MLA",
    Kind.EXTRADITION: "EXT",
    Kind.PROVISIONAL_ARREST: "PA",
    Kind.PRESERVATION: "PRES",
    Kind.EMERGENCY: "EMR",
    Kind.TRANSFER_PROCEEDINGS: "TCP",
    Kind.ASSET_RECOVERY: "AR",
    Kind.SERVICE: "SRV",
    Kind.VIDEOCONFERENCE: "VC",
    Kind.JIT: "JIT",
    Kind.SUPPLEMENTARY: "SUP",
}

EXTRADITION_KINDS = {Kind.EXTRADITION, Kind.PROVISIONAL_ARREST}


class Priority(models.IntegerChoices):
    URGENT = 1, _("Urgent")
    HIGH = 2, _("High")
    NORMAL = 3, _("Normal")
    LOW = 4, _("Low")


class Flag(models.TextChoices):
    TERRORISM = "terrorism", _("Terrorism and foreign terrorist fighters")
    CYBERCRIME = "cybercrime", _("Cybercrime and e-evidence")
    CORRUPTION = "corruption", _("Corruption")
    ORGANISED_CRIME = "organised_crime", _("Organised crime")
    DRUGS = "drugs", _("Drugs")
    TRAFFICKING = "trafficking", _("Trafficking in persons and smuggling of migrants")
    ASSET_RECOVERY = "asset_recovery", _("Asset recovery")


class ICCSSection(models.TextChoices):
    """UNODC International Classification of Crime for Statistical Purposes (2015), level 1."""

    S01 = "01", _("01 Acts leading to death or intending to cause death")
    S02 = "02", _("02 Acts leading to harm or intending to cause harm to the person")
    S03 = "03", _("03 Injurious acts of a sexual nature")
    S04 = "04", _("04 Acts against property involving violence or threat against a person")
    S05 = "05", _("05 Acts against property only")
    S06 = "06", _("06 Acts involving controlled drugs or other psychoactive substances")
    S07 = "07", _("07 Acts involving fraud, deception or corruption")
    S08 = "08", _("08 Acts against public order, authority and provisions of the State")
    S09 = "09", _("09 Acts against public safety and state security")
    S10 = "10", _("10 Acts against the natural environment")
    S11 = "11", _("11 Other criminal acts not elsewhere classified")


class SubjectKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class SubjectRole(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    ACCUSED = "accused", _("Accused")
    CONVICTED = "convicted", _("Convicted person")
    PERSON_SOUGHT = "person_sought", _("Person sought")
    WITNESS = "witness", _("Witness")
    VICTIM = "victim", _("Victim")
    EXPERT = "expert", _("Expert")
    ACCOUNT_HOLDER = "account_holder", _("Account holder")
    COMPANY = "company", _("Company involved")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    OTHER = "other", _("Other")


class IdentifierType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National ID")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    IBAN = "iban", _("IBAN")
    CRYPTO_WALLET = "crypto_wallet", _("Crypto wallet")
    IP = "ip", _("IP address")
    REGISTRATION = "registration", _("Company registration number")


class MeasureStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    IN_PROGRESS = "in_progress", _("In progress")
    EXECUTED = "executed", _("Executed")
    PARTIALLY_EXECUTED = "partially_executed", _("Partially executed")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


MEASURE_DONE = {
    MeasureStatus.EXECUTED,
    MeasureStatus.PARTIALLY_EXECUTED,
    MeasureStatus.REFUSED,
    MeasureStatus.WITHDRAWN,
}


class DocumentKind(models.TextChoices):
    REQUEST = "request", _("Request")
    ANNEX = "annex", _("Annex")
    TRANSLATION = "translation", _("Translation")
    EVIDENCE = "evidence", _("Evidence")
    CORRESPONDENCE = "correspondence", _("Correspondence")


class CommDirection(models.TextChoices):
    RECEIVED = "received", _("Received")
    SENT = "sent", _("Sent")
    INTERNAL = "internal", _("Internal note")


class LinkKind(models.TextChoices):
    SUPPLEMENTARY = "supplementary", _("Supplementary request to")
    PARALLEL_EXTRADITION = "parallel_extradition", _("Parallel extradition of")
    EARLIER_REQUEST = "earlier_request", _("Follows the earlier request")
    RELATED = "related", _("Related to")


class DeadlineStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")
    CANCELLED = "cancelled", _("Cancelled")


class DayCount(models.TextChoices):
    CALENDAR = "calendar", _("Calendar days")
    WORKING = "working", _("Working days")


class MemberRole(models.TextChoices):
    OFFICER = "officer", _("Assigned officer")
    GRANTED = "granted", _("Access granted")
