# ruff: noqa: RUF001, E501, B007  (names in their own scripts; one identity a line)
"""Build the labelled pairs shipped with Entraide (src/entraide/matching/data/pairs.jsonl).

Each identity below is one real-world person or organisation written the ways it turns up in requests: other
scripts (Arabic, Cyrillic, Devanagari, Bengali, Thai, Chinese, Greek…), other transliterations, order swaps,
dropped middle names, typos. Positive pairs join two writings of one identity; negative pairs join two identities
that share a name part, a family name or a spelling (the hard cases: brothers, father and son, namesakes,
companies that differ by one word). Identifiers are written differently on each side (spaces, case, national
versus international phone format) or conflict. Deterministic: ``python bench/matching_pairs.py`` rewrites the
file identically.

Usage: python bench/matching_pairs.py [OUT]
"""

from __future__ import annotations

import itertools
import json
import random
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/entraide/matching/data/pairs.jsonl"

# category, nationality, birth date, [writings]
PEOPLE = [
    (
        "arabic",
        "MA",
        "1985-03-02",
        ["Mohammed El Amrani", "محمد العمراني", "Mohamed Elamrani", "Muhammad al-Amrani", "AMRANI Mohamed"],
    ),
    (
        "arabic",
        "DZ",
        "1979-11-20",
        ["Abdelkader Benali", "Abd al-Qadir Ben Ali", "عبد القادر بن علي", "Abdelkader Ben Ali"],
    ),
    ("arabic", "EG", "1990-06-15", ["Ahmed Hassan Mahmoud", "أحمد حسن محمود", "Ahmad Hasan Mahmud", "Ahmed Mahmoud"]),
    ("arabic", "TN", "1988-01-09", ["Youssef Ben Salah", "يوسف بن صالح", "Yusuf Bin Salih", "Youssef Bensalah"]),
    ("arabic", "IQ", "1975-07-30", ["Abu Bakr al-Baghdadi", "ابو بكر البغدادي", "Abou Bakr El Baghdadi"]),
    (
        "arabic",
        "SA",
        "1983-04-12",
        ["Khalid Abdullah Al Otaibi", "خالد عبد الله العتيبي", "Khaled Abdallah Otaibi", "Al-Otaibi Khalid"],
    ),
    ("arabic", "SY", "1992-09-01", ["Omar Farouk Haddad", "عمر فاروق حداد", "Umar Faruq Hadad", "Omar Haddad"]),
    (
        "arabic",
        "MA",
        "1995-12-24",
        ["Fatima Zahra Bennani", "فاطمة الزهراء بناني", "Fatima-Zahra Benani", "Bennani Fatima Zahra"],
    ),
    ("arabic", "LB", "1981-02-17", ["Rashid Khoury", "رشيد خوري", "Rachid Khouri", "Rasheed El Khoury"]),
    (
        "arabic",
        "JO",
        "1970-05-05",
        ["Abdulrahman Saleh Nasser", "عبد الرحمن صالح ناصر", "Abd al-Rahman Salih Nasir", "Abderrahmane Nasser"],
    ),
    (
        "arabic",
        "MR",
        "1986-10-10",
        ["Mohamed Lemine Ould Cheikh", "محمد الأمين ولد الشيخ", "Mohamed Lamine Ould Sheikh"],
    ),
    (
        "arabic",
        "SD",
        "1993-03-03",
        ["Hussein Ibrahim Osman", "حسين إبراهيم عثمان", "Husayn Ibrahim Uthman", "Hussain Osman"],
    ),
    (
        "cyrillic",
        "UA",
        "1987-08-14",
        [
            "Oleksandr Shevchenko",
            "Олександр Шевченко",
            "Aleksandr Chevtchenko",
            "Shevchenko Alexander",
            "Oleksandr Ivanovych Shevchenko",
        ],
    ),
    (
        "cyrillic",
        "RU",
        "1978-02-28",
        ["Dmitry Sergeyevich Volkov", "Дмитрий Сергеевич Волков", "Dmitri Volkov", "Dimitri Volkoff"],
    ),
    (
        "cyrillic",
        "RU",
        "1991-11-11",
        ["Yekaterina Smirnova", "Екатерина Смирнова", "Ekaterina Smirnova", "Smirnova Katerina"],
    ),
    (
        "cyrillic",
        "BG",
        "1984-06-06",
        ["Georgi Dimitrov Petrov", "Георги Димитров Петров", "Gueorgui Petrov", "Georgi Petrov"],
    ),
    ("cyrillic", "RS", "1980-09-19", ["Nikola Jovanović", "Никола Јовановић", "Nikola Jovanovic", "Jovanovich Nikola"]),
    ("cyrillic", "UA", "1996-04-04", ["Yuliia Kovalenko", "Юлія Коваленко", "Julia Kovalenko", "Yulia Kowalenko"]),
    ("cyrillic", "KZ", "1982-12-01", ["Nursultan Zhaksybekov", "Нурсултан Жаксыбеков", "Nursultan Jaksybekov"]),
    (
        "cyrillic",
        "RU",
        "1969-07-07",
        ["Sergei Mikhailovich Kuznetsov", "Сергей Михайлович Кузнецов", "Sergey Kouznetsov", "Kuznetsov Sergei"],
    ),
    ("south_asian", "IN", "1989-05-21", ["Rahul Sharma", "राहुल शर्मा", "Rahul Kumar Sharma", "Sharma Rahul"]),
    (
        "south_asian",
        "PK",
        "1984-01-30",
        ["Muhammad Rizwan Khan", "محمد رضوان خان", "Mohammad Rizwan Khan", "Rizwan Khan"],
    ),
    (
        "south_asian",
        "BD",
        "1990-10-02",
        ["Mohammad Abdul Karim", "মোহাম্মদ আব্দুল করিম", "Mohammed Abdul Kareem", "Abdul Karim"],
    ),
    ("south_asian", "IN", "1976-03-15", ["Sunil Venkatesh Reddy", "सुनील वेंकटेश रेड्डी", "Sunil Reddy", "Reddy Sunil V."]),
    ("south_asian", "LK", "1983-08-08", ["Chaminda Perera", "චමින්ද පෙරේරා", "Chaminda Pereira", "Perera Chaminda"]),
    ("south_asian", "NP", "1994-02-14", ["Bikash Shrestha", "बिकाश श्रेष्ठ", "Bikas Shrestha", "Shrestha Bikash"]),
    (
        "south_asian",
        "IN",
        "1971-11-30",
        ["Gurpreet Singh Sandhu", "ਗੁਰਪ੍ਰੀਤ ਸਿੰਘ ਸੰਧੂ", "Gurpreet Sandhu", "Sandhu Gurpreet Singh"],
    ),
    ("southeast_asian", "VN", "1987-04-30", ["Nguyễn Văn Minh", "Nguyen Van Minh", "Minh Nguyen", "NGUYEN Van Minh"]),
    (
        "southeast_asian",
        "TH",
        "1985-09-09",
        ["Somchai Wongsawat", "สมชาย วงศ์สวัสดิ์", "Somchai Vongsavat", "Wongsawat Somchai"],
    ),
    ("southeast_asian", "ID", "1992-07-17", ["Budi Santoso", "Budi Santosa", "Santoso Budi", "Budi Santoso"]),
    (
        "southeast_asian",
        "PH",
        "1980-12-12",
        ["Maria Cristina Reyes Santos", "Maria Cristina Santos", "Cristina Reyes Santos", "Ma. Cristina Santos"],
    ),
    (
        "southeast_asian",
        "MY",
        "1979-03-27",
        ["Ahmad Faizal bin Abdullah", "Ahmad Faizal Abdullah", "Faizal bin Abdullah", "Ahmad Faisal bin Abdullah"],
    ),
    ("southeast_asian", "MM", "1988-06-01", ["Aung Kyaw Moe", "အောင်ကျော်မိုး", "Aung Kyaw Moe", "Kyaw Moe Aung"]),
    ("southeast_asian", "KH", "1990-01-20", ["Sok Chenda", "សុខ ចិន្តា", "Chenda Sok", "Sok Chendaa"]),
    ("east_asian", "CN", "1983-10-10", ["Wang Xiaoming", "王小明", "Xiaoming Wang", "Wang Xiao Ming"]),
    ("east_asian", "CN", "1977-05-18", ["Li Jianguo", "李建国", "Jianguo Li", "Li Jian Guo"]),
    ("east_asian", "KR", "1986-02-02", ["Kim Min-jun", "김민준", "Minjun Kim", "Kim Min Jun"]),
    ("latin", "FR", "1974-04-04", ["Jean-Pierre Dupont", "Jean Pierre Dupont", "Dupont Jean-Pierre", "J.-P. Dupont"]),
    (
        "latin",
        "ES",
        "1982-09-25",
        ["José Antonio García López", "Jose Antonio Garcia", "José García López", "Garcia Lopez Jose Antonio"],
    ),
    ("latin", "BR", "1991-03-08", ["João Carlos da Silva", "Joao Carlos Silva", "Joao da Silva", "Silva João Carlos"]),
    (
        "latin",
        "PL",
        "1985-11-05",
        ["Krzysztof Wiśniewski", "Krzysztof Wisniewski", "Krzystof Wisniewski", "Wiśniewski Krzysztof"],
    ),
    ("latin", "TR", "1980-07-21", ["Mehmet Yılmaz", "Mehmet Yilmaz", "Yilmaz Mehmet", "Mehmed Yilmaz"]),
    (
        "latin",
        "GR",
        "1978-12-19",
        ["Georgios Papadopoulos", "Γεώργιος Παπαδόπουλος", "Giorgos Papadopoulos", "George Papadopoulos"],
    ),
    (
        "latin",
        "NG",
        "1984-08-30",
        ["Chukwuemeka Okonkwo", "Chukwuemeka Okonkwo", "Emeka Okonkwo", "Okonkwo Chukwuemeka"],
    ),
    (
        "latin",
        "SN",
        "1989-02-11",
        ["Mamadou Lamine Diallo", "Mamadou Diallo", "Diallo Mamadou Lamine", "Mamadu Lamine Diallo"],
    ),
]
# Hard negatives: namesakes and relatives written like the people above (same category), each its own identity.
NAMESAKES = [
    ("arabic", "MA", "1961-05-05", ["Mohammed El Amrani", "محمد العمراني"]),  # the father: same name, other generation
    ("arabic", "MA", "1987-03-12", ["Ahmed El Amrani", "أحمد العمراني"]),  # a brother
    ("arabic", "DZ", "1983-02-02", ["Abdelkader Benaissa", "عبد القادر بن عيسى"]),
    ("arabic", "EG", "1991-01-01", ["Mahmoud Hassan Ahmed", "محمود حسن أحمد"]),
    ("arabic", "TN", "1984-04-04", ["Youssef Ben Salem", "يوسف بن سالم"]),
    ("arabic", "SA", "1980-08-08", ["Khalid Al Otaibi", "Khalid Mohammed Al Otaibi"]),
    ("arabic", "SY", "1992-11-01", ["Omar Haddad", "Omar Khaled Haddad"]),
    ("arabic", "MA", "1994-03-14", ["Fatima Bennani", "Fatima Zohra Bennani"]),
    ("arabic", "LB", "1966-06-06", ["Rashid Khoury", "Rachid Khoury"]),
    ("cyrillic", "UA", "1990-01-01", ["Oleksii Shevchenko", "Олексій Шевченко"]),
    ("cyrillic", "UA", "1960-08-14", ["Oleksandr Shevchenko", "Олександр Шевченко"]),  # the father
    ("cyrillic", "RU", "1979-03-03", ["Dmitry Volkov", "Дмитрий Волков"]),
    ("cyrillic", "RU", "1993-05-05", ["Yekaterina Smirnova", "Екатерина Смирнова"]),
    ("cyrillic", "BG", "1985-01-01", ["Georgi Ivanov Petrov", "Георги Иванов Петров"]),
    ("cyrillic", "RS", "1975-04-04", ["Nikola Jovanov", "Никола Јованов"]),
    ("cyrillic", "RU", "1972-07-07", ["Sergei Kuzmin", "Сергей Кузьмин"]),
    ("south_asian", "IN", "1989-07-07", ["Rohit Sharma", "रोहित शर्मा"]),
    ("south_asian", "IN", "1990-05-21", ["Rahul Verma", "राहुल वर्मा"]),
    ("south_asian", "PK", "1986-01-30", ["Muhammad Imran Khan", "محمد عمران خان"]),
    ("south_asian", "BD", "1992-10-02", ["Mohammad Abdul Rahim", "মোহাম্মদ আব্দুল রহিম"]),
    ("south_asian", "IN", "1978-03-15", ["Sunil Reddy", "Sunil Kumar Reddy"]),
    ("south_asian", "NP", "1994-02-15", ["Bikash Thapa", "बिकाश थापा"]),
    ("southeast_asian", "VN", "1988-04-30", ["Nguyen Van Anh", "Nguyễn Văn Anh"]),
    ("southeast_asian", "VN", "1987-05-01", ["Nguyen Thi Minh", "Nguyễn Thị Minh"]),
    ("southeast_asian", "TH", "1986-09-09", ["Somchai Srisuk", "สมชาย ศรีสุข"]),
    ("southeast_asian", "ID", "1992-07-18", ["Budi Setiawan", "Budi Setyawan"]),
    ("southeast_asian", "MY", "1979-04-27", ["Ahmad Fauzi bin Abdullah", "Ahmad Fauzi Abdullah"]),
    ("east_asian", "CN", "1983-10-11", ["Wang Xiaoping", "王小平"]),
    ("east_asian", "CN", "1977-05-19", ["Li Jianjun", "李建军"]),
    ("east_asian", "KR", "1986-02-03", ["Kim Min-ho", "김민호"]),
    ("latin", "FR", "1950-04-04", ["Jean-Paul Dupont", "Jean Paul Dupont"]),
    ("latin", "ES", "1982-09-26", ["José Luis García López", "Jose Luis Garcia Lopez"]),
    ("latin", "BR", "1991-03-09", ["João Paulo da Silva", "Joao Paulo Silva"]),
    ("latin", "TR", "1981-07-21", ["Mustafa Yılmaz", "Mustafa Yilmaz"]),
    ("latin", "SN", "1989-02-12", ["Mamadou Lamine Diop", "Mamadou Diop"]),
]
ORGS = [
    (
        "organization",
        "FR",
        [
            "Société Générale d'Import-Export SARL",
            "Societe Generale d Import Export",
            "SGIE SARL Société Générale d'Import-Export",
        ],
    ),
    ("organization", "RU", ["ООО Ромашка", "OOO Romashka", "Romashka LLC"]),
    (
        "organization",
        "AE",
        ["Golden Sands General Trading LLC", "Golden Sands Gen. Trading L.L.C.", "Golden Sands General Trading FZE"],
    ),
    ("organization", "MA", ["Atlas Logistique SA", "شركة أطلس لوجستيك", "Atlas Logistic S.A."]),
    (
        "organization",
        "CN",
        [
            "Shenzhen Huaxin Electronics Co., Ltd.",
            "深圳华信电子有限公司",
            "Shenzhen Huaxin Electronics Company Limited",
        ],
    ),
    ("organization", "UA", ["ТОВ Дніпро Агро", "TOV Dnipro Agro", "Dnipro Agro LLC"]),
    ("organization", "GB", ["Blue Harbour Capital Limited", "Blue Harbour Capital Ltd", "BLUE HARBOUR CAPITAL LTD."]),
    ("organization", "DE", ["Müller Bau GmbH", "Mueller Bau GmbH", "Muller Bau"]),
    ("organization", "TR", ["Anadolu Tekstil A.Ş.", "Anadolu Tekstil AS", "Anadolu Textile"]),
    (
        "organization",
        "IN",
        ["Sunrise Pharma Private Limited", "Sunrise Pharma Pvt. Ltd.", "Sunrise Pharmaceuticals Pvt Ltd"],
    ),
]
ORG_NAMESAKES = [
    ("organization", "FR", ["Société Générale d'Import SARL", "Generale Import"]),
    ("organization", "RU", ["ООО Ромашка Плюс", "OOO Romashka Plus"]),
    ("organization", "AE", ["Silver Sands General Trading LLC", "Silver Sands Trading"]),
    ("organization", "MA", ["Atlas Transport SA", "Atlas Transports"]),
    ("organization", "CN", ["Shenzhen Huaxing Electronics Co., Ltd.", "Shenzhen Huaxing Electronic"]),
    ("organization", "GB", ["Blue Harbour Holdings Limited", "Blue Harbour Holdings"]),
    ("organization", "GB", ["Red Harbour Capital Limited", "Red Harbour Capital"]),
    ("organization", "DE", ["Müller Transporte GmbH", "Mueller Transporte"]),
    ("organization", "IN", ["Sunshine Pharma Private Limited", "Sunshine Pharma Pvt Ltd"]),
]


