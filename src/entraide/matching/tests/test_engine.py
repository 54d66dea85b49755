"""The engine alone: normalisation, scores and their reasons, bad input."""

import pytest

from entraide.matching.engine.normalize import identifier, name, record
from entraide.matching.engine.score import compare


def person(n, **kw):
    return record(kind="person", names=[n] if isinstance(n, str) else n, **kw)


@pytest.mark.parametrize(
    "variants",
    [
        ["Mohammed", "Muhammad", "Mohamed", "محمد"],
        ["Oleksandr", "Aleksandr", "Alexander", "Олександр"],
        ["Shevchenko", "Chevtchenko", "Шевченко"],
        ["Youssef", "Yusuf", "يوسف"],
    ],
)
def test_transliteration_variants_share_a_skeleton(variants):
    skeletons = {name(v).parts[0].skeleton for v in variants}
    assert len(skeletons) == 1, skeletons


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mohammed El Amrani", "محمد العمراني"),
        ("Oleksandr Shevchenko", "Chevtchenko Aleksandr"),
        ("Abdelkader Benali", "Abd al-Qadir Ben Ali"),
        ("Wang Xiao Ming", "王小明"),
        ("Rahul Sharma", "राहुल शर्मा"),
        ("Nguyen Van Minh", "Minh Nguyen"),
    ],
)
def test_same_people_score_high(a, b):
    assert compare(person(a), person(b)).score >= 0.8


@pytest.mark.parametrize(
    ("a", "b"),
    [("Rahul Sharma", "Rohit Sharma"), ("Nguyen Van Anh", "Nguyen Van Minh"), ("Maria Garcia", "Mario Garcia")],
)
def test_different_people_score_low(a, b):
    assert compare(person(a), person(b)).score < 0.6


def test_identifiers_normalised():
    assert identifier("iban", "fr76 3000 6000 0112 3456 7890 189").normalized == "FR7630006000011234567890189"
    assert identifier("iban", "FR76 3000 6000 0112 3456 7890 188").note == "invalid_iban"
    assert identifier("phone", "06 12 34 56 78", country="MA").normalized == "+212612345678"
    assert identifier("phone", "0033 6 12 34 56 78").normalized == "+33612345678"
    no_country = identifier("phone", "06 12 34 56 78")
    assert no_country.note == "phone_no_country" and no_country.tail == "12345678"
    assert identifier("email", "Ali.Hassan@Example.COM").normalized == "ali.hassan@example.com"
    assert identifier("passport", "fa-123 456").normalized == "FA123456"


def test_identifier_agreement_and_conflict_are_explained():
    a = person("M. Hassan", identifiers=[{"type": "iban", "value": "FR7630006000011234567890189"}])
    b = person("Mohamed Hassan", identifiers=[{"type": "iban", "value": "FR76 3000 6000 0112 3456 7890 189"}])
    result = compare(a, b)
    assert result.score >= 0.9
    assert {"what": "identifier_agrees", "type": "iban", "value": "FR7630006000011234567890189"} in result.explanation
    c = person("Ali Hassan", identifiers=[{"type": "passport", "value": "AB123"}], birth_date="1980-01-01")
    d = person("Ali Hassan", identifiers=[{"type": "passport", "value": "ZZ999"}], birth_date="1955")
    conflict = compare(c, d)
    assert conflict.score < 0.5
    whats = {x["what"] for x in conflict.explanation}
    assert {"identifier_conflicts", "birth_year_differs"} <= whats


def test_bad_input_is_explained_never_raised():
    rec = record(
        kind="person",
        names=["", "\U0001f600"],
        birth_date="not a date",
        identifiers=[
            {"type": "iban", "value": "XX00"},
            {"type": "phone", "value": "12345"},
            {"type": "email", "value": "nobody"},
            {"type": "passport", "value": ""},
        ],
    )
    assert {"no_name", "invalid_iban", "invalid_birth_date", "invalid_email", "empty_identifier"} <= set(rec.warnings)
    assert "phone_no_country" in rec.warnings  # 12345 with no nationality: no country to read it with
    # A script the transliteration does not know (Zanabazar square): kept, said, compared on the rest.
    unknown = record(kind="person", names=["\U00011a00\U00011a0b"], identifiers=[{"type": "iban", "value": "XX"}])
    assert {"unknown_script", "invalid_iban"} <= set(unknown.warnings)
    assert unknown.identifiers and unknown.identifiers[0].normalized == "XX"
    only_id = record(kind="person", names=[], identifiers=[{"type": "email", "value": "x@y.org"}])
    other = record(kind="person", names=["Someone"], identifiers=[{"type": "email", "value": "X@Y.org"}])
    assert compare(only_id, other).score >= 0.9
    assert compare(record(kind="person", names=[]), record(kind="person", names=[])).score == 0.0


def test_organisations_ignore_legal_forms():
    a = record(kind="organisation", names=["Société Générale d'Import SARL"])
    b = record(kind="organisation", names=["Societe Generale Import"])
    c = record(kind="organisation", names=["Alpha Trading LLC"])
    d = record(kind="organisation", names=["Beta Trading LLC"])
    assert compare(a, b).score >= 0.9
    assert compare(c, d).score < 0.5
