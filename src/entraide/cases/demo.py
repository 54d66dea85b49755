"""Demonstration data: the demo users and a register of realistic matters, built through the real actions.

``build_demo()`` plays two years of a Central Authority's work on a simulated clock. Every matter is
registered, assigned, worked and closed by the demo users through ``cases.actions``, so its timeline, its
deadlines and the audit chain are those the system itself writes. The clock is simulated by making
``django.utils.timezone.now`` return the time of each step (see ``simulated_clock``): events, deadlines and
audit records then carry the dates a real register would show, in order, and nothing is rewritten afterwards.
The steps of all matters run in one global time order, so the audit chain is chronological too.

``Fabricator`` makes the content (names in several scripts, identifiers with valid checksums, measures with
the details the catalogue asks for, offences with their ICCS section); ``entraide generate`` reuses it at
scale. Every person, company, account, address and reference here is fictitious: e-mail addresses use the
reserved ``.example`` domains (RFC 2606), IP addresses the documentation ranges (RFC 5737, RFC 3849), phone
numbers the ranges reserved for fiction where a country has one.
"""

from __future__ import annotations

import hashlib
import heapq
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any
from unittest import mock

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone as dj_timezone

from entraide.accounts.models import Role, User
from entraide.cases import actions
from entraide.cases import choices as c
from entraide.cases.catalogue import DEFINITIONS, MeasureType
from entraide.cases.lifecycles import Lifecycle, lifecycle_for
from entraide.cases.models import Case, Deadline
from entraide.cases.queries import can_work_on
from entraide.core import extensions
from entraide.core.choices import Channel, Confidentiality
from entraide.directory.models import Authority, AuthorityKind, Country, Instrument

DEMO_PASSWORD = "entraide-demo"  # noqa: S105 - published on purpose: demo data only
DEMO_MATTERS = 225


# --- users --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str
    clearance: int
    language: str = ""
    authority_kind: str = ""
    staff: bool = False

    @property
    def description(self) -> str:
        return str(Role(self.role).label)


DEMO_USERS = (
    DemoUser("head", Role.HEAD, "Leila", "Bennani", Confidentiality.SECRET, "fr"),
    DemoUser("officer", Role.OFFICER, "Youssef", "Alaoui", Confidentiality.CONFIDENTIAL, "fr"),
    DemoUser("officer2", Role.OFFICER, "Salma", "Chraibi", Confidentiality.CONFIDENTIAL, "ar"),
    DemoUser("clerk", Role.CLERK, "Hamid", "Ouazzani", Confidentiality.CONFIDENTIAL, "fr"),
    DemoUser("auditor", Role.AUDITOR, "Nadia", "Tazi", Confidentiality.SECRET, "en"),
    DemoUser("admin", Role.ADMIN, "Omar", "Kettani", Confidentiality.RESTRICTED, "en", staff=True),
    DemoUser(
        "prosecutor",
        Role.REQUESTING,
        "Karim",
        "Berrada",
        Confidentiality.CONFIDENTIAL,
        "fr",
        authority_kind=AuthorityKind.PROSECUTION,
    ),
    DemoUser(
        "executor",
        Role.EXECUTING,
        "Imane",
        "Sqalli",
        Confidentiality.CONFIDENTIAL,
        "fr",
        authority_kind=AuthorityKind.POLICE,
    ),
)
DEMO_USERNAMES = tuple(u.username for u in DEMO_USERS)


def national_authority(kind: str) -> Authority:
    """An authority of this country of the given kind; created (marked as demo) if the directory has none."""
    home = Country.objects.get(code=settings.ENTRAIDE_COUNTRY)
    found = Authority.objects.filter(country=home, kind=kind, active=True).order_by("name").first()
    if found is not None:
        return found
    names: dict[str, tuple[str, str]] = {
        AuthorityKind.PROSECUTION: ("Public Prosecutor's Office (demo)", "Parquet (démonstration)"),
        AuthorityKind.POLICE: ("Judicial Police (demo)", "Police judiciaire (démonstration)"),
    }
    en, fr = names.get(kind, (f"{kind} (demo)", f"{kind} (démonstration)"))
    return Authority.objects.create(name=en, name_fr=fr, kind=kind, country=home, notes="Demonstration data.")


@transaction.atomic
def ensure_demo_users() -> dict[str, User]:
    """Create the demo users, or bring them back to their demo role, clearance and password."""
    users = {}
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first() or User(username=spec.username)
        user.role = spec.role
        user.first_name, user.last_name = spec.first_name, spec.last_name
        user.email = f"{spec.username}@ca.example"
        user.clearance = spec.clearance
        user.language = spec.language
        user.is_active = True
        user.is_staff = user.is_superuser = spec.staff
        user.authority = national_authority(spec.authority_kind) if spec.authority_kind else None
        user.set_password(DEMO_PASSWORD)
        user.save()
        users[spec.username] = user
    return users


def demo_matters_exist() -> bool:
    return Case.objects.filter(created_by__username__in=DEMO_USERNAMES).exists()


# --- identifiers with valid check digits --------------------------------------------------------------------


def _iban_check(country: str, bban: str) -> str:
    digits = "".join(str(int(ch, 36)) for ch in (bban + country + "00").upper())
    return f"{98 - int(digits) % 97:02d}"


def _es_control(digits: str) -> str:
    weights = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)
    value = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return str({11: 0, 10: 1}.get(value, value))


def _fr_rib_key(bank: str, branch: str, account: str) -> str:
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


