"""How the CLI shows things to people: tables, highlighted hits, a progress bar."""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from index.query import MARK_CLOSE, MARK_OPEN, SearchQuery, SearchResult
from pipeline.models import PageRead, Record

if TYPE_CHECKING:  # only for annotations: printing a search must not load the ingest steps and extractors
    from app.audit import AuditEntry
    from app.doctor import Check
    from app.dossiers import Dossier, DossierView
    from app.review import Queue, Throughput
    from app.status import Status
    from app.tokens import TokenInfo
    from app.verify import Verification

console = Console()
err_console = Console(stderr=True)

_MARK = re.compile(re.escape(MARK_OPEN) + "(.*?)" + re.escape(MARK_CLOSE))


def snippet_markup(snippet: str) -> str:
    """The index's HTML snippet as rich markup: highlights in bold yellow, the rest escaped."""
    parts = []
    cursor = 0
    for match in _MARK.finditer(snippet):
        parts.append(escape(html.unescape(snippet[cursor : match.start()])))
        parts.append(f"[bold yellow]{escape(html.unescape(match.group(1)))}[/]")
        cursor = match.end()
    parts.append(escape(html.unescape(snippet[cursor:])))
    return "".join(parts)


def show_search(result: SearchResult, request: SearchQuery) -> None:
    for typed, searched in request.corrections.items():
        console.print(
            f"Searched for “{escape(searched)}” instead of “{escape(typed)}”, the nearest word the pages hold."
        )
    offset = request.offset
    if not result.hits:
        console.print("No documents match.")
        return
    console.print(f"[bold]{result.total}[/] document(s) match; showing {offset + 1}–{offset + len(result.hits)}.\n")
    for rank, hit in enumerate(result.hits, start=offset + 1):
        where = f"page {hit.page}" if hit.page else "matched on a code"
        flags = "  [red]needs review[/]" if hit.needs_review else ""
        console.print(
            f"[bold]{rank}. {escape(hit.original_name)}[/]  [cyan]{hit.doc_type or '?'}[/]  "
            f"{where}  {hit.date or ''}  [dim]{hit.sha256[:12]}[/]{flags}"
        )
        summary = _field_summary(hit.fields)
        if summary:
            console.print(f"   {summary}")
        if hit.snippet:
            console.print(f"   {snippet_markup(hit.snippet)}")
        console.print()
    facets = {name: buckets for name, buckets in result.facets.items() if buckets}
    if facets:
        console.print(
            "[dim]"
            + "  ".join(
                f"{name}: " + ", ".join(f"{escape(b.value)} ({b.count})" for b in buckets[:5])
                for name, buckets in facets.items()
            )
            + "[/]"
        )


def _field_summary(fields: dict[str, list[Any]]) -> str:
    """The hit's main fields on one line; a value found twice (a letter naming its district in
    the header and the body) is shown once. Which fields, in which order: `FieldSpec.hit`."""
    from extractors.registry import hit_fields

    parts = []
    for name in hit_fields():
        values = dict.fromkeys(str(v) for v in fields.get(name, []))
        if values:
            parts.append(f"{name}: " + escape(", ".join(values)))
    return " · ".join(parts)


def show_status(status: Status) -> None:
    table = Table(title="Documents by state")
    table.add_column("state")
    table.add_column("count", justify="right")
    for state, count in status.counts.items():
        table.add_row(state, str(count))
    console.print(table)
    failures, index_errors = status.failures, status.index_errors
    if failures:
        failed = Table(title="Failed documents")
        for column in ("file", "reason", "message", "what to do"):
            failed.add_column(column, overflow="fold")
        for _, name, failure in failures:
            failed.add_row(escape(name), failure.code, escape(failure.message), escape(status.advice(failure)))
        console.print(failed)
        reasons = ", ".join(f"{code} {count}" for code, count in status.failures_by_reason.items())
        console.print(f"failed by reason: {reasons}; once the cause is fixed: hoso retry [--reason CODE]")
    if index_errors:
        pending = Table(title="Not yet indexed (retried on the next run)")
        pending.add_column("file")
        pending.add_column("error", overflow="fold")
        for _, name, message in index_errors:
            pending.add_row(escape(name), escape(message))
        console.print(pending)
    if status.runs:
        last = status.runs[0]
        console.print(
            f"last run: {last.started_at.astimezone():%Y-%m-%d %H:%M}, {last.count('documents')} document(s) read, "
            f"{last.count('failed')} failed, {last.count('pages')} page(s) at {last.pages_per_minute:.1f} pages/min"
        )
    show_agreement(status)


