"""Lay a page's blocks out on A4: positioned text runs, rules and art, in points.

The layout is device-independent: `render` rasterises it at any dpi and the PDF writer writes the
same runs as real text, so a born-digital sample and its scan agree line for line. Lines come out
in reading order (a two-column row: the left column's lines, then the right's), and each line's
text is exactly the concatenation of its runs: that is the ground truth of what the page says.
A page that would overflow is set again with all sizes scaled down a little until it fits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from samples.fonts import FontFamily, text_width
from samples.model import (
    INK,
    RGB,
    Art,
    AtBottom,
    Block,
    Columns,
    Fill,
    FontStyle,
    Gap,
    PageContent,
    Para,
    Span,
    Table,
)

MM = 72 / 25.4  # points per millimetre
A4 = (210 * MM, 297 * MM)
_SCALES = (1.0, 0.96, 0.92, 0.88, 0.84, 0.8)
_RULE = 0.6  # points


@dataclass(frozen=True)
class Run:
    """Text in one font and size, its origin at (x, baseline)."""

    x: float
    baseline: float
    text: str
    style: FontStyle
    size: float
    color: RGB = INK


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = _RULE
    color: RGB = INK


@dataclass(frozen=True)
class Placed:
    """An `Art` at its place on the page (top-left corner, size), in points."""

    art: Art
    x: float
    y: float
    w: float
    h: float


@dataclass
class PageLayout:
    width: float
    height: float
    family: FontFamily
    lines: list[Line] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    arts: list[Placed] = field(default_factory=list)
    tint: RGB | None = None
    overflow: bool = False

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def colored(self) -> bool:
        """True when anything is drawn in colour (the raster then needs RGB)."""
        return (
            self.tint is not None
            or any(a.art.color != INK or a.art.kind == "emblem" for a in self.arts)
            or any(r.color != INK for line in self.lines for r in line.runs)
        )


@dataclass
class _Sheet:
    """What has been set so far: lines, rules and art, to be merged into the page."""

    lines: list[Line] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    arts: list[Placed] = field(default_factory=list)

    def extend(self, other: _Sheet) -> None:
        self.lines += other.lines
        self.rules += other.rules
        self.arts += other.arts


@dataclass(frozen=True)
class _Piece:
    """A stretch of one style inside a word (a word may mix styles when spans meet without a space)."""

    text: str
    style: FontStyle


@dataclass(frozen=True)
class _Word:
    pieces: tuple[_Piece, ...]
    tab: float | None  # absolute x where this word must start, from a span's tab stop


def _words(spans: tuple[Span, ...]) -> list[_Word]:
    """Split spans into words, keeping styles; spans that meet without a space join into one word."""
    words: list[_Word] = []
    pending: list[_Piece] = []
    tab: float | None = None
    for span in spans:
        if span.tab_mm is not None:
            if pending:
                words.append(_Word(tuple(pending), tab))
                pending, tab = [], None
            tab = span.tab_mm * MM
        parts = span.text.split(" ")
        for index, part in enumerate(parts):
            if index > 0 and pending:
                words.append(_Word(tuple(pending), tab))
                pending, tab = [], None
            if part:
                pending.append(_Piece(part, span.style))
    if pending:
        words.append(_Word(tuple(pending), tab))
    return words


class _Composer:
    """Sets one page's blocks at one font scale."""

    def __init__(self, page: PageContent, family: FontFamily, scale: float, size: tuple[float, float]) -> None:
        self.page = page
        self.family = family
        self.scale = scale
        self.width, self.height = size
        top, right, bottom, left = (m * MM for m in page.margins_mm)
        self.top, self.bottom = top, self.height - bottom
        self.left, self.right = left, self.width - right

    def compose(self) -> PageLayout:
        sheet = _Sheet()
        if self.page.frame:
            sheet.rules += self._frame()
        if self.page.number:
            number = Para((Span(self.page.number),), size=12, align="center")
            self._para(number, self.left, self.right, self.top / 2 - 6, sheet)
        y = self._blocks(self.page.blocks, self.left, self.right, self.top, sheet)
        return PageLayout(
            self.width,
            self.height,
            self.family,
            sheet.lines,
            sheet.rules,
            sheet.arts,
            self.page.tint,
            overflow=y > self.bottom + 0.5,
        )

    def _frame(self) -> list[Rule]:
        rules = []
        for inset, weight in ((4 * MM, 1.6), (5.2 * MM, 0.5)):
            x0, y0 = self.left - inset - 5 * MM, self.top - inset
            x1, y1 = self.right + inset, self.bottom + inset
            rules += [
                Rule(x0, y0, x1, y0, weight),
                Rule(x1, y0, x1, y1, weight),
                Rule(x1, y1, x0, y1, weight),
                Rule(x0, y1, x0, y0, weight),
            ]
        return rules

    def _blocks(self, blocks: tuple[Block, ...], x0: float, x1: float, y: float, sheet: _Sheet) -> float:
        for block in blocks:
            y = self._block(block, x0, x1, y, sheet)
        return y

    def _block(self, block: Block, x0: float, x1: float, y: float, sheet: _Sheet) -> float:
        if isinstance(block, Para):
            return self._para(block, x0, x1, y, sheet)
        if isinstance(block, Columns):
            return self._columns(block, x0, x1, y, sheet)
        if isinstance(block, Table):
            return self._table(block, x0, x1, y, sheet)
        if isinstance(block, Art):
            return self._art(block, x0, x1, y, sheet)
        if isinstance(block, Gap):
            return y + block.mm * MM * self.scale
        if isinstance(block, Fill):
            return self._fill(block, x0, x1, y, sheet)
        return self._at_bottom(block, x0, x1, y, sheet)

    def _columns(self, block: Columns, x0: float, x1: float, y: float, sheet: _Sheet) -> float:
        span = x1 - x0
        ends = [self._blocks(c.blocks, x0 + c.left * span, x0 + c.right * span, y, sheet) for c in block.columns]
        return max(ends, default=y) + block.after_pt * self.scale

    def _art(self, art: Art, x0: float, x1: float, y: float, sheet: _Sheet) -> float:
        w, h = art.width_mm * MM, art.height_mm * MM
        x = {"left": x0, "right": x1 - w}.get(art.align, (x0 + x1 - w) / 2) + art.dx_mm * MM
        sheet.arts.append(Placed(art, x, y + art.dy_mm * MM, w, h))
        return y if art.overlay else y + h

    def _fill(self, block: Fill, x0: float, x1: float, y: float, sheet: _Sheet) -> float:
        for paragraph in block.paragraphs:
            trial = _Sheet()
            end = self._para(paragraph, x0, x1, y, trial)
            if end > self.bottom:
                break
            sheet.extend(trial)
            y = end
        return y

    def _at_bottom(self, block: AtBottom, x0: float, x1: float, y: float, sheet: _Sheet) -> float:
        height = self._blocks(block.blocks, x0, x1, 0.0, _Sheet())
        start = max(y, self.bottom - height)
        return self._blocks(block.blocks, x0, x1, start, sheet)

    def _table(self, table: Table, x0: float, x1: float, y: float, sheet: _Sheet) -> float:
        span = x1 - x0
        edges = [x0]
        for fraction in table.widths:
            edges.append(edges[-1] + fraction * span)
        pad = 1.2 * MM
        sheet.rules.append(Rule(edges[0], y, edges[-1], y))
        for index, row in enumerate(table.rows):
            style: FontStyle = "bold" if index < table.header else "regular"
            bottom = y + table.min_row_mm * MM * self.scale
            for col, cell in enumerate(row):
                align = "center" if index < table.header else (table.aligns[col] if table.aligns else "left")
                cell_para = Para((Span(cell, style),), size=table.size, align=align, after_pt=0)
                bottom = max(bottom, self._para(cell_para, edges[col] + pad, edges[col + 1] - pad, y + pad, sheet))
            bottom += pad
            sheet.rules.append(Rule(edges[0], bottom, edges[-1], bottom))
            sheet.rules += [Rule(x, y, x, bottom) for x in edges]
            y = bottom
        return y + table.after_pt * self.scale

    def _para(self, p: Para, x0: float, x1: float, y: float, sheet: _Sheet) -> float:
        size = p.size * self.scale
        height = size * p.leading
        y += p.before_pt * self.scale
        left = x0 + p.indent_mm * MM
        rows = self._wrap(_words(p.spans), size, left + p.first_mm * MM, left, x1)
        for number, row in enumerate(rows):
            last = number == len(rows) - 1
            baseline = y + height * 0.8
            sheet.lines.append(self._line(row, p, size, baseline=baseline, right=x1, last=last))
            y += height
        if p.rule_mm and sheet.lines:
            width = p.rule_mm * MM
            mid = (x0 + x1) / 2
            sheet.rules.append(Rule(mid - width / 2, y + 2.5, mid + width / 2, y + 2.5, 0.7, p.color))
            y += 4
        return y + p.after_pt * self.scale

    def _measure(self, word: _Word, size: float) -> float:
        return sum(text_width(self.family, piece.style, size, piece.text) for piece in word.pieces)

    def _space(self, word: _Word, size: float) -> float:
        return text_width(self.family, word.pieces[0].style, size, " ")

    def _wrap(
        self, words: list[_Word], size: float, first_left: float, left: float, right: float
    ) -> list[list[tuple[_Word, float]]]:
        """Greedy line breaking: each row is a list of (word, x where it starts); tabs count from `left`."""
        rows: list[list[tuple[_Word, float]]] = [[]]
        x = first_left
        for word in words:
            width = self._measure(word, size)
            start = x + self._space(word, size) if rows[-1] else x
            if word.tab is not None:
                start = max(start, left + word.tab)
            if rows[-1] and start + width > right:
                rows.append([])
                start = left
            rows[-1].append((word, start))
            x = start + width
        return [row for row in rows if row]

    def _line(
        self, row: list[tuple[_Word, float]], p: Para, size: float, *, baseline: float, right: float, last: bool
    ) -> Line:
        starts = [start for _, start in row]
        end = starts[-1] + self._measure(row[-1][0], size)
        justify = p.align == "justify" and not last and len(row) > 1 and all(w.tab is None for w, _ in row)
        if justify:
            extra = (right - end) / (len(row) - 1)
            starts = [start + extra * index for index, start in enumerate(starts)]
        elif p.align in ("center", "right"):
            shift = (right - end) / (2 if p.align == "center" else 1)
            starts = [start + shift for start in starts]
        return Line(tuple(self._runs(row, starts, size, baseline=baseline, color=p.color, merge=not justify)))

    def _runs(
        self,
        row: list[tuple[_Word, float]],
        starts: list[float],
        size: float,
        *,
        baseline: float,
        color: RGB,
        merge: bool,
    ) -> list[Run]:
        """Runs for a row: one per stretch of one style set contiguously; each word keeps its space.

        Keeping the space characters (rather than leaving gaps) makes a PDF text layer extract
        with its spaces, and makes a line's text the plain concatenation of its runs.
        """
        runs: list[Run] = []
        end = None  # where the last run ends, its trailing space included
        for index, (word, _) in enumerate(row):
            x = starts[index]
            for number, piece in enumerate(word.pieces):
                trailing = " " if number == len(word.pieces) - 1 and index < len(row) - 1 else ""
                previous = runs[-1] if runs else None
                if merge and previous and previous.style == piece.style and end is not None and abs(end - x) < 0.5:
                    runs[-1] = Run(
                        previous.x, baseline, previous.text + piece.text + trailing, piece.style, size, color
                    )
                else:
                    runs.append(Run(x, baseline, piece.text + trailing, piece.style, size, color))
                x += text_width(self.family, piece.style, size, piece.text)
                end = x + (text_width(self.family, piece.style, size, " ") if trailing else 0.0)
        return runs


def layout_page(page: PageContent, family: FontFamily, size: tuple[float, float] = A4) -> PageLayout:
    """Set `page` in `family`, shrinking its type a step at a time if it would not fit."""
    result = _Composer(page, family, _SCALES[0], size).compose()
    for scale in _SCALES[1:]:
        if not result.overflow:
            break
        result = _Composer(page, family, scale, size).compose()
    return result
