"""Load the reference data shipped in ``directory/data/`` (and ISO 3166-1 from pycountry) into the directory.

Every loader is idempotent: it creates what is missing and leaves what exists alone, so that an
administrator's corrections survive a reload. ``update=True`` overwrites existing records with the shipped
data (countries always get their empty names filled in, and instruments their empty Spanish and Portuguese
titles, columns added after the first load).
"""

from __future__ import annotations

import datetime as dt
import gettext
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
from django.db import transaction

from entraide.directory.models import Authority, Contact, Country, CountryProfile, Instrument

DATA_DIR = Path(__file__).resolve().parent / "data"

# Names the pycountry catalogues lack or get wrong; checked by hand.
# Türkiye: the Arabic catalogue still only knows "Turkey" under its old English msgid.
NAME_OVERRIDES: dict[str, dict[str, str]] = {"TR": {"name_ar": "تركيا"}}

# Titles an instrument gets from the shipped data, even without update, where its own is empty: the Spanish and
# Portuguese titles of instruments loaded before those columns existed. (Not French or Arabic: an administrator may
# have emptied one on purpose, and corrections survive a reload.)
TRANSLATED_TITLES = ("title_es", "title_pt")

# Instrument fields from instruments.json that have no column of their own go to Instrument.details.
DETAIL_KEYS = (
    "opened_for_signature",
    "parties_count",
    "parties_as_of_note",
    "parties_uncertain",
    "non_parties_as_of",
    "non_parties_note",
    "demo",
)


class ReferenceDataError(Exception):
    """The shipped data does not fit the database (e.g. a party code that is not a known country)."""


