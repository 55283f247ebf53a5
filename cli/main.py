"""`hoso`: the command line, a thin front door over the use cases in `app/`.

Each command parses its arguments, calls one use case and prints the answer
(`cli.output`). Heavy imports happen inside commands, so `hoso --help` and
`hoso search` stay quick, and only `ingest`, `retry` and `demo` load Prefect.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from index.query import SORT_ORDERS
from pipeline.config import Settings
from pipeline.export import FORMATS
from pipeline.models import DocType
from pipeline.roles import Role

if TYPE_CHECKING:
    from app.ingest import Reporter

app = typer.Typer(
    name="hoso",
    help="Turn scans of Vietnamese land and one-stop records into searchable data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DEFAULT_PORT = 8080
DISK_FULL_EXIT = 3  # a full disk stopped the ingest: nothing was lost, run again once space is freed
SERVICE_EXIT = 4  # the store or the index stopped answering: nothing was lost, run again once it is back
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _run_ingest(
    paths: list[str], keep: bool | None, verbose: bool, show_progress: bool, settle_seconds: float | None = None
) -> dict[str, Any]:
    """The ingest use case, with a progress bar on a terminal."""
    from app.ingest import ingest as run

    with _outages(), _progress(show_progress) as reporter:
        return run(paths, keep=keep, settle_seconds=settle_seconds, verbose=verbose, reporter=reporter)


@contextmanager
def _outages() -> Iterator[None]:
    """A store or index that stopped answering mid-run, said in one line (exit 4), not as a traceback:
    nothing is lost, and the next run finishes what this one could not."""
    from pipeline.errors import is_transient

    try:
        yield
    except Exception as error:
        if not is_transient(error):
            raise
        lines = str(error).strip().splitlines()
        what = "store" if "sqlalchemy" in type(error).__module__ else "index"
        _fail(
            f"the {what} stopped answering ({type(error).__name__}: {lines[0] if lines else ''}); nothing was lost:"
            " what this run did not finish waits for the next one (hoso ingest; hoso status shows where it stands)",
            code=SERVICE_EXIT,
        )


@contextmanager
def _progress(shown: bool) -> Iterator[Reporter | None]:
    """A progress bar on the terminal while a run lasts, or nothing."""
    if not shown:
        yield None
        return
    from cli.output import ProgressReporter

    with ProgressReporter() as reporter:
        yield reporter


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (searched recursively).")],
    keep: Annotated[
        bool | None, typer.Option("--keep/--remove", help="Leave files where they are, or remove them once archived.")
    ] = None,
    as_json: JsonOption = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show Prefect's run logs.")] = False,
) -> None:
    """Ingest scans once: archive, read, extract and index them."""
    from cli.output import show_summary

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        _fail(f"no such file or folder: {', '.join(missing)}")
    summary = _run_ingest([str(p) for p in paths], keep, verbose, show_progress=not as_json and sys.stderr.isatty())
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        show_summary(summary)
    _exit_if_disk_full(summary, as_json)


def _exit_if_disk_full(summary: dict[str, Any], as_json: bool = False) -> None:
    """Exit non-zero when a full disk stopped the run (the summary already showed it, unless JSON)."""
    if not summary.get("disk_full"):
        return
    if as_json:
        from cli.output import err_console

        err_console.print(summary["disk_full"], markup=False, soft_wrap=True)
    raise typer.Exit(DISK_FULL_EXIT)


# The options that select documents, one definition for `search` and `export`; values as people type them,
# resolved by `app.filters` through `app.search.query`.
DocTypeOption = Annotated[
    list[str] | None, typer.Option("--type", help=f"{', '.join(DocType)} (or gcn, sổ đỏ, biên nhận…).")
]
DistrictOption = Annotated[list[str] | None, typer.Option(help='e.g. "Quận Cầu Giấy" or "cau giay".')]
WardOption = Annotated[list[str] | None, typer.Option(help='e.g. "Phường Dịch Vọng" or "p. dich vong".')]
YearOption = Annotated[list[str] | None, typer.Option(help="Year the document is dated.")]
CollectionOption = Annotated[
    list[str] | None, typer.Option(help='Inbox folder it came from, with its subfolders: "ba-dinh" or "ba-dinh/2019".')
]
ReviewOption = Annotated[
    bool | None, typer.Option("--review/--no-review", help="Only documents needing review, or none.")
]
FilterOption = Annotated[
    list[str] | None,
    typer.Option("--filter", help='NAME=VALUE on any exact field, e.g. --filter "province=Thành phố Hà Nội".'),
]


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help='Words, with or without diacritics, or a code: "CS 01234", "tờ 12 thửa 345".')
    ] = "",
    doc_type: DocTypeOption = None,
    district: DistrictOption = None,
    ward: WardOption = None,
    year: YearOption = None,
    collection: CollectionOption = None,
    review: ReviewOption = None,
    where: FilterOption = None,
    sort: Annotated[str, typer.Option(help=f"{', '.join(SORT_ORDERS)}.")] = "relevance",
    limit: Annotated[int, typer.Option(help="Hits per page.")] = 10,
    page: Annotated[int, typer.Option(help="Page of hits, from 1.")] = 1,
    as_json: JsonOption = False,
) -> None:
    """Search the indexed documents."""
    from app import search as searching
    from cli.output import show_search

    with _refusals():
        filters = _selection_filters(doc_type, district, ward, year, collection, where)
        request = searching.query(query, filters, review=review, sort=sort, page=page, size=limit)
        result = searching.search(request)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        show_search(result, request)


def _selection_filters(
    doc_type: list[str] | None,
    district: list[str] | None,
    ward: list[str] | None,
    year: list[str] | None,
    collection: list[str] | None,
    where: list[str] | None,
) -> dict[str, list[str]]:
    """The selection options as search filters, values as typed (`app.search.query` checks and resolves them)."""
    from app import search as searching

    filters = _filters(where or [], searching.filter_names())
    named = {"doc_type": doc_type, "district": district, "ward": ward, "year": year, "collection": collection}
    for name, values in named.items():
        filters.setdefault(name, []).extend(values or [])
    return {name: values for name, values in filters.items() if values}


def _filters(pairs: list[str], names: tuple[str, ...]) -> dict[str, list[str]]:
    """`--filter NAME=VALUE` options as search filters; NAME is any attribute the index filters on."""
    filters: dict[str, list[str]] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or name.strip() not in names:
            _fail(f"--filter {pair!r}: write NAME=VALUE, NAME one of {', '.join(names)}")
        filters.setdefault(name.strip(), []).append(value.strip())
    return filters


@app.command()
def status(as_json: JsonOption = False) -> None:
    """Documents by state, failures with their reasons, documents waiting for the index, and whether
    the index agrees with the store (`hoso ingest` repairs a disagreement)."""
    from app.status import status as current
    from cli.output import show_status

    now = current()
    if as_json:
        typer.echo(json.dumps(now.as_dict(), ensure_ascii=False, indent=2))
    else:
        show_status(now)


@app.command()
def doctor() -> None:
    """Check Tesseract, language data, the store and the index; say what is wrong in plain words."""
    from app.doctor import diagnose
    from cli.output import show_checks

    results = diagnose()
    show_checks(results)
    if not all(check.ok for check in results):
        raise typer.Exit(1)


@app.command()
def show(sha256: Annotated[str, typer.Argument(help="The document's SHA-256, or its first characters.")]) -> None:
    """One document in full: how each page was read, every field with its confidence, why it needs review."""
    from app.records import find
    from cli.output import show_record

    with _refusals():
        show_record(find(sha256))


@app.command()
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"{', '.join(FORMATS)}.")] = "jsonl",
    query: Annotated[str, typer.Option(help="Only documents matching this search.")] = "",
    doc_type: DocTypeOption = None,
    district: DistrictOption = None,
    ward: WardOption = None,
    year: YearOption = None,
    collection: CollectionOption = None,
    review: ReviewOption = None,
    where: FilterOption = None,
) -> None:
    """Export records: JSONL (whole records) or one row per document (CSV, XLSX, Parquet); every record in
    the store, or those the selection options find (as `hoso search` finds them)."""
    from app import search as searching
    from app.export import export as write

    with _refusals():
        filters = _selection_filters(doc_type, district, ward, year, collection, where)
        selecting = query or filters or review is not None
        selection = searching.query(query, filters, review=review) if selecting else None
        count = write(output, fmt, selection)
    typer.echo(f"wrote {count} record(s) to {output}")


@app.command()
def pdf(
    sha256: Annotated[str, typer.Argument(help="The document's SHA-256, or its first characters.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
) -> None:
    """Write the document as a searchable PDF/A: the original's pages under an invisible layer of the
    text hoso read, each word over its place on the page."""
    from app.searchable_pdf import write

    with _refusals():
        written = write(sha256, output)
    typer.echo(f"wrote {written.pages} page(s) of {written.sha256[:12]} to {output}")


@app.command()
def retry(
    reason: Annotated[
        list[str] | None, typer.Option(help="Only documents failed for this reason (a code `hoso status` shows).")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Re-read the failed documents (after fixing what made them fail): all, or those of --reason."""
    from app.ingest import retry as run
    from cli.output import show_summary

    with _refusals(), _progress(sys.stderr.isatty()) as reporter:
        retried = run(reasons=reason, verbose=verbose, reporter=reporter)
    typer.echo(f"{retried.queued} failed document(s) queued again")
    if retried.summary is not None:
        show_summary(retried.summary)
        _exit_if_disk_full(retried.summary)


