"""The rule engine: checks a draft request against what a request must contain, the treaty and the requested State.

Each rule has an id, a severity (blocking, warning, advice), a source (treaty article, country profile, good
practice) and an explanation, translated into the reader's language when the findings are evaluated. Rules
written here are the same for every country; what depends on a country or an instrument is data: the requested
State's ``CountryProfile`` (languages, dual criminality, originals, certification, electronic transmission) and
the ``DraftRule`` rows an administrator edits (shipped in ``drafting/data/rules.json``).

``evaluate(draft)`` loads what it needs in a handful of queries, then runs every rule in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from entraide.cases.catalogue import DEFINITIONS
from entraide.cases.choices import Kind, Priority
from entraide.directory.models import CountryProfile, Instrument, InstrumentKind

from .bases import NOT_PARTY, PARTY, PROBABLE, UNKNOWN, both_status, covers, proposed_bases
from .models import Draft, DraftRule, Severity
from .schema import EXTRADITION_KINDS, FIELD_INDEX, MLA_KINDS, MULTILINGUAL

BLOCKING, WARNING, ADVICE = Severity.BLOCKING.value, Severity.WARNING.value, Severity.ADVICE.value
ALL_KINDS = frozenset({Kind.MLA, Kind.PRESERVATION, Kind.EXTRADITION, Kind.PROVISIONAL_ARREST})

# Measures that gather evidence (their result must be admissible at home); service and freezing do not.
EVIDENCE_MEASURES = frozenset(DEFINITIONS) - {"service", "freezing", "confiscation", "preservation"}
PROVIDER_MEASURES = frozenset(
    {
        "preservation",
        "traffic_disclosure",
        "stored_data",
        "subscriber_info",
        "domain_registration",
        "emergency_disclosure",
    }
)
CYBER_MEASURES = PROVIDER_MEASURES | {"realtime_traffic", "interception"}
CYBER_INSTRUMENTS = frozenset({"CETS185", "CETS224"})
PERIOD_MEASURES = frozenset({"bank_records", "records", "subscriber_info", "traffic_disclosure", "stored_data"})
SOUGHT_ROLES = frozenset({"person_sought", "accused", "convicted"})
PRESERVATION_DAYS = 60


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    message: str
    source: str
    section: str = ""
    field: str = ""
    accepted: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "source": self.source,
            "section": self.section,
            "field": self.field,
            "accepted": self.accepted,
        }


@dataclass
class Context:
    """Everything the rules read, loaded once."""

    draft: Draft
    kind: str
    content: dict[str, Any]
    measures: list[Any]
    offences: list[Any]
    subjects: list[Any]
    documents: dict[int, Any]
    profile: CountryProfile | None
    instrument: Instrument | None
    instrument_status: str
    country: str
    priority: int
    today: dt.date
    data_rules: list[DraftRule] = field(default_factory=list)
    _bases: list[Any] | None = None

    def text(self, name: str) -> str:
        value = self.content.get(name)
        if isinstance(value, dict):
            return " ".join(str(v) for v in value.values() if v).strip()
        return str(value or "").strip()

    def date(self, name: str) -> dt.date | None:
        value = self.content.get(name)
        try:
            return dt.date.fromisoformat(value) if value else None
        except ValueError:
            return None

    def link(self, measure_id: int) -> dict[str, Any]:
        return dict((self.content.get("links") or {}).get(str(measure_id)) or {})

    @property
    def annexes(self) -> list[dict[str, Any]]:
        return list(self.content.get("annexes") or [])

    def annex_roles(self, attached_only: bool = True) -> set[str]:
        return {a.get("role", "") for a in self.annexes if not attached_only or a.get("document") in self.documents}

    @property
    def coercive(self) -> list[Any]:
        return [m for m in self.measures if DEFINITIONS.get(m.type) and DEFINITIONS[m.type].coercive]

    @property
    def request_language(self) -> str:
        return str(self.content.get("request_language") or "")

    def article(self, key: str, fallback: str) -> str:
        """The chosen instrument's article for ``key`` when the directory knows it, else ``fallback``."""
        if self.instrument is not None and (self.instrument.articles or {}).get(key):
            return f"{self.instrument.code} {self.instrument.articles[key]}"
        return fallback

    @property
    def bases(self) -> list[Any]:
        if self._bases is None:
            self._bases = proposed_bases(self.country, self.kind)
        return self._bases


Check = Callable[[Context], "str | Iterable[str] | None"]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    section: str
    source: str | Callable[[Context], str]
    check: Check
    kinds: frozenset[str] = ALL_KINDS
    title: str | Promise = ""
    field: str = ""


RULES: list[Rule] = []