def show_agreement(status: Status) -> None:
    """Whether the index holds what the store says it holds."""
    agreement = status.agreement
    if agreement.unavailable:
        err_console.print(f"[red]{escape(agreement.unavailable)}[/]: its agreement with the store is unknown")
    elif agreement.agrees:
        console.print(f"index: {agreement.documents} document(s), in agreement with the store")
    else:
        console.print(
            f"[yellow]index disagrees with the store:[/] {len(agreement.missing)} document(s) marked indexed are "
            f"missing from it, {len(agreement.unknown)} in it are unknown to the store."
        )
        console.print("`hoso ingest` repairs this.")


def show_record(record: Record) -> None:
    kind = record.doc_type.value if record.doc_type else "?"
    console.print(
        f"[bold]{escape(record.original_name)}[/]  [cyan]{kind}[/]  {record.state.value}  [dim]{record.sha256}[/]"
    )
    if record.other_names:
        console.print(f"also received as: {escape(', '.join(record.other_names))}")
    if record.failure:
        console.print(f"[red]failed[/] ({record.failure.code}): {escape(record.failure.message)}")
    for segment in record.segments:
        console.print(f"pages {segment.first_page}–{segment.last_page}: {segment.doc_type.value}")
    pages = Table(title="Pages")
    for column in ("page", "read by", "confidence", "reading quality", "steps"):
        pages.add_column(column)
    for page in record.pages:
        steps = ", ".join(step.name for step in page.read.steps)
        confidence = f"{page.read.confidence:.2f}" if page.read.confidence is not None else ""
        quality = page.read.quality
        judged = "" if quality is None else f"{quality.score:.2f}" + (" doubtful" if quality.doubtful else "")
        told = f"not read ({page.failure.code}): {page.failure.message}" if page.failure else page.read.note
        pages.add_row(str(page.number), _read_by(page.read), confidence, judged, escape(steps or told or ""))
    console.print(pages)
    fields = Table(title="Fields")
    for column in ("field", "value", "confidence", "page", "raw", "issues"):
        fields.add_column(column, overflow="fold")
    for field in sorted(record.fields, key=lambda f: (f.name, f.group)):
        style = "" if field.valid else "red"
        fields.add_row(
            field.name if not field.group else f"{field.name} #{field.group + 1}",
            escape(str(field.value)),
            f"{field.confidence:.2f}",
            str(field.page or ""),
            escape(field.raw),
            escape("; ".join(field.issues)),
            style=style,
        )
    console.print(fields)
    if record.needs_review:
        console.print("[red]needs review:[/] " + escape("; ".join(record.review_reasons)))


def show_checks(checks: list[Check]) -> None:
    for check in checks:
        mark = "[green]✓[/]" if check.ok else "[red]✗[/]"
        console.print(f"{mark} [bold]{check.name}[/]: {escape(check.detail)}")
        if check.advice:
            console.print(f"    → {escape(check.advice)}")


def show_new_token(token: str, name: str, role: str) -> None:
    """The token, alone on its line so it copies cleanly, and how to use it: it is shown this once."""
    console.print(f"New {escape(role)} token for [bold]{escape(name.strip())}[/]:\n")
    console.print(token, markup=False, highlight=False, soft_wrap=True)
    console.print(
        "\nCopy it now: hoso keeps only a hash of it, so it will not be shown again. Send it with every "
        "request to the API as the header `Authorization: Bearer hoso_…`, or paste it on the web app's login page."
    )