@app.command()
def watch(
    inbox: Annotated[Path | None, typer.Argument(help="The folder to watch (default: the HOSO_INBOX setting).")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Ingest whatever settles in the inbox, continuously, until Ctrl-C or SIGTERM (which finish the
    documents in hand first); each run that did something is told in one line."""
    from app import watch as watching
    from cli.output import show_watch_run, show_watch_start

    with _refusals(), _outages():
        watched = watching.watch(inbox, on_run=show_watch_run, on_start=show_watch_start, verbose=verbose)
    typer.echo(f"stopped ({watched.stopped_by or 'done'}) after {watched.runs} run(s); nothing is left half-read")


@app.command()
def reread(
    everything: Annotated[bool, typer.Option("--all", help="Every document, however it was read.")] = False,
    review: Annotated[bool, typer.Option("--review", help="Documents needing review.")] = False,
    doc_type: DocTypeOption = None,
    read_before: Annotated[
        str | None, typer.Option(help="Documents with a page read before this day (2026-03-15 or 15/03/2026).")
    ] = None,
    engine_version: Annotated[
        str | None, typer.Option(help='Documents with a page read by this hoso or Tesseract version ("5.3").')
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say how many documents would be read.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
    as_json: JsonOption = False,
) -> None:
    """Read again, from the archived originals, documents read before (by default those today's
    pipeline and settings would read differently); a failed reading keeps the earlier one."""
    from app import reread as rereading
    from cli.output import show_reread

    with _refusals():
        day = rereading.parse_day(read_before) if read_before else None
        choice = rereading.Choice(everything, review, doc_type or [], day, engine_version)
        with _progress(sys.stderr.isatty() and not dry_run and not as_json) as reporter:
            done = rereading.reread(choice, dry_run=dry_run, verbose=verbose, reporter=reporter)
    if as_json:
        typer.echo(json.dumps({"chosen": done.chosen, "summary": done.summary}, indent=2, ensure_ascii=False))
        return
    show_reread(done.chosen, done.summary, dry_run=dry_run, named=choice.named)


@app.command()
def verify(as_json: JsonOption = False) -> None:
    """Re-hash every archived original against the store: missing, corrupt and orphaned files (exit 1)."""
    from app.verify import verify as check
    from cli.output import show_verification

    checked = check()
    if as_json:
        typer.echo(json.dumps(asdict(checked), indent=2, ensure_ascii=False))
    else:
        show_verification(checked)
    if not checked.sound:
        raise typer.Exit(1)


@app.command()
def backup(
    folder: Annotated[Path, typer.Argument(help="Where the copy goes; a later backup there copies only what is new.")],
) -> None:
    """A consistent copy of the store, the embedded index and the archive, taken while hoso runs."""
    from app.backup import RESTORE_NOTE
    from app.backup import backup as copy

    with _refusals():
        done = copy(folder)
    typer.echo(
        f"backed up {done.documents} document(s) into {done.folder}: {done.originals_copied} original(s) copied,"
        f" {done.originals_present} already there; how to restore: {done.folder / RESTORE_NOTE}"
    )
    for problem in done.problems:
        typer.echo(f"not backed up: {problem}", err=True)
    if done.problems:
        raise typer.Exit(1)


@app.command()
def reindex() -> None:
    """Rebuild the search index from the store and switch to it at once; an ingest may run meanwhile."""
    from app.reindex import reindex as rebuild

    report, index_name = rebuild()
    typer.echo(f"reindexed {len(report.indexed)} document(s) into the {index_name} index")
    if report.errors:
        _fail(f"{len(report.errors)} document(s) could not be indexed; see `hoso status`")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; beyond 127.0.0.1 only once a token exists.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = DEFAULT_PORT,
) -> None:
    """Serve the staff web app and its REST API (open the printed address in a browser)."""
    import uvicorn

    from app.serving import check_bind

    with _refusals():
        check_bind(host)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"hoso web app at http://{shown}:{port}/ (API reference at /api/docs); stop it with Ctrl-C")
    uvicorn.run("web.main:create_app", factory=True, host=host, port=port, log_level="warning")


server_app = typer.Typer(help="A long-lived local Prefect server for this data directory.", no_args_is_help=True)
app.add_typer(server_app, name="server")


@server_app.command("start")
def server_start(port: Annotated[int | None, typer.Option(help="Port (default: any free one).")] = None) -> None:
    """Start it in the background; every hoso command of this HOSO_HOME then uses it."""
    from app import server

    info = server.start(port)
    typer.echo(f"Prefect server running (pid {info.pid}); UI at {info.ui}")


@server_app.command("stop")
def server_stop() -> None:
    """Stop it; hoso ingest then starts Prefect's temporary server again."""
    from app import server

    typer.echo("Prefect server stopped" if server.stop() else "no Prefect server was running")


@server_app.command("status")
def server_status() -> None:
    from app import server

    info = server.running()
    if info is None:
        typer.echo("no Prefect server running; hoso ingest starts a temporary one")
        raise typer.Exit(1)
    typer.echo(f"Prefect server running (pid {info.pid}); API {info.url}; UI at {info.ui}")


token_app = typer.Typer(
    help="Access tokens for the web app and its API: once one exists, every request needs one.", no_args_is_help=True
)
app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    name: Annotated[str, typer.Option(help='Who or which desk will use it, e.g. "Bộ phận một cửa".')],
    role: Annotated[str, typer.Option(help=f"{' < '.join(Role)}: each may do what the ones before it may.")],
) -> None:
    """Make a token and print it, this once."""
    from app import tokens
    from cli.output import show_new_token

    with _refusals():
        token = tokens.create(name, role)
    show_new_token(token, name, role)


@token_app.command("list")
def token_list() -> None:
    """Every token, active and revoked, newest first (never the tokens themselves)."""
    from app import tokens
    from cli.output import show_tokens

    show_tokens(tokens.list_tokens())


@token_app.command("revoke")
def token_revoke(name: Annotated[str, typer.Argument(help="The token's name, as `hoso token list` shows it.")]) -> None:
    """Revoke a token: requests carrying it are refused from now on."""
    from app import tokens

    with _refusals():
        tokens.revoke(name)
    typer.echo(f"revoked the token named {name.strip()!r}")


@app.command()
def audit(
    since: Annotated[
        str | None, typer.Option(help="From a date (2026-12-01), a time, or an age: 7d, 12h, 30m.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many entries, the newest.")] = 500,
    as_json: JsonOption = False,
) -> None:
    """The audit log, newest first: logins, exports, originals downloaded, tokens created and revoked."""
    from app import audit as log
    from cli.output import show_audit

    with _refusals():
        entries = log.entries(log.since(since) if since else None, limit)
    if as_json:
        typer.echo(json.dumps([entry.as_dict() for entry in entries], ensure_ascii=False, indent=2))
    else:
        show_audit(entries)


dossiers_app = typer.Typer(
    help="Every dossier from the receipt slips read, with its due date (read from the slip, or computed in working "
    "days) and state: due soon, overdue, returned on time or late; counts by office, procedure and month. "
    "`hoso dossiers --overdue --csv late.csv` is the list the apology letters start from."
)
app.add_typer(dossiers_app, name="dossiers")


@dossiers_app.callback(invoke_without_command=True)
def dossiers(
    ctx: typer.Context,
    due_within: Annotated[
        int | None, typer.Option(help="Only dossiers due within this many working days (not yet returned).")
    ] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only dossiers past due, not returned.")] = False,
    office: Annotated[str | None, typer.Option(help="Receiving office, or part of its name (marks optional).")] = None,
    procedure: Annotated[str | None, typer.Option(help="Procedure, or part of its name.")] = None,
    csv: Annotated[Path | None, typer.Option(help="Also write the dossiers listed to this CSV file.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List the dossiers (the group's help says what); `return` marks one returned."""
    if ctx.invoked_subcommand is not None:
        return
    from app import dossiers as cases
    from cli.output import err_console, show_dossiers

    with _refusals():
        found = cases.view(due_within, overdue=overdue, office=office, procedure=procedure)
        if csv is not None:
            cases.write_csv(found.dossiers, csv)
    if as_json:
        typer.echo(json.dumps(found.as_dict(), ensure_ascii=False, indent=2))
    else:
        show_dossiers(found)
    if csv is not None:
        err_console.print(f"wrote {len(found.dossiers)} dossier(s) to {csv}", markup=False)


@dossiers_app.command("return")
def dossier_return(
    code: Annotated[str, typer.Argument(help="The dossier code on its slip, e.g. 000.00.15.H26-230620-0001.")],
    on: Annotated[str | None, typer.Option(help="The day it was returned (default today): 2026-02-10.")] = None,
) -> None:
    """Mark a dossier returned ("đã trả kết quả"), today or --on a day; marking it again corrects the day."""
    from app import dossiers as cases
    from cli.output import show_dossier

    with _refusals():
        show_dossier(cases.mark_returned(code, on))


review_app = typer.Typer(
    help="The review queue: documents whose fields the machine was unsure of, most urgent first (receipt slips "
    "due soon or overdue, then the least sure). `hoso review set` confirms or corrects a field; the web app's "
    "/review page does the same beside the page's crops."
)
app.add_typer(review_app, name="review")


@review_app.callback(invoke_without_command=True)
def review_queue(
    ctx: typer.Context,
    doc_type: Annotated[str | None, typer.Option("--type", help="certificate | receipt | other (or gcn, ...).")] = None,
    collection: Annotated[str | None, typer.Option(help="Inbox folder the files came from.")] = None,
    district: Annotated[str | None, typer.Option(help="District, as people write it: ba dinh, Q. Ba Đình.")] = None,
    reason: Annotated[str | None, typer.Option(help="missing | invalid | unsure | page.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List the documents to review (the group's help says what); `set` checks a field, `stats` the throughput."""
    if ctx.invoked_subcommand is not None:
        return
    from app import review as cases
    from cli.output import show_review_queue

    with _refusals():
        found = cases.queue(doc_type=doc_type, collection=collection, district=district, reason=reason, size=None)
    if as_json:
        payload = {"total": found.total, "kinds": found.kinds, "items": [item.as_dict() for item in found.items]}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        show_review_queue(found)


@review_app.command("set")
def review_set(
    document: Annotated[str, typer.Argument(help="The document's SHA-256, or its first characters (at least 4).")],
    field: Annotated[str, typer.Argument(help="The field's name, e.g. due_at (`hoso show` lists them).")],
    value: Annotated[str, typer.Argument(help="The value as the paper gives it: 14/03/2025 16:00, lieu giai, ...")],
    group: Annotated[int, typer.Option(help="Which item of a repeated field (the second holder is 1).")] = 0,
) -> None:
    """Confirm (the value the machine read) or correct a field; kept beside the machine's reading, indexed at once."""
    from app import records
    from app import review as cases
    from cli.output import show_checked

    with _refusals():
        record = cases.review_field(records.find(document).sha256, field, group, value, "cli")
    show_checked(record, field, group)


@review_app.command("stats")
def review_stats(
    days: Annotated[int, typer.Option(help="How many days back the per-day counts go.")] = 30,
    as_json: JsonOption = False,
) -> None:
    """Fields confirmed and corrected per day and reviewer, and how often people corrected confident fields."""
    from app import review as cases
    from cli.output import show_throughput

    with _refusals():
        done = cases.throughput(days)
    if as_json:
        typer.echo(json.dumps(done.as_dict(), ensure_ascii=False, indent=2))
    else:
        show_throughput(done)


@app.command()
def settings(
    markdown: Annotated[bool, typer.Option("--markdown", help="The defaults as the README's Markdown table.")] = False,
) -> None:
    """Show every setting with its current value (from HOSO_* variables or hoso.toml)."""
    from rich.table import Table

    from app.settings_doc import markdown_table, rows
    from cli.output import console

    if markdown:
        typer.echo(markdown_table())
        return
    table = Table("variable", "value", "meaning")
    for variable, value, text in rows(Settings()):
        table.add_row(variable, value, text)
    console.print(table)


@app.command()
def samples(
    folder: Annotated[Path, typer.Argument(help="Where to write the sample scans.")],
    plan: Annotated[str, typer.Option(help="demo, ocr, extraction, throughput or bigpdf.")] = "demo",
    seed: Annotated[int, typer.Option(help="Same seed, same documents.")] = 0,
) -> None:
    """Generate realistic sample scans with ground truth (in FOLDER/.truth)."""
    from samples import generate
    from samples import plan as sample_plan

    written = generate(sample_plan(plan, seed=seed), folder)
    typer.echo(f"{len(written)} sample file(s) in {folder} (ground truth in {folder / '.truth'})")


@app.command()
def demo(
    inbox: Annotated[Path | None, typer.Option(help="Inbox folder (default: HOSO_INBOX or ./inbox).")] = None,
) -> None:
    """Generate sample scans, ingest them, and show a few searches."""
    from app import demo as showcase
    from app import search as searching
    from cli.output import console, show_search, show_summary

    folder = inbox or Settings().inbox
    generated = showcase.prepare_inbox(folder)
    if generated:
        console.print(f"Generated {generated} sample scan(s) in {folder}.")
    if showcase.needs_ingest(folder):
        # the samples just written are whole: no need to wait for them to settle
        settle = 0.0 if generated else None
        summary = _run_ingest([str(folder)], None, False, sys.stderr.isatty(), settle_seconds=settle)
        show_summary(summary)
        _exit_if_disk_full(summary)
    for label, text in showcase.example_queries(folder):
        console.rule(f"hoso search {json.dumps(text, ensure_ascii=False)}   [dim]({label})[/]")
        example = searching.query(text, size=3)
        show_search(searching.search(example), example)
    console.rule("The web app")
    console.print(
        f"Search these documents in a browser: run [bold]{_command_shown()} serve[/] and open "
        f"[bold]http://127.0.0.1:{DEFAULT_PORT}/[/] (the API reference is at /api/docs)."
    )


def _command_shown() -> str:
    """How the person typed hoso: `.venv/bin/hoso` after `make demo`, plain `hoso` when it is on the PATH."""
    program = Path(sys.argv[0]).resolve()
    if program.name != "hoso":
        return "hoso"
    try:
        return str(program.relative_to(Path.cwd()))
    except ValueError:
        return "hoso"


@contextmanager
def _refusals() -> Iterator[None]:
    """A use case's refusal (`app.errors.RequestError`) as an error line and exit code 2."""
    from app.errors import RequestError

    try:
        yield
    except RequestError as refused:
        _fail(refused.message)


def _fail(message: str, code: int = 2) -> NoReturn:
    from cli.output import err_console, escape

    err_console.print(f"[red]error:[/] {escape(message)}")
    raise typer.Exit(code)


if __name__ == "__main__":
    app()