def rule(
    id: str,
    severity: str,
    section: str,
    source: str | Callable[[Context], str],
    *,
    kinds: Iterable[str] = ALL_KINDS,
    title: str | Promise = "",
    field: str = "",
) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        RULES.append(Rule(id, severity, section, source, fn, frozenset(kinds), title, field))
        return fn

    return register


def _measure_label(measure: Any) -> str:
    return str(measure.get_type_display())


def _mla_contents(ctx: Context, letter: str) -> str:
    return ctx.article("mla_request_contents", "UNTOC art. 18(15)") + f"({letter})"


# --- what an MLA request must contain (UNTOC 18(15), UNCAC 46(15)) -------------------------------------------


@rule(
    "MLA-01",
    BLOCKING,
    "authority",
    lambda c: _mla_contents(c, "a"),
    title=gettext_lazy("Requesting authority"),
    field="requesting_authority",
)
def _requesting_authority(ctx: Context) -> str | None:
    if ctx.text("requesting_authority") or ctx.draft.case.national_authority_id:
        return None
    return _("Name the authority making the request.")


@rule(
    "MLA-02",
    BLOCKING,
    "authority",
    lambda c: _mla_contents(c, "b"),
    title=gettext_lazy("Proceedings and their authority"),
    field="proceeding_authority",
)
def _proceedings(ctx: Context) -> str | None:
    if ctx.text("proceeding_stage") and ctx.text("proceeding_authority"):
        return None
    return _("Say what the proceedings are (investigation, prosecution, trial) and which authority conducts them.")


@rule(
    "MLA-03",
    WARNING,
    "authority",
    lambda c: _mla_contents(c, "b"),
    kinds=MLA_KINDS,
    title=gettext_lazy("Subject matter"),
    field="subject_matter",
)
def _subject_matter(ctx: Context) -> str | None:
    if ctx.text("subject_matter"):
        return None
    return _("Describe the subject matter and nature of the proceedings.")


@rule(
    "MLA-04",
    BLOCKING,
    "facts",
    lambda c: _mla_contents(c, "c"),
    title=gettext_lazy("Summary of the facts"),
    field="facts",
)
def _facts(ctx: Context) -> str | None:
    if ctx.kind in MLA_KINDS and ctx.measures and all(m.type == "service" for m in ctx.measures):
        return None  # not needed for service of documents (UNTOC 18(15)(c))
    if len(ctx.text("facts")) >= 40:
        return None
    return _("Give a summary of the facts (a few sentences at least): who did what, when and where.")


@rule(
    "MLA-05",
    BLOCKING,
    "measures",
    lambda c: _mla_contents(c, "d"),
    kinds=MLA_KINDS,
    title=gettext_lazy("Assistance sought"),
)
def _measures(ctx: Context) -> str | None:
    return None if ctx.measures else _("Add at least one measure: say what assistance is sought.")


@rule("MLA-06", WARNING, "persons", lambda c: _mla_contents(c, "e"), title=gettext_lazy("Persons concerned"))
def _persons(ctx: Context) -> Iterable[str]:
    for subject in ctx.subjects:
        if subject.kind == "person" and not (subject.nationality_id and (subject.address or subject.birth_date)):
            yield _("Give the nationality and the location or date of birth of {name}, where known.").format(
                name=subject.name
            )


@rule(
    "MLA-07",
    BLOCKING,
    "purpose",
    lambda c: _mla_contents(c, "f"),
    kinds=MLA_KINDS,
    title=gettext_lazy("Purpose"),
    field="purpose",
)
def _purpose(ctx: Context) -> str | None:
    return None if ctx.text("purpose") else _("Say what the evidence, information or action is for.")


# --- offences and the link to the evidence (good practice 7) -------------------------------------------------


@rule(
    "OFF-01",
    BLOCKING,
    "facts",
    "UNTOC art. 18(15)(b); UN Model Treaty on Extradition art. 5(2)(b)",
    title=gettext_lazy("Offence"),
)
def _offence(ctx: Context) -> str | None:
    return None if ctx.offences else _("Record at least one offence the proceedings are about.")


@rule(
    "OFF-02",
    WARNING,
    "facts",
    "UN Model Treaty on Extradition art. 5(2)(b); good practice 7",
    title=gettext_lazy("Legal provision"),
)
def _offence_provision(ctx: Context) -> Iterable[str]:
    for offence in ctx.offences:
        if not offence.legal_provision.strip():
            yield _("Cite the legal provision for the offence “{offence}”.").format(offence=offence.description)