@dataclass
class LoadResult:
    what: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{self.what}: {self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return "\n".join([text, *(f"  {note}" for note in self.notes)])


def read_json(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_names(record: Any) -> dict[str, str]:
    """English, French and Arabic names of one pycountry record.

    English prefers ``common_name`` ("South Korea" rather than "Korea, Republic of"). French takes the
    translation of that common name when the catalogue has one. Arabic always translates ``name``: the
    Arabic catalogue's common-name entries are unreliable (it renders "Moldova" as the Maldives).
    Where a catalogue has no translation the English name stands.
    """
    name = record.name
    common = getattr(record, "common_name", None) or name
    french = _catalogue("fr").gettext(common)
    if french == common:
        french = _catalogue("fr").gettext(name)
    arabic = _catalogue("ar").gettext(name)
    names = {"name": common, "name_fr": french, "name_ar": arabic}
    names.update(NAME_OVERRIDES.get(record.alpha_2, {}))
    return names


def missing_translations(language: str) -> list[str]:
    """Codes of the countries whose name the pycountry catalogue for ``language`` does not translate."""
    return [
        c.alpha_2
        for c in pycountry.countries
        if _catalogue(language).gettext(c.name) == c.name and c.alpha_2 not in NAME_OVERRIDES
    ]


@transaction.atomic
def load_countries(*, update: bool = False) -> LoadResult:
    """All ISO 3166-1 countries, named in English, French and Arabic."""
    result = LoadResult("countries")
    existing = {c.code: c for c in Country.objects.all()}
    new = []
    for record in pycountry.countries:
        values = {"alpha3": record.alpha_3, "numeric": record.numeric, **country_names(record)}
        country = existing.get(record.alpha_2)
        if country is None:
            new.append(Country(code=record.alpha_2, **values))
            continue
        changed = [
            key
            for key, value in values.items()
            if getattr(country, key) != value and (update or not getattr(country, key))
        ]
        for key in changed:
            setattr(country, key, values[key])
        if changed:
            country.save(update_fields=changed)
            result.updated += 1
        else:
            result.unchanged += 1
    Country.objects.bulk_create(new)
    result.created = len(new)
    untranslated = missing_translations("ar")
    if untranslated:
        result.notes.append("No Arabic name in pycountry, English kept: " + ", ".join(untranslated))
    return result


def _country_map(codes: set[str], where: str) -> dict[str, Country]:
    found = Country.objects.in_bulk(list(codes))
    unknown = sorted(codes - set(found))
    if unknown:
        raise ReferenceDataError(f"{where}: unknown country codes {', '.join(unknown)}. Run load_countries() first.")
    return found


def _instrument_values(entry: dict[str, Any]) -> dict[str, Any]:
    parties = entry.get("parties")
    details = {key: entry[key] for key in DETAIL_KEYS if entry.get(key) not in (None, "", [])}
    return {
        "title": entry["title"],
        "title_fr": entry.get("title_fr") or "",
        "title_ar": entry.get("title_ar") or "",
        "title_es": entry.get("title_es") or "",
        "title_pt": entry.get("title_pt") or "",
        "kind": entry["kind"],
        "scope": entry["scope"],
        "binding": entry.get("binding", True) is not False,
        "adopted": _date(entry.get("adopted")),
        "in_force": _date(entry.get("in_force")),
        "depositary": entry.get("depositary") or "",
        "articles": entry.get("articles") or {},
        "parties_known": isinstance(parties, list),
        "parties_rule": entry.get("parties_rule") or "",
        "parties_as_of": _date(entry.get("parties_as_of")),
        "parties_source": entry.get("parties_source") or "",
        "non_parties": entry.get("non_parties") or [],
        "confidence": entry.get("confidence") or "low",
        "sources": entry.get("sources") or [],
        "notes": entry.get("notes") or "",
        "details": details,
    }


def _load_instrument_entries(entries: list[dict[str, Any]], what: str, *, update: bool) -> LoadResult:
    result = LoadResult(what)
    codes = {code for entry in entries for code in (entry.get("parties") or [])}
    codes |= {code for entry in entries for code in (entry.get("non_parties") or [])}
    countries = _country_map(codes, what)
    existing = {i.code: i for i in Instrument.objects.filter(code__in=[e["code"] for e in entries])}
    for entry in entries:
        values = _instrument_values(entry)
        instrument = existing.get(entry["code"])
        if instrument is not None and not update:
            empty = [key for key in TRANSLATED_TITLES if values[key] and not getattr(instrument, key)]
            for key in empty:
                setattr(instrument, key, values[key])
            if empty:
                instrument.save(update_fields=empty)
                result.updated += 1
            else:
                result.unchanged += 1
            continue
        if instrument is None:
            instrument = Instrument.objects.create(code=entry["code"], **values)
            result.created += 1
        else:
            for key, value in values.items():
                setattr(instrument, key, value)
            instrument.save()
            result.updated += 1
        instrument.parties.set([countries[code] for code in entry.get("parties") or []])
    return result


@transaction.atomic
def load_instruments(*, update: bool = False) -> LoadResult:
    """The multilateral instruments of ``instruments.json`` and domestic law on the basis of reciprocity."""
    entries = read_json("instruments.json") + read_json("domestic_instruments.json")
    return _load_instrument_entries(entries, "instruments", update=update)


@transaction.atomic
def load_demo_instruments(*, update: bool = False) -> LoadResult:
    """Bilateral treaties of the demo home country, marked as demonstration examples."""
    return _load_instrument_entries(read_json("demo_instruments.json"), "demo bilateral treaties", update=update)


PROFILE_FIELDS = (
    "languages",
    "channels",
    "electronic_transmission",
    "originals_required",
    "certification_required",
    "dual_criminality_required",
    "notes",
    "source",
)


@transaction.atomic
def load_profiles(*, update: bool = False) -> LoadResult:
    """A starting set of country requirement profiles, each saying where it comes from."""
    result = LoadResult("country profiles")
    entries = read_json("profiles.json")["profiles"]
    countries = _country_map({e["country"] for e in entries}, "profiles")
    existing = {p.country_id: p for p in CountryProfile.objects.filter(country__in=list(countries))}
    for entry in entries:
        values = {key: entry.get(key) for key in PROFILE_FIELDS}
        profile = existing.get(entry["country"])
        if profile is None:
            CountryProfile.objects.create(country=countries[entry["country"]], **values)
            result.created += 1
        elif update:
            for key, value in values.items():
                setattr(profile, key, value)
            profile.save()
            result.updated += 1
        else:
            result.unchanged += 1
    return result


AUTHORITY_FIELDS = (
    "name_fr",
    "name_ar",
    "kind",
    "city",
    "email",
    "languages",
    "channels",
    "regional_networks",
    "notes",
)
CONTACT_FIELDS = ("position", "email", "languages", "notes")


@transaction.atomic
def load_demo_authorities(*, update: bool = False) -> LoadResult:
    """National authorities of the demo home country and foreign central authorities, with made-up contacts.

    An authority is known by its country and English name, a contact by its authority and name.
    """
    result = LoadResult("demo authorities")
    entries = read_json("demo_authorities.json")["authorities"]
    countries = _country_map({e["country"] for e in entries}, "demo authorities")
    for entry in entries:
        values = {
            key: entry.get(key) or ("" if key not in ("languages", "channels") else []) for key in AUTHORITY_FIELDS
        }
        authority = Authority.objects.filter(country=countries[entry["country"]], name=entry["name"]).first()
        if authority is None:
            authority = Authority.objects.create(country=countries[entry["country"]], name=entry["name"], **values)
            result.created += 1
        elif update:
            for key, value in values.items():
                setattr(authority, key, value)
            authority.save()
            result.updated += 1
        else:
            result.unchanged += 1
        for item in entry.get("contacts", []):
            contact_values = {key: item.get(key) or ("" if key != "languages" else []) for key in CONTACT_FIELDS}
            contact = authority.contacts.filter(name=item["name"]).first()
            if contact is None:
                Contact.objects.create(authority=authority, name=item["name"], **contact_values)
            elif update:
                for key, value in contact_values.items():
                    setattr(contact, key, value)
                contact.save()
    return result


def load_reference(*, demo: bool = False, update: bool = False) -> list[LoadResult]:
    """Everything, in dependency order: countries first, since instruments and profiles name them."""
    results = [load_countries(update=update), load_instruments(update=update), load_profiles(update=update)]
    if demo:
        results += [load_demo_instruments(update=update), load_demo_authorities(update=update)]
    return results
