"""Names, dates and identifiers brought to comparable forms.

Names: every script is transliterated to ASCII (anyascii), split into parts (CamelCase transliterations such as
Chinese ``WangXiaoMing`` are split too), articles and legal forms set aside, and each part also reduced to a
consonant *skeleton* that absorbs the usual transliteration variants (Mohammed, Muhammad, Mohamed and محمد all
give ``mhmd``; Shevchenko, Chevtchenko and Шевченко give ``svsnk``).

Identifiers: IBAN checked with its ISO 7064 checksum, phone numbers written in E.164 using the subject's
nationality (or the identifier's country) when they have no international prefix, e-mail addresses lower-cased,
document numbers stripped of spaces and punctuation. Nothing is dropped: what cannot be validated is kept as
written and a warning says why.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from anyascii import anyascii

PERSON = "person"
ORGANISATION = "organisation"

# Particles that vary with transliteration or are dropped in one spelling and kept in another.
NAME_PARTICLES = {
    "al", "el", "ul", "ad", "ed", "ud", "as", "ash", "ar", "an", "at", "az", "bin", "ben", "ibn", "bint", "ould",
    "van", "von", "der", "den", "de", "da", "di", "du", "del", "della", "dos", "das", "la", "le", "y", "e", "binti",
    "bte", "bt", "a", "s", "bn", "bnt", "wld",
}  # fmt: skip
# Legal forms and generic words of organisation names (compared apart, weighing little).
LEGAL_FORMS = {
    "ltd", "limited", "llc", "inc", "incorporated", "corp", "corporation", "co", "company", "sa", "sarl", "sas",
    "sasu", "eurl", "gmbh", "ag", "kg", "bv", "nv", "srl", "spa", "plc", "ooo", "zao", "oao", "pao", "ao", "tov",
    "llp", "lp", "fze", "fzco", "fzc", "fzllc", "pte", "pvt", "private", "sdn", "bhd", "pt", "tbk", "jsc", "cjsc",
    "ojsc", "sl", "slu", "ab", "oy", "as", "aps", "kft", "sro", "doo", "holding", "holdings", "group", "groupe",
    "shrkh", "shrk", "shrkt", "mushrk", "societe", "society", "ste", "ets", "etablissements", "trading", "the",
    "of", "and", "et", "und", "for", "d", "l", "de", "du", "des", "la", "le", "les", "international", "intl",
}  # fmt: skip
STRONG_IDENTIFIERS = {"passport", "national_id", "iban", "email", "crypto_wallet", "phone", "registration"}
# Identifiers a person has only one of per issuer: two different values are a conflict, not a second one.
UNIQUE_IDENTIFIERS = {"passport", "national_id", "registration"}

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ABD = re.compile(r"^(abd|abdu|abdou)(el|al|ul|ol|ar|as|an|ad|ur|er|es|en)?(?=[a-z]{3})")
_ACRONYM = re.compile(r"\b(?:\w\.){2,}")  # L.L.C., A.Ş., S.A.
_INDIC = re.compile(r"[\u0900-\u0dff]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_DIGRAPHS = (
    ("sch", "s"),
    ("tch", "s"),
    ("tsh", "s"),
    ("dzh", "j"),
    ("dj", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("sh", "s"),
    ("ch", "s"),
    ("zh", "j"),
    ("ck", "k"),
    ("x", "ks"),
    ("q", "k"),
    ("c", "k"),
    ("z", "s"),
)
_VOWELS = re.compile(r"[aeiouyw]")


@lru_cache(maxsize=50_000)
def transliterate(text: str) -> tuple[str, bool]:
    """ASCII form of ``text`` and whether every letter could be transliterated."""
    text = unicodedata.normalize("NFKC", text or "")
    out = []
    complete = True
    for char in text:
        if char.isascii():
            out.append(char)
            continue
        ascii_form = anyascii(char)
        if unicodedata.category(char).startswith("L") and not ascii_form:
            complete = False
        # Pictographs come out as ":name:"; they are no part of a name.
        out.append("" if ascii_form.startswith(":") else ascii_form)
    return "".join(out), complete


def split_parts(text: str) -> list[tuple[str, bool, bool, bool]]:
    """The name's parts in ASCII, each with whether it was written in Arabic script, began with ال, and was
    written in an Indic script."""
    parts: list[tuple[str, bool, bool, bool]] = []
    text = _ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text or "")
    for chunk in text.split():
        arabic = _ARABIC.search(chunk) is not None
        indic = _INDIC.search(chunk) is not None
        article = arabic and chunk.lstrip('(«"').startswith(("ال", "بال", "ٱل"))
        ascii_text, _complete = transliterate(chunk)
        ascii_text = ascii_text.replace("`", "").replace("'", "")
        if not chunk.isascii():  # 王小明 → WangXiaoMing → Wang Xiao Ming; GmbH stays one word
            ascii_text = _CAMEL.sub(" ", ascii_text)
        parts.extend((p, arabic, article, indic) for p in _NON_ALNUM.split(ascii_text.lower()) if p)
    return parts


@lru_cache(maxsize=50_000)
def skeleton(part: str, arabic: bool = False, indic: bool = False) -> str:
    """Consonant skeleton of a name part: transliteration variants of one name share it.

    In a name transliterated from Arabic script, w and y stand for vowels as often as for consonants."""
    s = part.lower()
    if indic:
        s = re.sub(r"mh$", "ngh", s)  # anusvara before h: सिंह (simh) for Singh
    for a, b in _DIGRAPHS:
        if not (arabic and a == "zh"):  # in Arabic, z then h (زه), not ж
            s = s.replace(a, b)
    if not arabic:
        s = s.replace("w", "v")
        s = re.sub(r"(?<=[eo])ff$", "v", s)  # Petroff, Ivanoff for Petrov, Ivanov
    s = re.sub(r"h$", "", s) if len(s) >= 2 else s
    if indic:
        s = re.sub(r"m(?=[gkdtj])", "n", s)  # anusvara: simgh for Singh
    s = s.replace("g", "k")  # Gim/Kim, Gadir/Qadir/Kadir
    s = _VOWELS.sub("", s) if arabic else re.sub(r"[aeiouy]", "", s)
    s = re.sub(r"(.)\1+", r"\1", s)
    if len(s) >= 3:
        s = re.sub(r"d$", "t", s)  # final devoicing: Mehmed, Mehmet; Ahmed, Ahmet, أحمد
    return s


@lru_cache(maxsize=50_000)
def soft(part: str) -> str:
    """A spelling with the commonest transliteration choices evened out, for typo distances."""
    s = part.lower()
    s = re.sub(r"^j(?=[aeiou])", "y", s)
    pairs = (("ph", "f"), ("ou", "u"), ("ee", "i"), ("oo", "u"), ("ue", "u"), ("oe", "o"), ("ae", "a"), ("w", "v"))
    for a, b in (*pairs, ("y", "i"), ("dj", "j"), ("x", "ks")):
        s = s.replace(a, b)
    s = re.sub(r"off$", "ov", s)
    return re.sub(r"(.)\1+", r"\1", s)


def _split_arabic_compounds(part: str, arabic: bool, article: bool = False) -> list[str]:
    """abdelkader → abd + kader, القادر (lqdr) → qdr: the article inside a compound varies with transliteration.
    ``article``: the Arabic word began with ال."""
    if arabic:
        if part.startswith("bd") and len(part) > 4:
            return ["bd", part[3:] if part[2] == "l" else part[2:]]
        return [part[1:]] if article and part.startswith("l") and len(part) >= 3 else [part]
    m = _ABD.match(part)
    if m:
        return ["abd", part[m.end() :]]
    return [part]


# Names are cached for the life of the process (``name``), so they are kept light for the garbage collector:
# slotted, no per-instance dict, every derived value computed once when the name is read.
@dataclass(frozen=True, slots=True)
class NamePart:
    text: str  # ASCII, lower case
    skeleton: str
    weak: bool = False  # a legal form or a particle: weighs little
    alts: tuple[str, ...] = ()  # other skeletons it may stand for (elamrani → mrn; Uthman → Osman), compared too
    soft: str = ""
    # Everything the comparison of two parts reads, as one string (a cheap key for its cache).
    key: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.text}|{self.skeleton}|{','.join(self.alts)}|{self.soft}")


@dataclass(frozen=True, slots=True)
class Name:
    original: str
    parts: tuple[NamePart, ...]
    # Derived once (a Name is immutable and cached): scoring asks for them again and again.
    strong: tuple[NamePart, ...] = field(init=False, compare=False, repr=False)
    joined_skeleton: str = field(init=False, compare=False, repr=False)
    joined_all: str = field(init=False, compare=False, repr=False)
    # The parts as compared, as one string (names read as a person or as a company differ).
    key: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        strong = self.parts if not any(p.weak for p in self.parts) else tuple(p for p in self.parts if not p.weak)
        object.__setattr__(self, "strong", strong)
        object.__setattr__(self, "joined_skeleton", "".join(p.skeleton for p in strong))
        object.__setattr__(self, "joined_all", "".join(p.skeleton for p in self.parts))
        object.__setattr__(self, "key", "/".join(p.key + ("*" if p.weak else "") for p in self.parts))


@lru_cache(maxsize=50_000)
def name(text: str, kind: str = PERSON) -> Name:
    """A name's parts; cached: the same names come back again and again (a Name is immutable)."""
    return _name(text, kind)