@rule(
    "EVD-01",
    BLOCKING,
    "measures",
    "Good practice 7 (IIJ): relevance of the evidence to the offence",
    kinds=MLA_KINDS,
    title=gettext_lazy("Evidence linked to an offence"),
)
def _evidence_offence(ctx: Context) -> Iterable[str]:
    known = {o.pk for o in ctx.offences}
    for measure in ctx.measures:
        if measure.type == "service":
            continue
        if not set(ctx.link(measure.pk).get("offences") or []) & known:
            yield _("Link the measure “{measure}” to the offence its evidence relates to.").format(
                measure=_measure_label(measure)
            )


@rule(
    "EVD-02",
    WARNING,
    "measures",
    "Good practice 7 (IIJ): relevance of the evidence to the offence",
    kinds=MLA_KINDS,
    title=gettext_lazy("Relevance stated"),
)
def _evidence_relevance(ctx: Context) -> Iterable[str]:
    for measure in ctx.measures:
        if measure.type != "service" and len(str(ctx.link(measure.pk).get("relevance") or "").strip()) < 20:
            yield _("Explain how the evidence sought by “{measure}” is relevant to the offence.").format(
                measure=_measure_label(measure)
            )


@rule(
    "EVD-03",
    WARNING,
    "purpose",
    "Good practice 7 (IIJ): form the evidence must take to be admissible",
    kinds=MLA_KINDS,
    title=gettext_lazy("Admissible form"),
    field="admissibility",
)
def _admissible_form(ctx: Context) -> Iterable[str]:
    if ctx.text("admissibility"):
        return
    for measure in ctx.measures:
        if measure.type in EVIDENCE_MEASURES and not str(ctx.link(measure.pk).get("evidence_form") or "").strip():
            yield _(
                "Say in what form the evidence from “{measure}” must be supplied to be admissible in our courts"
                " (certified copies, sworn statement, certificate of authenticity…)."
            ).format(measure=_measure_label(measure))


@rule(
    "MEA-01",
    WARNING,
    "measures",
    "UNTOC art. 18(15)(d); domain.md §4",
    kinds=MLA_KINDS,
    title=gettext_lazy("Period of the records"),
)
def _period(ctx: Context) -> Iterable[str]:
    for measure in ctx.measures:
        details = measure.details or {}
        if measure.type in PERIOD_MEASURES and not (details.get("period_from") and details.get("period_to")):
            yield _("Give the period the records of “{measure}” must cover.").format(measure=_measure_label(measure))


@rule(
    "BNK-01",
    ADVICE,
    "measures",
    "UNTOC art. 18(8); UNCAC art. 46(8)",
    kinds=MLA_KINDS,
    title=gettext_lazy("Bank secrecy"),
)
def _bank_secrecy(ctx: Context) -> str | None:
    if any(m.type in {"bank_records", "freezing", "tracing"} for m in ctx.measures):
        return _("Bank secrecy is not a ground for refusing assistance between parties: you may say so in the request.")
    return None


# --- languages -----------------------------------------------------------------------------------------------


@rule(
    "LNG-01",
    BLOCKING,
    "languages",
    lambda c: c.article("mla_languages", "UNTOC art. 18(14)") + "; " + _("country profile"),
    title=gettext_lazy("Accepted language"),
    field="request_language",
)
def _language_accepted(ctx: Context) -> str | None:
    lang = ctx.request_language
    if not lang:
        return _("Choose the language the request will be sent in.")
    accepted = list((ctx.profile.languages if ctx.profile else None) or [])
    if accepted and lang not in accepted:
        return _("The requested State accepts requests in {languages} only; this request is in {language}.").format(
            languages=", ".join(accepted), language=lang
        )
    return None


@rule(
    "LNG-02",
    BLOCKING,
    "languages",
    "UNTOC art. 18(14); UN Model Treaty on Extradition art. 5(3)",
    title=gettext_lazy("Translation"),
)
def _translated(ctx: Context) -> Iterable[str]:
    lang = ctx.request_language
    if not lang:
        return
    for name in sorted(MULTILINGUAL):
        value = ctx.content.get(name)
        if isinstance(value, dict) and value and not str(value.get(lang) or "").strip():
            yield _("“{field}” has no text in the language of the request ({language}): translate it.").format(
                field=FIELD_INDEX[name].label, language=lang
            )


# --- the requested State and the legal basis -----------------------------------------------------------------


@rule("CTY-01", WARNING, "basis", "Directory: country requirement profile", title=gettext_lazy("Country profile"))
def _no_profile(ctx: Context) -> str | None:
    if ctx.profile is None:
        return _(
            "The directory has no requirement profile for the requested State: its languages, channels and"
            " requirements are unknown. Ask its central authority, or check UNODC's directory, before sending."
        )
    return None


