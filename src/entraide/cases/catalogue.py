"""The catalogue of measures an MLA request can ask for (domain.md §4), each with the details it needs.

Each measure type lists its own fields; a measure's ``details`` JSON holds their values. Forms and the API are
generated from these definitions, so adding a field here adds it everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class MeasureType(models.TextChoices):
    TAKING_EVIDENCE = "taking_evidence", _("Taking evidence or statements")
    SERVICE = "service", _("Service of judicial documents")
    SEARCH_SEIZURE = "search_seizure", _("Search and seizure")
    FREEZING = "freezing", _("Freezing of assets")
    EXAMINATION = "examination", _("Examining objects and sites")
    INFORMATION = "information", _("Information, evidentiary items and expert evaluations")
    RECORDS = "records", _("Originals or certified copies of records")
    BANK_RECORDS = "bank_records", _("Bank and financial records")
    TRACING = "tracing", _("Identifying or tracing proceeds, property and instrumentalities")
    VOLUNTARY_APPEARANCE = "voluntary_appearance", _("Voluntary appearance of persons")
    TEMPORARY_TRANSFER = "temporary_transfer", _("Temporary transfer of a detained person")
    VIDEOCONFERENCE = "videoconference", _("Hearing by video-conference")
    CONFISCATION = "confiscation", _("Confiscation and recovery of assets")
    PRESERVATION = "preservation", _("Expedited preservation of stored computer data")
    TRAFFIC_DISCLOSURE = "traffic_disclosure", _("Expedited disclosure of preserved traffic data")
    STORED_DATA = "stored_data", _("Access to stored computer data")
    REALTIME_TRAFFIC = "realtime_traffic", _("Real-time collection of traffic data")
    INTERCEPTION = "interception", _("Interception of content data")
    DOMAIN_REGISTRATION = "domain_registration", _("Domain name registration information")
    SUBSCRIBER_INFO = "subscriber_info", _("Subscriber information from a service provider")
    EMERGENCY_DISCLOSURE = "emergency_disclosure", _("Emergency disclosure of computer data")


@dataclass(frozen=True)
class Field:
    name: str
    label: str | Promise
    kind: str = "text"  # text, textarea, date, bool, choice
    required: bool = False
    choices: tuple[tuple[str, str | Promise], ...] = ()


@dataclass(frozen=True)
class MeasureDefinition:
    type: MeasureType
    source: str
    fields: tuple[Field, ...] = field(default_factory=tuple)
    coercive: bool = False


_DATA_CATEGORIES = (
    ("subscriber", _("Subscriber information")),
    ("traffic", _("Traffic data")),
    ("content", _("Content data")),
)

_PERIOD = (Field("period_from", _("Period from"), "date"), Field("period_to", _("Period to"), "date"))
_PROVIDER = (
    Field("provider", _("Service provider"), required=True),
    Field("identifiers", _("Accounts or identifiers"), "textarea", required=True),
)

DEFINITIONS: dict[str, MeasureDefinition] = {
    d.type.value: d
    for d in (
        MeasureDefinition(
            MeasureType.TAKING_EVIDENCE,
            "UNTOC 18(3)(a)",
            (
                Field("person", _("Person to be heard"), required=True),
                Field(
                    "capacity",
                    _("In the capacity of"),
                    "choice",
                    choices=(
                        ("witness", _("Witness")),
                        ("suspect", _("Suspect")),
                        ("victim", _("Victim")),
                        ("expert", _("Expert")),
                    ),
                ),
                Field("questions", _("Questions to ask"), "textarea", required=True),
                Field("under_oath", _("Under oath"), "bool"),
                Field("presence_requested", _("Presence of our officials requested"), "bool"),
                Field("procedure", _("Procedure to follow"), "textarea"),
            ),
        ),
        MeasureDefinition(
            MeasureType.SERVICE,
            "UNTOC 18(3)(b)",
            (
                Field("addressee", _("Person to be served"), required=True),
                Field("address", _("Address"), "textarea"),
                Field("documents", _("Documents to serve"), "textarea", required=True),
                Field("proof_required", _("Proof of service required"), "bool"),
            ),
        ),
        MeasureDefinition(
            MeasureType.SEARCH_SEIZURE,
            "UNTOC 18(3)(c)",
            (
                Field("premises", _("Premises to search"), "textarea", required=True),
                Field("items", _("Items to seize"), "textarea", required=True),
                Field("grounds", _("Grounds linking the premises to the offence"), "textarea"),
            ),
            coercive=True,
        ),
        MeasureDefinition(
            MeasureType.FREEZING,
            "UNTOC 13, 18(3)(c); UNCAC 54-55",
            (
                Field("assets", _("Assets to freeze"), "textarea", required=True),
                Field("holder", _("Holder or institution")),
                Field("estimated_value", _("Estimated value")),
                Field("order_reference", _("Domestic freezing order")),
            ),
            coercive=True,
        ),
        MeasureDefinition(
            MeasureType.EXAMINATION,
            "UNTOC 18(3)(d)",
            (
                Field("object_or_site", _("Object or site"), "textarea", required=True),
                Field("purpose", _("What to establish"), "textarea"),
            ),
        ),
        MeasureDefinition(
            MeasureType.INFORMATION,
            "UNTOC 18(3)(e)",
            (
                Field("information", _("Information or items sought"), "textarea", required=True),
                Field("holder", _("Who holds it")),
            ),
        ),
        MeasureDefinition(
            MeasureType.RECORDS,
            "UNTOC 18(3)(f)",
            (
                Field("record_holder", _("Record holder"), required=True),
                Field("records", _("Records sought"), "textarea", required=True),
                *_PERIOD,
                Field("certified", _("Certified copies required"), "bool"),
            ),
        ),
        MeasureDefinition(
            MeasureType.BANK_RECORDS,
            "UNTOC 18(3)(f), 18(8)",
            (
                Field("bank", _("Bank or financial institution"), required=True),
                Field("accounts", _("Accounts (IBAN or number) and holders"), "textarea", required=True),
                *_PERIOD,
                Field("documents", _("Documents sought (statements, opening file, KYC…)"), "textarea"),
            ),
            coercive=True,
        ),
        MeasureDefinition(
            MeasureType.TRACING,
            "UNTOC 18(3)(g); UNCAC 46(3)(g)",
            (
                Field("property", _("Proceeds or property to trace"), "textarea", required=True),
                Field("known_links", _("Known links to the offence"), "textarea"),
            ),
        ),
        MeasureDefinition(
            MeasureType.VOLUNTARY_APPEARANCE,
            "UNTOC 18(3)(h)",
            (
                Field("person", _("Person"), required=True),
                Field("appearance", _("Where and when"), "textarea"),
                Field("expenses", _("Expenses covered"), "bool"),
            ),
        ),
        MeasureDefinition(
            MeasureType.TEMPORARY_TRANSFER,
            "UNTOC 18(10)-(12)",
            (
                Field("person", _("Detained person"), required=True),
                Field("place", _("Place of detention")),
                Field("purpose", _("Purpose of the transfer"), "textarea", required=True),
                Field("consent", _("Person's consent obtained"), "bool"),
            ),
            coercive=True,
        ),
        MeasureDefinition(
            MeasureType.VIDEOCONFERENCE,
            "UNTOC 18(18); CETS 224 art. 11",
            (
                Field("person", _("Person to be heard"), required=True),
                Field("capacity", _("In the capacity of")),
                Field("proposed_date", _("Proposed date"), "date"),
                Field("technical_contact", _("Technical contact")),
            ),
        ),
        MeasureDefinition(
            MeasureType.CONFISCATION,
            "UNTOC 13-14; UNCAC ch. V",
            (
                Field("order", _("Confiscation order"), required=True),
                Field("assets", _("Assets"), "textarea", required=True),
                Field("sharing_proposal", _("Asset sharing or return proposal"), "textarea"),
            ),
            coercive=True,
        ),
        MeasureDefinition(
            MeasureType.PRESERVATION,
            "Budapest art. 29",
            (
                *_PROVIDER,
                Field("data_categories", _("Data categories"), "textarea", required=True),
                *_PERIOD,
                Field("follow_up_request", _("Follow-up request for the data intended"), "bool"),
            ),
        ),
        MeasureDefinition(
            MeasureType.TRAFFIC_DISCLOSURE,
            "Budapest art. 30",
            (*_PROVIDER, *_PERIOD),
        ),
        MeasureDefinition(
            MeasureType.STORED_DATA,
            "Budapest art. 31",
            (
                *_PROVIDER,
                Field("data_category", _("Data category"), "choice", required=True, choices=_DATA_CATEGORIES),
                *_PERIOD,
            ),
            coercive=True,
        ),
        MeasureDefinition(
            MeasureType.REALTIME_TRAFFIC,
            "Budapest art. 33",
            (*_PROVIDER, Field("duration_days", _("Duration (days)"))),
            coercive=True,
        ),
        MeasureDefinition(
            MeasureType.INTERCEPTION,
            "Budapest art. 34",
            (
                *_PROVIDER,
                Field("duration_days", _("Duration (days)")),
                Field("legal_authorisation", _("Domestic authorisation"), "textarea", required=True),
            ),
            coercive=True,
        ),
        MeasureDefinition(
            MeasureType.DOMAIN_REGISTRATION,
            "CETS 224 art. 6",
            (Field("domain", _("Domain name"), required=True), Field("registrar", _("Registrar or registry"))),
        ),
        MeasureDefinition(
            MeasureType.SUBSCRIBER_INFO,
            "CETS 224 art. 7",
            (*_PROVIDER, *_PERIOD),
        ),
        MeasureDefinition(
            MeasureType.EMERGENCY_DISCLOSURE,
            "CETS 224 art. 9",
            (
                *_PROVIDER,
                Field("emergency", _("Nature of the emergency (risk to life or safety)"), "textarea", required=True),
            ),
        ),
    )
}


def definition(measure_type: str) -> MeasureDefinition:
    return DEFINITIONS[measure_type]


def clean_details(measure_type: str, details: object) -> tuple[dict[str, object], dict[str, str]]:
    """Validate a details mapping against the type's fields. Returns (clean values, errors by field)."""
    from datetime import date

    errors: dict[str, str] = {}
    clean: dict[str, object] = {}
    if measure_type not in DEFINITIONS:
        return {}, {"type": str(_("Unknown measure type."))}
    if details is None:
        details = {}
    if not isinstance(details, dict):
        return {}, {"details": str(_("Details must be an object."))}
    known = {f.name: f for f in DEFINITIONS[measure_type].fields}
    for key in details:
        if key not in known:
            errors[key] = str(_("Unknown field for this measure."))
    for name, spec in known.items():
        value = details.get(name)
        if value in (None, ""):
            if spec.required:
                errors[name] = str(_("This field is required."))
            continue
        if spec.kind == "bool":
            if not isinstance(value, bool):
                errors[name] = str(_("Must be true or false."))
                continue
        elif spec.kind == "date":
            try:
                value = date.fromisoformat(str(value)).isoformat()
            except ValueError:
                errors[name] = str(_("Enter a date as YYYY-MM-DD."))
                continue
        elif spec.kind == "choice":
            if value not in {c[0] for c in spec.choices}:
                errors[name] = str(_("Not one of the allowed choices."))
                continue
        else:
            value = str(value).strip()
            if len(value) > 5000:
                errors[name] = str(_("Too long (5000 characters at most)."))
                continue
        clean[name] = value
    if not errors and "period_from" in clean and "period_to" in clean and clean["period_from"] > clean["period_to"]:  # type: ignore[operator]
        errors["period_to"] = str(_("The end of the period is before its start."))
    return clean, errors