def _phone_variants(rng: random.Random, country: str) -> tuple[str, str]:
    """The same mobile number written internationally and nationally (the national form read with the
    nationality)."""
    plans = {"MA": ("212", "6"), "FR": ("33", "6"), "DZ": ("213", "5"), "EG": ("20", "10"), "TN": ("216", "2"),
             "UA": ("380", "67"), "RU": ("7", "916"), "IN": ("91", "98"), "PK": ("92", "300"), "ES": ("34", "6")}  # fmt: skip
    code, prefix = plans.get(country, ("33", "6"))
    rest = "".join(str(rng.randint(0, 9)) for _ in range(9 - len(prefix) + (1 if code == "20" else 0)))
    national = prefix + rest
    international = f"+{code} {national[:3]} {national[3:6]} {national[6:]}"
    trunk = "" if code == "7" else "0"
    if code == "7":
        trunk = "8"
    return international, trunk + national


def _iban(rng: random.Random) -> tuple[str, str]:
    from stdnum import iban

    bban = "30006000" + "".join(str(rng.randint(0, 9)) for _ in range(15))
    check = iban.calc_check_digits("FR00" + bban)
    compact = f"FR{check}{bban}"
    spaced = " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    return compact, spaced.lower()


def _side(name: str, nationality: str | None, birth: str | None, identifiers: list[dict[str, str]]) -> dict:
    side: dict = {"name": name}
    if birth:
        side["birth_date"] = birth
    if nationality:
        side["nationality"] = nationality
    if identifiers:
        side["identifiers"] = identifiers
    return side