def show_tokens(tokens: list[TokenInfo]) -> None:
    if not tokens:
        console.print("No tokens: the web app lets in anyone who reaches it. `hoso token create` makes the first.")
        return
    table = Table("name", "role", "created", "last used", "revoked")
    for token in tokens:
        style = "dim" if token.revoked_at else ""
        moments = (_moment(token.created_at), _moment(token.last_used_at), _moment(token.revoked_at))
        table.add_row(escape(token.name), token.role.value, *moments, style=style)
    console.print(table)


def show_audit(entries: list[AuditEntry]) -> None:
    if not entries:
        console.print("No audit entries in that time.")
        return
    table = Table("at", "actor", "action", "details")
    table.columns[3].overflow = "fold"
    for entry in entries:
        details = ", ".join(f"{key}={_detail(value)}" for key, value in entry.details.items())
        table.add_row(_moment(entry.at), escape(entry.actor), entry.action, escape(details))
    console.print(table)


STATE_LABELS = {
    "overdue": "[red]overdue[/]",
    "due_soon": "[yellow]due soon[/]",
    "pending": "pending",
    "returned_on_time": "[green]returned on time[/]",
    "returned_late": "[magenta]returned late[/]",
    "undated": "[dim]no due date read[/]",
}


def show_dossiers(view: DossierView) -> None:
    """The dossiers asked for, soonest due first, then how many are in each state."""
    if view.dossiers:
        _show_dossier_rows(view.dossiers)
    else:
        console.print("No dossiers match.")
    counted = ", ".join(f"{STATE_LABELS[state]}: {count}" for state, count in view.by_state.items())
    console.print(f"Dossiers by state: {counted or 'none'} (due soon: within {view.due_soon_days} working days)")


def show_dossier(dossier: Dossier) -> None:
    _show_dossier_rows([dossier])


def _show_dossier_rows(dossiers: list[Dossier]) -> None:
    table = Table("dossier", "office", "procedure", "received", "due", "state", "returned")
    for column in (0, 3, 4):  # codes and moments are read whole
        table.columns[column].no_wrap = True
    for dossier in dossiers:
        table.add_row(*_dossier_row(dossier))
    console.print(table)


def _dossier_row(dossier: Dossier) -> tuple[str, ...]:
    receipt = dossier.receipt
    due = f"{_wall(dossier.due_at)} ({dossier.due_source})" if dossier.due_at else ""
    returned = dossier.returned
    by = f"letter {returned.letter[:12]}" if returned and returned.letter else returned.by if returned else ""
    return (
        escape(receipt.code or receipt.file),
        escape(receipt.office or ""),
        escape(receipt.procedure or ""),
        _wall(receipt.received_at),
        due,
        STATE_LABELS[dossier.state],
        f"{returned.on} by {escape(by)}" if returned else "",
    )


def _wall(moment: datetime | None) -> str:
    """An office's wall-clock time as printed on its papers, to the minute."""
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def _moment(moment: datetime | None) -> str:
    """A stored (UTC) moment in this machine's local time, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""


def _detail(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


SUMMARY_LABELS = {
    "files": "files found",
    "new": "new documents",
    "duplicates": "duplicates (recorded, not re-read)",
    "already_known": "already ingested",
    "unsettled": "still being written (left for later)",
    "skipped": "skipped",
    "not_taken": "left in the inbox (stopped)",
    "resumed": "left unread by an earlier run",
    "extracted": "read and extracted",
    "failed": "failed",
    "elsewhere": "taken by another run",
    "stopped": "left unread for the next run (stopped)",
    "indexed": "indexed",
    "index_errors": "index errors (retried next run)",
    "index_repaired": "store/index disagreements repaired",
    "pages": "pages read",
    "pages_ocr": "pages OCRed",
    "seconds": "seconds",
    "pages_per_minute": "pages per minute",
}
_SHOWN_WHEN_ZERO = {"files", "new", "extracted", "failed", "indexed", "pages", "seconds", "pages_per_minute"}


def show_summary(summary: dict[str, Any]) -> None:
    """This run's own outcome; rows that are zero and rarely matter are left out."""
    table = Table(title="Ingest summary", show_header=False)
    for key, label in SUMMARY_LABELS.items():
        value = summary.get(key, 0)
        if value or key in _SHOWN_WHEN_ZERO:
            why = ", ".join(f"{n} {reason}" for reason, n in summary.get("skipped_reasons", {}).items())
            table.add_row(f"{label} ({why})" if key == "skipped" else label, str(value))
    console.print(table)
    if summary.get("index_unavailable"):
        err_console.print(f"[red]{escape(summary['index_unavailable'])}[/]")
    if summary.get("disk_full"):
        err_console.print(f"[red]{escape(summary['disk_full'])}[/]", soft_wrap=True)
    _show_failures(summary.get("failures", []))
    for kept in summary.get("kept", []):
        err_console.print(f"[yellow]kept[/] {escape(kept['file'])}: {escape(kept['reason'])}")


