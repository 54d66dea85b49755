"""What a request must contain, as the composer's steps and their fields (domain.md §5 for MLA, §6 for extradition).

The draft's ``content`` maps each field's name to its value. A *multilingual* field holds the same text in
several languages, ``{"fr": "...", "en": "..."}``; the request document uses the request language's text.
Per-measure details (offences the evidence relates to, relevance, admissible form) live under
``content["links"][<measure id>]``; annexes referred to under ``content["annexes"]``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from entraide.cases.choices import Kind

MLA_KINDS = frozenset({Kind.MLA, Kind.PRESERVATION})
EXTRADITION_KINDS = frozenset({Kind.EXTRADITION, Kind.PROVISIONAL_ARREST})
DRAFT_KINDS = (Kind.MLA, Kind.PRESERVATION, Kind.EXTRADITION, Kind.PROVISIONAL_ARREST)
ALL = frozenset(DRAFT_KINDS)

TEXT_MAX = 20000
LINE_MAX = 300


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str | Promise
    kind: str = "text"  # text (one line), textarea, date, bool, choice, number, email
    multilingual: bool = False
    kinds: frozenset[str] = ALL
    choices: tuple[tuple[str, str | Promise], ...] = ()
    help: str | Promise = ""

    @property
    def max_length(self) -> int:
        return TEXT_MAX if self.kind == "textarea" else LINE_MAX


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    source: str
    fields: tuple[FieldSpec, ...] = ()
    kinds: frozenset[str] = ALL
    help: str | Promise = ""

    def fields_for(self, kind: str) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if kind in f.kinds)


PROCEEDING_STAGES = (
    ("investigation", _("Investigation")),
    ("prosecution", _("Prosecution")),
    ("trial", _("Trial")),
    ("enforcement", _("Enforcement of a judgment")),
)
PERSON_STATUS = (("accused", _("Accused (prosecution pending)")), ("convicted", _("Convicted")))
ANNEX_ROLES = (
    ("warrant", _("Arrest warrant")),
    ("judgment", _("Judgment and sentence")),
    ("law", _("Text of the law")),
    ("order", _("Domestic order (freezing, search…)")),
    ("identification", _("Identification (photograph, fingerprints)")),
    ("translation", _("Translation")),
    ("other", _("Other")),
)

SECTIONS: tuple[Section, ...] = (
    Section(
        "basis",
        _("Legal basis"),
        "UNTOC 18(7); UN Model Treaty on Extradition art. 1",
        (
            FieldSpec(
                "reciprocity_undertaking",
                _("Undertaking of reciprocity"),
                "textarea",
                help=_("Without a treaty: say that this State will assist the requested State in similar cases."),
            ),
        ),
    ),
    Section(
        "authority",
        _("Requesting authority and proceedings"),
        "UNTOC 18(15)(a)-(b)",
        (
            FieldSpec("requesting_authority", _("Authority making the request")),
            FieldSpec("proceeding_stage", _("Nature of the proceedings"), "choice", choices=PROCEEDING_STAGES),
            FieldSpec("proceeding_authority", _("Authority conducting the proceedings")),
            FieldSpec("proceeding_reference", _("Reference of the proceedings")),
            FieldSpec("subject_matter", _("Subject matter of the proceedings"), "textarea", multilingual=True),
        ),
    ),
    Section(
        "facts",
        _("Facts and offences"),
        "UNTOC 18(15)(c); UN Model Treaty on Extradition art. 5(2)(c)",
        (
            FieldSpec("facts", _("Summary of the facts"), "textarea", multilingual=True),
            FieldSpec(
                "acts_time_place",
                _("Acts of the person sought, with their time and place"),
                "textarea",
                multilingual=True,
                kinds=EXTRADITION_KINDS,
            ),
            FieldSpec("limitation_date", _("Limitation period ends on"), "date"),
            FieldSpec("limitation_statement", _("Statement on the limitation period"), "textarea"),
        ),
    ),
    Section("persons", _("Persons concerned"), "UNTOC 18(15)(e); UN Model Treaty on Extradition art. 5(2)(a)"),
    Section("measures", _("Assistance sought"), "UNTOC 18(15)(d); good practice 7", kinds=MLA_KINDS),
    Section(
        "purpose",
        _("Purpose and admissible form of the evidence"),
        "UNTOC 18(15)(d), (f); good practice 7",
        (
            FieldSpec("purpose", _("Purpose of the evidence, information or action"), "textarea", multilingual=True),
            FieldSpec("procedure", _("Procedure to follow"), "textarea"),
            FieldSpec(
                "admissibility",
                _("Form the evidence must take to be admissible in our courts"),
                "textarea",
                help=_("Certified copies, sworn statements, certificates of authenticity, chain of custody…"),
            ),
        ),
        kinds=MLA_KINDS,
    ),
    Section(
        "extradition",
        _("Person sought, law and warrant"),
        "UN Model Treaty on Extradition art. 5(2)",
        (
            FieldSpec("person_status", _("The person sought is"), "choice", choices=PERSON_STATUS),
            FieldSpec("person_description", _("Description of the person sought"), "textarea"),
            FieldSpec("law_text", _("Text of the law creating the offence"), "textarea"),
            FieldSpec("penalty", _("Penalty provided by the law"), "textarea"),
            FieldSpec("max_penalty_years", _("Maximum penalty (years of imprisonment)"), "number"),
            FieldSpec("warrant_reference", _("Arrest warrant: reference and authority")),
            FieldSpec("warrant_date", _("Arrest warrant: date"), "date"),
            FieldSpec("judgment_reference", _("Judgment: reference and court")),
            FieldSpec("sentence_remaining", _("Part of the sentence remaining to be served")),
            FieldSpec(
                "formal_request_undertaking",
                _("The formal extradition request will follow within the time limit"),
                "bool",
                kinds=frozenset({Kind.PROVISIONAL_ARREST}),
            ),
        ),
        kinds=EXTRADITION_KINDS,
    ),
    Section(
        "preservation",
        _("Preservation of computer data"),
        "Budapest Convention art. 29",
        (
            FieldSpec("preservation_start", _("Preservation requested from"), "date"),
            FieldSpec("follow_up_planned_on", _("Request for the data to be sent by"), "date"),
            FieldSpec("necessity", _("Why the data must be preserved"), "textarea"),
        ),
        kinds=frozenset({Kind.PRESERVATION, Kind.MLA}),
    ),
    Section(
        "conditions",
        _("Conditions and assurances"),
        "UNTOC 18(9), 18(19), 18(20); UN Model Treaty on Extradition arts. 4(d), 14",
        (
            FieldSpec(
                "dual_criminality",
                _("Dual criminality: the conduct is also an offence in the requested State"),
                "textarea",
            ),
            FieldSpec("confidentiality", _("Confidentiality required"), "textarea"),
            FieldSpec("speciality", _("Speciality: undertaking"), "textarea", kinds=EXTRADITION_KINDS),
            FieldSpec(
                "death_penalty_possible",
                _("The offence carries the death penalty here"),
                "bool",
                kinds=EXTRADITION_KINDS,
            ),
            FieldSpec(
                "death_penalty_assurance",
                _("Assurance that the death penalty will not be imposed or carried out"),
                "textarea",
                kinds=EXTRADITION_KINDS,
            ),
        ),
    ),
    Section(
        "contact",
        _("Contact person and urgency"),
        "UNTOC 18(24); good practice 3",
        (
            FieldSpec("contact_name", _("Contact person")),
            FieldSpec("contact_role", _("Position")),
            FieldSpec("contact_email", _("E-mail"), "email"),
            FieldSpec("contact_phone", _("Phone")),
            FieldSpec("urgency", _("Why the request is urgent"), "textarea"),
            FieldSpec("deadline_wished", _("Execution wished by"), "date"),
        ),
    ),
    Section(
        "languages",
        _("Languages"),
        "UNTOC 18(14)",
        (
            FieldSpec("request_language", _("Language of the request"), "choice"),
            FieldSpec("source_language", _("Language you write in"), "choice"),
        ),
    ),
    Section("annexes", _("Annexes"), "UN Model Treaty on Extradition art. 5(2)-(3)"),
)

SECTION_INDEX = {s.key: s for s in SECTIONS}
FIELD_INDEX = {f.name: f for s in SECTIONS for f in s.fields}
# A field applies to a kind of request when both the field and its section do.
FIELD_KINDS = {f.name: f.kinds & s.kinds for s in SECTIONS for f in s.fields}
MULTILINGUAL = frozenset(f.name for f in FIELD_INDEX.values() if f.multilingual)


def sections_for(kind: str) -> list[Section]:
    return [s for s in SECTIONS if kind in s.kinds]
