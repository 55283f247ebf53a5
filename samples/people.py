"""Vietnamese people for the samples: names, titles, personal ids and phone numbers.

Personal ids follow the real structures: the old CMND is 9 digits (its first two digits the
issuing province), the CCCD 12 digits: the 3-digit province of birth registration (Hà Nội 001),
one digit for sex and century (0/1 = man/woman born 1900-1999, 2/3 = born 2000-2099), the
2-digit birth year, then 6 digits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from pipeline.textnorm import fold

# Family names with rough frequencies in the North.
FAMILY_NAMES: dict[str, int] = {
    "Nguyễn": 32, "Trần": 10, "Lê": 9, "Phạm": 7, "Hoàng": 5, "Vũ": 5, "Đỗ": 4, "Bùi": 4, "Đặng": 3,
    "Ngô": 3, "Dương": 2, "Đào": 2, "Đinh": 2, "Phan": 2, "Trịnh": 2, "Lương": 1, "Mai": 1, "Tạ": 1,
    "Cao": 1, "Lưu": 1, "Kiều": 1, "Khuất": 1, "Chu": 1, "Hà": 1, "Tô": 1, "Đoàn": 1, "Nghiêm": 1,
    "Quách": 1, "Lại": 1, "Phùng": 1, "Văn": 1, "Triệu": 1, "Lý": 1, "Võ": 1, "Hồ": 1,
}  # fmt: skip
MIDDLE_MALE = ("Văn", "Đức", "Hữu", "Minh", "Quang", "Thanh", "Xuân", "Mạnh", "Công", "Ngọc", "Duy", "Trọng",
               "Tiến", "Anh", "Hoàng", "Việt", "Thế", "Bá", "Đình", "Quốc", "Tuấn", "Hải", "Trung", "Văn")  # fmt: skip
MIDDLE_FEMALE = ("Thị", "Thu", "Thanh", "Ngọc", "Minh", "Phương", "Thúy", "Hồng", "Lan", "Mai", "Kim", "Bích",
                 "Diệu", "Hải", "Khánh", "Thị", "Thị", "Thùy", "Quỳnh", "Hương")  # fmt: skip
GIVEN_MALE = ("An", "Anh", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Giang", "Hải", "Hiếu", "Hoàng", "Hùng",
              "Huy", "Khánh", "Kiên", "Lâm", "Long", "Mạnh", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quang",
              "Quân", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh",
              "Hưng", "Hiệp", "Lợi", "Tú", "Chiến", "Khoa", "Định", "Thông", "Quyết", "Trường", "Đông")  # fmt: skip
GIVEN_FEMALE = ("An", "Anh", "Bích", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
                "Hồng", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc",
                "Nhung", "Oanh", "Phương", "Quỳnh", "Tâm", "Thảo", "Thu", "Thủy", "Trang", "Tuyết", "Vân",
                "Yến", "Xuân", "Lụa", "Nhàn", "Hậu", "Thơm", "Dịu", "Lệ", "Nguyệt")  # fmt: skip

# CCCD province codes of the places most Hà Nội residents come from (Hà Nội first, most often).
CCCD_PROVINCES: dict[str, int] = {
    "001": 60, "030": 4, "034": 4, "036": 4, "038": 3, "040": 3, "035": 3, "033": 3, "027": 3, "037": 2,
    "025": 2, "026": 2, "031": 2, "022": 1, "024": 1, "019": 1, "079": 1,
}  # fmt: skip
# First two digits of old CMND numbers: 01 Hà Nội, 11 Hà Tây (merged into Hà Nội in 2008), and neighbours.
CMND_PREFIXES: dict[str, int] = {"01": 60, "11": 12, "14": 5, "15": 5, "16": 5, "17": 4, "18": 4, "12": 3, "13": 2}
MOBILE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "086", "088", "089", "032", "033", "034",
                   "035", "036", "037", "038", "039", "070", "076", "077", "078", "079", "081", "082", "083",
                   "084", "085", "056", "058")  # fmt: skip


@dataclass(frozen=True)
class Person:
    family: str
    middle: str
    given: str
    female: bool
    birth_year: int
    id_type: str  # "CMND" or "CCCD"
    id_number: str

    @property
    def name(self) -> str:
        """Title-cased full name, "Nguyễn Văn An"."""
        return f"{self.family} {self.middle} {self.given}"

    @property
    def title(self) -> str:
        return "Bà" if self.female else "Ông"


def _weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(tuple(table), weights=tuple(table.values()))[0]


def cmnd(rng: random.Random) -> str:
    """A 9-digit CMND number."""
    return _weighted(rng, CMND_PREFIXES) + "".join(rng.choices("0123456789", k=7))


def cccd(rng: random.Random, birth_year: int, female: bool) -> str:
    """A 12-digit CCCD number with a valid structure for this birth year and sex."""
    century = (birth_year // 100) - 19  # 0 for the 1900s, 1 for the 2000s
    sex_digit = 2 * century + (1 if female else 0)
    return f"{_weighted(rng, CCCD_PROVINCES)}{sex_digit}{birth_year % 100:02d}{rng.randrange(10**6):06d}"


def cccd_is_valid(number: str, birth_year: int | None = None, female: bool | None = None) -> bool:
    """True when `number` has the CCCD structure (and agrees with the birth year and sex given)."""
    if len(number) != 12 or not number.isdigit() or number[:3] not in CCCD_PROVINCES:
        return False
    sex_digit = int(number[3])
    if sex_digit > 3:
        return False
    if birth_year is not None and (
        sex_digit // 2 != birth_year // 100 - 19 or number[4:6] != f"{birth_year % 100:02d}"
    ):
        return False
    return female is None or (sex_digit % 2 == 1) == female


def id_type_for(rng: random.Random, issued: date) -> str:
    """Which id a certificate issued on `issued` prints: CCCD exists from 2016 and spreads after 2021."""
    if issued.year < 2016:
        return "CMND"
    share = min(0.95, 0.25 + 0.12 * (issued.year - 2016))
    return "CCCD" if rng.random() < share else "CMND"


def person(
    rng: random.Random,
    *,
    female: bool | None = None,
    born: tuple[int, int] = (1940, 1995),
    id_type: str = "CCCD",
    family: str | None = None,
) -> Person:
    """A random person; `id_type` says which id to give them ("CMND" or "CCCD")."""
    is_female = rng.random() < 0.5 if female is None else female
    birth_year = rng.randint(*born)
    number = cccd(rng, birth_year, is_female) if id_type == "CCCD" else cmnd(rng)
    return Person(
        family=family or _weighted(rng, FAMILY_NAMES),
        middle=rng.choice(MIDDLE_FEMALE if is_female else MIDDLE_MALE),
        given=rng.choice(GIVEN_FEMALE if is_female else GIVEN_MALE),
        female=is_female,
        birth_year=birth_year,
        id_type=id_type,
        id_number=number,
    )


def couple(rng: random.Random, *, born: tuple[int, int], id_type: str) -> tuple[Person, Person]:
    """A husband and wife of similar age (different family names, as Vietnamese wives keep theirs)."""
    husband = person(rng, female=False, born=born, id_type=id_type)
    low = max(born[0], husband.birth_year - 3)
    wife = person(rng, female=True, born=(low, min(born[1] + 5, husband.birth_year + 8)), id_type=id_type)
    return husband, wife


def phone(rng: random.Random) -> str:
    """A 10-digit mobile number."""
    return rng.choice(MOBILE_PREFIXES) + "".join(rng.choices("0123456789", k=7))


def email(rng: random.Random, who: Person) -> str:
    """A plausible personal e-mail address made from the name (ASCII, as people type them)."""
    base = fold(who.given + who.family if rng.random() < 0.5 else who.family + who.middle + who.given)
    return f"{base.replace(' ', '')}{who.birth_year % 100:02d}@{rng.choice(('gmail.com', 'gmail.com', 'yahoo.com'))}"
