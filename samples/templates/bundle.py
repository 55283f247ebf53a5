"""A scanned bundle: a receipt slip, then a copy of the 2014-template certificate it concerns.

The slip is filed by the certificate's (first) holder at a desk of the parcel's district after
the certificate was issued, so the two documents agree on the place fields; the truth keeps each
document's own fields in its segment and their union at the top.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from pipeline.gazetteer import load_gazetteer
from samples.model import DocContent
from samples.people import Person
from samples.templates import gcn2014
from samples.templates.receipt import make_receipt


def build(rng: random.Random, pages: int | None = None) -> DocContent:
    del pages  # a slip and a two-page certificate
    certificate = gcn2014.build(rng)
    fields = certificate.fields
    family, middle, given = fields["holder_name"][0].split(" ", 2)
    holder = Person(
        family=family,
        middle=middle,
        given=given,
        female=fields["holder_title"][0] in ("Bà", "Hộ bà"),
        birth_year=fields["holder_birth_year"][0],
        id_type=fields["holder_id_type"][0],
        id_number=fields["holder_id_number"][0],
    )
    issued = date.fromisoformat(fields["issue_date"])
    slip = make_receipt(
        rng,
        applicant=holder,
        district=load_gazetteer().district(fields["district"]),
        after=max(issued + timedelta(days=30), date(2016, 1, 4)),
        ward_desk=False,
    )
    fields = {**slip.fields, **certificate.fields}  # the same district and province in both
    segments = [
        {"doc_type": "receipt", "first_page": 1, "last_page": 1, "fields": slip.fields},
        {"doc_type": "certificate", "first_page": 2, "last_page": 3, "fields": certificate.fields},
    ]
    return DocContent("bundle", "receipt", slip.pages + certificate.pages, certificate.font, fields, segments)
