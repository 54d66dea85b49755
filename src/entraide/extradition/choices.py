"""Choices of extradition: clocks, custody, the judicial-phase register, assurances and speciality."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Clock(models.TextChoices):
    PROVISIONAL_ARREST = "provisional_arrest", _("Formal request after a provisional arrest")
    CONSENT = "consent", _("Simplified surrender with consent")
    APPEAL = "appeal", _("Appeal against the decision")
    SURRENDER = "surrender", _("Surrender after the final decision")
    STATUS_UPDATE = "status_update", _("Status update to the counterpart")


class Unit(models.TextChoices):
    HOURS = "hours", _("hours")
    DAYS = "days", _("days")
    MONTHS = "months", _("months")


class CustodyStatus(models.TextChoices):
    DETAINED = "detained", _("Detained")
    BAIL = "bail", _("On bail or under supervision")
    RELEASED = "released", _("Released")
    SURRENDERED = "surrendered", _("Surrendered")


HELD = (CustodyStatus.DETAINED, CustodyStatus.BAIL)


class StepKind(models.TextChoices):
    FIRST_APPEARANCE = "first_appearance", _("First appearance")
    HEARING = "hearing", _("Hearing")
    DETENTION = "detention", _("Detention ordered")
    BAIL = "bail", _("Bail or supervision granted")
    ELIGIBILITY = "eligibility", _("Decision on eligibility")
    APPEAL = "appeal", _("Appeal filed")
    APPEAL_DECISION = "appeal_decision", _("Decision on appeal")
    CONSENT = "consent", _("Consent to simplified surrender")
    EXECUTIVE_DECISION = "executive_decision", _("Executive decision")
    SURRENDER_AGREED = "surrender_agreed", _("Surrender date agreed")
    SURRENDER_POSTPONED = "surrender_postponed", _("Surrender postponed")
    TEMPORARY_SURRENDER = "temporary_surrender", _("Temporary surrender")
    SURRENDERED = "surrendered", _("Surrender carried out")
    RELEASE = "release", _("Release")


# Steps that are held before a court (they show on the calendar as hearings).
COURT_STEPS = {StepKind.FIRST_APPEARANCE, StepKind.HEARING}
# Steps that may be recorded ahead, for a date to come; every other step records what happened.
FUTURE_STEPS = {
    StepKind.FIRST_APPEARANCE,
    StepKind.HEARING,
    StepKind.SURRENDER_AGREED,
    StepKind.SURRENDER_POSTPONED,
}


class Outcome(models.TextChoices):
    NONE = "", _("—")
    ADJOURNED = "adjourned", _("Adjourned")
    GRANTED = "granted", _("Granted or eligible")
    REFUSED = "refused", _("Refused or not eligible")
    PARTLY = "partly", _("Granted in part")


class AssuranceKind(models.TextChoices):
    DEATH_PENALTY = "death_penalty", _("Death penalty will not be imposed or carried out")
    FAIR_TRIAL = "fair_trial", _("Fair trial, retrial after a judgment in absentia")
    DETENTION = "detention", _("Conditions of detention")
    NO_TORTURE = "no_torture", _("No torture or cruel treatment")
    SPECIALITY = "speciality", _("Speciality")
    OTHER = "other", _("Other")


class Assessment(models.TextChoices):
    PENDING = "pending", _("Not yet assessed")
    ADEQUATE = "adequate", _("Adequate")
    INADEQUATE = "inadequate", _("Inadequate")


class ConsentKind(models.TextChoices):
    SPECIALITY_WAIVER = "speciality_waiver", _("Waiver of speciality by the person")
    SPECIALITY_EXTENSION = "speciality_extension", _("Consent to prosecute other offences (speciality)")
    RE_EXTRADITION = "re_extradition", _("Consent to re-extradition to a third State")
    TRANSIT = "transit", _("Transit of the person through a third State")


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class CompetingDecision(models.TextChoices):
    """Which request prevails when several States ask for the same person (UN Model Treaty art. 16)."""

    PENDING = "pending", _("Pending")
    PREFERRED = "preferred", _("Preferred to this matter's request")
    SET_ASIDE = "set_aside", _("Set aside: this matter's request prevails")


class Ground(models.TextChoices):
    """Grounds for refusing extradition (UN Model Treaty on Extradition, A/RES/45/116, arts. 3 and 4)."""

    POLITICAL = "political", _("Political offence (art. 3(a))")
    PERSECUTION = (
        "persecution",
        _("Persecution on account of race, religion, nationality, ethnic origin, opinions, sex or status (art. 3(b))"),
    )
    MILITARY = "military", _("Military offence that is not an ordinary offence (art. 3(c))")
    FINAL_JUDGMENT = "final_judgment", _("Final judgment for the same offence in the requested State (art. 3(d))")
    LAPSE_AMNESTY = "lapse_amnesty", _("Immunity by lapse of time or amnesty (art. 3(e))")
    TORTURE = "torture", _("Torture or cruel, inhuman or degrading treatment (art. 3(f))")
    IN_ABSENTIA = "in_absentia", _("Judgment in absentia without the guarantees of a retrial (art. 3(g))")
    NATIONAL = "national", _("The person is a national of the requested State (art. 4(a))")
    PENDING = "pending", _("Proceedings pending in the requested State for the same offence (art. 4(b))")
    DEATH_PENALTY = "death_penalty", _("Death penalty without sufficient assurances (art. 4(d))")
    OUTSIDE = "outside", _("Offence committed outside the requesting State's territory (art. 4(e))")
    HUMANITARIAN = "humanitarian", _("Humanitarian considerations: age, health or other circumstances (art. 4(h))")


MANDATORY_GROUNDS = {
    Ground.POLITICAL,
    Ground.PERSECUTION,
    Ground.MILITARY,
    Ground.FINAL_JUDGMENT,
    Ground.LAPSE_AMNESTY,
    Ground.TORTURE,
    Ground.IN_ABSENTIA,
}


class Finding(models.TextChoices):
    TO_CHECK = "to_check", _("To be checked")
    DOES_NOT_APPLY = "no", _("Does not apply")
    APPLIES = "applies", _("Applies")