@rule("BAS-01", BLOCKING, "basis", "Directory: instrument parties", title=gettext_lazy("Legal basis in force"))
def _basis_party(ctx: Context) -> str | None:
    if ctx.instrument is not None and ctx.instrument_status == NOT_PARTY:
        return _(
            "{instrument}: the requested State or this State is not party to it. Choose another legal basis."
        ).format(instrument=ctx.instrument.code)
    return None


@rule(
    "BAS-02",
    WARNING,
    "basis",
    "Directory: instrument parties, confidence and as-of date",
    title=gettext_lazy("Party status to check"),
)
def _basis_uncertain(ctx: Context) -> str | None:
    instrument = ctx.instrument
    if instrument is None or instrument.kind == InstrumentKind.DOMESTIC:
        return None
    if ctx.instrument_status in (PROBABLE, UNKNOWN) or (
        ctx.instrument_status == PARTY and instrument.confidence == "low"
    ):
        as_of = instrument.parties_as_of.isoformat() if instrument.parties_as_of else "?"
        return _(
            "{instrument}: that both States are party is not settled (confidence: {confidence}, as of {date})."
            " Check the depositary's list before sending."
        ).format(instrument=instrument.code, confidence=instrument.get_confidence_display(), date=as_of)
    return None


@rule("BAS-03", BLOCKING, "basis", "Directory: instrument scope", title=gettext_lazy("Scope of the legal basis"))
def _basis_scope(ctx: Context) -> str | None:
    if ctx.instrument is not None and not covers(ctx.instrument, ctx.kind):
        return _("{instrument} does not cover this kind of request.").format(instrument=ctx.instrument.code)
    return None


@rule(
    "BAS-04",
    WARNING,
    "basis",
    "UNTOC art. 18(7); domestic law on reciprocity",
    title=gettext_lazy("Reciprocity"),
    field="reciprocity_undertaking",
)
def _reciprocity(ctx: Context) -> str | None:
    on_reciprocity = ctx.instrument is None or ctx.instrument.kind == InstrumentKind.DOMESTIC
    if on_reciprocity and not ctx.text("reciprocity_undertaking"):
        return _(
            "Without a treaty the request rests on reciprocity: state this State's undertaking to assist in"
            " similar cases."
        )
    return None


@rule(
    "BAS-05", ADVICE, "basis", "Directory: instruments both States are party to", title=gettext_lazy("A treaty applies")
)
def _treaty_available(ctx: Context) -> str | None:
    on_reciprocity = ctx.instrument is None or ctx.instrument.kind == InstrumentKind.DOMESTIC
    if not on_reciprocity:
        return None
    treaties = [
        o.instrument.code for o in ctx.bases if o.status == PARTY and o.instrument.kind != InstrumentKind.DOMESTIC
    ]
    if treaties:
        return _("A treaty binds both States: {instruments}. Consider founding the request on it.").format(
            instruments=", ".join(treaties[:5])
        )
    return None


@rule(
    "CYB-01",
    ADVICE,
    "basis",
    "Budapest Convention arts. 29-34; Second Additional Protocol",
    kinds=MLA_KINDS,
    title=gettext_lazy("Electronic evidence"),
)
def _cyber_basis(ctx: Context) -> str | None:
    if not any(m.type in CYBER_MEASURES for m in ctx.measures):
        return None
    if ctx.instrument is not None and ctx.instrument.code in CYBER_INSTRUMENTS:
        return None
    return _(
        "Electronic evidence is sought: the Budapest Convention gives specific powers (preservation,"
        " disclosure, production) where both States are party."
    )


@rule(
    "DC-01",
    BLOCKING,
    "conditions",
    lambda c: c.article("mla_refusal_grounds", "UNTOC art. 18(9)") + "; " + _("country profile"),
    title=gettext_lazy("Dual criminality"),
    field="dual_criminality",
)
def _dual_criminality(ctx: Context) -> str | None:
    if ctx.text("dual_criminality"):
        return None
    required = ctx.profile.dual_criminality_required if ctx.profile else None
    if ctx.kind in EXTRADITION_KINDS and required is not False:
        return _("Show that the conduct is an offence in the requested State too (dual criminality).")
    if ctx.coercive and required:
        return _(
            "The requested State requires dual criminality for coercive measures ({measures}): show that the"
            " conduct is an offence there too."
        ).format(measures=", ".join(_measure_label(m) for m in ctx.coercive))
    return None


@rule(
    "DC-02",
    WARNING,
    "conditions",
    "UNTOC art. 18(9); country profile unknown",
    kinds=MLA_KINDS,
    title=gettext_lazy("Dual criminality unknown"),
    field="dual_criminality",
)
def _dual_criminality_unknown(ctx: Context) -> str | None:
    if ctx.text("dual_criminality") or not ctx.coercive:
        return None
    if ctx.profile is None or ctx.profile.dual_criminality_required is None:
        return _(
            "Whether the requested State requires dual criminality is unknown: address it for the coercive measures."
        )
    return None