def _name(text: str, kind: str) -> Name:
    parts: list[NamePart] = []
    for raw, arabic, article, indic in split_parts(text):
        pieces = _split_arabic_compounds(raw, arabic, article) if kind == PERSON else [raw]
        parts.extend(name_part(piece, arabic, indic, kind) for piece in pieces if piece)
    return Name(text, tuple(parts))


@lru_cache(maxsize=50_000)
def name_part(piece: str, arabic: bool, indic: bool, kind: str) -> NamePart:
    """One part of a name, read once and shared by every name that has it (the cache of names holds far fewer
    objects than names times parts)."""
    weak = piece in (LEGAL_FORMS if kind == ORGANISATION else NAME_PARTICLES)
    alts: set[str] = set()
    if kind == PERSON:
        if piece[:2] in ("al", "el", "ul", "le", "la") and len(piece) >= 5:
            alts.add(skeleton(piece[2:], arabic))  # a joined article: Elamrani, Lemine
        if "th" in piece:
            alts.add(skeleton(piece.replace("th", "s"), arabic))  # ث: Uthman, Osman
        if not arabic and "w" in piece:
            alts.add(skeleton(piece, arabic=True))  # w for و: Rizwan, رضوان
        if arabic and "d" in piece:
            alts.add(skeleton(piece.replace("d", "z"), arabic))  # ض, ذ: Rizwan, Ramazan
    main = skeleton(piece, arabic, indic) or piece
    alts.discard(main)
    alts.discard("")
    return NamePart(piece, main, weak, tuple(sorted(alts)), soft(piece))


