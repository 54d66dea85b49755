"""Choices of the informal cooperation register."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InformalChannel(models.TextChoices):
    POLICE = "police", _("Police-to-police")
    INTERPOL = "interpol", _("INTERPOL")
    FIU = "fiu", _("FIU-to-FIU")
    LIAISON = "liaison", _("Liaison officer or magistrate")
    CYBER_24_7 = "cyber_24_7", _("24/7 cybercrime network")
    CUSTOMS = "customs", _("Customs")
    OTHER = "other", _("Other")


class ContactDirection(models.TextChoices):
    OUTGOING = "outgoing", _("We asked")
    INCOMING = "incoming", _("We were asked")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    INFORMATION_RECEIVED = "received", _("Information received")
    INFORMATION_GIVEN = "given", _("Information given")
    FORMAL_REQUEST_NEEDED = "formal_needed", _("Formal request needed")
    DECLINED = "declined", _("Declined")
    NO_RESULT = "no_result", _("No result")