REREAD_LABELS = {
    "reread": "Read again",
    "failed": "Failed (earlier reading kept)",
    "elsewhere": "Taken by another worker",
    "pages": "Pages",
    "pages_changed": "Pages whose text changed",
    "pages_better": "Pages read better",
    "pages_worse": "Pages read worse",
    "indexed": "Indexed",
    "seconds": "Seconds",
}


def show_reread(chosen: int, summary: dict[str, Any] | None, *, dry_run: bool, named: bool) -> None:
    """What `hoso reread` chose and what reading it again changed."""
    if not chosen:
        why = "matches the choice" if named else "was read differently from how hoso reads today (try --all)"
        console.print(f"no document {why}")
        return
    if summary is None:
        console.print(f"{chosen} document(s) would be read again{' (dry run)' if dry_run else ''}")
        return
    table = Table(title="Reread summary", show_header=False)
    for key, label in REREAD_LABELS.items():
        table.add_row(label, str(summary.get(key, 0)))
    if summary.get("score_before") is not None:
        table.add_row("Reading score, before → after", f"{summary['score_before']:.3f} → {summary['score_after']:.3f}")
    console.print(table)
    if summary.get("index_unavailable"):
        err_console.print(f"[red]{escape(summary['index_unavailable'])}[/]")
    _show_failures(summary.get("failures", []))


def show_verification(checked: Verification) -> None:
    console.print(f"{checked.checked} original(s) found and sound")
    for label, rows in (("missing", checked.missing), ("corrupt", checked.corrupt)):
        for sha256, name in rows:
            err_console.print(f"[red]{label}[/] {escape(name)} ({sha256[:12]})")
    for key in checked.orphaned:
        err_console.print(f"[yellow]orphaned[/] {key}: in the archive, named by no document")
    if not checked.sound:
        err_console.print(
            f"{len(checked.missing)} missing, {len(checked.corrupt)} corrupt, {len(checked.orphaned)} orphaned:"
            " restore those originals from a backup (hoso backup)"
        )


def show_watch_start(folder: Path, rescan_seconds: float) -> None:
    console.print(
        f"watching {escape(str(folder))}: files are ingested as they settle, and the whole folder is looked"
        f" through every {rescan_seconds:g} s; Ctrl-C stops after the documents in hand"
    )


def show_watch_run(summary: dict[str, Any]) -> None:
    """One line per run that did something; quiet rescans say nothing."""
    told = {key: summary.get(key, 0) for key in _WATCH_LINE}
    if not any(told.values()):
        return
    parts = ", ".join(f"{value} {label}" for key, label in _WATCH_LINE.items() if (value := told[key]))
    console.print(f"{datetime.now():%Y-%m-%d %H:%M:%S}  {parts} ({summary.get('seconds', 0):g} s)")
    _show_failures(summary.get("failures", []))


_WATCH_LINE = {
    "new": "new",
    "duplicates": "duplicate(s)",
    "resumed": "resumed",
    "extracted": "read",
    "failed": "failed",
    "indexed": "indexed",
    "unsettled": "still being written",
    "stopped": "left for the next run",
}


def _read_by(read: PageRead) -> str:
    """ "ocr, hoso 0.2.0, 2026-12-03": how, by which hoso and when a page was read (`hoso reread` chooses by it)."""
    when = read.read_at.date().isoformat() if read.read_at else None
    return ", ".join(part for part in (read.method.value, read.reader, when) if part)