@rule("PRF-01", ADVICE, "annexes", "Country profile: originals required", title=gettext_lazy("Originals"))
def _originals(ctx: Context) -> str | None:
    if ctx.profile and ctx.profile.originals_required:
        return _(
            "The requested State requires the signed original: plan to send it by post or diplomatic bag"
            " after any advance copy."
        )
    return None


@rule(
    "PRF-02",
    WARNING,
    "annexes",
    "Country profile: certification or authentication required",
    title=gettext_lazy("Certification"),
)
def _certification(ctx: Context) -> str | None:
    if ctx.profile and ctx.profile.certification_required and ctx.annexes:
        return _("The requested State requires certified or authenticated documents: have the annexes certified.")
    return None


@rule(
    "PRF-03", ADVICE, "contact", "Country profile: channels and electronic transmission", title=gettext_lazy("Channel")
)
def _channel(ctx: Context) -> str | None:
    if ctx.profile and ctx.profile.electronic_transmission is False:
        return _(
            "The requested State does not accept electronic transmission: send the request on paper through {channels}."
        ).format(channels=", ".join(ctx.profile.channels or []) or "—")
    return None


# --- conditions, contact, urgency, annexes -------------------------------------------------------------------


@rule(
    "URG-01",
    BLOCKING,
    "contact",
    "UNTOC art. 18(24); good practice 4",
    title=gettext_lazy("Urgency justified"),
    field="urgency",
)
def _urgency(ctx: Context) -> str | None:
    urgent = ctx.priority == Priority.URGENT or ctx.kind in {Kind.PROVISIONAL_ARREST, Kind.PRESERVATION}
    if urgent and len(ctx.text("urgency")) < 20:
        return _("The request is urgent: say why (detention, risk of loss of evidence, a hearing date…).")
    return None


@rule(
    "CNF-01",
    WARNING,
    "conditions",
    "UNTOC art. 18(20); good practice 5",
    title=gettext_lazy("Confidentiality"),
    field="confidentiality",
)
def _confidentiality(ctx: Context) -> str | None:
    return (
        None if ctx.text("confidentiality") else _("State what confidentiality the request and its execution require.")
    )


@rule(
    "CNF-02",
    ADVICE,
    "conditions",
    "Good practice 5 (IIJ): preservation requests to providers",
    kinds=MLA_KINDS,
    title=gettext_lazy("Requests to providers"),
)
def _provider_confidentiality(ctx: Context) -> str | None:
    if ctx.text("confidentiality") and any(m.type in PROVIDER_MEASURES for m in ctx.measures):
        return _(
            "A service provider may tell its customer about a request: confidentiality cannot always be"
            " guaranteed for provider requests."
        )
    return None


@rule(
    "CNT-01",
    WARNING,
    "contact",
    "Good practice 3 (IIJ): direct communication",
    title=gettext_lazy("Contact person"),
    field="contact_name",
)
def _contact(ctx: Context) -> str | None:
    if ctx.text("contact_name") and (ctx.text("contact_email") or ctx.text("contact_phone")):
        return None
    return _("Give a contact person with an e-mail address or phone number for questions on the request.")


@rule(
    "ANX-01",
    BLOCKING,
    "annexes",
    "UN Model Treaty on Extradition art. 5(2); good practice 7",
    title=gettext_lazy("Annexes attached"),
)
def _annexes_attached(ctx: Context) -> Iterable[str]:
    for annex in ctx.annexes:
        if annex.get("document") not in ctx.documents:
            yield _("The annex “{title}” is referred to but no document is attached.").format(
                title=annex.get("title", "")
            )


@rule(
    "LIM-01",
    WARNING,
    "facts",
    "UN Model Treaty on Extradition art. 3(e); good practice 7",
    title=gettext_lazy("Limitation period"),
    field="limitation_date",
)
def _limitation_stated(ctx: Context) -> str | None:
    if ctx.date("limitation_date") or ctx.text("limitation_statement"):
        return None
    return _("State when the limitation period for the offences ends.")


@rule(
    "LIM-02",
    BLOCKING,
    "facts",
    "UN Model Treaty on Extradition art. 3(e)",
    title=gettext_lazy("Limitation period passed"),
    field="limitation_date",
)
def _limitation_passed(ctx: Context) -> str | None:
    ends = ctx.date("limitation_date")
    if ends is not None and ends < ctx.today:
        return _("The limitation period ended on {date}: the request would be refused.").format(date=ends.isoformat())
    return None


