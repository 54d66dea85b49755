"""Choices shared across apps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Confidentiality(models.IntegerChoices):
    RESTRICTED = 1, _("Restricted")
    CONFIDENTIAL = 2, _("Confidential")
    SECRET = 3, _("Secret")


class Language(models.TextChoices):
    """ISO 639-1 languages most used between Central Authorities."""

    AR = "ar", _("Arabic")
    EN = "en", _("English")
    FR = "fr", _("French")
    ES = "es", _("Spanish")
    PT = "pt", _("Portuguese")
    RU = "ru", _("Russian")
    ZH = "zh", _("Chinese")
    DE = "de", _("German")
    IT = "it", _("Italian")
    NL = "nl", _("Dutch")
    TR = "tr", _("Turkish")
    FA = "fa", _("Persian")
    UR = "ur", _("Urdu")
    HI = "hi", _("Hindi")
    ID = "id", _("Indonesian")
    MS = "ms", _("Malay")
    TH = "th", _("Thai")
    VI = "vi", _("Vietnamese")
    SW = "sw", _("Swahili")
    AM = "am", _("Amharic")
    HA = "ha", _("Hausa")
    JA = "ja", _("Japanese")
    KO = "ko", _("Korean")
    UK = "uk", _("Ukrainian")
    PL = "pl", _("Polish")
    RO = "ro", _("Romanian")
    EL = "el", _("Greek")
    HE = "he", _("Hebrew")
    BN = "bn", _("Bengali")
    TL = "tl", _("Tagalog")


class Channel(models.TextChoices):
    SECURE_EXCHANGE = "secure_exchange", _("Secure electronic exchange")
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post or courier")
    DIPLOMATIC = "diplomatic", _("Diplomatic channel")
    FAX = "fax", _("Fax")
    PHONE = "phone", _("Telephone")
    INTERPOL = "interpol", _("INTERPOL")
    NETWORK_24_7 = "24_7", _("24/7 network")
    LIAISON = "liaison", _("Liaison magistrate or officer")
    MEETING = "meeting", _("Meeting")
    VIDEOCONFERENCE = "videoconference", _("Video-conference")
