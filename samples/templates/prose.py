"""Plausible Vietnamese administrative prose for letters and decisions.

Sentences are templates with slots filled from the letter's own context (office, person, place,
parcel, dates), so paragraphs read like land-office correspondence and no two letters match.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from samples import vnformat

DATA_FILE = Path(__file__).parent.parent / "data" / "prose.json"


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    """Sentence templates with {slots}, request topics, and legal bases with the day each applies from."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Context:
    """What the prose may mention: filled into the sentences' slots."""

    office: str
    who: str
    address: str
    ward: str
    district: str
    contact: str
    phone: str
    day: date


def legal_bases(day: date, count: int, rng: random.Random) -> list[str]:
    """Up to `count` citations in force on `day`, in the order documents cite them."""
    usable = [
        base["text"]
        for base in _data()["legal_bases"]
        if date.fromisoformat(base["since"]) <= day <= date.fromisoformat(base.get("until", "9999-12-31"))
    ]
    chosen = sorted(rng.sample(range(len(usable)), min(count, len(usable))))
    return [usable[i] for i in chosen]


def _fill(rng: random.Random, template: str, ctx: Context) -> str:
    slots = {
        "office": ctx.office,
        "who": ctx.who,
        "address": ctx.address,
        "ward": ctx.ward,
        "district": ctx.district,
        "contact": ctx.contact,
        "phone": ctx.phone,
        "topic": rng.choice(_data()["topics"]),
        "parcel": rng.randint(1, 900),
        "sheet": rng.randint(1, 60),
        "area": vnformat.area(round(rng.uniform(40, 400), 1), 1),
        "built": vnformat.area(round(rng.uniform(30, 150), 1), 1),
        "floors": rng.randint(1, 6),
        "year": rng.randint(1986, ctx.day.year - 1),
        "days": rng.choice((3, 7, 10, 15, 30)),
        "earlier": vnformat.date_short(ctx.day - timedelta(days=rng.randint(5, 90))),
        "later": vnformat.date_short(ctx.day + timedelta(days=rng.randint(7, 30))),
        "received": vnformat.number(rng.randint(800, 9000)),
        "on_time": vnformat.number(rng.randint(500, 799)),
        "pending": rng.randint(10, 300),
    }
    text = template.format(**slots)
    return text[0].upper() + text[1:]


def opening(rng: random.Random, ctx: Context) -> str:
    """The first paragraph of a letter: what was received, then "có ý kiến như sau:"."""
    return " ".join(_fill(rng, template, ctx) for template in _data()["opening"])


def paragraph(rng: random.Random, ctx: Context, sentences: tuple[int, int] = (2, 4)) -> str:
    """A body paragraph of distinct sentences."""
    return " ".join(_fill(rng, t, ctx) for t in rng.sample(_data()["sentences"], rng.randint(*sentences)))