@rule(
    "LIM-03",
    WARNING,
    "facts",
    "Good practice 7 (IIJ): prioritisation",
    title=gettext_lazy("Limitation period near"),
    field="limitation_date",
)
def _limitation_near(ctx: Context) -> str | None:
    ends = ctx.date("limitation_date")
    if ends is not None and ctx.today <= ends <= ctx.today + dt.timedelta(days=180):
        return _("The limitation period ends on {date}: mark the request urgent and say so.").format(
            date=ends.isoformat()
        )
    return None


# --- extradition (UN Model Treaty on Extradition, A/RES/45/116) ---------------------------------------------


def _person_sought(ctx: Context) -> Any:
    return next((s for s in ctx.subjects if s.role in SOUGHT_ROLES), None)


@rule(
    "EXT-01",
    BLOCKING,
    "persons",
    "UN Model Treaty on Extradition art. 5(2)(a)",
    kinds=EXTRADITION_KINDS,
    title=gettext_lazy("Person sought identified"),
)
def _identified(ctx: Context) -> str | None:
    person = _person_sought(ctx)
    if person is None:
        return _("Record the person sought (role: person sought, accused or convicted).")
    if not (person.birth_date or person.identifiers.all()):
        return _("Identify {name}: date of birth or an identity document.").format(name=person.name)
    return None


@rule(
    "EXT-02",
    WARNING,
    "extradition",
    "UN Model Treaty on Extradition art. 5(2)(a)",
    kinds=EXTRADITION_KINDS,
    title=gettext_lazy("Description of the person"),
    field="person_description",
)
def _description(ctx: Context) -> str | None:
    return (
        None
        if ctx.text("person_description")
        else _("Describe the person sought (appearance, languages, known addresses).")
    )


@rule(
    "EXT-03",
    BLOCKING,
    "extradition",
    lambda c: c.article("request_and_supporting_documents", "UN Model Treaty on Extradition art. 5(2)(b)"),
    kinds=EXTRADITION_KINDS,
    title=gettext_lazy("Law and penalty"),
    field="law_text",
)
def _law(ctx: Context) -> str | None:
    if ctx.text("law_text") and ctx.text("penalty"):
        return None
    return _("Quote the law creating the offence and the penalty it carries.")


@rule(
    "EXT-04",
    BLOCKING,
    "extradition",
    "UN Model Treaty on Extradition art. 5(2)(c)",
    kinds=EXTRADITION_KINDS,
    title=gettext_lazy("Arrest warrant"),
    field="warrant_reference",
)
def _warrant(ctx: Context) -> str | None:
    if ctx.content.get("person_status") != "accused":
        return None
    if ctx.text("warrant_reference") and "warrant" in ctx.annex_roles():
        return None
    return _("For an accused person, give the arrest warrant's reference and attach a copy of the warrant.")


@rule(
    "EXT-05",
    BLOCKING,
    "extradition",
    "UN Model Treaty on Extradition art. 5(2)(d)",
    kinds={Kind.EXTRADITION},
    title=gettext_lazy("Judgment and sentence"),
    field="judgment_reference",
)
def _judgment(ctx: Context) -> str | None:
    if ctx.content.get("person_status") != "convicted":
        return None
    if ctx.text("judgment_reference") and ctx.text("sentence_remaining") and "judgment" in ctx.annex_roles():
        return None
    return _("For a convicted person, give the judgment, attach it, and say how much of the sentence remains.")


@rule(
    "EXT-06",
    BLOCKING,
    "extradition",
    "UN Model Treaty on Extradition art. 5(2)(c)-(d)",
    kinds=EXTRADITION_KINDS,
    title=gettext_lazy("Accused or convicted"),
    field="person_status",
)
def _status(ctx: Context) -> str | None:
    return None if ctx.content.get("person_status") else _("Say whether the person sought is accused or convicted.")


@rule(
    "EXT-07",
    BLOCKING,
    "facts",
    "UN Model Treaty on Extradition art. 5(2)(c)",
    kinds=EXTRADITION_KINDS,
    title=gettext_lazy("Acts, time and place"),
    field="acts_time_place",
)
def _acts(ctx: Context) -> str | None:
    return None if ctx.text("acts_time_place") else _("State the acts of the person sought, with their time and place.")


@rule(
    "EXT-08",
    BLOCKING,
    "conditions",
    lambda c: c.article("capital_punishment", "UN Model Treaty on Extradition art. 4(d)"),
    kinds=EXTRADITION_KINDS,
    title=gettext_lazy("Death penalty assurance"),
    field="death_penalty_assurance",
)
def _death_penalty(ctx: Context) -> str | None:
    if ctx.content.get("death_penalty_possible") and not ctx.text("death_penalty_assurance"):
        return _(
            "The offence carries the death penalty: give the assurance that it will not be imposed or carried out."
        )
    return None


