"""Build one document's content (pages of blocks and its ground-truth fields) by template name."""

from __future__ import annotations

import random
from collections.abc import Callable

from samples.model import DocContent
from samples.templates import bundle, gcn2014, gcn2024, letter, receipt

Builder = Callable[[random.Random, int | None], DocContent]

TEMPLATES: dict[str, Builder] = {
    "gcn2014": gcn2014.build,
    "gcn2024": gcn2024.build,
    "receipt": receipt.build,
    "letter": letter.build,
    "bundle": bundle.build,
}


def build_content(template: str, rng: random.Random, pages: int | None = None) -> DocContent:
    """The content of a `template` document drawn from `rng`; `pages` sets a letter's length."""
    try:
        builder = TEMPLATES[template]
    except KeyError:
        raise ValueError(f"unknown template {template!r}; known: {', '.join(TEMPLATES)}") from None
    content = builder(rng, pages)
    if not content.segments:
        content.segments = [{"doc_type": content.doc_type, "first_page": 1, "last_page": len(content.pages)}]
    return content
