"""The demo's content makers: identifiers whose checksums hold, measures the catalogue accepts, paths the
lifecycles allow, documents the upload check accepts."""

from __future__ import annotations

import hashlib
import random
from datetime import date
from itertools import pairwise

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from entraide.cases import choices as c
from entraide.cases.catalogue import DEFINITIONS, clean_details
from entraide.cases.demo import (
    _B58,
    _BECH32,
    IBAN_COUNTRIES,
    MIX,
    Fabricator,
    _bech32_polymod,
    bitcoin_address,
    iban,
    lifecycle_path,
    make_pdf,
    mix_for,
    tron_address,
)
from entraide.cases.lifecycles import LIFECYCLES
from entraide.cases.uploads import check_upload

IBAN_LENGTHS = {
    "FR": 27,
    "BE": 16,
    "ES": 24,
    "DE": 22,
    "NL": 18,
    "GB": 22,
    "CH": 21,
    "LU": 20,
    "AE": 23,
    "SA": 24,
    "QA": 29,
    "TR": 26,
    "JO": 30,
    "LB": 28,
}


def _mod97(text: str) -> int:
    return int("".join(str(int(ch, 36)) for ch in text)) % 97


@pytest.mark.parametrize("country", IBAN_COUNTRIES)
def test_ibans_have_the_registry_length_and_valid_check_digits(country: str) -> None:
    rng = random.Random(country)
    for _ in range(50):
        value = iban(rng, country).replace(" ", "")
        assert len(value) == IBAN_LENGTHS[country]
        assert _mod97(value[4:] + value[:4]) == 1


def test_national_check_digits_of_french_belgian_and_spanish_accounts_hold() -> None:
    rng = random.Random(7)
    for _ in range(50):
        fr = iban(rng, "FR").replace(" ", "")[4:]
        bank, branch, account, key = fr[:5], fr[5:10], fr[10:21], fr[21:]
        assert (89 * int(bank) + 15 * int(branch) + 3 * int(account) + int(key)) % 97 == 0
        be = iban(rng, "BE").replace(" ", "")[4:]
        assert int(be[10:]) == (int(be[:10]) % 97 or 97)
        es = iban(rng, "ES").replace(" ", "")[4:]
        weights = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)

        def control(digits: str, w: tuple[int, ...] = weights) -> int:
            value = 11 - sum(int(d) * x for d, x in zip(digits, w, strict=True)) % 11
            return {11: 0, 10: 1}.get(value, value)

        assert int(es[8]) == control("00" + es[:8]) and int(es[9]) == control(es[10:])


def test_bitcoin_addresses_carry_a_valid_bech32_checksum() -> None:
    rng = random.Random(1)
    for _ in range(50):
        address = bitcoin_address(rng)
        assert address.startswith("bc1q") and len(address) == 42
        data = [_BECH32.index(ch) for ch in address[3:]]
        hrp = [ord(x) >> 5 for x in "bc"] + [0] + [ord(x) & 31 for x in "bc"]
        assert _bech32_polymod(hrp + data) == 1


def test_tron_addresses_carry_a_valid_base58check_checksum() -> None:
    rng = random.Random(2)
    for _ in range(50):
        address = tron_address(rng)
        assert address.startswith("T") and len(address) == 34
        number = 0
        for ch in address:
            number = number * 58 + _B58.index(ch)
        raw = number.to_bytes(25, "big")
        assert raw[0] == 0x41
        assert hashlib.sha256(hashlib.sha256(raw[:21]).digest()).digest()[:4] == raw[21:]


def test_every_measure_of_the_catalogue_gets_details_the_catalogue_accepts() -> None:
    fab = Fabricator(random.Random(3), "MA")
    ctx = {
        "suspect": "Karim Benali",
        "city": "Paris",
        "home_city": "Casablanca",
        "today": date(2026, 11, 1),
        "country": "FR",
        "org": "Atlas Trading SAS",
        "witness": "Claire Mercier",
        "amount": "EUR 1.2 million",
    }
    for mtype in DEFINITIONS:
        for _ in range(5):
            made = fab.measure(mtype, ctx)
            _clean, errors = clean_details(mtype, made["details"])
            assert errors == {}, (mtype, errors)


def test_people_are_named_in_their_own_script_too() -> None:
    fab = Fabricator(random.Random(4), "MA")
    arabic = fab.person("MA")
    assert any("\u0600" <= ch <= "\u06ff" for ch in arabic.original)
    cyrillic = fab.person("RU")
    assert any("\u0400" <= ch <= "\u04ff" for ch in cyrillic.original)
    assert fab.person("FR").original == ""
    subject = fab.subject_person("MA", c.SubjectRole.SUSPECT, financial=True, cyber=True)
    assert subject["birth_date"] < date.today()
    assert all(i["type"] in c.IdentifierType.values for i in subject["identifiers"])


def test_generated_contact_details_are_reserved_for_documentation_or_fiction() -> None:
    fab = Fabricator(random.Random(5), "MA")
    for _ in range(100):
        assert fab.email(fab.person("FR")).endswith(".example")
        assert fab.ip().startswith(("192.0.2.", "198.51.100.", "203.0.113.", "2001:db8:"))
        assert fab.phone("FR").startswith("+33 6 39 98")
        assert fab.phone("GB").startswith("+44 7700 900")


@pytest.mark.parametrize("code", sorted(LIFECYCLES))
def test_paths_reach_every_state_through_allowed_transitions(code: str) -> None:
    lc = LIFECYCLES[code]
    rng = random.Random(code)
    for target in lc.states:
        for _ in range(20):
            path = lifecycle_path(lc, target, rng, lateral=1.0, detours=0.5)
            assert path[0] == lc.initial and path[-1] == target
            for source, nxt in pairwise(path):
                assert lc.get(source, nxt) is not None, (source, nxt)


def test_the_mix_has_every_kind_in_both_directions() -> None:
    kinds = {(d, k) for d, k, _n in MIX}
    assert kinds == {(d, k) for d in c.Direction.values for k in c.Kind.values}
    assert sum(n for *_x, n in MIX) >= 220
    assert set(mix_for(22)) == kinds


def test_the_pdfs_pass_the_upload_check_and_say_what_they_say() -> None:
    pdf = make_pdf("Demande d'entraide judiciaire", ["Objet : escroquerie (art. 313-1)", "x" * 300])
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert b"Demande d'entraide judiciaire" in pdf and b"313-1" in pdf
    upload = SimpleUploadedFile("request.pdf", pdf)
    assert check_upload(upload) == "application/pdf"
    # The cross-reference table points at each object.
    xref = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[xref : xref + 4] == b"xref"
    offsets = [int(line[:10]) for line in pdf[xref:].split(b"\n")[3:8]]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(f"{number} 0 obj".encode())
