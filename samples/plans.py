"""Named corpus plans: the sample sets the tests, the benchmarks and the demo use.

Each entry's seed is derived from the plan's name, the entry's index and the caller's seed, so
a plan is the same list of files every time, and a different `seed` gives a fresh corpus.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterator

from samples.degrade import DEGRADATIONS, PHONE
from samples.spec import BORN_DIGITAL, EXTENSIONS, SampleSpec

Entry = tuple[str, str, tuple[str, ...]]  # template, format, degradations
_TWO_PAGES = frozenset({"gcn2014", "gcn2024"})


def derive_seed(plan: str, index: int, seed: int) -> int:
    """A stable 32-bit seed for entry `index` of `plan`."""
    return int(hashlib.sha256(f"{plan}:{index}:{seed}".encode()).hexdigest()[:8], 16)


def _specs(plan: str, seed: int, entries: list[Entry], first: int = 1, **options: int) -> list[SampleSpec]:
    """Numbered specs from `first` on; `pages` sets how many pages letters have, `dpi` the scan resolution."""
    specs = []
    for index, (template, fmt, degradations) in enumerate(entries, first):
        label = "-".join(degradations) or "clean"
        name = f"{plan}-{index:03d}-{template}-{fmt}-{label}"
        pages = options.get("pages") if template == "letter" else None
        dpi = options.get("dpi", 300)
        specs.append(SampleSpec(name, template, fmt, degradations, derive_seed(plan, index, seed), dpi, pages))
    return specs


def _demo(seed: int) -> list[SampleSpec]:
    entries: list[Entry] = [
        ("gcn2014", "png", ()),
        ("gcn2014", "pdf_text", ()),
        ("gcn2024", "pdf_scan", ("seal",)),
        ("receipt", "jpg", ()),
        ("letter", "tiff", ()),
        ("receipt", "png", ("rot90",)),
        ("gcn2014", "jpg", ("rot180",)),
        ("receipt", "tiff_fax", ("skew",)),
        ("letter", "pdf_legacy", ()),
        ("receipt", "pdf_badocr", ("uneven_light",)),
        ("gcn2024", "png", ("blur", "noise")),
        ("receipt", "png", ("jpeg", "yellow")),
        ("bundle", "pdf_scan", ("lowres", "skew")),
        ("receipt", "jpg", ("photo",)),
    ]
    return _specs("demo", seed, entries, pages=3)


_COMBINATIONS: tuple[tuple[str, ...], ...] = (
    ("skew", "noise"),
    ("blur", "jpeg"),
    ("yellow", "uneven_light"),
    ("photocopy", "skew"),
    ("seal", "blur"),
    ("lowres", "noise"),
    ("border", "skew", "noise"),
    ("yellow", "seal", "jpeg"),
)


# What offices receive from phones: A4 letters photographed or screenshotted, one step at a time
# (on a 300-dpi page), then at low resolution declaring nothing, 72 dpi or its real resolution,
# and the mixtures phones make. Names in their physical order, as `degrade.apply` runs them.
_PHONE_KINDS: tuple[tuple[str, ...], ...] = (
    ("tilt",),
    ("phone_blur",),
    ("dark",),
    ("washed",),
    ("phone_noise",),
    ("phone_jpeg",),
    ("lowdpi",),
    ("lowdpi", "nodpi"),
    ("lowdpi", "dpi72"),
    ("lowdpi", "phone_jpeg", "nodpi"),
    ("phone_blur", "lowdpi", "phone_jpeg", "dpi72"),
    ("dark", "lowdpi", "phone_noise", "nodpi"),
    ("tilt", "lowdpi", "phone_jpeg", "dpi72"),
    ("washed", "lowdpi", "phone_jpeg", "nodpi"),
)
PHONE_PAGES = 5  # letters of each phone kind: enough that one page does not decide
COMBINATION_FILES = 5  # files of each scanner combination (two-page certificates among them)
_OCR_TEMPLATES = ("receipt", "gcn2014", "letter", "gcn2024")


def _ocr_format(template: str, degradations: tuple[str, ...]) -> str:
    if "fax" in degradations:
        return "tiff_fax"
    if "photo" in degradations:
        return "jpg"
    return "tiff" if template in _TWO_PAGES else "png"


def _ocr(seed: int) -> list[SampleSpec]:
    """Every scanner's degradation alone (three times, on rotating templates), clean pages and
    the combinations (`COMBINATION_FILES` each, every template in turn); then the phone kinds,
    `PHONE_PAGES` one-page letters each."""
    scanned = [name for name in DEGRADATIONS if name not in PHONE]
    kinds: list[tuple[str, ...]] = [(), *((name,) for name in scanned)] * 3
    templates = itertools.cycle(_OCR_TEMPLATES)
    entries = [(template, _ocr_format(template, kind), kind) for kind in kinds for template in [next(templates)]]
    for repeat in range(COMBINATION_FILES):
        for index, kind in enumerate(_COMBINATIONS):  # rotated, so each combination meets every template
            template = _OCR_TEMPLATES[(index + repeat) % len(_OCR_TEMPLATES)]
            entries.append((template, _ocr_format(template, kind), kind))
    entries.append(("receipt", "tiff_fax", ()))
    entries += [("letter", "png", kind) for kind in _PHONE_KINDS for _ in range(PHONE_PAGES)]
    return _specs("ocr", seed, entries, pages=1)


_EXTRACTION_DAMAGE: tuple[tuple[str, ...], ...] = (
    (), (), ("skew",), ("noise",), ("blur",), ("jpeg",), ("seal",), ("uneven_light",), ("lowres",),
    ("yellow",), ("photocopy",), ("rot90",), ("border",), ("photo",), ("skew", "noise"), ("seal", "yellow"),
)  # fmt: skip


def _extraction_entries(templates: list[str]) -> Iterator[Entry]:
    formats = itertools.cycle(EXTENSIONS)
    damage = itertools.cycle(_EXTRACTION_DAMAGE)
    for template in templates:
        fmt = next(formats)
        degradations = () if fmt in BORN_DIGITAL else next(damage)
        if fmt == "tiff_fax" and "photo" in degradations:
            degradations = ("skew",)
        yield template, fmt, degradations


def _extraction(seed: int) -> list[SampleSpec]:
    """Certificates of both templates and receipts in every format, clean and damaged; letters; bundles."""
    templates = ["gcn2014", "gcn2024", "receipt", "receipt"] * 22 + ["letter"] * 6
    entries = list(_extraction_entries(templates))
    entries += [("bundle", "pdf_scan", ("skew",)), ("bundle", "tiff", ())]
    # letters of several pages, whose later pages have no title and must stay part of the letter
    long_letters: list[Entry] = [("letter", "tiff", ()), ("letter", "pdf_scan", ("noise",))]
    return _specs("extraction", seed, entries, pages=1) + _specs(
        "extraction", seed, long_letters, first=len(entries) + 1, pages=3
    )


def _throughput(seed: int) -> list[SampleSpec]:
    """40 scanned pages (one per image) of mixed templates with mild damage."""
    mild = itertools.cycle(((), ("noise",), ("jpeg",), ("blur",), ("skew",)))
    single = itertools.cycle(("png", "jpg", "pdf_scan", "tiff"))
    paged = itertools.cycle(("pdf_scan", "tiff"))  # not png/jpg: a certificate there is one spread
    templates = ["receipt"] * 16 + ["letter"] * 12 + ["gcn2014", "gcn2024"] * 3
    entries = [(t, next(paged if t in _TWO_PAGES else single), next(mild)) for t in templates]
    return _specs("throughput", seed, entries, pages=1)


def _bigpdf(seed: int) -> list[SampleSpec]:
    """One 300-page scanned letter at 200 dpi: for memory and streaming benchmarks."""
    return _specs("bigpdf", seed, [("letter", "pdf_scan", ())], pages=300, dpi=200)


PLANS: dict[str, Callable[[int], list[SampleSpec]]] = {
    "demo": _demo,
    "ocr": _ocr,
    "extraction": _extraction,
    "throughput": _throughput,
    "bigpdf": _bigpdf,
}


def plan(name: str, seed: int = 0) -> list[SampleSpec]:
    """The specs of the plan called `name` ({demo, ocr, extraction, throughput, bigpdf})."""
    try:
        return PLANS[name](seed)
    except KeyError:
        raise ValueError(f"unknown plan {name!r}; known: {', '.join(PLANS)}") from None