def _show_failures(failures: list[dict[str, str]]) -> None:
    for failure in failures:
        err_console.print(
            f"[red]failed[/] {escape(failure['file'])}: {failure['reason']}: {escape(failure['message'])}"
        )


class ProgressReporter:
    """Shows intake and document progress on the terminal while the flow runs."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("[dim]{task.fields[last]}"),
            console=err_console,
            transient=False,
        )
        self._files: Any = None
        self._documents: Any = None

    def __enter__(self) -> ProgressReporter:
        self.progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.progress.stop()

    def surveyed(self, files: int, new: int, pending: int) -> None:
        waiting = f"; {pending} document(s) left to read or index by earlier runs" if pending else ""
        self.progress.console.print(f"{files} file(s) found, {new} new{waiting}")

    def note(self, message: str) -> None:
        self.progress.console.print(f"[dim]{escape(message)}[/]")

    def files_found(self, count: int) -> None:
        self._files = self.progress.add_task("intake   ", total=count, last="")

    def file_taken(self, name: str, outcome: str) -> None:
        self.progress.update(self._files, advance=1, last=f"{name}: {outcome}")

    def documents_queued(self, count: int) -> None:
        self._documents = self.progress.add_task("documents", total=count, last="")

    def document_done(self, name: str, state: str, pages: int) -> None:
        self.progress.update(self._documents, advance=1, last=f"{name}: {state} ({pages} p.)")

    def indexing(self, count: int) -> None:
        if count:
            self.progress.add_task("indexing ", total=None, last=f"{count} document(s)")


def show_review_queue(found: Queue) -> None:
    """The documents to review, most urgent first, with what to check on each."""
    if not found.items:
        console.print("Nothing is waiting for review.")
        return
    table = Table("document", "type", "to check", "due", "lowest")
    table.columns[0].no_wrap = True
    for item in found.items:
        record = item.record
        checks = ", ".join(f"{c.name}{f'[{c.group}]' if c.group else ''} ({c.kind})" for c in item.checks)
        due = f"{_wall(item.due_at)} ({item.dossier_state})" if item.due_at else ""
        lowest = f"{item.lowest_confidence:.0%}" if item.lowest_confidence is not None else ""
        table.add_row(
            f"{record.sha256[:12]} {escape(record.original_name)}",
            record.doc_type.value if record.doc_type else "",
            escape(checks or "the page's reading"),
            due,
            lowest,
        )
    console.print(table)
    kinds = ", ".join(f"{kind}: {count}" for kind, count in sorted(found.kinds.items()))
    console.print(f"{found.total} document(s) to review ({kinds}); `hoso review set KEY FIELD VALUE` checks a field.")


def show_checked(record: Record, name: str, group: int) -> None:
    """The field as it now stands, and whether the document still needs review."""
    field = next(f for f in record.fields if f.name == name and f.group == group)
    verified = field.verified
    assert verified is not None  # just checked
    machine = verified.machine.value if verified.machine else "nothing"
    console.print(
        f"{record.original_name}: {name} = {escape(str(field.value))} ({verified.action}; the machine read "
        f"{escape(str(machine))})",
        markup=False,
    )
    left = "; ".join(record.review_reasons)
    console.print(f"Still needs review: {left}" if record.needs_review else "Nothing left to review.", markup=False)


def show_throughput(done: Throughput) -> None:
    if done.days:
        table = Table("day", "reviewer", "confirmed", "corrected")
        for entry in done.days:
            table.add_row(entry.day.isoformat(), escape(entry.reviewer), str(entry.confirmed), str(entry.corrected))
        console.print(table)
    else:
        console.print("No field has been checked in that time.")
    rate = done.confident_correction_rate
    console.print(
        f"Fields the machine was sure of (confidence from {done.threshold:.0%}) that people checked: "
        f"{done.confident_checked}, corrected {done.confident_corrected}"
        + (f" ({rate:.1%})" if rate is not None else "")
    )