@dataclass(frozen=True)
class Identifier:
    type: str
    value: str  # as written
    normalized: str
    valid: bool
    note: str = ""  # why it is not valid, or how it was read
    tail: str = ""  # phones: the last 8 digits, to meet a number written without its country


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


@lru_cache(maxsize=20_000)
def identifier(kind: str, value: str, *, country: str | None = None) -> Identifier:
    """Normalise one identifier. ``country``: ISO alpha-2 used to read a phone number without a prefix."""
    raw = (value or "").strip()
    if kind == "iban":
        from stdnum import iban

        compact = iban.compact(raw)
        if iban.is_valid(compact):
            return Identifier(kind, raw, compact, True)
        return Identifier(kind, raw, compact, False, "invalid_iban")
    if kind == "phone":
        import phonenumbers

        digits = _digits(raw)
        tail = digits[-8:] if len(digits) >= 8 else ""
        region = None if raw.startswith(("+", "00")) else (country or None)
        text = "+" + raw[2:] if raw.startswith("00") else raw
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return Identifier(kind, raw, digits, False, "phone_no_country" if region is None else "invalid_phone", tail)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        valid = phonenumbers.is_possible_number(number)
        return Identifier(kind, raw, e164, valid, "" if valid else "invalid_phone", tail)
    if kind == "email":
        lowered = raw.lower()
        valid = re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z0-9-]{2,}", lowered) is not None
        return Identifier(kind, raw, lowered, valid, "" if valid else "invalid_email")
    if kind == "ip":
        try:
            return Identifier(kind, raw, str(ipaddress.ip_address(raw)), True)
        except ValueError:
            return Identifier(kind, raw, raw.lower(), False, "invalid_ip")
    if kind == "crypto_wallet":
        compact = re.sub(r"\s", "", raw)
        # Hexadecimal (Ethereum-style) addresses are case-insensitive; base58 and bech32 are compared as written.
        normalized = compact.lower() if compact.lower().startswith("0x") else compact
        return Identifier(kind, raw, normalized, len(compact) >= 20, "" if len(compact) >= 20 else "short_wallet")
    compact = re.sub(r"[^A-Za-z0-9]", "", anyascii(raw)).upper()
    return Identifier(kind, raw, compact, bool(compact), "" if compact else "empty_identifier")


@dataclass
class Record:
    """A person or an organisation, ready to compare."""

    kind: str
    names: list[Name]
    birth_date: date | None = None
    birth_year: int | None = None
    nationality: str | None = None
    identifiers: list[Identifier] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def parse_birth(value: Any) -> tuple[date | None, int | None]:
    if value in (None, ""):
        return None, None
    if isinstance(value, date):
        return value, value.year
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return None, int(text)
    try:
        parsed = date.fromisoformat(text[:10])
    except ValueError:
        return None, None
    return parsed, parsed.year


def record(
    *,
    kind: str,
    names: list[str],
    birth_date: Any = None,
    nationality: str | None = None,
    identifiers: list[dict[str, Any]] | None = None,
) -> Record:
    """Build a record from raw values; every problem becomes a warning, none an exception."""
    warnings: list[str] = []
    kind = ORGANISATION if kind in (ORGANISATION, "organization") else PERSON
    parsed: list[Name] = []
    for text in names:
        if not (text or "").strip():
            continue
        _ascii, complete = transliterate(text)
        n = name(text, kind)
        if not complete or not n.parts:
            warnings.append("unknown_script")
        if n.parts:
            parsed.append(n)
    if not parsed:
        warnings.append("no_name")
    day, year = parse_birth(birth_date)
    if birth_date not in (None, "") and year is None:
        warnings.append("invalid_birth_date")
    nat = (nationality or "").strip().upper() or None
    idents = []
    for item in identifiers or []:
        kind_of = str(item.get("type", "")).strip()
        value = str(item.get("value", "")).strip()
        if not kind_of or not value:
            warnings.append("empty_identifier")
            continue
        ident = identifier(kind_of, value, country=item.get("country") or nat)
        if ident.note:
            warnings.append(ident.note)
        idents.append(ident)
    return Record(kind, parsed, day, year, nat, idents, sorted(set(warnings)))