def _num(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _alpha(rng: random.Random, n: int, letters: str = "ABCDEFGHJKLMNPRSTUVWXYZ") -> str:
    return "".join(rng.choice(letters) for _ in range(n))


def _bban(rng: random.Random, country: str) -> str:
    if country == "FR":
        bank, branch, account = (
            rng.choice(["30004", "30003", "30002", "10278", "20041"]),
            _num(rng, 5),
            _num(rng, 11),
        )
        return bank + branch + account + _fr_rib_key(bank, branch, account)
    if country == "BE":
        first = rng.choice(["001", "068", "363", "539", "735"]) + _num(rng, 7)
        check = int(first) % 97 or 97
        return f"{first}{check:02d}"
    if country == "ES":
        bank, branch, account = rng.choice(["0049", "0182", "2100", "0081"]), _num(rng, 4), _num(rng, 10)
        return bank + branch + _es_control("00" + bank + branch) + _es_control(account) + account
    builders: dict[str, Callable[[], str]] = {
        "DE": lambda: rng.choice(["37040044", "50010517", "10070000"]) + _num(rng, 10),
        "NL": lambda: rng.choice(["ABNA", "INGB", "RABO"]) + _num(rng, 10),
        "GB": lambda: rng.choice(["BARC", "HBUK", "NWBK", "LOYD"]) + _num(rng, 14),
        "CH": lambda: rng.choice(["00762", "00230", "04835"]) + _num(rng, 12),
        "LU": lambda: rng.choice(["001", "002", "019"]) + _num(rng, 13),
        "AE": lambda: rng.choice(["026", "033", "035"]) + _num(rng, 16),
        "SA": lambda: rng.choice(["80", "10", "45"]) + _num(rng, 18),
        "QA": lambda: rng.choice(["QNBA", "DOHB", "CBQA"]) + _num(rng, 21),
        "TR": lambda: rng.choice(["00064", "00010", "00062"]) + "0" + _num(rng, 16),
        "JO": lambda: rng.choice(["ARAB", "HBHO", "CAAB"]) + _num(rng, 22),
        "LB": lambda: rng.choice(["0999", "0010", "0057"]) + _num(rng, 20),
    }
    return builders[country]()


IBAN_COUNTRIES = ("FR", "BE", "ES", "DE", "NL", "GB", "CH", "LU", "AE", "SA", "QA", "TR", "JO", "LB")


def iban(rng: random.Random, country: str) -> str:
    """A fictitious IBAN whose check digits (ISO 13616, mod 97) and national check digits are valid."""
    bban = _bban(rng, country)
    raw = country + _iban_check(country, bban) + bban
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _bech32_polymod(values: list[int]) -> int:
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if (top >> i) & 1 else 0
    return chk


def bitcoin_address(rng: random.Random) -> str:
    """A segwit v0 (bc1q…) address with a valid BIP-173 checksum, for a random program."""
    program = bytes(rng.getrandbits(8) for _ in range(20))
    acc, bits, data = 0, 0, [0]
    for byte in program:
        acc, bits = (acc << 8) | byte, bits + 8
        while bits >= 5:
            bits -= 5
            data.append((acc >> bits) & 31)
    if bits:
        data.append((acc << (5 - bits)) & 31)
    hrp = [ord(x) >> 5 for x in "bc"] + [0] + [ord(x) & 31 for x in "bc"]
    polymod = _bech32_polymod(hrp + data + [0] * 6) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return "bc1" + "".join(_BECH32[d] for d in data + checksum)


def tron_address(rng: random.Random) -> str:
    """A TRON (T…) address: base58check of 0x41 and a random 20-byte account, with a valid checksum."""
    payload = b"\x41" + bytes(rng.getrandbits(8) for _ in range(20))
    full = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number, out = int.from_bytes(full, "big"), ""
    while number:
        number, rem = divmod(number, 58)
        out = _B58[rem] + out
    return out


# --- vocabulary ---------------------------------------------------------------------------------------------

# Given names and family names as "Latin|original script" pairs, by naming tradition.
ARABIC_GIVEN_M = (
    "Youssef|يوسف",
    "Mohamed|محمد",
    "Karim|كريم",
    "Rachid|رشيد",
    "Omar|عمر",
    "Hassan|حسن",
    "Khalid|خالد",
    "Mehdi|مهدي",
    "Anas|أنس",
    "Hamza|حمزة",
    "Tarik|طارق",
    "Abdelilah|عبد الإله",
    "Bilal|بلال",
    "Nabil|نبيل",
    "Ayoub|أيوب",
    "Said|سعيد",
)
ARABIC_GIVEN_F = (
    "Fatima Zahra|فاطمة الزهراء",
    "Samira|سميرة",
    "Nadia|نادية",
    "Amina|أمينة",
    "Khadija|خديجة",
    "Layla|ليلى",
    "Salma|سلمى",
    "Hind|هند",
    "Meryem|مريم",
    "Zineb|زينب",
    "Houda|هدى",
    "Sanaa|سناء",
)
ARABIC_FAMILY = (
    "El Amrani|العمراني",
    "Benali|بن علي",
    "Idrissi|الإدريسي",
    "Haddad|حداد",
    "Touati|التواتي",
    "Cherkaoui|الشرقاوي",
    "Belkadi|بلقاضي",
    "Mansouri|المنصوري",
    "Ait Taleb|آيت الطالب",
    "Ziani|الزياني",
    "Bouzid|بوزيد",
    "El Fassi|الفاسي",
    "Naciri|الناصري",
    "Saidi|السعيدي",
    "Ould Ahmed|ولد أحمد",
    "Al-Farsi|الفارسي",
    "Hamdi|حمدي",
    "Khoury|خوري",
    "Benjelloun|بنجلون",
    "Jaziri|الجزيري",
)
CYRILLIC_M = (
    ("Dmitri", "Дмитрий"),
    ("Sergei", "Сергей"),
    ("Igor", "Игорь"),
    ("Alexei", "Алексей"),
    ("Andriy", "Андрій"),
    ("Viktor", "Віктор"),
    ("Oleg", "Олег"),
    ("Pavel", "Павел"),
)
CYRILLIC_F = (
    ("Anastasia", "Анастасия"),
    ("Olena", "Олена"),
    ("Irina", "Ирина"),
    ("Natalia", "Наталья"),
    ("Yulia", "Юлия"),
    ("Oksana", "Оксана"),
)
# Family names with their masculine and feminine forms, Latin and Cyrillic.
CYRILLIC_FAMILY = (
    ("Volkov", "Volkova", "Волков", "Волкова"),
    ("Ivanov", "Ivanova", "Иванов", "Иванова"),
    ("Petrov", "Petrova", "Петров", "Петрова"),
    ("Smirnov", "Smirnova", "Смирнов", "Смирнова"),
    ("Kovalenko", "Kovalenko", "Коваленко", "Коваленко"),
    ("Bondarenko", "Bondarenko", "Бондаренко", "Бондаренко"),
    ("Shevchenko", "Shevchenko", "Шевченко", "Шевченко"),
    ("Morozov", "Morozova", "Морозов", "Морозова"),
)
CHINESE = (
    ("WANG", "Wei", "王", "伟"),
    ("LI", "Na", "李", "娜"),
    ("ZHANG", "Min", "张", "敏"),
    ("LIU", "Yang", "刘", "洋"),
    ("CHEN", "Jing", "陈", "静"),
    ("ZHAO", "Lei", "赵", "磊"),
)
LATIN = {
    "fr": (
        ("Jean-Pierre", "Sophie", "Lucas", "Camille", "Nicolas", "Claire", "Julien", "Émilie", "Thierry"),
        ("Martin", "Dubois", "Lefèvre", "Moreau", "Girard", "Fontaine", "Rousseau", "Mercier", "Lambert"),
    ),
    "es": (
        ("José", "María José", "Javier", "Lucía", "Alejandro", "Carmen", "Sergio", "Pilar"),
        ("García López", "Fernández Ruiz", "Martínez Sánchez", "Romero Díaz", "Navarro Gil", "Torres Molina"),
    ),
    "pt": (
        ("João", "Ana", "Pedro", "Mariana", "Rafael", "Beatriz"),
        ("Pereira", "Santos", "Oliveira", "Costa", "Ferreira", "Almeida"),
    ),
    "de": (
        ("Thomas", "Katrin", "Stefan", "Julia", "Markus", "Anja"),
        ("Müller", "Schneider", "Fischer", "Weber", "Wagner", "Becker"),
    ),
    "it": (
        ("Marco", "Giulia", "Luca", "Francesca", "Davide", "Chiara"),
        ("Rossi", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"),
    ),
    "nl": (
        ("Pieter", "Sanne", "Daan", "Lotte", "Bram", "Eva"),
        ("van den Berg", "de Vries", "Jansen", "Bakker", "Visser", "Smit"),
    ),
    "en": (
        ("James", "Emily", "Daniel", "Sarah", "Michael", "Laura", "Andrew", "Rachel"),
        ("Carter", "Thompson", "Walsh", "Bennett", "Hughes", "Morgan", "Reid", "Sullivan"),
    ),
    "west_africa_fr": (
        ("Moussa", "Aminata", "Ibrahima", "Fatoumata", "Seydou", "Awa", "Abdoulaye", "Mariam"),
        ("Diallo", "Traoré", "Koné", "Ouédraogo", "Ndiaye", "Sow", "Diop", "Camara", "Coulibaly"),
    ),
    "central_africa": (
        ("Jean-Claude", "Brigitte", "Serge", "Nadège"),
        ("Mbarga", "Nzé", "Ondoua", "Essomba"),
    ),
    "west_africa_en": (
        ("Chinedu", "Ngozi", "Emeka", "Kwame", "Akosua", "Tunde", "Funmilayo"),
        ("Okafor", "Adeyemi", "Mensah", "Boateng", "Okonkwo", "Asante", "Balogun"),
    ),
    "tr": (
        ("Mehmet", "Ayşe", "Emre", "Zeynep", "Burak", "Elif"),
        ("Yılmaz", "Demir", "Kaya", "Şahin", "Çelik"),  # noqa: RUF001 - Turkish dotless i
    ),
    "in": (("Rahul", "Priya", "Arjun", "Ananya", "Vikram"), ("Sharma", "Patel", "Singh", "Iyer", "Reddy")),
    "sv": (("Erik", "Anna", "Lars", "Karin"), ("Lindqvist", "Andersson", "Johansson", "Nilsson")),
}
TRADITION = {
    **dict.fromkeys(("MA", "DZ", "TN", "EG", "SA", "AE", "QA", "JO", "LB", "MR", "LY", "IQ", "SY"), "arabic"),
    **dict.fromkeys(("RU", "UA", "BY", "KZ"), "cyrillic"),
    "CN": "chinese",
    **dict.fromkeys(("FR", "BE", "LU", "CH", "CA", "MC"), "fr"),
    **dict.fromkeys(("ES", "CO", "MX", "AR"), "es"),
    **dict.fromkeys(("PT", "BR"), "pt"),
    **dict.fromkeys(("DE", "AT"), "de"),
    "IT": "it",
    "NL": "nl",
    "TR": "tr",
    "IN": "in",
    "SE": "sv",
    **dict.fromkeys(("GB", "US", "IE", "ZA", "AU"), "en"),
    **dict.fromkeys(("SN", "CI", "ML", "NE", "BF", "GN"), "west_africa_fr"),
    **dict.fromkeys(("CM", "GA", "CG", "CD"), "central_africa"),
    **dict.fromkeys(("NG", "GH"), "west_africa_en"),
}
CITIES = {
    "MA": ("Casablanca", "Tangier", "Rabat", "Marrakech", "Agadir", "Fès", "Nador", "Oujda"),
    "FR": ("Paris", "Marseille", "Lyon", "Lille", "Bordeaux", "Nice"),
    "ES": ("Madrid", "Algeciras", "Málaga", "Barcelona", "Valencia"),
    "BE": ("Brussels", "Antwerp", "Liège"),
    "NL": ("Rotterdam", "Amsterdam", "The Hague"),
    "DE": ("Frankfurt am Main", "Berlin", "Düsseldorf", "Hamburg"),
    "IT": ("Milan", "Genoa", "Rome", "Naples"),
    "PT": ("Lisbon", "Porto"),
    "GB": ("London", "Manchester", "Birmingham"),
    "US": ("Miami", "New York", "Houston"),
    "CA": ("Montreal", "Toronto"),
    "AE": ("Dubai", "Abu Dhabi", "Sharjah"),
    "TR": ("Istanbul", "Ankara", "Izmir"),
    "SN": ("Dakar", "Thiès"),
    "CI": ("Abidjan", "Bouaké"),
    "CN": ("Guangzhou", "Shenzhen", "Shanghai"),
    "NG": ("Lagos", "Abuja"),
    "BR": ("São Paulo", "Santos"),
    "RU": ("Moscow", "Saint Petersburg"),
    "UA": ("Kyiv", "Odesa"),
    "DZ": ("Algiers", "Oran"),
    "TN": ("Tunis", "Sfax"),
    "EG": ("Cairo", "Alexandria"),
}
CALLING_CODES = {
    "MA": "212",
    "FR": "33",
    "ES": "34",
    "BE": "32",
    "NL": "31",
    "DE": "49",
    "IT": "39",
    "PT": "351",
    "GB": "44",
    "US": "1",
    "CA": "1",
    "TN": "216",
    "DZ": "213",
    "EG": "20",
    "SN": "221",
    "CI": "225",
    "ML": "223",
    "MR": "222",
    "NE": "227",
    "BF": "226",
    "NG": "234",
    "GH": "233",
    "CM": "237",
    "AE": "971",
    "SA": "966",
    "QA": "974",
    "TR": "90",
    "CN": "86",
    "IN": "91",
    "RU": "7",
    "UA": "380",
    "BR": "55",
    "CH": "41",
    "LU": "352",
    "SE": "46",
    "IE": "353",
    "JO": "962",
    "LB": "961",
    "GA": "241",
    "AT": "43",
    "ZA": "27",
}
BANKS = {
    "FR": ("BNP Paribas", "Société Générale", "Crédit Agricole"),
    "ES": ("Banco Santander", "BBVA", "CaixaBank"),
    "BE": ("Belfius Bank", "KBC Bank"),
    "NL": ("ING Bank", "ABN AMRO Bank"),
    "DE": ("Deutsche Bank", "Commerzbank"),
    "GB": ("Barclays Bank UK", "HSBC UK Bank"),
    "CH": ("UBS Switzerland AG", "Banque Cantonale de Genève"),
    "LU": ("Banque Internationale à Luxembourg",),
    "AE": ("Emirates NBD", "First Abu Dhabi Bank"),
    "SA": ("Al Rajhi Bank",),
    "QA": ("Qatar National Bank",),
    "TR": ("Türkiye İş Bankası", "Garanti BBVA"),  # noqa: RUF001 - Turkish dotless i
    "JO": ("Arab Bank",),
    "LB": ("Bank Audi",),
    "MA": ("Attijariwafa bank", "Banque Populaire", "Bank of Africa", "CIH Bank"),
}
PROVIDERS = (
    ("Meta Platforms, Inc.", "US", "Facebook account"),
    ("Meta Platforms, Inc.", "US", "Instagram account"),
    ("WhatsApp LLC", "US", "WhatsApp number"),
    ("Google LLC", "US", "Gmail account"),
    ("Microsoft Corporation", "US", "Outlook account"),
    ("Apple Inc.", "US", "iCloud account"),
    ("Telegram Messenger Inc.", "AE", "Telegram account"),
    ("TikTok Technology Limited", "IE", "TikTok account"),
    ("OVH SAS", "FR", "virtual private server"),
    ("Hetzner Online GmbH", "DE", "dedicated server"),
    ("Binance Holdings Ltd", "AE", "exchange account"),
    ("Orange SA", "FR", "mobile line"),
    ("Vodafone España S.A.U.", "ES", "mobile line"),
    ("Proton AG", "CH", "Proton Mail account"),
)
ORG_STEMS = (
    "Atlas",
    "Medina",
    "Horizon",
    "Sahel",
    "Golden Crescent",
    "BlueWave",
    "Nova",
    "Oasis",
    "Orion",
    "Cedar",
    "Silk Road",
    "Andalus",
    "Pyramid",
    "Zenith",
    "Palmeraie",
    "Marina",
    "Argan",
    "Delta",
    "Phoenix",
    "Meridian",
)
ORG_SECTORS = (
    "Trading",
    "Import Export",
    "Logistics",
    "Invest",
    "Consulting",
    "Real Estate",
    "Mining",
    "Shipping",
    "Fintech",
    "Travel",
    "Construction",
    "General Trading",
)
LEGAL_FORMS = {
    "MA": "SARL",
    "FR": "SAS",
    "BE": "SRL",
    "ES": "S.L.",
    "DE": "GmbH",
    "NL": "B.V.",
    "GB": "Ltd",
    "US": "LLC",
    "AE": "FZE",
    "TR": "A.Ş.",
    "CN": "Co., Ltd.",
    "CH": "SA",
    "LU": "S.à r.l.",
    "IT": "S.r.l.",
    "PT": "Lda.",
    "SN": "SARL",
    "CI": "SARL",
    "NG": "Ltd",
    "GH": "Ltd",
    "QA": "W.L.L.",
    "SA": "LLC",
}
COUNTERPART_PREFIX = {
    "FR": "BEPI",
    "ES": "SGCJI",
    "BE": "AC-CI",
    "NL": "AIRS",
    "DE": "BfJ III",
    "IT": "DG-AIGC",
    "PT": "PGR-AC",
    "GB": "UKCA",
    "US": "OIA 182-",
    "CA": "IAG",
    "CH": "B",
    "TN": "DGAP",
    "DZ": "DACG",
    "SN": "DACG-CI",
    "TR": "DIABGM",
    "AE": "MOJ-IC",
    "NG": "FMOJ/CAU",
}


# --- offences -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    key: str
    flags: tuple[str, ...]
    iccs: str
    iccs_code: str
    offence: tuple[str, str]  # English, French
    summary: tuple[str, str]
    measures: tuple[str, ...]
    provisions: dict[str, str]
    kinds: tuple[str, ...] = ()  # kinds this story suits besides MLA and its relatives
    secret: bool = False


_EXT = ("extradition", "provisional_arrest", "transfer_proceedings")
SCENARIOS = (
    Scenario(
        "investment_fraud",
        ("organised_crime",),
        "07",
        "0701",
        ("Investment fraud and money laundering", "Escroquerie en bande organisée et blanchiment"),
        (
            "Between {year0} and {year1}, call centres in {city} offered fictitious investments in "
            "{product}; at least "
            "{victims} victims lost {amount}. The funds were paid into accounts of {org} and withdrawn in "
            "cash.",
            "Entre {year0} et {year1}, des centres d'appels installés à {city} ont proposé de faux "
            "placements en "
            "{product_fr} ; au moins {victims} victimes ont perdu {amount}. Les fonds ont transité par les "
            "comptes de "
            "{org} avant d'être retirés en espèces.",
        ),
        ("bank_records", "taking_evidence", "tracing", "freezing", "records"),
        {
            "FR": "Code pénal, art. 313-1, 313-2 et 324-1",
            "ES": "Código Penal, arts. 248, 250 y 301",
            "BE": "Code pénal, art. 496 et 505",
            "US": "18 U.S.C. §§ 1343, 1956",
            "GB": "Fraud Act 2006, s. 1; Proceeds of Crime Act 2002, s. 327",
            "MA": "Code pénal, art. 540; loi n° 43-05",
        },
        (*_EXT, "asset_recovery"),
    ),
    Scenario(
        "cocaine",
        ("drugs", "organised_crime"),
        "06",
        "0601",
        ("International cocaine trafficking", "Trafic international de cocaïne"),
        (
            "{qty} kg of cocaine were seized at {port} in a container of {cover} shipped by {org}. "
            "Telephone analysis "
            "links {suspect} to the organisers of the shipment.",
            "{qty} kg de cocaïne ont été saisis au port de {port} dans un conteneur de {cover_fr} expédié "
            "par {org}. "
            "L'analyse de la téléphonie relie {suspect} aux organisateurs de l'envoi.",
        ),
        ("taking_evidence", "records", "search_seizure", "subscriber_info", "bank_records", "interception"),
        {
            "FR": "Code pénal, art. 222-36 et 222-37",
            "ES": "Código Penal, arts. 368 y 369 bis",
            "NL": "Opiumwet, art. 2 en 10",
            "BE": "Loi du 24 février 1921, art. 2bis",
            "US": "21 U.S.C. §§ 841, 846, 960",
            "MA": "Dahir du 21 mai 1974 relatif à la répression de la toxicomanie, art. 2",
        },
        (*_EXT, "asset_recovery", "jit"),
    ),
    Scenario(
        "cannabis",
        ("drugs", "organised_crime"),
        "06",
        "0601",
        ("Trafficking in cannabis resin", "Trafic de résine de cannabis"),
        (
            "Go-fast boats carrying about {qty} kg of cannabis resin crossed towards {city}; {suspect} is "
            "suspected of "
            "coordinating the landings and laundering the proceeds through {org}.",
            "Des embarcations rapides transportant environ {qty} kg de résine de cannabis ont rallié {city} "
            "; "
            "{suspect} est soupçonné de coordonner les débarquements et de blanchir le produit via {org}.",
        ),
        ("taking_evidence", "subscriber_info", "bank_records", "search_seizure", "realtime_traffic"),
        {
            "ES": "Código Penal, arts. 368 y 370",
            "FR": "Code pénal, art. 222-36",
            "MA": "Dahir du 21 mai 1974, art. 2",
        },
        (*_EXT, "jit"),
    ),
    Scenario(
        "bribery",
        ("corruption", "asset_recovery"),
        "07",
        "0703",
        (
            "Bribery of public officials in public procurement",
            "Corruption d'agents publics dans les marchés publics",
        ),
        (
            "{org} is suspected of paying about {amount} in bribes to officials to win contracts for "
            "{works}; the "
            "payments went through consultancy contracts with a company registered in {country2}.",
            "{org} aurait versé environ {amount} de pots-de-vin à des agents publics pour obtenir des "
            "marchés de "
            "{works_fr} ; les paiements ont transité par des contrats de conseil avec une société établie "
            "{country2_fr}.",
        ),
        ("bank_records", "records", "taking_evidence", "freezing", "tracing"),
        {
            "FR": "Code pénal, art. 432-11 et 433-1",
            "GB": "Bribery Act 2010, ss. 1, 6",
            "US": "15 U.S.C. § 78dd-2 (FCPA)",
            "CH": "Code pénal suisse, art. 322septies",
            "MA": "Code pénal, art. 248 à 256",
        },
        ("asset_recovery", "transfer_proceedings"),
    ),
    Scenario(
        "embezzlement",
        ("corruption", "asset_recovery"),
        "07",
        "0703",
        ("Embezzlement of public funds", "Détournement de deniers publics"),
        (
            "A former director of a state-owned company, {suspect}, is accused of diverting {amount} to "
            "accounts "
            "abroad and buying property in {city} through {org}.",
            "Un ancien directeur d'une entreprise publique, {suspect}, est poursuivi pour avoir détourné "
            "{amount} vers "
            "des comptes à l'étranger et acquis des biens immobiliers à {city} par l'intermédiaire de {org}.",
        ),
        ("tracing", "bank_records", "freezing", "confiscation", "records"),
        {"FR": "Code pénal, art. 432-15", "CH": "Code pénal suisse, art. 314", "MA": "Code pénal, art. 241"},
        (*_EXT, "asset_recovery"),
    ),
    Scenario(
        "terror_financing",
        ("terrorism",),
        "09",
        "",
        ("Financing of terrorism", "Financement du terrorisme"),
        (
            "Transfers totalling {amount} were sent through money transfer operators and crypto-assets to "
            "persons "
            "linked to a terrorist group in the Sahel; {suspect} is suspected of collecting the funds.",
            "Des transferts d'un total de {amount} ont été envoyés par des sociétés de transfert d'argent "
            "et en "
            "crypto-actifs à des personnes liées à un groupe terroriste au Sahel ; {suspect} est soupçonné "
            "d'avoir "
            "collecté les fonds.",
        ),
        ("bank_records", "stored_data", "subscriber_info", "tracing"),
        {
            "FR": "Code pénal, art. 421-2-2",
            "BE": "Code pénal, art. 140",
            "ES": "Código Penal, art. 576",
            "US": "18 U.S.C. § 2339B",
            "MA": "Code pénal, art. 218-4 (loi n° 03-03)",
        },
        ("jit", "preservation"),
        secret=True,
    ),
    Scenario(
        "ftf",
        ("terrorism",),
        "09",
        "",
        (
            "Participation in a terrorist group (foreign terrorist fighter)",
            "Association de malfaiteurs terroriste (combattant terroriste étranger)",
        ),
        (
            "{suspect} travelled to a conflict zone in {year0} and came back through {city}; messages "
            "exchanged with "
            "recruiters and money received from abroad are under investigation.",
            "{suspect} s'est rendu dans une zone de conflit en {year0} et est revenu par {city} ; les "
            "échanges avec des "
            "recruteurs et les fonds reçus de l'étranger font l'objet de l'enquête.",
        ),
        ("taking_evidence", "stored_data", "records", "information"),
        {
            "FR": "Code pénal, art. 421-2-1",
            "BE": "Code pénal, art. 140sexies",
            "MA": "Code pénal, art. 218-1-1",
        },
        (*_EXT, "jit"),
        secret=True,
    ),
    Scenario(
        "human_trafficking",
        ("trafficking", "organised_crime"),
        "02",
        "0204",
        (
            "Trafficking in persons for sexual exploitation",
            "Traite des êtres humains aux fins d'exploitation sexuelle",
        ),
        (
            "Young women recruited in {home_city} with promises of hotel jobs were exploited in {city}; "
            "{suspect} "
            "organised their travel and kept their earnings.",
            "Des jeunes femmes recrutées à {home_city} avec des promesses d'emploi dans l'hôtellerie ont "
            "été exploitées "
            "à {city} ; {suspect} organisait leurs voyages et confisquait leurs gains.",
        ),
        ("taking_evidence", "videoconference", "bank_records", "records", "voluntary_appearance"),
        {
            "FR": "Code pénal, art. 225-4-1",
            "ES": "Código Penal, art. 177 bis",
            "BE": "Code pénal, art. 433quinquies",
            "MA": "Loi n° 27-14 (Code pénal, art. 448-1)",
        },
        (*_EXT, "jit"),
    ),
    Scenario(
        "migrant_smuggling",
        ("trafficking", "organised_crime"),
        "08",
        "",
        ("Smuggling of migrants", "Trafic de migrants"),
        (
            "Boats leaving the coast near {home_city} carried migrants to {city} for about EUR 4,000 each; "
            "payments "
            "went through hawala and mobile money accounts controlled by {suspect}.",
            "Des embarcations parties des côtes près de {home_city} ont conduit des migrants vers {city} "
            "contre environ "
            "4 000 euros chacun ; les paiements passaient par la hawala et des comptes de monnaie mobile "
            "contrôlés par "
            "{suspect}.",
        ),
        ("subscriber_info", "bank_records", "taking_evidence", "traffic_disclosure"),
        {
            "ES": "Código Penal, art. 318 bis",
            "IT": "D.Lgs. 286/1998, art. 12",
            "FR": "CESEDA, art. L. 823-1",
            "MA": "Loi n° 02-03, art. 52",
        },
        ("jit", "transfer_proceedings"),
    ),
    Scenario(
        "ransomware",
        ("cybercrime", "organised_crime"),
        "09",
        "",
        ("Ransomware attack on a hospital", "Attaque par rançongiciel contre un hôpital"),
        (
            "On {date}, the information systems of {victim_org} were encrypted and a ransom of {btc} BTC "
            "was demanded. "
            "The intrusion came from servers rented from {provider}; the ransom wallet is {wallet}.",
            "Le {date}, les systèmes d'information de {victim_org} ont été chiffrés et une rançon de {btc} "
            "BTC exigée. "
            "L'intrusion provenait de serveurs loués auprès de {provider} ; le portefeuille de la rançon "
            "est {wallet}.",
        ),
        (
            "preservation",
            "stored_data",
            "traffic_disclosure",
            "subscriber_info",
            "domain_registration",
            "tracing",
        ),
        {
            "FR": "Code pénal, art. 323-1, 323-3 et 312-1",
            "DE": "StGB §§ 202a, 303a, 303b, 253",
            "US": "18 U.S.C. § 1030",
            "GB": "Computer Misuse Act 1990, ss. 1, 3",
            "MA": "Code pénal, art. 607-3 à 607-7",
        },
        ("preservation", "emergency", "jit"),
    ),
    Scenario(
        "bec",
        ("cybercrime",),
        "07",
        "0701",
        ("Business e-mail compromise fraud", "Fraude au faux ordre de virement"),
        (
            "An e-mail sent from the hacked mailbox of a supplier led {victim_org} to transfer {amount} to "
            "an account "
            "at {bank}; the funds were moved within 48 hours to accounts in {country2}.",
            "Un courriel envoyé depuis la messagerie piratée d'un fournisseur a conduit {victim_org} à "
            "virer {amount} "
            "sur un compte ouvert chez {bank} ; les fonds ont été transférés en 48 heures vers des comptes "
            "{country2_fr}.",
        ),
        ("bank_records", "freezing", "subscriber_info", "stored_data", "traffic_disclosure"),
        {
            "FR": "Code pénal, art. 313-1",
            "US": "18 U.S.C. § 1343",
            "ES": "Código Penal, art. 248",
            "MA": "Code pénal, art. 540",
        },
        ("preservation", "emergency", "asset_recovery"),
    ),
    Scenario(
        "child_exploitation",
        ("cybercrime",),
        "03",
        "",
        ("Online sexual exploitation of children", "Exploitation sexuelle d'enfants en ligne"),
        (
            "An account on {platform} shared child sexual abuse material and extorted minors; the IP "
            "addresses used to "
            "log in point to {city}.",
            "Un compte sur {platform} diffusait des contenus pédopornographiques et extorquait des mineurs "
            "; les "
            "adresses IP de connexion renvoient vers {city}.",
        ),
        ("subscriber_info", "stored_data", "preservation", "search_seizure", "emergency_disclosure"),
        {
            "FR": "Code pénal, art. 227-23",
            "US": "18 U.S.C. § 2252A",
            "GB": "Protection of Children Act 1978, s. 1",
            "MA": "Code pénal, art. 503-2",
        },
        ("preservation", "emergency"),
    ),
    Scenario(
        "crypto_scam",
        ("cybercrime", "organised_crime", "asset_recovery"),
        "07",
        "0701",
        ("Crypto-asset investment scam", "Escroquerie aux placements en crypto-actifs"),
        (
            "Victims contacted on dating and messaging apps were led to invest {amount} on the fake "
            "platform {domain}; "
            "the funds were converted into USDT and sent to {wallet}.",
            "Des victimes approchées sur des applications de rencontre ont investi {amount} sur la fausse "
            "plateforme "
            "{domain} ; les fonds ont été convertis en USDT et envoyés vers {wallet}.",
        ),
        ("stored_data", "subscriber_info", "tracing", "freezing", "domain_registration"),
        {
            "FR": "Code pénal, art. 313-1 et 324-1",
            "US": "18 U.S.C. §§ 1343, 1956",
            "MA": "Code pénal, art. 540",
        },
        ("preservation", "asset_recovery"),
    ),
    Scenario(
        "homicide",
        (),
        "01",
        "0101",
        ("Murder", "Meurtre"),
        (
            "{victim_person} was found dead in {city} on {date}; {suspect} left the country the next day "
            "and is "
            "believed to be staying with relatives.",
            "{victim_person} a été retrouvé mort à {city} le {date} ; {suspect} a quitté le pays le "
            "lendemain et "
            "séjournerait chez des proches.",
        ),
        ("taking_evidence", "records", "examination", "search_seizure", "temporary_transfer"),
        {
            "FR": "Code pénal, art. 221-1",
            "ES": "Código Penal, art. 138",
            "BE": "Code pénal, art. 393",
            "MA": "Code pénal, art. 392",
        },
        _EXT,
    ),
    Scenario(
        "robbery",
        ("organised_crime",),
        "04",
        "0401",
        ("Armed robbery of a jewellery store", "Vol à main armée dans une bijouterie"),
        (
            "Three armed men robbed a jewellery store in {city} on {date} and took jewels worth {amount}; "
            "DNA found on "
            "an abandoned vehicle matches {suspect}.",
            "Trois hommes armés ont braqué une bijouterie à {city} le {date} et emporté des bijoux d'une "
            "valeur de "
            "{amount} ; l'ADN retrouvé dans un véhicule abandonné correspond à {suspect}.",
        ),
        ("examination", "taking_evidence", "search_seizure", "records"),
        {"FR": "Code pénal, art. 311-8", "BE": "Code pénal, art. 471", "MA": "Code pénal, art. 507"},
        _EXT,
    ),
    Scenario(
        "wildlife",
        ("organised_crime",),
        "10",
        "",
        ("Trafficking in protected species", "Trafic d'espèces protégées"),
        (
            "Barbary macaques and Greek tortoises were found in vehicles crossing towards {city}; {org} is "
            "suspected of "
            "supplying buyers through social networks.",
            "Des magots et des tortues grecques ont été découverts dans des véhicules en route vers {city} "
            "; {org} est "
            "soupçonnée d'approvisionner des acheteurs via les réseaux sociaux.",
        ),
        ("records", "information", "subscriber_info"),
        {
            "ES": "Código Penal, art. 334",
            "FR": "Code de l'environnement, art. L. 415-3",
            "MA": "Loi n° 29-05 relative à la protection des espèces de flore et de faune sauvages",
        },
        ("service",),
    ),
    Scenario(
        "vat_fraud",
        ("organised_crime",),
        "07",
        "0701",
        ("VAT carousel fraud", "Fraude carrousel à la TVA"),
        (
            "A chain of companies including {org} bought mobile phones from suppliers in {country2} and "
            "resold them in "
            "{city} to claim VAT refunds of {amount}.",
            "Une chaîne de sociétés dont {org} a acheté des téléphones portables à des fournisseurs établis "
            "{country2_fr} et les a revendus à {city} pour obtenir des remboursements de TVA de {amount}.",
        ),
        ("bank_records", "records", "information", "taking_evidence"),
        {
            "BE": "Code de la TVA, art. 73",
            "FR": "Code général des impôts, art. 1741",
            "MA": "Code pénal, art. 540",
        },
        ("transfer_proceedings",),
    ),
    Scenario(
        "medicines",
        ("organised_crime",),
        "09",
        "",
        ("Trafficking in falsified medicines", "Trafic de médicaments falsifiés"),
        (
            "Falsified antimalarial and oncology medicines made in {country2} were sold online and through "
            "pharmacies in "
            "{city}; {org} imported them as cosmetics.",
            "Des antipaludéens et anticancéreux falsifiés fabriqués {country2_fr} étaient vendus en ligne "
            "et en "
            "pharmacie à {city} ; {org} les importait comme cosmétiques.",
        ),
        ("records", "examination", "search_seizure", "domain_registration"),
        {"FR": "Code de la santé publique, art. L. 5421-13", "MA": "Loi n° 17-04 portant code du médicament"},
        ("service",),
    ),
    Scenario(
        "kidnapping",
        ("organised_crime",),
        "02",
        "",
        ("Kidnapping for ransom", "Enlèvement contre rançon"),
        (
            "{victim_person} was abducted in {city} on {date}; the kidnappers demand a ransom by phone from "
            "a number "
            "registered abroad and the victim's life is at risk.",
            "{victim_person} a été enlevé à {city} le {date} ; les ravisseurs exigent une rançon par "
            "téléphone depuis "
            "un numéro enregistré à l'étranger et la vie de la victime est menacée.",
        ),
        ("emergency_disclosure", "subscriber_info", "realtime_traffic"),
        {"FR": "Code pénal, art. 224-4", "MA": "Code pénal, art. 436 à 440"},
        ("emergency", "extradition", "provisional_arrest"),
    ),
    Scenario(
        "threats",
        ("terrorism", "cybercrime"),
        "09",
        "",
        ("Threats of an attack posted online", "Menaces d'attentat publiées en ligne"),
        (
            "A {platform} account announced an attack on a school in {city} within days and posted "
            "photographs of "
            "weapons; the account must be identified at once.",
            "Un compte {platform} a annoncé un attentat contre une école de {city} dans les prochains jours "
            "et publié "
            "des photographies d'armes ; il doit être identifié sans délai.",
        ),
        ("emergency_disclosure", "subscriber_info", "preservation"),
        {"FR": "Code pénal, art. 421-2-5", "MA": "Code pénal, art. 218-1"},
        ("emergency", "preservation"),
        secret=True,
    ),
)

PRODUCTS = (
    ("forex trading", "trading sur le Forex"),
    ("cryptocurrency mining", "minage de cryptomonnaies"),
    ("diamond funds", "fonds de diamants"),
    ("holiday apartments", "appartements de vacances"),
    ("carbon credits", "crédits carbone"),
)
COVERS = (
    ("bananas", "bananes"),
    ("frozen fish", "poisson congelé"),
    ("ceramic tiles", "carrelage"),
    ("fruit juice", "jus de fruits"),
)
# Third countries where proceeds and goods go, with the preposition each takes ("in …", "en …").
THIRD_COUNTRIES = (
    ("AE", ("the United Arab Emirates", "aux Émirats arabes unis")),
    ("TR", ("Türkiye", "en Turquie")),
    ("CN", ("China", "en Chine")),
    ("HK", ("Hong Kong", "à Hong Kong")),
    ("CY", ("Cyprus", "à Chypre")),
    ("MT", ("Malta", "à Malte")),
    ("PA", ("Panama", "au Panama")),
)
PORTS = ("Tanger Med", "Algeciras", "Rotterdam", "Antwerp", "Le Havre", "Valencia", "Casablanca", "Santos")
WORKS = (
    ("road construction", "construction routière"),
    ("hospital equipment", "équipement hospitalier"),
    ("port dredging", "dragage portuaire"),
    ("school meals", "restauration scolaire"),
)
PLATFORMS = ("Instagram", "Telegram", "TikTok", "Snapchat", "Facebook", "Discord")
VICTIM_ORGS = (
    "the University Hospital of {city}",
    "the municipality of {city}",
    "a logistics company in {city}",
    "a private clinic in {city}",
)
PRIORITY_REASONS = {
    c.Priority.URGENT: (
        "Person in custody: the provisional arrest expires soon",
        "Risk to life",
        "Data may be deleted: the provider keeps logs for 90 days only",
        "Trial date set: evidence needed before the hearing",
        "Assets may be moved at any time",
    ),
    c.Priority.HIGH: (
        "Suspect in pre-trial detention",
        "Limitation period runs out next year",
        "Large number of victims",
        "Linked to a terrorism investigation",
    ),
    c.Priority.LOW: (
        "Service of documents with no hearing date set",
        "Historical offence, no person in custody",
    ),
}
REASONS = {
    "awaiting_information": (
        "The request does not state the link between the accounts and the offence.",
        "The facts summary is missing: asked the requesting authority for it.",
        "The period of the bank records sought is not given.",
    ),
    "additional_information": (
        "The requested State asks for the legal provisions in force at the time of the facts.",
        "The requested State asks for a certified translation of the freezing order.",
        "The requested State asks how the evidence relates to each suspect.",
    ),
    "postponed": (
        "Execution would interfere with an ongoing domestic investigation (UNTOC art. 18(25)).",
        "The witness is abroad until next month.",
    ),
    "refused": (
        "Dual criminality is not met for the coercive measures requested.",
        "The request relates to a fiscal offence only and no treaty applies.",
        "Essential interests of the State (ordre public).",
    ),
    "withdrawn": (
        "The requesting authority withdrew the request: the case was closed.",
        "The suspect has been arrested in a third country; request no longer needed.",
    ),
    "draft": (
        "Please add the link between the evidence sought and the offence, and the translation.",
        "The legal basis is wrong: use the bilateral convention.",
    ),
    "released": (
        "The court ordered release: the formal request did not arrive in time.",
        "Released on bail with conditions by the court.",
    ),
    "released_abroad": ("Released by the requested State's court pending the hearing.",),
    "granted": ("The court found the person extraditable; the Minister signed the surrender decree.",),
}


# --- content ------------------------------------------------------------------------------------------------


@dataclass
class Person:
    name: str
    given: str
    family: str
    original: str
    gender: str
    nationality: str


class Fabricator:
    """Realistic, fictitious content for demo and generated matters, from a seeded random generator."""

    def __init__(self, rng: random.Random, home: str) -> None:
        self.rng = rng
        self.home = home
        self._counter_refs: dict[tuple[str, str], int] = {}

    # people and organisations
    def person(self, nationality: str) -> Person:
        rng = self.rng
        tradition = TRADITION.get(nationality, "en")
        gender = rng.choice("MMMF")
        if tradition == "arabic":
            given_l, given_n = rng.choice(ARABIC_GIVEN_M if gender == "M" else ARABIC_GIVEN_F).split("|")
            family_l, family_n = rng.choice(ARABIC_FAMILY).split("|")
            return Person(f"{given_l} {family_l}", given_l, family_l, f"{given_n} {family_n}", gender, nationality)
        if tradition == "cyrillic":
            g = rng.choice(CYRILLIC_M if gender == "M" else CYRILLIC_F)
            fam = rng.choice(CYRILLIC_FAMILY)
            latin, native = (fam[0], fam[2]) if gender == "M" else (fam[1], fam[3])
            return Person(f"{g[0]} {latin}", g[0], latin, f"{g[1]} {native}", gender, nationality)
        if tradition == "chinese":
            fam_l, giv_l, fam_n, giv_n = rng.choice(CHINESE)
            return Person(f"{fam_l} {giv_l}", giv_l, fam_l, fam_n + giv_n, gender, nationality)
        given_pool, family_pool = LATIN[tradition]
        given, family = rng.choice(given_pool), rng.choice(family_pool)
        return Person(f"{given} {family}", given, family, "", gender, nationality)

    def organisation(self, country: str) -> str:
        form = LEGAL_FORMS.get(country, "Ltd")
        return f"{self.rng.choice(ORG_STEMS)} {self.rng.choice(ORG_SECTORS)} {form}"

    def city(self, country: str, fallback: str = "") -> str:
        return self.rng.choice(CITIES.get(country) or (fallback or "the capital",))

    # identifiers
    def passport(self, country: str) -> str:
        rng = self.rng
        if country == "MA":
            return _alpha(rng, 2) + _num(rng, 7)
        if country == "FR":
            return _num(rng, 2) + _alpha(rng, 2) + _num(rng, 5)
        if country == "ES":
            return _alpha(rng, 3) + _num(rng, 6)
        if country in {"GB", "US", "CA"}:
            return _num(rng, 9)
        if country == "DE":
            return "C" + _alpha(rng, 8, "CFGHJKLMNPRTVWXYZ0123456789")
        return _alpha(rng, 1) + _num(rng, 7)

    def phone(self, country: str) -> str:
        rng = self.rng
        if country == "FR":
            return f"+33 6 39 98 {_num(rng, 2)} {_num(rng, 2)}"  # ARCEP range reserved for fiction
        if country == "GB":
            return f"+44 7700 900{_num(rng, 3)}"  # Ofcom drama range
        if country in {"US", "CA"}:
            return f"+1 202 555 01{_num(rng, 2)}"  # 555-0100 to 555-0199: fiction
        if country == "MA":
            return f"+212 6{_num(rng, 2)} {_num(rng, 2)} {_num(rng, 2)} {_num(rng, 2)}"
        return f"+{CALLING_CODES.get(country, '44')} {_num(rng, 3)} {_num(rng, 3)} {_num(rng, 3)}"

    def email(self, person: Person | None = None, org: str = "") -> str:
        rng = self.rng
        if org:
            stem = "".join(ch for ch in org.lower().split()[0] if ch.isalnum()) or "contact"
            return f"{rng.choice(['contact', 'finance', 'info', 'direction'])}@{stem}-{_num(rng, 2)}.example"
        base = (person.given[0] + "." + person.family) if person else "user"
        local = "".join(ch for ch in base.lower().replace(" ", "") if ch.isascii() and (ch.isalnum() or ch == "."))
        suffix = rng.choice(["", _num(rng, 2), _num(rng, 4)])
        return f"{local}{suffix}@{rng.choice(['mail', 'inbox', 'post'])}.example"

    def ip(self) -> str:
        rng = self.rng
        if rng.random() < 0.15:
            return f"2001:db8:{rng.randint(1, 0xFFFF):x}::{rng.randint(1, 0xFFFF):x}"
        return f"{rng.choice(['192.0.2', '198.51.100', '203.0.113'])}.{rng.randint(1, 254)}"

    def wallet(self) -> str:
        return bitcoin_address(self.rng) if self.rng.random() < 0.5 else tron_address(self.rng)

    def iban(self, country: str | None = None) -> str:
        if country not in IBAN_COUNTRIES:
            country = self.rng.choice(("FR", "ES", "BE", "AE", "TR", "NL", "GB", "CH", "LU"))
        return iban(self.rng, country)

    def bank(self, country: str) -> str:
        pool = BANKS.get(country)
        return self.rng.choice(pool) if pool else f"a bank in {country}"

    def provider(self) -> tuple[str, str, str]:
        return self.rng.choice(PROVIDERS)

    def domain(self) -> str:
        rng = self.rng
        return f"{rng.choice(['secure', 'prime', 'global', 'smart', 'elite'])}-{rng.choice(['coin', 'invest', 'trade', 'yield'])}-{rng.choice(['pro', 'hub', 'capital', 'markets'])}.example"  # noqa: E501

    def reference(self, country: str, year: int) -> str:
        key = (country, str(year))
        n = self._counter_refs[key] = self._counter_refs.get(key, 0) + 1
        prefix = COUNTERPART_PREFIX.get(country, country)
        return f"{prefix}{'' if prefix.endswith('-') else ' '}{year}/{100 + n * 7:05d}"

    # subjects
    def subject_person(
        self,
        nationality: str,
        role: str,
        *,
        financial: bool = False,
        cyber: bool = False,
        birth_city: str = "",
    ) -> dict[str, Any]:
        rng = self.rng
        p = self.person(nationality)
        identifiers: list[dict[str, Any]] = []
        if rng.random() < 0.75:
            identifiers.append({"type": c.IdentifierType.PASSPORT, "value": self.passport(nationality)})
        if nationality == self.home and rng.random() < 0.5:
            identifiers.append({"type": c.IdentifierType.NATIONAL_ID, "value": _alpha(rng, 2) + _num(rng, 6)})
        if rng.random() < 0.6:
            identifiers.append({"type": c.IdentifierType.PHONE, "value": self.phone(nationality)})
        if rng.random() < 0.45:
            identifiers.append({"type": c.IdentifierType.EMAIL, "value": self.email(p)})
        if financial and rng.random() < 0.7:
            identifiers.append({"type": c.IdentifierType.IBAN, "value": self.iban(nationality)})
        if (cyber or financial) and rng.random() < 0.35:
            identifiers.append({"type": c.IdentifierType.CRYPTO_WALLET, "value": self.wallet()})
        if cyber and rng.random() < 0.6:
            identifiers.append({"type": c.IdentifierType.IP, "value": self.ip()})
        born = date(rng.randint(1958, 2003), rng.randint(1, 12), rng.randint(1, 28))
        return {
            "kind": c.SubjectKind.PERSON,
            "role": role,
            "name": p.name,
            "given_names": p.given,
            "family_name": p.family,
            "original_script_name": p.original,
            "birth_date": born,
            "birth_place": birth_city or self.city(nationality),
            "gender": p.gender,
            "nationality": nationality,
            "identifiers": identifiers,
        }

    def subject_org(self, country: str, role: str = c.SubjectRole.COMPANY) -> dict[str, Any]:
        rng = self.rng
        name = self.organisation(country)
        identifiers = [{"type": c.IdentifierType.REGISTRATION, "value": f"{country}-{_num(rng, 6)}-{_num(rng, 2)}"}]
        if rng.random() < 0.8:
            identifiers.append({"type": c.IdentifierType.IBAN, "value": self.iban(country)})
        if rng.random() < 0.4:
            identifiers.append({"type": c.IdentifierType.EMAIL, "value": self.email(org=name)})
        return {
            "kind": c.SubjectKind.ORGANISATION,
            "role": role,
            "name": name,
            "address": f"{rng.randint(1, 240)} {rng.choice(['Boulevard', 'Avenue', 'Rue', 'Street'])} "
            f"{rng.choice(ORG_STEMS)}, {self.city(country)}",
            "nationality": country,
            "identifiers": identifiers,
        }

    # measures
    def period(self, end: date) -> tuple[str, str]:
        start = end - timedelta(days=self.rng.choice((180, 365, 540, 730)))
        return start.isoformat(), end.isoformat()

    def measure(self, mtype: str, ctx: dict[str, Any]) -> dict[str, Any]:
        """A measure of the catalogue with the details its definition asks for."""
        rng = self.rng
        suspect, city, day = ctx["suspect"], ctx["city"], ctx["today"]
        provider, _pcountry, account_kind = ctx.get("provider") or self.provider()
        ident = ctx.get("identifier") or self.email()
        start, end = self.period(day - timedelta(days=rng.randint(10, 120)))
        court = f"the investigating judge of {city}"
        details: dict[str, Any]
        if mtype == MeasureType.TAKING_EVIDENCE:
            person = ctx.get("witness") or suspect
            details = {
                "person": person,
                "capacity": rng.choice(["witness", "suspect", "victim"]),
                "questions": "1. How do you know {s}? 2. Who opened and operated the accounts? 3. Describe "
                "the payments you received or made.".format(s=suspect),
                "under_oath": rng.random() < 0.6,
                "presence_requested": rng.random() < 0.3,
                "procedure": "Hearing in the presence of a lawyer; audio recording requested.",
            }
        elif mtype == MeasureType.SERVICE:
            details = {
                "addressee": suspect,
                "address": f"{rng.randint(1, 120)} Rue {rng.choice(ORG_STEMS)}, {city}",
                "documents": f"Summons to appear before the Criminal Court of {ctx['home_city']} and the indictment",
                "proof_required": True,
            }
        elif mtype == MeasureType.SEARCH_SEIZURE:
            details = {
                "premises": f"Residence of {suspect} in {city}, with its garage and storage unit",
                "items": "Mobile phones, computers, storage media, accounts, cash over EUR 10,000",
                "grounds": "Telephone analysis and surveillance place the suspect at these premises.",
            }
        elif mtype == MeasureType.FREEZING:
            details = {
                "assets": f"Account {self.iban(ctx['country'])} and an apartment in {city}",
                "holder": ctx.get("org") or suspect,
                "estimated_value": ctx["amount"],
                "order_reference": f"Freezing order of {court}, {day.isoformat()}",
            }
        elif mtype == MeasureType.EXAMINATION:
            details = {
                "object_or_site": f"Vehicle abandoned in {city} (registration noted in the annex)",
                "purpose": "Collect DNA and fingerprints and compare them with the suspect's profile.",
            }
        elif mtype == MeasureType.INFORMATION:
            details = {
                "information": "Criminal record, known addresses and travel history of the suspect",
                "holder": "Police and border authorities",
            }
        elif mtype == MeasureType.RECORDS:
            details = {
                "record_holder": f"Commercial register of {city}",
                "records": f"Articles of association, shareholders and directors of {ctx.get('org') or 'the company'}",
                "period_from": start,
                "period_to": end,
                "certified": True,
            }
        elif mtype == MeasureType.BANK_RECORDS:
            details = {
                "bank": self.bank(ctx["country"]),
                "accounts": f"{self.iban(ctx['country'])} — {ctx.get('org') or suspect}",
                "period_from": start,
                "period_to": end,
                "documents": "Account opening file, KYC documents, statements, details of transfers above "
                "EUR 5,000 and their counterparties",
            }
        elif mtype == MeasureType.TRACING:
            details = {
                "property": f"Real estate, vehicles and accounts held by {suspect} or by nominees",
                "known_links": f"Transfers from {ctx.get('org') or 'the company'} to the suspect's relatives",
            }
        elif mtype == MeasureType.VOLUNTARY_APPEARANCE:
            details = {
                "person": ctx.get("witness") or suspect,
                "appearance": f"Before the Criminal Court of {ctx['home_city']} as a witness",
                "expenses": True,
            }
        elif mtype == MeasureType.TEMPORARY_TRANSFER:
            details = {
                "person": suspect,
                "place": f"Prison of {city}",
                "purpose": "Confrontation with a co-accused before the investigating judge",
                "consent": rng.random() < 0.7,
            }
        elif mtype == MeasureType.VIDEOCONFERENCE:
            details = {
                "person": ctx.get("witness") or suspect,
                "capacity": "witness",
                "proposed_date": (day + timedelta(days=rng.randint(20, 60))).isoformat(),
                "technical_contact": f"IT desk of the court of {city}",
            }
        elif mtype == MeasureType.CONFISCATION:
            details = {
                "order": f"Final judgment of the Criminal Court of {ctx['home_city']} ordering confiscation",
                "assets": f"Apartment in {city} and the balance of account {self.iban(ctx['country'])}",
                "sharing_proposal": "Return of the confiscated proceeds to the victims, then equal sharing",
            }
        elif mtype == MeasureType.PRESERVATION:
            details = {
                "provider": provider,
                "identifiers": f"{account_kind}: {ident}",
                "data_categories": "Subscriber information, connection logs with IP addresses and times, "
                "stored content",
                "period_from": start,
                "period_to": end,
                "follow_up_request": True,
            }
        elif mtype == MeasureType.TRAFFIC_DISCLOSURE:
            details = {
                "provider": provider,
                "identifiers": f"{account_kind}: {ident}",
                "period_from": start,
                "period_to": end,
            }
        elif mtype == MeasureType.STORED_DATA:
            details = {
                "provider": provider,
                "identifiers": f"{account_kind}: {ident}",
                "data_category": rng.choice(["subscriber", "traffic", "content"]),
                "period_from": start,
                "period_to": end,
            }
        elif mtype == MeasureType.REALTIME_TRAFFIC:
            details = {"provider": provider, "identifiers": f"{account_kind}: {ident}", "duration_days": "30"}
        elif mtype == MeasureType.INTERCEPTION:
            details = {
                "provider": provider,
                "identifiers": f"{account_kind}: {ident}",
                "duration_days": "30",
                "legal_authorisation": f"Interception order of {court}, {day.isoformat()}",
            }
        elif mtype == MeasureType.DOMAIN_REGISTRATION:
            details = {"domain": ctx.get("domain") or self.domain(), "registrar": "the registrar of record"}
        elif mtype == MeasureType.SUBSCRIBER_INFO:
            details = {
                "provider": provider,
                "identifiers": f"{account_kind}: {ident}",
                "period_from": start,
                "period_to": end,
            }
        elif mtype == MeasureType.EMERGENCY_DISCLOSURE:
            details = {
                "provider": provider,
                "identifiers": f"{account_kind}: {ident}",
                "emergency": "A person's life is at imminent risk; the location of the device is needed.",
            }
        else:  # pragma: no cover - the catalogue and this list are kept together by a test
            raise ValueError(mtype)
        return {"type": mtype, "details": details}


KIND_MEASURES = {
    c.Kind.PRESERVATION: ("preservation",),
    c.Kind.EMERGENCY: ("emergency_disclosure", "subscriber_info"),
    c.Kind.ASSET_RECOVERY: ("freezing", "confiscation", "tracing", "bank_records"),
    c.Kind.SERVICE: ("service",),
    c.Kind.VIDEOCONFERENCE: ("videoconference",),
    c.Kind.JIT: ("information", "taking_evidence"),
    c.Kind.TRANSFER_PROCEEDINGS: ("records", "information"),
    c.Kind.EXTRADITION: (),
    c.Kind.PROVISIONAL_ARREST: (),
}
TITLES = {
    c.Kind.MLA: ("{offence} — {suspect} and others", "{offence} — {suspect} et autres"),
    c.Kind.EXTRADITION: ("Extradition of {suspect} ({offence_l})", "Extradition de {suspect} ({offence_l})"),
    c.Kind.PROVISIONAL_ARREST: (
        "Provisional arrest of {suspect} ({offence_l})",
        "Arrestation provisoire de {suspect} ({offence_l})",
    ),
    c.Kind.PRESERVATION: (
        "Preservation of {provider} data ({offence_l})",
        "Conservation de données {provider} ({offence_l})",
    ),
    c.Kind.EMERGENCY: ("Emergency request: {offence_l}", "Demande urgente : {offence_l}"),
    c.Kind.TRANSFER_PROCEEDINGS: (
        "Transfer of proceedings against {suspect} ({offence_l})",
        "Dénonciation officielle des faits contre {suspect} ({offence_l})",
    ),
    c.Kind.ASSET_RECOVERY: (
        "Freezing and confiscation of assets of {suspect} ({offence_l})",
        "Gel et confiscation des avoirs de {suspect} ({offence_l})",
    ),
    c.Kind.SERVICE: (
        "Service of documents on {suspect} ({offence_l})",
        "Notification d'actes à {suspect} ({offence_l})",
    ),
    c.Kind.VIDEOCONFERENCE: (
        "Hearing of {witness} by video-conference ({offence_l})",
        "Audition de {witness} par visioconférence ({offence_l})",
    ),
    c.Kind.JIT: (
        "Joint investigation team: {offence_l} ({city})",
        "Équipe commune d'enquête : {offence_l} ({city})",
    ),
    c.Kind.SUPPLEMENTARY: (
        "Supplementary request: {offence_l} — {suspect}",
        "Demande complémentaire : {offence_l} — {suspect}",
    ),
}
FRENCH_SPEAKING = {
    "FR",
    "BE",
    "LU",
    "CH",
    "CA",
    "SN",
    "CI",
    "ML",
    "MR",
    "NE",
    "BF",
    "CM",
    "GA",
    "TN",
    "DZ",
    "LB",
}


@dataclass
class MatterContent:
    """What ``register_case`` needs for one matter, plus the context the later steps use."""

    data: dict[str, Any]
    offences: list[dict[str, Any]]
    subjects: list[dict[str, Any]]
    measures: list[dict[str, Any]]
    scenario: Scenario
    language: str
    ctx: dict[str, Any]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


class MatterMaker:
    """Composes a whole matter: text, subjects, measures, offences, flags and priority."""

    def __init__(
        self,
        fab: Fabricator,
        countries: dict[str, Country],
        authorities: dict[str, Authority],
        instruments: dict[str, Instrument],
    ) -> None:
        self.fab = fab
        self.rng = fab.rng
        self.countries = countries
        self.authorities = authorities  # foreign central authority by country code
        self.instruments = instruments
        self._parties = {code: self._party_set(i) for code, i in instruments.items()}

    @staticmethod
    def _party_set(instrument: Instrument) -> set[str] | None:
        if instrument.parties_known:
            return set(instrument.parties.values_list("code", flat=True))
        if instrument.non_parties:
            return set(Country.objects.values_list("code", flat=True)) - set(instrument.non_parties)
        return None  # only a membership rule: not used as a basis in the demo

    def _both_parties(self, code: str, country: str) -> bool:
        parties = self._parties.get(code)
        return bool(parties) and self.fab.home in parties and country in parties  # type: ignore[operator]

    def legal_basis(self, scenario: Scenario, kind: str, country: str) -> tuple[Instrument | None, str]:
        extradition = kind in c.EXTRADITION_KINDS
        bilateral = f"{self.fab.home}-{country}-{'EXT' if extradition else 'MLA'}"
        candidates = [bilateral]
        if "cybercrime" in scenario.flags and not extradition:
            candidates.append("CETS185")
        if "corruption" in scenario.flags:
            candidates.append("UNCAC")
        if "drugs" in scenario.flags:
            candidates.append("UN1988")
        if "terrorism" in scenario.flags:
            candidates.append("ICSFT")
        candidates.append("UNTOC" if scenario.flags else "ETS030")
        for code in candidates:
            if code in self.instruments and self._both_parties(code, country):
                return self.instruments[code], ""
        return None, "Reciprocity: assurance of reciprocity given by the requesting State"

    def scenario(self, kind: str) -> Scenario:
        fitting = [s for s in SCENARIOS if kind in s.kinds]
        return self.rng.choice(fitting or SCENARIOS)

    def make(
        self,
        direction: str,
        kind: str,
        country: str,
        today: date,
        *,
        scenario: Scenario | None = None,
        secret: bool | None = None,
    ) -> MatterContent:
        rng, fab, home = self.rng, self.fab, self.fab.home
        scenario = scenario or self.scenario(kind)
        if secret is None:
            secret = scenario.secret and rng.random() < 0.8
        authority = self.authorities.get(country)
        foreign_city = fab.city(country, authority.city if authority else "")
        home_city = fab.city(home)
        city = foreign_city if direction == c.Direction.INCOMING else rng.choice((home_city, foreign_city))
        language = (
            "fr" if country in FRENCH_SPEAKING or (direction == c.Direction.OUTGOING and country == home) else "en"
        )
        financial = bool({"corruption", "asset_recovery", "organised_crime"} & set(scenario.flags))
        cyber = "cybercrime" in scenario.flags
        # The person concerned: mostly a national of one of the two States, sometimes of a third.
        nationality = rng.choice((home, home, country, country, rng.choice(list(TRADITION))))
        if nationality not in self.countries:
            nationality = country
        sought = (
            c.SubjectRole.PERSON_SOUGHT
            if kind in c.EXTRADITION_KINDS
            else rng.choice((c.SubjectRole.SUSPECT, c.SubjectRole.SUSPECT, c.SubjectRole.ACCUSED))
        )
        main = fab.subject_person(nationality, sought, financial=financial, cyber=cyber)
        subjects = [main]
        if kind not in c.EXTRADITION_KINDS:
            if rng.random() < 0.6:
                subjects.append(
                    fab.subject_person(
                        rng.choice((home, country)), c.SubjectRole.SUSPECT, financial=financial, cyber=cyber
                    )
                )
            if financial and rng.random() < 0.7:
                subjects.append(
                    fab.subject_org(rng.choice((country, "AE", home, "TR", "ES")) if rng.random() < 0.6 else country)
                )
            if rng.random() < 0.35 or kind == c.Kind.VIDEOCONFERENCE:
                subjects.append(
                    fab.subject_person(
                        rng.choice((home, country)), rng.choice((c.SubjectRole.WITNESS, c.SubjectRole.VICTIM))
                    )
                )
            if cyber and rng.random() < 0.5:
                pname, pcountry, _acc = fab.provider()
                subjects.append(
                    {
                        "kind": c.SubjectKind.ORGANISATION,
                        "role": c.SubjectRole.SERVICE_PROVIDER,
                        "name": pname,
                        "nationality": pcountry,
                        "identifiers": [],
                    }
                )
        org = next(
            (
                s["name"]
                for s in subjects
                if s["kind"] == c.SubjectKind.ORGANISATION and s["role"] == c.SubjectRole.COMPANY
            ),
            fab.organisation(country),
        )
        witness = next(
            (s["name"] for s in subjects if s["role"] in {c.SubjectRole.WITNESS, c.SubjectRole.VICTIM}),
            fab.person(country).name,
        )
        provider = fab.provider()
        wallet = next(
            (
                i["value"]
                for s in subjects
                for i in s.get("identifiers", [])
                if i["type"] == c.IdentifierType.CRYPTO_WALLET
            ),
            fab.wallet(),
        )
        identifier = next(
            (
                i["value"]
                for s in subjects
                for i in s.get("identifiers", [])
                if i["type"] in {c.IdentifierType.EMAIL, c.IdentifierType.PHONE}
            ),
            fab.email(),
        )
        _code, in_country2 = rng.choice(THIRD_COUNTRIES)
        amount = (
            f"EUR {rng.choice((0.3, 0.8, 1.2, 2.5, 4.7, 12.0, 38.0))} million"
            if rng.random() < 0.8
            else f"EUR {rng.randint(40, 900) * 1000:,}"
        )
        product = rng.choice(PRODUCTS)
        cover = rng.choice(COVERS)
        works = rng.choice(WORKS)
        year1 = today.year - rng.randint(0, 2)
        facts = {
            "year0": year1 - rng.randint(1, 3),
            "year1": year1,
            "city": city,
            "home_city": home_city,
            "product": product[0],
            "product_fr": product[1],
            "victims": rng.randint(40, 1200),
            "amount": amount,
            "org": org,
            "qty": rng.choice((180, 420, 750, 1300, 2600)),
            "port": rng.choice(PORTS),
            "cover": cover[0],
            "cover_fr": cover[1],
            "suspect": main["name"],
            "works": works[0],
            "works_fr": works[1],
            "country2": in_country2[0],
            "country2_fr": in_country2[1],
            "date": (today - timedelta(days=rng.randint(60, 700))).isoformat(),
            "victim_org": rng.choice(VICTIM_ORGS).format(city=city),
            "btc": rng.choice((5, 12, 25, 40)),
            "provider": provider[0],
            "wallet": wallet,
            "bank": fab.bank(country),
            "platform": rng.choice(PLATFORMS),
            "victim_person": fab.person(country).name,
            "domain": fab.domain(),
        }
        i = 1 if language == "fr" else 0
        summary = scenario.summary[i].format(**facts)
        offence = scenario.offence[i]
        title = TITLES[c.Kind(kind)][i].format(
            offence=offence,
            offence_l=_lower_first(offence),
            suspect=main["name"],
            provider=provider[0],
            witness=witness,
            city=city,
        )
        # Offences: the one of the story, and sometimes money laundering beside it.
        provision_country = country if direction == c.Direction.INCOMING else home
        offences = [
            {
                "iccs_section": scenario.iccs,
                "iccs_code": scenario.iccs_code,
                "description": offence,
                "legal_provision": scenario.provisions.get(provision_country, ""),
            }
        ]
        if financial and scenario.iccs_code != "0701" and rng.random() < 0.4:
            offences.append(
                {
                    "iccs_section": "07",
                    "iccs_code": "",
                    "description": "Blanchiment de capitaux" if i else "Money laundering",
                    "legal_provision": {
                        "FR": "Code pénal, art. 324-1",
                        "MA": "Loi n° 43-05",
                        "ES": "Código Penal, art. 301",
                    }.get(provision_country, ""),
                }
            )
        ctx = {
            "suspect": main["name"],
            "city": city,
            "home_city": home_city,
            "today": today,
            "country": country,
            "org": org,
            "witness": witness,
            "provider": provider,
            "identifier": identifier,
            "amount": amount,
            "domain": facts["domain"],
            "scenario": scenario.key,
        }
        types = list(KIND_MEASURES.get(c.Kind(kind), ()))
        if kind in {c.Kind.MLA, c.Kind.SUPPLEMENTARY} or (kind in KIND_MEASURES and rng.random() < 0.3):
            pool = [m for m in scenario.measures if m not in types]
            types += rng.sample(pool, k=min(len(pool), rng.choice((1, 2, 3, 3))))
        if kind in {c.Kind.ASSET_RECOVERY}:
            types = rng.sample(types, k=rng.choice((1, 2, 3)))
        measures = [fab.measure(t, ctx) for t in dict.fromkeys(types)]
        flags = set(scenario.flags)
        if financial and rng.random() < 0.3:
            flags.add("asset_recovery")
        priority = self._priority(kind, scenario)
        confidentiality = (
            Confidentiality.SECRET
            if secret
            else rng.choice((Confidentiality.RESTRICTED, Confidentiality.RESTRICTED, Confidentiality.CONFIDENTIAL))
        )
        basis, basis_note = self.legal_basis(scenario, kind, country)
        data = {
            "direction": direction,
            "kind": kind,
            "title": title[:255],
            "summary": summary,
            "counterpart_country": self.countries[country],
            "counterpart_authority": authority,
            "legal_basis": basis,
            "legal_basis_note": basis_note,
            "priority": priority,
            "priority_reason": rng.choice(PRIORITY_REASONS[c.Priority(priority)])
            if priority != c.Priority.NORMAL
            else "",
            "confidentiality": confidentiality,
            **{f"flag_{f}": True for f in flags},
        }
        for s in subjects:
            s["nationality"] = self.countries.get(s["nationality"]) if s.get("nationality") else None
            for ident in s.get("identifiers", []):
                if ident["type"] == c.IdentifierType.PASSPORT:
                    ident["country"] = s["nationality"]
        return MatterContent(data, offences, subjects, measures, scenario, language, ctx)

    def _priority(self, kind: str, scenario: Scenario) -> int:
        rng = self.rng
        if kind in {c.Kind.EMERGENCY, c.Kind.PROVISIONAL_ARREST, c.Kind.PRESERVATION}:
            return c.Priority.URGENT if rng.random() < 0.8 else c.Priority.HIGH
        if kind == c.Kind.EXTRADITION or scenario.secret:
            return rng.choice((c.Priority.URGENT, c.Priority.HIGH, c.Priority.HIGH, c.Priority.NORMAL))
        if kind == c.Kind.SERVICE:
            return rng.choice((c.Priority.NORMAL, c.Priority.LOW))
        return rng.choices(
            (c.Priority.URGENT, c.Priority.HIGH, c.Priority.NORMAL, c.Priority.LOW), weights=(6, 20, 60, 14)
        )[0]


# --- documents ----------------------------------------------------------------------------------------------


def make_pdf(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF (Helvetica, WinAnsi) with a title and lines of text."""

    def esc(text: str) -> str:
        raw = text.encode("cp1252", "replace").decode("latin-1")
        return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    wrapped: list[str] = []
    for line in lines:
        while len(line) > 95:
            cut = line.rfind(" ", 0, 95)
            cut = cut if cut > 0 else 95
            wrapped.append(line[:cut])
            line = line[cut:].lstrip()
        wrapped.append(line)
    ops = ["BT", "/F1 14 Tf", "56 790 Td", f"({esc(title)}) Tj", "/F1 10 Tf", "0 -28 Td"]
    for line in wrapped[:60]:
        ops += [f"({esc(line)}) Tj", "0 -13 Td"]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def request_letter(case: Case, content: MatterContent, *, sender: str, recipient: str) -> bytes:
    fr = content.language == "fr"
    lines = [
        f"{'Notre référence' if fr else 'Our reference'}: {case.counterpart_reference or case.reference}",
        f"{'De' if fr else 'From'}: {sender}",
        f"{'À' if fr else 'To'}: {recipient}",
        f"{'Base juridique' if fr else 'Legal basis'}: {case.legal_basis or case.legal_basis_note or '-'}",
        "",
        f"{'Objet' if fr else 'Subject'}: {case.title}",
        "",
        ("Résumé des faits" if fr else "Summary of the facts") + ":",
        case.summary,
        "",
        ("Infractions" if fr else "Offences")
        + ": "
        + "; ".join(
            f"{o['description']} ({o['legal_provision'] or 'ICCS ' + o['iccs_section']})" for o in content.offences
        ),
        ("Personnes concernées" if fr else "Persons concerned") + ": " + "; ".join(s["name"] for s in content.subjects),
        "",
        ("Mesures demandées" if fr else "Assistance requested") + ":",
        *(f"- {DEFINITIONS[m['type']].type.label}" for m in content.measures),
        "",
        (
            "Les éléments obtenus seront utilisés exclusivement dans la procédure visée."
            if fr
            else "The evidence obtained will be used only in the proceedings described."
        ),
        "Confidentiel" if fr else "Confidential",
    ]
    return make_pdf(
        ("Demande d'entraide judiciaire" if fr else "Request for mutual legal assistance")
        if case.kind not in c.EXTRADITION_KINDS
        else ("Demande d'extradition" if fr else "Request for extradition"),
        [str(x) for x in lines],
    )


def arabic_translation(case: Case, content: MatterContent) -> bytes:
    names = "، ".join((s.get("original_script_name") or s["name"]) for s in content.subjects)
    text = (
        "ترجمة غير رسمية\n"
        f"مرجعنا: {case.reference}\n"
        "الموضوع: طلب تعاون قضائي دولي في المجال الجنائي\n"
        f"الأشخاص المعنيون: {names}\n"
        "ملخص الوقائع: تتعلق الوقائع بأفعال إجرامية عابرة للحدود موضوع بحث قضائي لدى السلطات المختصة.\n"
        "المطلوب: تنفيذ الإجراءات المبينة في الطلب الأصلي وإرسال نتائجها عبر السلطة المركزية.\n"
    )
    return text.encode("utf-8")


def execution_report(case: Case, content: MatterContent, results: list[str]) -> bytes:
    lines = [
        f"Execution report - {case.reference}",
        f"Matter: {case.title}",
        "",
        *results,
        "",
        "The originals are kept by the executing authority and will be sent by diplomatic pouch.",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- the simulated clock ------------------------------------------------------------------------------------


class _SimulatedDatetime(datetime):
    current: datetime = datetime(2000, 1, 1, tzinfo=UTC)

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        value = cls.current
        return value.astimezone(tz) if tz is not None else value.replace(tzinfo=None)


@contextmanager
def simulated_clock() -> Iterator[Callable[[datetime], None]]:
    """Make ``django.utils.timezone.now()`` return the time set through the function yielded.

    ``timezone.now`` builds its value from the module's ``datetime`` name, so swapping that name reaches every
    caller, including model fields whose default is ``timezone.now``. Only this process's demo build sees it.
    """

    def set_time(value: datetime) -> None:
        _SimulatedDatetime.current = value

    with mock.patch.object(dj_timezone, "datetime", _SimulatedDatetime):
        yield set_time


# --- the simulation -----------------------------------------------------------------------------------------

# How long a matter typically stays in a state, in days (low, high), before its next step.
STAY = {
    "registered": (1, 12),
    "under_review": (4, 30),
    "awaiting_information": (15, 80),
    "accepted": (2, 14),
    "postponed": (20, 110),
    "in_execution": (25, 150),
    "draft": (2, 25),
    "approved": (1, 6),
    "sent": (10, 60),
    "acknowledged": (15, 80),
    "additional_information": (10, 60),
    "provisionally_arrested": (12, 38),
    "formal_request": (2, 12),
    "judicial_phase": (30, 160),
    "granted": (5, 35),
    "surrender_scheduled": (5, 25),
    "arrested_abroad": (10, 38),
    "judicial_phase_abroad": (30, 180),
    "surrender_arranged": (5, 25),
}
RARE_STATES = {
    "postponed",
    "withdrawn",
    "refused",
    "released",
    "released_abroad",
    "awaiting_information",
    "additional_information",
}
DETOUR_STATES = {"awaiting_information", "additional_information", "draft"}
LATERAL_STATES = {"provisionally_arrested", "arrested_abroad"}
ENDINGS = {"executed": 6, "refused": 2, "withdrawn": 1, "surrendered": 6, "released": 1, "released_abroad": 1}
WAITING_STATES = {
    "awaiting_information",
    "sent",
    "acknowledged",
    "additional_information",
    "judicial_phase_abroad",
}
FOLLOW_UP_STATES = {
    "sent",
    "acknowledged",
    "in_execution",
    "additional_information",
    "arrested_abroad",
    "judicial_phase_abroad",
    "granted",
    "surrender_arranged",
}


def _distances(lc: Lifecycle, target: str) -> dict[str, int]:
    dist = {target: 0}
    frontier = [target]
    while frontier:
        nxt = []
        for state in frontier:
            for t in lc.transitions:
                if t.target == state and t.source not in dist:
                    dist[t.source] = dist[state] + 1
                    nxt.append(t.source)
        frontier = nxt
    return dist


def lifecycle_path(
    lc: Lifecycle,
    target: str,
    rng: random.Random,
    *,
    start: str | None = None,
    lateral: float = 0.5,
    detours: float = 0.2,
) -> list[str]:
    """A plausible sequence of states from ``start`` (the initial state) to ``target``, each step allowed."""
    if target == "closed":
        endings = [s for s in ENDINGS if s in lc.states and lc.get(s, "closed")]
        ending = rng.choices(endings, weights=[ENDINGS[s] for s in endings])[0]
        return [*lifecycle_path(lc, ending, rng, start=start, lateral=lateral, detours=detours), "closed"]
    if target == "withdrawn":
        via = rng.choice([s for s in lc.active if lc.get(s, "withdrawn")])
        return [*lifecycle_path(lc, via, rng, start=start, lateral=lateral, detours=detours), "withdrawn"]
    dist = _distances(lc, target)
    current = start or lc.initial
    path, used = [current], set()
    while current != target:
        options: list[tuple[str, float]] = []
        for t in lc.next_states(current):
            d = dist.get(t.target)
            if d is None:
                continue
            if d == dist[current] - 1:
                options.append((t.target, 0.15 if t.target in RARE_STATES and t.target != target else 1.0))
            elif d == dist[current] and t.target in LATERAL_STATES and t.target not in used:
                options.append((t.target, lateral))
            elif d == dist[current] + 1 and t.target in DETOUR_STATES and t.target not in used:
                options.append((t.target, detours))
        current = rng.choices([o[0] for o in options], weights=[o[1] for o in options])[0]
        used.add(current)
        path.append(current)
    return path


@dataclass
class Plan:
    """One matter of the demo: who registers it, the states it goes through and when."""

    index: int
    direction: str
    kind: str
    country: str
    path: list[str]
    registrar: str
    officer: str | None
    scenario: Scenario | None = None
    secret: bool = False
    content: MatterContent | None = None
    times: list[datetime] = field(default_factory=list)
    case: Case | None = None
    link_to: Plan | None = None
    link_kind: str = ""
    # Some matters get a subject, a measure or an identifier after their registration, as the work goes on.
    completed_later: bool = False
    held_back: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


# (direction, kind, how many) — every kind in both directions, as a Central Authority of this size sees them.
MIX = (
    ("incoming", "mla", 46),
    ("incoming", "extradition", 14),
    ("incoming", "provisional_arrest", 8),
    ("incoming", "preservation", 10),
    ("incoming", "emergency", 6),
    ("incoming", "transfer_proceedings", 5),
    ("incoming", "asset_recovery", 10),
    ("incoming", "service", 10),
    ("incoming", "videoconference", 8),
    ("incoming", "jit", 4),
    ("incoming", "supplementary", 9),
    ("outgoing", "mla", 35),
    ("outgoing", "extradition", 13),
    ("outgoing", "provisional_arrest", 6),
    ("outgoing", "preservation", 8),
    ("outgoing", "emergency", 4),
    ("outgoing", "transfer_proceedings", 4),
    ("outgoing", "asset_recovery", 8),
    ("outgoing", "service", 6),
    ("outgoing", "videoconference", 5),
    ("outgoing", "jit", 3),
    ("outgoing", "supplementary", 3),
)
COUNTRY_WEIGHTS = {
    "FR": 14,
    "ES": 12,
    "BE": 8,
    "NL": 6,
    "DE": 5,
    "IT": 5,
    "GB": 4,
    "US": 4,
    "AE": 5,
    "TN": 3,
    "DZ": 2,
    "SN": 3,
    "CI": 2,
    "TR": 3,
    "CN": 2,
    "PT": 2,
    "CA": 2,
    "CH": 2,
}


def mix_for(count: int) -> list[tuple[str, str]]:
    """The (direction, kind) of ``count`` matters: MIX scaled, keeping at least one of each."""
    total = sum(n for _d, _k, n in MIX)
    out: list[tuple[str, str]] = []
    for direction, kind, n in MIX:
        out += [(direction, kind)] * max(1, round(n * count / total))
    return out


class DemoBuilder:
    """Plays the demo register's history through the actions, on the simulated clock."""

    def __init__(
        self,
        users: dict[str, User],
        *,
        count: int = DEMO_MATTERS,
        seed: int = 20261128,
        now: datetime | None = None,
        log: Callable[[str], None] = lambda _msg: None,
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.users = users
        self.count = count
        self.now = now or dj_timezone.now()
        self.log = log
        self.home = settings.ENTRAIDE_COUNTRY
        self.fab = Fabricator(self.rng, self.home)
        self.countries = Country.objects.in_bulk()
        self.authorities = {
            a.country_id: a
            for a in Authority.objects.filter(kind=AuthorityKind.CENTRAL_AUTHORITY, active=True)
            .exclude(country_id=self.home)
            .order_by("-id")
        }
        self.instruments = {i.code: i for i in Instrument.objects.all()}
        self.maker = MatterMaker(self.fab, self.countries, self.authorities, self.instruments)
        national = Authority.objects.filter(country_id=self.home, active=True).exclude(
            kind=AuthorityKind.CENTRAL_AUTHORITY
        )
        self.requesting = [a for a in national if a.kind in {AuthorityKind.PROSECUTION, AuthorityKind.COURT}]
        self.executing = [
            a
            for a in national
            if a.kind in {AuthorityKind.PROSECUTION, AuthorityKind.POLICE, AuthorityKind.FIU, "customs"}
        ]
        self.plans: list[Plan] = []

    # planning
    def _countries(self) -> list[str]:
        """Counterpart countries: those with a central authority in the directory, and a few more."""
        pool = [code for code in self.authorities if code in self.countries]
        extra = [
            code for code in ("MR", "LY", "GN", "KE", "MX", "CO", "TH", "MY", "PK", "ID") if code in self.countries
        ]
        return pool + extra

    def plan(self) -> list[Plan]:
        rng = self.rng
        countries = self._countries()
        weights = [COUNTRY_WEIGHTS.get(code, 1) for code in countries]
        kinds = mix_for(self.count)
        plans: list[Plan] = []
        by_lifecycle: dict[str, list[Plan]] = {}
        for index, (direction, kind) in enumerate(kinds):
            # Every counterpart appears at least once before the weights take over.
            country = (
                countries[index]
                if index < len(countries) and index % 2 == 0
                else rng.choices(countries, weights=weights)[0]
            )
            plan = Plan(index, direction, kind, country, [], registrar="", officer=None)
            plans.append(plan)
            by_lifecycle.setdefault(lifecycle_for(kind, direction).code, []).append(plan)
        rng.shuffle(plans)
        for group in by_lifecycle.values():
            lc = lifecycle_for(group[0].kind, group[0].direction)
            states = list(lc.states)
            active_weight = {s: (3 if s in lc.active else 1) for s in states}
            # Every state at least once, then weighted towards the states where work is.
            targets = states + rng.choices(
                states, weights=[active_weight[s] for s in states], k=max(0, len(group) - len(states))
            )
            rng.shuffle(targets)
            for plan, target in zip(group, targets, strict=False):
                lateral = 3.0 if plan.kind == c.Kind.PROVISIONAL_ARREST else 0.6
                plan.path = lifecycle_path(lc, target, rng, lateral=lateral)
        for plan in plans:
            plan.scenario = self.maker.scenario(plan.kind)
            plan.secret = plan.scenario.secret and rng.random() < 0.8
            self._cast(plan)
        self.plans = sorted(plans, key=lambda p: p.index)
        return self.plans

    def _cast(self, plan: Plan) -> None:
        """Who registers and who works the matter. Only the head is cleared for secret matters."""
        rng = self.rng
        if plan.secret:
            plan.registrar = plan.officer = "head"
            return
        if plan.direction == c.Direction.INCOMING:
            plan.registrar = rng.choices(("clerk", "officer", "officer2", "head"), weights=(70, 12, 10, 8))[0]
        else:
            drafts = len(plan.path) > 1 and rng.random() < 0.15
            plan.registrar = (
                "prosecutor"
                if drafts or (plan.path == ["draft"] and rng.random() < 0.5)
                else rng.choices(("officer", "officer2", "head"), weights=(45, 40, 15))[0]
            )
        unassigned = len(plan.path) == 1 and plan.registrar in {"clerk", "prosecutor", "head"} and rng.random() < 0.7
        if plan.registrar in {"officer", "officer2"}:
            plan.officer = plan.registrar
        elif not unassigned:
            plan.officer = rng.choices(("officer", "officer2", "head"), weights=(42, 38, 20))[0]

    def _schedule(self, plan: Plan) -> None:
        """Times of the registration and of each transition, ending before now."""
        rng = self.rng
        gaps = [timedelta(days=rng.uniform(*STAY.get(state, (5, 30)))) for state in plan.path[:-1]]
        last = plan.path[-1]
        lc = lifecycle_for(plan.kind, plan.direction)
        if lc.is_active(last):
            tail = timedelta(
                days=rng.choice((rng.uniform(0.2, 4), rng.uniform(2, 15), rng.uniform(10, 50), rng.uniform(30, 140)))
            )
        else:
            tail = timedelta(days=rng.uniform(3, 640))
        total = sum(gaps, timedelta()) + tail
        limit = timedelta(days=900)
        if total > limit:
            factor = limit / total
            gaps = [g * factor for g in gaps]
            tail *= factor
        start = self.now - tail - sum(gaps, timedelta())
        # Office hours: steps happen between 08:30 and 17:30.
        times, t = [], start
        for gap in [timedelta(), *gaps]:
            t = t + gap
            t = t.replace(hour=rng.randint(8, 16), minute=rng.randint(0, 59), second=rng.randint(0, 59))
            times.append(min(t, self.now - timedelta(minutes=5)))
        for i in range(1, len(times)):
            if times[i] <= times[i - 1]:
                times[i] = times[i - 1] + timedelta(minutes=rng.randint(5, 90))
        plan.times = times

    def _links(self) -> None:
        rng = self.rng
        for plan in self.plans:
            if plan.kind == c.Kind.SUPPLEMENTARY:
                earlier = [
                    p
                    for p in self.plans
                    if p.direction == plan.direction
                    and p.kind == c.Kind.MLA
                    and p.times[0] < plan.times[0] - timedelta(days=20)
                ]
                if earlier:
                    plan.link_to, plan.link_kind = rng.choice(earlier), c.LinkKind.SUPPLEMENTARY
            elif plan.kind == c.Kind.EXTRADITION and rng.random() < 0.5:
                earlier = [
                    p
                    for p in self.plans
                    if p.direction == plan.direction
                    and p.kind == c.Kind.PROVISIONAL_ARREST
                    and p.times[0] < plan.times[0]
                ]
                if earlier:
                    plan.link_to, plan.link_kind = rng.choice(earlier), c.LinkKind.EARLIER_REQUEST
            elif plan.kind == c.Kind.MLA and rng.random() < 0.08:
                earlier = [
                    p for p in self.plans if p.kind == c.Kind.MLA and p is not plan and p.times[0] < plan.times[0]
                ]
                if earlier:
                    plan.link_to, plan.link_kind = rng.choice(earlier), c.LinkKind.RELATED

    # running
    def run(self) -> list[Case]:
        if not self.plans:
            self.plan()
        for plan in self.plans:
            self._schedule(plan)
        self._links()
        queue: list[tuple[datetime, int, int, Callable[[], None]]] = []
        seq = 0
        for plan in self.plans:
            for when, step in self._steps(plan):
                heapq.heappush(queue, (when, seq, plan.index, step))
                seq += 1
        done = 0
        with simulated_clock() as set_time:
            while queue:
                when, _seq, _index, step = heapq.heappop(queue)
                set_time(when)
                step()
                done += 1
                if done % 500 == 0:
                    self.log(f"  {done} steps played, up to {when:%Y-%m-%d}")
        return [p.case for p in self.plans if p.case is not None]

    def _steps(self, plan: Plan) -> Iterator[tuple[datetime, Callable[[], None]]]:
        rng = self.rng
        times = plan.times
        yield times[0], lambda: self._register(plan)
        plan.completed_later = rng.random() < 0.35
        if plan.completed_later:
            until = times[1] if len(times) > 1 else self.now
            yield times[0] + (until - times[0]) * rng.uniform(0.2, 0.8), lambda: self._complete(plan)
        if plan.officer and plan.registrar not in {"officer", "officer2"}:
            assign_at = times[0] + timedelta(hours=rng.uniform(1, 30))
            if plan.registrar == "prosecutor" and len(times) > 1:
                assign_at = times[1] + timedelta(hours=rng.uniform(1, 20))
            if len(times) > 1 and plan.registrar != "prosecutor":
                assign_at = min(assign_at, times[1] - timedelta(minutes=30))
            yield max(assign_at, times[0] + timedelta(minutes=10)), lambda: self._assign(plan)
        for i, state in enumerate(plan.path[1:], start=1):
            yield times[i], partial(self._transition, plan, plan.path[i - 1], state)
        if plan.link_to is not None:
            yield times[0] + timedelta(minutes=20), lambda: self._link(plan)
        # Follow-ups of outgoing requests while the requested State works on them.
        if plan.direction == c.Direction.OUTGOING and "sent" in plan.path:
            start = times[plan.path.index("sent")]
            end_index = next(
                (i for i, s in enumerate(plan.path) if i > plan.path.index("sent") and s not in FOLLOW_UP_STATES),
                None,
            )
            end = times[end_index] if end_index is not None else self.now
            t = start + timedelta(days=rng.uniform(45, 58))
            while t < end - timedelta(hours=1):
                if rng.random() < 0.75:
                    yield t, lambda: self._follow_up(plan)
                t += timedelta(days=rng.uniform(45, 62))

    def _user(self, name: str) -> User:
        return self.users[name]

    def _officer(self, plan: Plan) -> User:
        case = plan.case
        assert case is not None
        if case.officer_id:
            return case.officer  # type: ignore[return-value]
        return self._user("head")

    def _register(self, plan: Plan) -> None:
        rng = self.rng
        today = dj_timezone.localdate()
        content = self.maker.make(
            plan.direction, plan.kind, plan.country, today, scenario=plan.scenario, secret=plan.secret
        )
        plan.content = content
        data = dict(content.data)
        if plan.direction == c.Direction.INCOMING:
            received = today - timedelta(days=rng.choice((0, 0, 1, 2, 3, 6)))
            data["received_on"] = received
            data["counterpart_reference"] = self._their_reference(plan.country, plan.direction, received.year)
            if self.executing and rng.random() < 0.7:
                data["national_authority"] = rng.choice(self.executing)
        elif self.requesting and plan.registrar != "prosecutor":
            data["national_authority"] = rng.choice(self.requesting)
            if rng.random() < 0.6:
                data["received_on"] = today - timedelta(days=rng.randint(0, 5))
        if plan.completed_later:
            subjects, measures = content.subjects, content.measures
            plan.held_back = {
                "subjects": subjects[-1:] if len(subjects) > 1 else [],
                "measures": measures[-1:] if len(measures) > 1 else [],
            }
            content = replace(
                content,
                subjects=subjects[: len(subjects) - len(plan.held_back["subjects"])],
                measures=measures[: len(measures) - len(plan.held_back["measures"])],
            )
        registrar = self._user(plan.registrar)
        case = actions.register_case(
            actor=registrar,
            offences=content.offences,
            subjects=content.subjects,
            measures=content.measures,
            **data,
        )
        plan.case = case
        self._file_request(plan, registrar)

    def _complete(self, plan: Plan) -> None:
        """Add what was learnt after the registration: a subject, a measure, or an identifier."""
        case = plan.case
        assert case is not None
        case.refresh_from_db()
        actor = next(
            u
            for u in (case.officer, self._user(plan.registrar), self._user("head"))
            if u is not None and can_work_on(u, case)
        )
        for subject in plan.held_back.get("subjects", []):
            actions.add_subject(case, actor=actor, **subject)
        for measure in plan.held_back.get("measures", []):
            actions.add_measure(case, actor=actor, **measure)
        if not any(plan.held_back.values()):
            main = case.subjects.order_by("id").first()
            if main is not None:
                actions.add_identifier(
                    main,
                    actor=actor,
                    type=c.IdentifierType.PHONE,
                    value=self.fab.phone(main.nationality_id or plan.country),
                )

    def _file_request(self, plan: Plan, actor: User) -> None:
        case, content = plan.case, plan.content
        assert case is not None and content is not None
        home = self.countries[self.home]
        foreign = case.counterpart_authority.name if case.counterpart_authority else case.counterpart_country.name
        national = case.national_authority.name if case.national_authority else str(home.name)
        sender, recipient = (
            (foreign, "Central Authority") if plan.direction == c.Direction.INCOMING else (national, foreign)
        )
        pdf = request_letter(case, content, sender=sender, recipient=recipient)
        name = "request.pdf" if plan.direction == c.Direction.INCOMING else "draft-request.pdf"
        title = (
            "Request received" if plan.direction == c.Direction.INCOMING else "Draft request"
        ) + f" — {case.counterpart_reference or case.reference}"
        actions.add_document(
            case,
            SimpleUploadedFile(name, pdf, content_type="application/pdf"),
            actor=actor,
            kind=c.DocumentKind.REQUEST,
            title=title,
            language=content.language,
        )
        if plan.direction == c.Direction.INCOMING and content.language != "ar" and self.rng.random() < 0.5:
            actions.add_document(
                case,
                SimpleUploadedFile("translation-ar.txt", arabic_translation(case, content)),
                actor=actor,
                kind=c.DocumentKind.TRANSLATION,
                title="Arabic translation",
                language="ar",
            )

    def _assign(self, plan: Plan) -> None:
        case = plan.case
        assert case is not None and plan.officer
        officer = self._user(plan.officer)
        if officer.clearance < case.confidentiality:
            officer = self._user("head")
        plan.case = actions.assign(
            case,
            officer,
            actor=self._user("head"),
            reason="" if self.rng.random() < 0.7 else "Workload balance",
        )

    def _link(self, plan: Plan) -> None:
        assert plan.case is not None and plan.link_to is not None and plan.link_to.case is not None
        actions.link_cases(plan.case, plan.link_to.case, actor=self._user("head"), kind=plan.link_kind)

    def _transition(self, plan: Plan, source: str, target: str) -> None:
        rng = self.rng
        case = plan.case
        assert case is not None and plan.content is not None
        lc = lifecycle_for(case.kind, case.direction)
        step = lc.get(source, target)
        assert step is not None, (source, target)
        # The prosecutor submits their own draft; the lead officer takes the other steps their role allows; the
        # head takes the rest (the head may take every step).
        candidates = [self._user("prosecutor")] if source == "draft" and plan.registrar == "prosecutor" else []
        candidates += [self._officer(plan), self._user("head")]
        actor = next(u for u in candidates if u.role in step.roles and can_work_on(u, case))
        reason = ""
        if step.needs_reason or rng.random() < 0.3:
            reason = rng.choice(REASONS.get(target, ("",)))
        if step.needs_reason and not reason:
            reason = "Recorded by the Central Authority."
        if target == "executed":
            self._finish_measures(plan, actor)
        if target == "sent":
            self._send(plan, actor)
        # A step an app has taken over (accepting a request goes through its admissibility review) is replayed
        # here as the register's history; the apps' own demos (``<app>/demo.py``) show their records in full.
        owner = extensions.step_owner(case, target)
        case = actions.transition(case, target, actor=actor, reason=reason, owner=owner.key if owner else "")
        plan.case = case
        now = dj_timezone.now()
        if target == "under_review" and case.direction == c.Direction.INCOMING and source == "registered":
            actions.log_communication(
                case,
                actor=actor,
                at=now,
                channel=Channel.EMAIL,
                direction=c.CommDirection.SENT,
                counterpart=self._counterpart(case),
                summary="Acknowledgement of receipt sent; our reference given.",
            )
        if target == "in_execution" and case.direction == c.Direction.INCOMING:
            for measure in case.measures.all():
                if rng.random() < 0.7:
                    actions.set_measure_status(measure, c.MeasureStatus.IN_PROGRESS, actor=actor)
            if case.national_authority and rng.random() < 0.4 and case.confidentiality <= Confidentiality.CONFIDENTIAL:
                actions.grant_access(
                    case,
                    self._user("executor"),
                    actor=self._user("head"),
                    reason=f"Execution entrusted to {case.national_authority.name}",
                )
        if target == "acknowledged":
            reference = self._their_reference(case.counterpart_country_id, case.direction, now.year)
            plan.case = case = actions.update_case(case, actor=actor, counterpart_reference=reference)
            actions.log_communication(
                case,
                actor=actor,
                at=now,
                channel=Channel.EMAIL,
                direction=c.CommDirection.RECEIVED,
                counterpart=self._counterpart(case),
                summary=f"Acknowledgement received; their reference {reference}.",
            )
        if target in {"provisionally_arrested", "arrested_abroad"}:
            actions.log_communication(
                case,
                actor=actor,
                at=now,
                channel=Channel.INTERPOL,
                direction=c.CommDirection.RECEIVED,
                counterpart="INTERPOL NCB",
                summary="Arrest of the person sought on the basis of the red notice.",
            )
        if target in {"awaiting_information", "additional_information"}:
            actions.log_communication(
                case,
                actor=actor,
                at=now,
                channel=Channel.EMAIL,
                direction=c.CommDirection.SENT if target == "awaiting_information" else c.CommDirection.RECEIVED,
                counterpart=self._counterpart(case),
                summary=reason,
            )
        if target == "executed" and case.direction == c.Direction.OUTGOING:
            actions.add_document(
                case,
                SimpleUploadedFile(
                    "evidence-received.txt",
                    execution_report(
                        case,
                        plan.content,
                        ["Bank statements and witness statements received by diplomatic pouch."],
                    ),
                ),
                actor=actor,
                kind=c.DocumentKind.EVIDENCE,
                title="Evidence received from the requested State",
                language="en",
            )
        waiting = target in WAITING_STATES
        if waiting != case.waiting_on_others and (waiting or rng.random() < 0.9):
            plan.case = actions.set_waiting(case, waiting, actor=actor)

    def _their_reference(self, country: str, direction: str, year: int) -> str:
        """The counterpart's reference, unique for the country and direction as registration requires."""
        while True:
            reference = self.fab.reference(country, year)
            if not Case.objects.filter(
                counterpart_country_id=country, direction=direction, counterpart_reference=reference
            ).exists():
                return reference

    def _counterpart(self, case: Case) -> str:
        if case.counterpart_authority:
            return case.counterpart_authority.name[:255]
        return str(case.counterpart_country.name)

    def _finish_measures(self, plan: Plan, actor: User) -> None:
        rng = self.rng
        assert plan.case is not None and plan.content is not None
        results = []
        for measure in plan.case.measures.all():
            outcome = rng.choices(
                (
                    c.MeasureStatus.EXECUTED,
                    c.MeasureStatus.PARTIALLY_EXECUTED,
                    c.MeasureStatus.REFUSED,
                    c.MeasureStatus.WITHDRAWN,
                ),
                weights=(78, 10, 8, 4),
            )[0]
            note = {
                c.MeasureStatus.PARTIALLY_EXECUTED: "Part of the records no longer exists.",
                c.MeasureStatus.REFUSED: "Dual criminality not met for this coercive measure.",
                c.MeasureStatus.WITHDRAWN: "No longer needed: the suspect admitted the facts.",
            }.get(outcome, "")
            actions.set_measure_status(measure, outcome, actor=actor, note=note)
            results.append(f"- {measure.get_type_display()}: {c.MeasureStatus(outcome).label}")
        if plan.direction == c.Direction.INCOMING and results:
            actions.add_document(
                plan.case,
                SimpleUploadedFile(
                    "execution-report.txt",
                    execution_report(plan.case, plan.content, [str(r) for r in results]),
                ),
                actor=actor,
                kind=c.DocumentKind.EVIDENCE,
                title="Execution report of the executing authority",
                language="en",
            )

    def _send(self, plan: Plan, actor: User) -> None:
        case = plan.case
        assert case is not None and plan.content is not None
        channel = self.rng.choice((Channel.EMAIL, Channel.DIPLOMATIC, Channel.POST, Channel.SECURE_EXCHANGE))
        actions.log_communication(
            case,
            actor=actor,
            at=dj_timezone.now(),
            channel=channel,
            direction=c.CommDirection.SENT,
            counterpart=self._counterpart(case),
            summary="Request sent with its annexes and translation.",
        )

    def _follow_up(self, plan: Plan) -> None:
        case = plan.case
        assert case is not None
        case.refresh_from_db()
        deadline = Deadline.objects.filter(
            case=case, rule__code="outgoing-follow-up", status=c.DeadlineStatus.RUNNING
        ).first()
        if not case.is_open or deadline is None:
            return
        actor = self._officer(plan)
        actions.log_communication(
            case,
            actor=actor,
            at=dj_timezone.now(),
            channel=Channel.EMAIL,
            direction=c.CommDirection.SENT,
            counterpart=self._counterpart(case),
            summary="Status enquiry sent to the requested State.",
        )
        actions.meet_deadline(deadline, actor=actor, note="Status enquiry sent.")


def build_demo(
    users: dict[str, User],
    *,
    count: int = DEMO_MATTERS,
    seed: int = 20261128,
    log: Callable[[str], None] = lambda _msg: None,
) -> list[Case]:
    """Create about ``count`` demo matters (every kind, both directions) unless demo matters exist already."""
    if demo_matters_exist():
        return []
    builder = DemoBuilder(users, count=count, seed=seed, log=log)
    builder.plan()
    return builder.run()