@rule(
    "EXT-09",
    WARNING,
    "conditions",
    lambda c: c.article("speciality", "UN Model Treaty on Extradition art. 14"),
    kinds=EXTRADITION_KINDS,
    title=gettext_lazy("Speciality"),
    field="speciality",
)
def _speciality(ctx: Context) -> str | None:
    if ctx.text("speciality"):
        return None
    return _(
        "Acknowledge the rule of speciality: the person will be tried only for the offences extradition is granted for."
    )


@rule(
    "EXT-10",
    ADVICE,
    "persons",
    "UN Model Treaty on Extradition art. 4(a); UNTOC art. 16(10)",
    kinds=EXTRADITION_KINDS,
    title=gettext_lazy("National of the requested State"),
)
def _national(ctx: Context) -> str | None:
    person = _person_sought(ctx)
    if person is not None and person.nationality_id == ctx.country:
        return _(
            "The person sought is a national of the requested State, which may refuse to extradite its nationals;"
            " it must then submit the case to its own prosecutors (aut dedere aut judicare)."
        )
    return None


@rule(
    "EXT-11",
    WARNING,
    "extradition",
    "UN Model Treaty on Extradition art. 2(1)",
    kinds=EXTRADITION_KINDS,
    title=gettext_lazy("Extraditable offence"),
    field="max_penalty_years",
)
def _threshold(ctx: Context) -> str | None:
    years = ctx.content.get("max_penalty_years")
    if years is None:
        return _("Give the maximum penalty: an offence is extraditable only above a threshold (usually one year).")
    if float(years) < 1:
        return _("The maximum penalty is under one year: the offence may not be extraditable.")
    return None


# --- provisional arrest and preservation ---------------------------------------------------------------------


@rule(
    "PA-01",
    BLOCKING,
    "extradition",
    lambda c: c.article("provisional_arrest", "UN Model Treaty on Extradition art. 9(1)"),
    kinds={Kind.PROVISIONAL_ARREST},
    title=gettext_lazy("Formal request to follow"),
    field="formal_request_undertaking",
)
def _formal_follows(ctx: Context) -> str | None:
    if ctx.content.get("formal_request_undertaking"):
        return None
    return _(
        "A provisional arrest request must say that a formal extradition request will follow within the time limit."
    )


@rule(
    "PA-02",
    BLOCKING,
    "extradition",
    "UN Model Treaty on Extradition art. 9(2)",
    kinds={Kind.PROVISIONAL_ARREST},
    title=gettext_lazy("Warrant or judgment exists"),
    field="warrant_reference",
)
def _pa_warrant(ctx: Context) -> str | None:
    if ctx.text("warrant_reference") or ctx.text("judgment_reference"):
        return None
    return _("State the warrant of arrest or the judgment on which the provisional arrest is sought.")


@rule(
    "PRS-01",
    BLOCKING,
    "measures",
    "Budapest Convention art. 29(1)",
    kinds={Kind.PRESERVATION},
    title=gettext_lazy("Data to preserve"),
)
def _preservation_measure(ctx: Context) -> str | None:
    if any(m.type == "preservation" for m in ctx.measures):
        return None
    return _("Add the preservation measure: the provider, the accounts and the data to preserve.")


def _preserves(ctx: Context) -> bool:
    return ctx.kind == Kind.PRESERVATION or any(m.type == "preservation" for m in ctx.measures)


@rule(
    "PRS-02",
    BLOCKING,
    "preservation",
    "Budapest Convention art. 29(2)(f), 29(7)",
    kinds=MLA_KINDS,
    title=gettext_lazy("Request for the data before preservation expires"),
    field="follow_up_planned_on",
)
def _follow_up(ctx: Context) -> str | None:
    if not _preserves(ctx):
        return None
    planned = ctx.date("follow_up_planned_on")
    if planned is None:
        return _(
            "Say when the request for the preserved data will be sent: preservation lasts at least 60 days,"
            " not forever."
        )
    start = ctx.date("preservation_start") or ctx.today
    expires = start + dt.timedelta(days=PRESERVATION_DAYS)
    if planned > expires:
        return _(
            "The request for the data is planned for {planned}, after the preservation expires on {expires}."
        ).format(planned=planned.isoformat(), expires=expires.isoformat())
    return None


