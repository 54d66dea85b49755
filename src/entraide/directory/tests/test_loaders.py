"""Reference data: every country in three languages, instruments with their parties, idempotent reloads."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pycountry
import pytest
from django.core.management import call_command

from entraide.directory import loaders
from entraide.directory.models import Authority, AuthorityKind, Contact, Country, CountryProfile, Instrument

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        Country.objects.count(),
        Instrument.objects.count(),
        Instrument.parties.through.objects.count(),
        CountryProfile.objects.count(),
        Authority.objects.count(),
        Contact.objects.count(),
    )


def test_it_loads_every_iso_country_with_french_and_arabic_names() -> None:
    result = loaders.load_countries()
    assert result.created == len(pycountry.countries) == Country.objects.count() >= 249
    germany = Country.objects.get(code="DE")
    assert (germany.name, germany.name_fr, germany.name_ar, germany.alpha3) == (
        "Germany",
        "Allemagne",
        "ألمانيا",
        "DEU",
    )
    assert Country.objects.get(code="MA").name_ar == "المغرب"
    assert not Country.objects.filter(name_fr="").exists()
    assert not Country.objects.filter(name_ar="").exists()


def test_country_names_prefer_common_names_and_fix_catalogue_gaps() -> None:
    loaders.load_countries()
    korea = Country.objects.get(code="KR")
    assert (korea.name, korea.name_fr) == ("South Korea", "Corée du Sud")
    # The Arabic catalogue knows Türkiye only under its old name; the loader supplies it.
    assert Country.objects.get(code="TR").name_ar == "تركيا"
    # The Arabic catalogue maps the common name "Moldova" to the Maldives; the official name is used instead.
    assert Country.objects.get(code="MD").name_ar != Country.objects.get(code="MV").name_ar
    # Every Arabic name is in Arabic script, none left in English.
    assert all(
        any("\u0600" <= ch <= "\u06ff" for ch in name) for name in Country.objects.values_list("name_ar", flat=True)
    )


def test_it_loads_the_instruments_with_parties_and_their_caveats() -> None:
    loaders.load_countries()
    result = loaders.load_instruments()
    assert result.created == Instrument.objects.count() >= 23
    budapest = Instrument.objects.get(code="CETS185")
    assert budapest.parties_known and budapest.confidence == "high"
    assert budapest.parties.count() == 76
    assert budapest.parties.filter(code__in=["MA", "US", "SN", "FR"]).count() == 4
    assert str(budapest.parties_as_of) == "2024-10-09"
    assert budapest.articles["expedited_preservation"]
    untoc = Instrument.objects.get(code="UNTOC")
    assert not untoc.parties_known and untoc.parties.count() == 0
    assert "Near-universal" in untoc.parties_rule and "IR" in untoc.non_parties
    assert "STALE" in untoc.details["non_parties_note"]
    assert Instrument.objects.get(code="ETS030").details["parties_uncertain"] == ["RU"]
    assert Instrument.objects.get(code="HARARE_SCHEME").binding is False
    reciprocity = Instrument.objects.get(code="RECIPROCITY")
    assert (reciprocity.kind, reciprocity.scope) == ("domestic", "both")


def test_instruments_carry_their_published_spanish_and_portuguese_titles() -> None:
    loaders.load_countries()
    loaders.load_instruments()
    untoc = Instrument.objects.get(code="UNTOC")
    assert untoc.title_es == "Convención de las Naciones Unidas contra la Delincuencia Organizada Transnacional"
    assert untoc.title_pt == "Convenção das Nações Unidas contra a Criminalidade Organizada Transnacional"
    ets030 = Instrument.objects.get(code="ETS030")
    assert ets030.title_es == "Convenio Europeo de Asistencia Judicial en Materia Penal"
    assert ets030.title_pt == "Convenção Europeia de Auxílio Judiciário Mútuo em Matéria Penal"
    # Every title filled in says where it comes from.
    for instrument in Instrument.objects.exclude(title_es=""):
        assert any(s.startswith("Spanish title: ") for s in instrument.sources), instrument.code
    for instrument in Instrument.objects.exclude(title_pt=""):
        assert any(s.startswith("Portuguese title: ") for s in instrument.sources), instrument.code
    # Where the published title is not known it stays empty rather than guessed.
    riyadh = Instrument.objects.get(code="RIYADH1983")
    assert (riyadh.title_es, riyadh.title_pt) == ("", "")


def test_instruments_need_the_countries_first() -> None:
    with pytest.raises(loaders.ReferenceDataError, match="unknown country codes"):
        loaders.load_instruments()


def test_loading_twice_duplicates_nothing() -> None:
    loaders.load_reference(demo=True)
    first = counts()
    results = loaders.load_reference(demo=True)
    assert counts() == first
    assert all(r.created == 0 and r.updated == 0 for r in results)


def test_a_reload_keeps_an_administrators_edits_unless_asked_to_update() -> None:
    loaders.load_reference(demo=True)
    budapest = Instrument.objects.get(code="CETS185")
    budapest.confidence = "medium"
    budapest.notes = "Checked by the administrator."
    budapest.save()
    budapest.parties.remove("MA")
    Instrument.objects.filter(code="UNTOC").update(title_pt="Convenção de Palermo")
    profile = CountryProfile.objects.get(country="FR")
    profile.electronic_transmission = True
    profile.save()

    loaders.load_reference(demo=True)
    budapest.refresh_from_db()
    assert (budapest.confidence, budapest.notes) == ("medium", "Checked by the administrator.")
    assert not budapest.parties.filter(code="MA").exists()
    assert Instrument.objects.get(code="UNTOC").title_pt == "Convenção de Palermo"
    assert CountryProfile.objects.get(country="FR").electronic_transmission is True

    loaders.load_reference(demo=True, update=True)
    budapest.refresh_from_db()
    assert budapest.confidence == "high" and budapest.parties.filter(code="MA").exists()
    untoc = Instrument.objects.get(code="UNTOC")
    assert untoc.title_es.startswith("Convención de las Naciones Unidas")
    assert untoc.title_pt.startswith("Convenção das Nações Unidas")
    assert CountryProfile.objects.get(country="FR").electronic_transmission is None


def test_countries_get_empty_names_filled_without_losing_edits() -> None:
    Country.objects.create(code="FR", alpha3="FRA", name="France (edited)")
    loaders.load_countries()
    france = Country.objects.get(code="FR")
    assert (france.name, france.name_fr, france.name_ar) == ("France (edited)", "France", "فرنسا")


def test_instruments_get_empty_translated_titles_filled_without_losing_edits() -> None:
    """An instrument loaded before it had Spanish and Portuguese titles gets them from a plain reload."""
    loaders.load_countries()
    loaders.load_instruments()
    Instrument.objects.filter(code="UNTOC").update(title_es="", title_pt="")
    Instrument.objects.filter(code="ETS030").update(title="Edited", title_fr="Convention (édité)", title_pt="")
    result = loaders.load_instruments()
    assert result.updated == 2 and result.created == 0
    untoc = Instrument.objects.get(code="UNTOC")
    assert untoc.title_es.startswith("Convención") and untoc.title_pt.startswith("Convenção")
    ets030 = Instrument.objects.get(code="ETS030")
    assert (ets030.title, ets030.title_fr) == ("Edited", "Convention (édité)")
    assert ets030.title_pt == "Convenção Europeia de Auxílio Judiciário Mútuo em Matéria Penal"


def test_profiles_are_a_marked_starting_set() -> None:
    loaders.load_countries()
    result = loaders.load_profiles()
    assert result.created >= 35
    assert not CountryProfile.objects.exclude(source__contains="verify with the country's central authority").exists()
    france = CountryProfile.objects.get(country="FR")
    assert france.languages == ["fr"]


def test_demo_authorities_cover_the_home_country_and_35_foreign_central_authorities() -> None:
    loaders.load_reference(demo=True)
    home = Authority.objects.filter(country="MA")
    assert home.filter(kind=AuthorityKind.CENTRAL_AUTHORITY).count() == 1
    assert {
        AuthorityKind.PROSECUTION,
        AuthorityKind.COURT,
        AuthorityKind.POLICE,
        AuthorityKind.FIU,
        AuthorityKind.CUSTOMS,
    } <= set(home.values_list("kind", flat=True))
    foreign = Authority.objects.filter(kind=AuthorityKind.CENTRAL_AUTHORITY).exclude(country="MA")
    assert foreign.values("country").distinct().count() >= 35
    assert not foreign.filter(contacts__isnull=True).exists()
    emails = [
        *Authority.objects.values_list("email", flat=True),
        *Contact.objects.values_list("email", flat=True),
    ]
    assert emails and all(email.endswith(".example") for email in emails)
    bilateral = Instrument.objects.filter(kind="bilateral")
    assert bilateral.count() >= 3
    for treaty in bilateral:
        assert "DEMONSTRATION" in treaty.notes and treaty.details["demo"] is True
        assert set(treaty.parties.values_list("code", flat=True)) >= {"MA"}


def test_without_demo_no_authority_is_loaded() -> None:
    loaders.load_reference()
    assert not Authority.objects.exists()
    assert not Instrument.objects.filter(kind="bilateral").exists()


def test_the_command_loads_and_reports(capsys: Any) -> None:
    out = StringIO()
    call_command("load_reference", "--demo", stdout=out)
    assert "countries: 249 created" in out.getvalue()
    assert "demo authorities" in out.getvalue()
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert "countries: 0 created, 0 updated, 249 unchanged" in out.getvalue()