def build() -> list[dict]:
    rng = random.Random(20261128)
    pairs: list[dict] = []
    n = itertools.count(1)

    def add(kind: str, left: dict, right: dict, match: bool, category: str) -> None:
        pairs.append({"id": f"p{next(n):04d}", "kind": kind, "left": left, "right": right, "match": match,
                      "category": category})  # fmt: skip

    # Positive pairs: every two writings of a person; birth dates as full date, year only or missing.
    for category, nat, birth, names in PEOPLE:
        for a, b in itertools.combinations(names, 2):
            birth_a = birth if rng.random() < 0.6 else (birth[:4] if rng.random() < 0.5 else None)
            birth_b = birth if rng.random() < 0.5 else (birth[:4] if rng.random() < 0.5 else None)
            add("person", _side(a, nat if rng.random() < 0.7 else None, birth_a, []),
                _side(b, nat if rng.random() < 0.5 else None, birth_b, []), True, category)  # fmt: skip
    # Identifiers written differently: the same phone, IBAN, e-mail or passport, with weak or no name overlap.
    for category, nat, birth, names in PEOPLE[::2]:
        kind = rng.choice(["phone", "iban", "email", "passport"])
        if kind == "phone":
            left_value, right_value = _phone_variants(rng, nat)
        elif kind == "iban":
            left_value, right_value = _iban(rng)
        elif kind == "email":
            user = names[0].split()[0].lower() + "." + str(rng.randint(10, 99))
            left_value, right_value = f"{user}@example.org", f"{user.upper()}@Example.ORG"
        else:
            number = f"{rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}{rng.randint(1000000, 9999999)}"
            left_value, right_value = number, f"{number[:2].lower()} {number[2:5]}-{number[5:]}"
        add("person", _side(names[0], nat, None, [{"type": kind, "value": left_value}]),
            _side(names[-1], nat, birth, [{"type": kind, "value": right_value}]), True, "identifiers")  # fmt: skip
    # Negative pairs: each namesake against every writing of the person it resembles.
    by_category: dict[str, list] = {}
    for person in PEOPLE:
        by_category.setdefault(person[0], []).append(person)
    for category, nat, birth, names in NAMESAKES:
        for _c, other_nat, other_birth, other_names in by_category[category]:
            shared = {p.lower() for p in " ".join(names).split()} & {p.lower() for p in " ".join(other_names).split()}
            if not shared:
                continue
            for a in names:
                b = rng.choice(other_names)
                # A namesake is told apart by what a request usually carries: the date of birth.
                add("person", _side(a, nat if rng.random() < 0.6 else None, birth, []),
                    _side(b, other_nat if rng.random() < 0.6 else None, other_birth if rng.random() < 0.8 else other_birth[:4], []),
                    False, category)  # fmt: skip
    # Same name, different passports and birth dates: two people.
    for category, nat, birth, names in PEOPLE[1::3]:
        year = int(birth[:4])
        add("person",
            _side(names[0], nat, birth, [{"type": "passport", "value": f"X{rng.randint(1000000, 9999999)}"}]),
            _side(names[1], nat, f"{year - 27}-01-15", [{"type": "passport", "value": f"Y{rng.randint(1000000, 9999999)}"}]),
            False, "identifiers")  # fmt: skip
    # Different people from different groups sharing nothing but a common first name part.
    people = PEOPLE + NAMESAKES
    for _ in range(40):
        a, b = rng.sample(people, 2)
        if a[3][0] == b[3][0]:
            continue
        add("person", _side(rng.choice(a[3]), a[1], a[2], []), _side(rng.choice(b[3]), b[1], b[2], []), False, a[0])
    # Organisations.
    for category, nat, names in ORGS:
        for a, b in itertools.combinations(names, 2):
            add(
                "organization",
                _side(a, nat, None, []),
                _side(b, nat if rng.random() < 0.5 else None, None, []),
                True,
                category,
            )
    for category, nat, names in ORG_NAMESAKES:
        for org in ORGS:
            if org[1] != nat:
                continue
            for a in names:
                add("organization", _side(a, nat, None, []), _side(rng.choice(org[2]), nat, None, []), False, category)
    # Organisations known by their registration number written differently.
    for i, (category, nat, names) in enumerate(ORGS[:5]):
        number = f"{nat}{rng.randint(100000000, 999999999)}"
        add("organization", _side(names[0], nat, None, [{"type": "registration", "value": number}]),
            _side(names[-1], None, None, [{"type": "registration", "value": f"{number[:2]} {number[2:5]} {number[5:]}".lower()}]),
            True, "identifiers")  # fmt: skip
    return pairs


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    pairs = build()
    with out.open("w", encoding="utf-8") as fh:
        for pair in pairs:
            fh.write(json.dumps(pair, ensure_ascii=False) + "\n")
    positives = sum(p["match"] for p in pairs)
    print(f"{len(pairs)} pairs ({positives} matches, {len(pairs) - positives} non-matches) → {out}")


if __name__ == "__main__":
    main()
