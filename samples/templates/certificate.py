"""What both certificate templates share: holders, codes, the wording of parcel facts, the fields.

Wording varies the way it does between template years and offices (label text, punctuation,
"m²" or "m2", a term written "Đến ngày 15/10/2063" or "Đến 15/10/2063"), so that extractors
cannot lean on one exact layout.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from pipeline.gazetteer import load_gazetteer
from samples import vnformat
from samples.land import Parcel, random_parcel
from samples.model import Block, Para, Span, para
from samples.offices import DISTRICTS_ABOLISHED, Office, committee, land_department, registration_office
from samples.people import Person, couple, id_type_for, person
from samples.places import address, pick_place
from samples.templates.common import place_date, place_fields, signature_block

_SERIES_LETTERS = "ABCDEGHKLMNPQRSTUVXY"
_ID_LABELS = {"CMND": ("CMND số:", "Số CMND:", "CMND số"), "CCCD": ("CCCD số:", "Căn cước công dân số:", "Số CCCD:")}


@dataclass(frozen=True)
class Holder:
    person: Person
    title: str  # as printed: "Ông", "Bà", "Hộ ông", "Hộ bà"


def compact(code: str) -> str:
    """A printed code in its normalised form: no inner spaces ("BH 722706" → "BH722706")."""
    return code.replace(" ", "")


def pick_holders(rng: random.Random, issued: date, *, households: bool = True) -> list[Holder]:
    """One holder, a married couple, or (older certificates) a household named after its head."""
    id_type = id_type_for(rng, issued)
    born = (max(1925, issued.year - 85), issued.year - 20)
    shape = rng.random()
    if shape < 0.4:
        husband, wife = couple(rng, born=born, id_type=id_type)
        return [Holder(husband, "Ông"), Holder(wife, "Bà")]
    head = person(rng, born=born, id_type=id_type)
    if households and shape > 0.92:
        return [Holder(head, f"Hộ {head.title.lower()}")]
    return [Holder(head, head.title)]


def holder_paras(rng: random.Random, holders: list[Holder], size: float, *, upper: bool = True) -> list[Para]:
    """Each holder's line(s): title, name, birth year, id, in one of the offices' wordings."""
    style = rng.randrange(3)
    paras: list[Para] = []
    for holder in holders:
        who = holder.person
        name = who.name.upper() if upper else who.name
        id_label = rng.choice(_ID_LABELS[who.id_type])
        ident = f"{id_label} {who.id_number}"
        if style == 0:
            paras.append(para(f"{holder.title}: {name}, Năm sinh: {who.birth_year}, {ident}", size=size))
        elif style == 1:
            paras.append(
                Para((Span(f"{holder.title}: {name}"), Span(f"Năm sinh: {who.birth_year}", tab_mm=95)), size=size)
            )
            if who.id_type == "CMND" and rng.random() < 0.5:
                ident += f", cấp ngày {vnformat.date_short(date(who.birth_year + rng.randint(16, 30), 5, 12))}"
                ident += " tại Công an Hà Nội"
            paras.append(para(ident, size=size))
        else:
            paras.append(para(f"{holder.title} {name}; sinh năm: {who.birth_year}; {ident}", size=size))
    return paras


def home_address(rng: random.Random, parcel: Parcel) -> str:
    """Where the holders live: mostly on the parcel (residential land), else elsewhere in the city."""
    if parcel.purpose.term == "long" and parcel.place.street and rng.random() < 0.7:
        return parcel.address
    return address(rng, pick_place(rng))


def serial_2014(rng: random.Random, issued: date) -> str:
    """Số phát hành: one letter (before 2005) or two letters by period, a space, 6 digits."""
    digits = f"{rng.randrange(10**6):06d}"
    if issued.year < 2005:
        return f"{rng.choice(_SERIES_LETTERS)} {digits}"
    first = "ABCD"[min(3, (issued.year - 2005) // 5)]
    return f"{first}{rng.choice(_SERIES_LETTERS)} {digits}"


def serial_2024(rng: random.Random) -> str:
    """2024 template: two letters and 8 digits, "AA 06654954"."""
    return f"A{rng.choice('ABCDE')} {rng.randrange(10**8):08d}"


def registry_number(rng: random.Random, issued: date, office: Office) -> str:
    """Số vào sổ cấp GCN: a book prefix and digits, sometimes with the decision it was issued under."""
    digits = f"{rng.randint(1, 29999):05d}"
    if issued.year < 2009:
        return f"{digits}/QSDĐ"
    prefix = {"UBND": "CH", "VPĐK": "VP"}.get(office.symbol, "CS")
    code = f"{prefix} {digits}"
    if office.symbol == "UBND" and rng.random() < 0.25:
        code += f"/{rng.randint(100, 9999)}/QĐ-UBND"
    return code


def issuing_office(rng: random.Random, issued: date, parcel: Parcel) -> Office:
    """Who signs: the district committee (households), the city's land department, or its registry."""
    if issued >= DISTRICTS_ABOLISHED:
        return rng.choice((land_department(issued), registration_office(issued)))
    if issued.year >= 2015 and rng.random() < 0.45:
        return land_department(issued)
    return committee(parcel.place.district)


