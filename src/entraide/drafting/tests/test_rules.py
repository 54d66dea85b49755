"""Every rule, both ways: quiet on a complete draft (or after the quiet change), fires after one change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from entraide.cases.choices import Priority
from entraide.directory.models import CountryProfile, Instrument
from entraide.drafting.models import DraftRule
from entraide.drafting.rules import RULES, Context, context_for, run

from .helpers import complete_extradition, complete_mla, complete_preservation

Mutation = Callable[[Context], None]


def _noop(ctx: Context) -> None:
    return None


def _set(**values: Any) -> Mutation:
    def apply(ctx: Context) -> None:
        ctx.content.update(values)

    return apply


def _drop(*names: str) -> Mutation:
    def apply(ctx: Context) -> None:
        for name in names:
            ctx.content.pop(name, None)

    return apply


def _profile(**values: Any) -> Mutation:
    def apply(ctx: Context) -> None:
        assert ctx.profile is not None
        for key, value in values.items():
            setattr(ctx.profile, key, value)

    return apply


def _no_profile(ctx: Context) -> None:
    ctx.profile = None


def _measure(type_: str, **details: Any) -> Mutation:
    def apply(ctx: Context) -> None:
        ctx.measures.append(SimpleNamespace(pk=9999, type=type_, details=details, get_type_display=lambda: type_))

    return apply


def _only_service(ctx: Context) -> None:
    ctx.measures[:] = [SimpleNamespace(pk=9998, type="service", details={}, get_type_display=lambda: "service")]


def _unlink(ctx: Context) -> None:
    ctx.content["links"] = {}


def _weak_relevance(ctx: Context) -> None:
    ctx.content["links"] = {k: {**v, "relevance": "yes"} for k, v in ctx.content["links"].items()}


def _instrument(code: str, status: str = "") -> Mutation:
    def apply(ctx: Context) -> None:
        ctx.instrument = Instrument.objects.get(code=code)
        if status:
            ctx.instrument_status = status

    return apply


def _reciprocity(ctx: Context) -> None:
    ctx.instrument = None


def _days(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


def _subject(**values: Any) -> Mutation:
    def apply(ctx: Context) -> None:
        for key, value in values.items():
            setattr(ctx.subjects[0], key, value)

    return apply


def _sought_without_id(ctx: Context) -> None:
    person = ctx.subjects[0]
    person.birth_date = None
    person.identifiers.all().delete()


def _no_subjects(ctx: Context) -> None:
    ctx.subjects[:] = []


def _detach_annexes(ctx: Context) -> None:
    ctx.documents = {}


def _annex(role: str, attached: bool = False) -> Mutation:
    def apply(ctx: Context) -> None:
        doc = next(iter(ctx.documents), None)
        ctx.content["annexes"] = [
            *ctx.annexes,
            {"id": "x", "title": role, "role": role, "document": doc if attached else None},
        ]

    return apply


def _urgent(ctx: Context) -> None:
    ctx.priority = Priority.URGENT


def _no_measures(ctx: Context) -> None:
    ctx.measures[:] = []


def _no_offences(ctx: Context) -> None:
    ctx.offences[:] = []


def _no_provision(ctx: Context) -> None:
    ctx.offences[0].legal_provision = ""


def _no_preservation_measure(ctx: Context) -> None:
    ctx.measures[:] = [m for m in ctx.measures if m.type != "preservation"]


def _no_period(ctx: Context) -> None:
    for m in ctx.measures:
        if m.type == "bank_records":
            m.details = {k: v for k, v in m.details.items() if not k.startswith("period")}


def _national(ctx: Context) -> None:
    ctx.subjects[0].nationality_id = ctx.country


def _no_bank(ctx: Context) -> None:
    ctx.measures[:] = [m for m in ctx.measures if m.type != "bank_records"]


# rule id: (draft, quiet change, firing change)
CASES: dict[str, tuple[str, Mutation, Mutation]] = {
    "MLA-01": ("mla", _noop, _drop("requesting_authority")),
    "MLA-02": ("mla", _noop, _drop("proceeding_authority")),
    "MLA-03": ("mla", _noop, _drop("subject_matter")),
    "MLA-04": ("mla", _only_service, _set(facts={"fr": "Trop court."})),
    "MLA-05": ("mla", _noop, _no_measures),
    "MLA-06": ("mla", _noop, _subject(nationality_id=None)),
    "MLA-07": ("mla", _noop, _set(purpose={})),
    "OFF-01": ("mla", _noop, _no_offences),
    "OFF-02": ("mla", _noop, _no_provision),
    "EVD-01": ("mla", _noop, _unlink),
    "EVD-02": ("mla", _noop, _weak_relevance),
    "EVD-03": ("mla", _noop, _drop("admissibility")),
    "MEA-01": ("mla", _noop, _no_period),
    "BNK-01": ("mla", _no_bank, _noop),
    "LNG-01": ("mla", _noop, _set(request_language="en")),
    "LNG-02": ("mla", _noop, _set(facts={"en": "The suspect diverted investors' funds between January and December."})),
    "CTY-01": ("mla", _noop, _no_profile),
    "BAS-01": ("mla", _noop, _instrument("UNTOC", "not_party")),
    "BAS-02": ("mla", _noop, _instrument("UNTOC", "probable")),
    "BAS-03": ("mla", _noop, _instrument("MA-FR-EXT", "party")),
    "BAS-04": ("mla", _set(reciprocity_undertaking="x"), _reciprocity),
    "BAS-05": ("mla", _noop, _reciprocity),
    "CYB-01": ("mla", _instrument("MA-FR-MLA"), _measure("subscriber_info", provider="P", identifiers="x")),
    "DC-01": ("mla", _noop, _drop("dual_criminality")),
    "DC-02": (
        "mla",
        _noop,
        lambda ctx: (_drop("dual_criminality")(ctx), _profile(dual_criminality_required=None)(ctx)),
    ),
    "PRF-01": ("mla", _noop, _profile(originals_required=True)),
    "PRF-02": ("ext", _noop, _profile(certification_required=True)),
    "PRF-03": ("mla", _noop, _profile(electronic_transmission=False)),
    "URG-01": ("mla", _noop, _urgent),
    "CNF-01": ("mla", _noop, _drop("confidentiality")),
    "CNF-02": ("mla", _noop, _measure("subscriber_info", provider="P", identifiers="x")),
    "CNT-01": ("mla", _noop, _drop("contact_email")),
    "ANX-01": ("ext", _noop, _detach_annexes),
    "LIM-01": ("mla", _noop, _drop("limitation_date")),
    "LIM-02": ("mla", _noop, _set(limitation_date=_days(-1))),
    "LIM-03": ("mla", _noop, _set(limitation_date=_days(30))),
    "EXT-01": ("ext", _noop, _sought_without_id),
    "EXT-02": ("ext", _noop, _drop("person_description")),
    "EXT-03": ("ext", _noop, _drop("penalty")),
    "EXT-04": ("ext", _noop, _drop("warrant_reference")),
    "EXT-05": ("ext", _noop, _set(person_status="convicted", sentence_remaining="2 years")),
    "EXT-06": ("ext", _noop, _drop("person_status")),
    "EXT-07": ("ext", _noop, _drop("acts_time_place")),
    "EXT-08": ("ext", _set(death_penalty_possible=False), _set(death_penalty_possible=True)),
    "EXT-09": ("ext", _noop, _drop("speciality")),
    "EXT-10": ("ext", _noop, _national),
    "EXT-11": ("ext", _noop, _set(max_penalty_years=0.5)),
    "PA-01": ("pa", _noop, _set(formal_request_undertaking=False)),
    "PA-02": ("pa", _noop, _drop("warrant_reference")),
    "PRS-01": ("pres", _noop, _no_preservation_measure),
    "PRS-02": ("pres", _noop, _set(follow_up_planned_on=_days(90))),
    "PRS-03": ("pres", _noop, _drop("necessity")),
}

BUILDERS = {
    "mla": complete_mla,
    "ext": complete_extradition,
    "pa": lambda actor: complete_extradition(actor, "provisional_arrest"),
    "pres": complete_preservation,
}


def test_there_are_at_least_30_rules_and_each_is_tested(db):
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 30
    assert set(ids) == set(CASES), sorted(set(ids) ^ set(CASES))


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_both_ways(rule_id, officer):
    builder, quiet, fire = CASES[rule_id]
    draft = BUILDERS[builder](officer)
    ctx = context_for(draft)
    quiet(ctx)
    assert rule_id not in {f.rule for f in run(ctx)}
    ctx = context_for(draft)
    fire(ctx)
    fired = [f for f in run(ctx) if f.rule == rule_id]
    assert fired, f"{rule_id} did not fire"
    assert all(f.message and f.source for f in fired)


# --- the data rules ------------------------------------------------------------------------------------------


def test_shipped_data_rules_are_loaded(db):
    assert DraftRule.objects.filter(code="ETS024-12-LAW", severity="blocking").exists()
    assert DraftRule.objects.count() >= 8


@pytest.mark.parametrize(
    ("code", "builder", "setup", "fire"),
    [
        ("ETS024-12-LAW", "ext", _instrument("ETS024"), _noop),
        ("ETS024-11-DEATH", "ext", _instrument("ETS024"), _set(death_penalty_possible=True)),
        ("ETS030-14-SUBJECT", "mla", _instrument("ETS030"), _drop("subject_matter")),
        ("CETS185-29-FOLLOWUP", "pres", _instrument("CETS185"), _drop("follow_up_planned_on")),
        ("RIYADH-ID", "ext", _instrument("RIYADH1983"), _noop),
        ("SADC-EXT-LAW", "ext", _instrument("SADC_EXT2002"), _noop),
    ],
)
def test_data_rule_both_ways(code, builder, setup, fire, officer):
    for instrument in ("ETS024", "ETS030", "CETS185", "RIYADH1983", "SADC_EXT2002"):
        Instrument.objects.get_or_create(
            code=instrument, defaults={"title": instrument, "kind": "multilateral", "scope": "both"}
        )
    draft = BUILDERS[builder](officer)
    ctx = context_for(draft)
    fire(ctx)
    assert code not in {f.rule for f in run(ctx)}, "applies only under its instrument"
    setup(ctx)
    if code.endswith("LAW") or code == "RIYADH-ID":
        _annex("law" if code.endswith("LAW") else "identification", attached=True)(ctx)
        assert code not in {f.rule for f in run(ctx)}
        ctx.content["annexes"] = [a for a in ctx.annexes if a["id"] != "x"]
    assert code in {f.rule for f in run(ctx)}


def test_country_data_rules_apply_to_their_country_only(officer):
    draft = complete_mla(officer)
    ctx = context_for(draft)
    _measure("search_seizure", premises="12 rue X", items="Laptops")(ctx)
    assert "US-PROBABLE-CAUSE" not in {f.rule for f in run(ctx)}
    ctx.country = "US"
    assert "US-PROBABLE-CAUSE" in {f.rule for f in run(ctx)}
    ctx.measures[-1].details["grounds"] = "Witness saw the laptops there on 2 May."
    assert "US-PROBABLE-CAUSE" not in {f.rule for f in run(ctx)}


def test_an_administrator_edits_a_data_rule(officer):
    draft = complete_mla(officer)
    DraftRule.objects.create(
        code="FR-ALWAYS",
        severity="advice",
        condition="always",
        countries=["FR"],
        message="Call the French desk first.",
        message_fr="Appelez d'abord le bureau France.",
        source="Practice",
    )
    assert "FR-ALWAYS" in {f.rule for f in run(context_for(draft))}
    DraftRule.objects.filter(code="FR-ALWAYS").update(active=False)
    assert "FR-ALWAYS" not in {f.rule for f in run(context_for(draft))}


def test_findings_speak_the_readers_language(officer):
    from django.utils import translation

    draft = complete_mla(officer)
    ctx = context_for(draft)
    _drop("purpose")(ctx)
    with translation.override("fr"):
        message = next(f.message for f in run(ctx) if f.rule == "MLA-07")
    assert message != "Say what the evidence, information or action is for."


def test_a_country_without_profile_is_flagged_not_crashing(officer):
    draft = complete_mla(officer)
    CountryProfile.objects.all().delete()
    rules = {f.rule for f in run(context_for(draft))}
    assert "CTY-01" in rules
    assert "LNG-01" not in rules
