"""Which legal bases apply between this State and a requested State, for a kind of request (domain.md §7).

An instrument is proposed when both States are party to it and its scope covers the request. A checked party
list answers yes or no; where only the membership rule is known (``parties_known`` false), a State absent from
the listed non-parties is *probably* party, never settled: the user sees the confidence and the as-of date.
Domestic law on the basis of reciprocity is always possible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from entraide.directory.models import Instrument, InstrumentKind, InstrumentScope

from .schema import EXTRADITION_KINDS

PARTY = "party"
PROBABLE = "probable"
NOT_PARTY = "not_party"
UNKNOWN = "unknown"

STATUS_LABELS: dict[str, str | Promise] = {
    PARTY: _("Both States are party (checked list)"),
    PROBABLE: _("Probably both party (membership rule; check before relying on it)"),
    NOT_PARTY: _("Not party"),
    UNKNOWN: _("Party status unknown"),
}


@dataclass(frozen=True)
class BasisOption:
    instrument: Instrument
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def settled(self) -> bool:
        return self.status == PARTY and self.instrument.confidence != "low"


def scope_for(kind: str) -> str:
    return InstrumentScope.EXTRADITION if kind in EXTRADITION_KINDS else InstrumentScope.MLA


def covers(instrument: Instrument, kind: str) -> bool:
    return instrument.scope in (InstrumentScope.BOTH, scope_for(kind))


def party_status(instrument: Instrument, country_code: str, party_codes: set[str] | None = None) -> str:
    """Whether ``country_code`` is party to ``instrument``."""
    if instrument.kind == InstrumentKind.DOMESTIC:
        return PARTY
    if instrument.parties_known:
        codes = party_codes if party_codes is not None else set(instrument.parties.values_list("code", flat=True))
        return PARTY if country_code in codes else NOT_PARTY
    if country_code in (instrument.non_parties or []):
        return NOT_PARTY
    if instrument.non_parties or instrument.parties_rule:
        return PROBABLE
    return UNKNOWN


def both_status(instrument: Instrument, requested: str, party_codes: set[str] | None = None) -> str:
    home = settings.ENTRAIDE_COUNTRY
    statuses = {party_status(instrument, home, party_codes), party_status(instrument, requested, party_codes)}
    for status in (NOT_PARTY, UNKNOWN, PROBABLE):
        if status in statuses:
            return status
    return PARTY


def proposed_bases(requested: str, kind: str) -> list[BasisOption]:
    """Instruments that may found a request of ``kind`` to ``requested``: bilateral first, then multilateral
    (settled before probable), then reciprocity."""
    options: list[BasisOption] = []
    instruments: Any = Instrument.objects.prefetch_related("parties").order_by("code")
    for instrument in instruments:
        if not covers(instrument, kind):
            continue
        codes = {c.code for c in instrument.parties.all()}
        status = both_status(instrument, requested, codes)
        if status in (NOT_PARTY, UNKNOWN):
            continue
        options.append(BasisOption(instrument, status))
    order: dict[str, int] = {InstrumentKind.BILATERAL: 0, InstrumentKind.MULTILATERAL: 1, InstrumentKind.DOMESTIC: 3}
    options.sort(key=lambda o: (order.get(o.instrument.kind, 2), o.status != PARTY, o.instrument.code))
    return options