@rule(
    "PRS-03",
    WARNING,
    "preservation",
    "Budapest Convention art. 29(2)(e)",
    kinds=MLA_KINDS,
    title=gettext_lazy("Necessity of preservation"),
    field="necessity",
)
def _necessity(ctx: Context) -> str | None:
    if _preserves(ctx) and not ctx.text("necessity"):
        return _("Explain why the data must be preserved (risk of loss or modification).")
    return None


# --- rules that are data ---------------------------------------------------------------------------------------


def _data_rule_fires(ctx: Context, row: DraftRule) -> bool:
    params = row.params or {}
    when = params.get("when")
    if when and not ctx.content.get(when):
        return False
    if row.condition == "field_required":
        return not ctx.text(str(params.get("field", "")))
    if row.condition == "annex_required":
        return str(params.get("role", "")) not in ctx.annex_roles()
    if row.condition == "measure_needs_field":
        types = set(params.get("measure_types") or [])
        detail = str(params.get("detail", ""))
        return any(m.type in types and not str((m.details or {}).get(detail) or "").strip() for m in ctx.measures)
    if row.condition == "language_required":
        return bool(ctx.request_language) and ctx.request_language not in (params.get("languages") or [])
    if row.condition == "measure_advice":
        return any(m.type in set(params.get("measure_types") or []) for m in ctx.measures)
    return row.condition == "always"


def _data_rules(ctx: Context) -> list[Finding]:
    out = []
    basis = ctx.instrument.code if ctx.instrument else ""
    for row in ctx.data_rules:
        if row.kinds and ctx.kind not in row.kinds:
            continue
        if row.countries and ctx.country not in row.countries:
            continue
        if row.instruments and basis not in row.instruments:
            continue
        if _data_rule_fires(ctx, row):
            field_name = str((row.params or {}).get("field", ""))
            out.append(Finding(row.code, row.severity, row.display_message, row.source, row.section, field_name))
    return out


# --- the engine ------------------------------------------------------------------------------------------------


def context_for(draft: Draft) -> Context:
    case = draft.case
    instrument = case.legal_basis
    country = case.counterpart_country_id
    status = ""
    if instrument is not None:
        status = both_status(instrument, country)
    return Context(
        draft=draft,
        kind=case.kind,
        content=dict(draft.content or {}),
        measures=list(case.measures.all()),
        offences=list(case.offences.all()),
        subjects=list(case.subjects.prefetch_related("identifiers")),
        documents={d.pk: d for d in case.documents.filter(versions__isnull=False).distinct()},
        profile=CountryProfile.objects.filter(country_id=country).first(),
        instrument=instrument,
        instrument_status=status,
        country=country,
        priority=case.priority,
        today=timezone.localdate(),
        data_rules=list(DraftRule.objects.filter(active=True)),
    )


def run(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for r in RULES:
        if ctx.kind not in r.kinds:
            continue
        result = r.check(ctx)
        if result is None:
            continue
        messages = [result] if isinstance(result, str) else list(result)
        source = r.source(ctx) if callable(r.source) else r.source
        findings.extend(Finding(r.id, r.severity, str(m), source, r.section, r.field) for m in messages)
    findings.extend(_data_rules(ctx))
    order = {BLOCKING: 0, WARNING: 1, ADVICE: 2}
    findings.sort(key=lambda f: (order.get(f.severity, 3), f.rule))
    return findings


def evaluate(draft: Draft) -> list[Finding]:
    """Every finding on ``draft``, blocking first; warnings a reviewer accepted are marked ``accepted``."""
    findings = run(context_for(draft))
    accepted = set(draft.overrides.values_list("rule", flat=True)) if draft.pk else set()
    if accepted:
        findings = [
            Finding(f.rule, f.severity, f.message, f.source, f.section, f.field, f.rule in accepted)
            if f.severity == WARNING
            else f
            for f in findings
        ]
    return findings


class _Generic:
    """Stands for a draft without a legal basis, to name a rule's source in the catalogue."""

    def article(self, key: str, fallback: str) -> str:
        return fallback


_GENERIC = _Generic()


def catalogue() -> list[dict[str, Any]]:
    """Every rule, code and data, for the API and the documentation."""
    rows = [
        {
            "rule": r.id,
            "severity": r.severity,
            "title": str(r.title),
            "section": r.section,
            "source": r.source if isinstance(r.source, str) else r.source(_GENERIC),  # type: ignore[arg-type]
            "kinds": sorted(r.kinds),
            "editable": False,
        }
        for r in RULES
    ]
    for row in DraftRule.objects.filter(active=True):
        rows.append(
            {
                "rule": row.code,
                "severity": row.severity,
                "title": row.display_message,
                "section": row.section,
                "source": row.source,
                "kinds": list(row.kinds or []),
                "editable": True,
            }
        )
    return rows