def area_text(rng: random.Random, parcel: Parcel, *, words_label: str = "bằng chữ") -> str:
    """ "85,6 m² (bằng chữ: Tám mươi lăm phẩy sáu mét vuông)", or without the words."""
    unit = "m²" if rng.random() < 0.75 else "m2"
    text = vnformat.area(parcel.area, parcel.decimals, unit)
    if rng.random() < 0.8:
        text += f" ({words_label}: {vnformat.area_words(parcel.area, parcel.decimals)})"
    return text


def term_text(rng: random.Random, parcel: Parcel) -> str:
    if parcel.term is None:
        return "Lâu dài"
    return f"{rng.choice(('Đến ngày', 'Đến', 'Sử dụng đến ngày'))} {vnformat.date_short(parcel.term)}"


def use_form_text(rng: random.Random, parcel: Parcel) -> str:
    if rng.random() < 0.6:
        return parcel.use_form
    area = vnformat.area(parcel.area, parcel.decimals)
    own, common = ("không", area) if parcel.shared else (area, "không")
    return f"Sử dụng riêng: {own}; Sử dụng chung: {common}"


@dataclass(frozen=True)
class Facts:
    """Everything a certificate states, drawn once and then laid out by a template."""

    issued: date
    parcel: Parcel
    holders: list[Holder]
    home: str  # the holders' address
    office: Office
    serial: str  # as printed, "BH 722706"
    registry: str  # as printed, "CH 00536"
    place: str  # before the date: "Hà Nội"
    size: float  # body type size, points


def draw_facts(rng: random.Random, issued: date, *, template_2024: bool) -> Facts:
    """A parcel, its holders and the issuing office for a certificate issued on `issued`."""
    parcel = random_parcel(rng, issued)
    holders = pick_holders(rng, issued, households=not template_2024)
    office = issuing_office(rng, issued, parcel)
    serial = serial_2024(rng) if template_2024 else serial_2014(rng, issued)
    return Facts(
        issued=issued,
        parcel=parcel,
        holders=holders,
        home=home_address(rng, parcel),
        office=office,
        serial=serial,
        registry=registry_number(rng, issued, office),
        place=issue_place(rng, office),
        size=rng.choice((12.0, 12.5) if template_2024 else (12.0, 12.5, 13.0)),
    )


def certificate_fields(facts: Facts) -> dict[str, Any]:
    """The ground truth of a certificate, normalised as `extractors.registry` defines the fields."""
    parcel, holders = facts.parcel, facts.holders
    return {
        "serial": compact(facts.serial),
        "registry_number": compact(facts.registry),
        "holder_title": [h.title for h in holders],
        "holder_name": [h.person.name for h in holders],
        "holder_birth_year": [h.person.birth_year for h in holders],
        "holder_id_type": [h.person.id_type for h in holders],
        "holder_id_number": [h.person.id_number for h in holders],
        "holder_address": facts.home,
        "parcel_number": parcel.number,
        "map_sheet": parcel.sheet,
        "parcel_address": parcel.address,
        "area_m2": parcel.area,
        "use_form": parcel.use_form,
        "land_purpose": parcel.purpose.name,
        "land_purpose_code": parcel.purpose.code,
        "use_term": "lâu dài" if parcel.term is None else parcel.term.isoformat(),
        "origin": parcel.origin,
        "issue_place": facts.place,
        "issue_date": facts.issued.isoformat(),
        "issuing_authority": facts.office.name,
        **place_fields(parcel.place.ward, parcel.place.district),
    }


def signature(rng: random.Random, facts: Facts) -> tuple[Block, ...]:
    """Place and date, the authority's titles, the signature under the seal, the signer's name."""
    signer = person(rng, born=(facts.issued.year - 60, facts.issued.year - 35), id_type="CCCD")
    return signature_block(
        rng,
        facts.office.signature_titles(rng, full_name=True),
        signer.name,
        seal_text=facts.office.seal_text,
        size=facts.size,
        dated=place_date(facts.place, facts.issued, rng),
    )


def issue_place(rng: random.Random, office: Office) -> str:
    """The place before the date: the city, or the district for a district committee."""
    return office.place if office.district is not None and rng.random() < 0.3 else load_gazetteer().province.name
