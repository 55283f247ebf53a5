"""`hoso`: the command line, and the composition root.

Ingestion goes through the Prefect flow (so every run shows in Prefect);
search, status and export talk to the store and the index directly. Heavy
imports happen inside commands, so `hoso --help` and `hoso search` stay quick.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from index.query import SORT_ORDERS
from pipeline.config import Settings
from pipeline.export import FORMATS
from pipeline.models import DocType

app = typer.Typer(
    name="hoso",
    help="Turn scans of Vietnamese land and one-stop records into searchable data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DISK_FULL_EXIT = 3  # a full disk stopped the ingest: nothing was lost, run again once space is freed
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _resources() -> Any:
    from flows import resources

    return resources.get()


def _run_ingest(
    paths: list[str], keep: bool | None, verbose: bool, show_progress: bool, settle_seconds: float | None = None
) -> dict[str, Any]:
    """Run the ingest flow with Prefect configured for hoso, a progress bar on a terminal."""
    from flows import environment

    environment.configure(Settings(), verbose=verbose)
    from flows import ingest as ingest_flow
    from flows import progress
    from pipeline.cli_output import ProgressReporter

    if not show_progress:
        return ingest_flow.run(paths, keep_originals=keep, settle_seconds=settle_seconds)
    with ProgressReporter() as reporter:
        progress.use(reporter)
        try:
            return ingest_flow.run(paths, keep_originals=keep, settle_seconds=settle_seconds)
        finally:
            progress.use(None)


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
    from pipeline.cli_output import show_summary

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
        from pipeline.cli_output import err_console

        err_console.print(summary["disk_full"], markup=False, soft_wrap=True)
    raise typer.Exit(DISK_FULL_EXIT)


@app.command()
def search(
    query: Annotated[
        str, typer.Argument(help='Words, with or without diacritics, or a code: "CS 01234", "tờ 12 thửa 345".')
    ] = "",
    doc_type: Annotated[list[str] | None, typer.Option("--type", help=f"{', '.join(DocType)}.")] = None,
    district: Annotated[list[str] | None, typer.Option(help='e.g. "Quận Cầu Giấy".')] = None,
    ward: Annotated[list[str] | None, typer.Option(help='e.g. "Phường Dịch Vọng".')] = None,
    year: Annotated[list[str] | None, typer.Option(help="Year the document is dated.")] = None,
    review: Annotated[
        bool | None, typer.Option("--review/--no-review", help="Only documents needing review, or none.")
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option("--filter", help='NAME=VALUE on any exact field, e.g. --filter "province=Thành phố Hà Nội".'),
    ] = None,
    sort: Annotated[str, typer.Option(help=f"{', '.join(SORT_ORDERS)}.")] = "relevance",
    limit: Annotated[int, typer.Option(help="Hits per page.")] = 10,
    page: Annotated[int, typer.Option(help="Page of hits, from 1.")] = 1,
    as_json: JsonOption = False,
) -> None:
    """Search the indexed documents."""
    from index.query import SearchQuery
    from pipeline.cli_output import show_search

    if sort not in SORT_ORDERS:
        _fail(f"unknown sort {sort!r}; choose one of {', '.join(SORT_ORDERS)}")
    index = _resources().index
    filters = _filters(where or [], index.schema.attributes)
    named = {"doc_type": doc_type, "district": district, "ward": ward, "year": year}
    for name, values in named.items():
        filters.setdefault(name, []).extend(values or [])
    if review is not None:
        filters.setdefault("needs_review", []).append(str(review).lower())
    search_query = SearchQuery(
        text=query,
        filters={name: values for name, values in filters.items() if values},
        sort=sort,
        offset=(max(page, 1) - 1) * limit,
        size=limit,
    )
    result = index.search(search_query)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        show_search(result, search_query.offset)


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
    from dataclasses import asdict

    from flows.documents import compare_index
    from pipeline.cli_output import show_status

    resources = _resources()
    store = resources.store
    agreement = compare_index(resources, every_key=True)
    counts, failures, index_errors = store.counts(), store.failures(), store.index_errors()
    if as_json:
        payload = {
            "counts": counts,
            "failures": [{"sha256": s, "file": n, **f.model_dump()} for s, n, f in failures],
            "index_errors": [{"sha256": s, "file": n, "error": e} for s, n, e in index_errors],
            "index": asdict(agreement),
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        show_status(counts, failures, index_errors, agreement)


@app.command()
def doctor() -> None:
    """Check Tesseract, language data, the store and the index; say what is wrong in plain words."""
    from pipeline import doctor as checks
    from pipeline.cli_output import show_checks

    settings = Settings()
    resources = _resources()
    prefect_url, prefect_db = _prefect_location(settings)
    places = {
        "archive": settings.archive_dir,
        "store": _sqlite_file(settings.store_url),
        "Prefect database": prefect_db,
    }
    results = checks.run_checks(
        [
            ("python", checks.python_version),
            ("tesseract", checks.tesseract),
            ("language data", checks.languages(settings.ocr_language)),
            ("data directory", checks.writable_home(settings.home_dir)),
            ("Prefect database", checks.prefect_database(prefect_url, prefect_db)),
            ("disk space", checks.disk_space({name: path for name, path in places.items() if path})),
            ("store", lambda: _store_health(resources)),
            ("index", lambda: _index_health(resources)),
            ("inbox", checks.inbox(settings.inbox)),
        ]
    )
    show_checks(results)
    if not all(check.ok for check in results):
        raise typer.Exit(1)


def _prefect_location(settings: Settings) -> tuple[str | None, Path | None]:
    """Prefect's API URL (None: a temporary server each run) and its database file (None: not here)."""
    from flows import server

    if os.environ.get("PREFECT_API_URL"):
        return os.environ["PREFECT_API_URL"], None
    local = server.running(settings.prefect_home)
    configured = os.environ.get("PREFECT_SERVER_DATABASE_CONNECTION_URL") or os.environ.get(
        "PREFECT_API_DATABASE_CONNECTION_URL"
    )
    database = _sqlite_file(configured) if configured else settings.prefect_home / "prefect.db"
    return (local.url if local else None), database


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for a database on a server."""
    return Path(url.split("///", 1)[-1]).resolve() if url.startswith("sqlite") else None


def _index_health(resources: Any) -> str:
    """Opening the index is part of the check: an unreachable server must not crash the doctor."""
    return str(resources.index.health())


def _store_health(resources: Any) -> str:
    resources.store.ping()
    total = sum(count for state, count in resources.store.counts().items() if state != "duplicate")
    return f"{resources.settings.store_url} ({total} documents)"


@app.command()
def show(sha256: Annotated[str, typer.Argument(help="The document's SHA-256, or its first characters.")]) -> None:
    """One document in full: how each page was read, every field with its confidence, why it needs review."""
    from pipeline.cli_output import show_record

    store = _resources().store
    keys = store.keys_starting(sha256) if len(sha256) >= 4 else []
    if len(keys) != 1:
        _fail(f"{'no' if not keys else 'more than one'} document starts with {sha256!r}")
    record = store.record(keys[0])
    assert record is not None
    show_record(record)


@app.command()
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"{', '.join(FORMATS)}.")] = "jsonl",
    query: Annotated[str, typer.Option(help="Only documents matching this search.")] = "",
    doc_type: Annotated[list[str] | None, typer.Option("--type", help="Only these document types.")] = None,
) -> None:
    """Export records: JSONL (whole records) or one row per document (CSV, XLSX, Parquet)."""
    from extractors.registry import FIELDS
    from index.query import SearchQuery
    from pipeline.export import export as write_export

    if fmt not in FORMATS:
        _fail(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    resources = _resources()
    if query or doc_type:
        selection = SearchQuery(text=query, filters={"doc_type": doc_type} if doc_type else {})
        keys = list(resources.index.scan(selection))
        records = resources.store.records(sha256s=keys) if keys else iter(())
    else:
        records = resources.store.records()
    count = write_export(records, output, fmt, FIELDS)  # type: ignore[arg-type]
    typer.echo(f"wrote {count} record(s) to {output}")


@app.command()
def retry(
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Re-read every failed document (after fixing what made it fail)."""
    from pipeline.cli_output import show_summary

    reset = _resources().store.reset_for_retry()
    typer.echo(f"{len(reset)} failed document(s) queued again")
    if reset:
        summary = _run_ingest([], None, verbose, show_progress=sys.stderr.isatty())
        show_summary(summary)
        _exit_if_disk_full(summary)


@app.command()
def reindex() -> None:
    """Rebuild the search index from the store and switch to it at once; an ingest may run meanwhile."""
    from flows.documents import reindex as rebuild

    resources = _resources()
    report = rebuild(resources)
    typer.echo(f"reindexed {len(report.indexed)} document(s) into the {resources.index.name} index")
    if report.errors:
        _fail(f"{len(report.errors)} document(s) could not be indexed; see `hoso status`")


server_app = typer.Typer(help="A long-lived local Prefect server for this data directory.", no_args_is_help=True)
app.add_typer(server_app, name="server")


@server_app.command("start")
def server_start(port: Annotated[int | None, typer.Option(help="Port (default: any free one).")] = None) -> None:
    """Start it in the background; every hoso command of this HOSO_HOME then uses it."""
    from flows import server

    info = server.start(Settings().prefect_home, port)
    typer.echo(f"Prefect server running (pid {info.pid}); UI at {info.ui}")


@server_app.command("stop")
def server_stop() -> None:
    """Stop it; hoso ingest then starts Prefect's temporary server again."""
    from flows import server

    stopped = server.stop(Settings().prefect_home)
    typer.echo("Prefect server stopped" if stopped else "no Prefect server was running")


@server_app.command("status")
def server_status() -> None:
    from flows import server

    info = server.running(Settings().prefect_home)
    if info is None:
        typer.echo("no Prefect server running; hoso ingest starts a temporary one")
        raise typer.Exit(1)
    typer.echo(f"Prefect server running (pid {info.pid}); API {info.url}; UI at {info.ui}")


@app.command()
def settings(
    markdown: Annotated[bool, typer.Option("--markdown", help="The defaults as the README's Markdown table.")] = False,
) -> None:
    """Show every setting with its current value (from HOSO_* variables or hoso.toml)."""
    from rich.table import Table

    from pipeline.cli_output import console
    from pipeline.settings_doc import markdown_table, rows

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
    from index.query import SearchQuery
    from pipeline.cli_output import console, show_search, show_summary
    from pipeline.demo import example_queries, needs_ingest, prepare_inbox

    folder = inbox or Settings().inbox
    resources = _resources()
    generated = prepare_inbox(folder, resources.store)
    if generated:
        console.print(f"Generated {generated} sample scan(s) in {folder}.")
    if needs_ingest(folder, resources.store):
        # the samples just written are whole: no need to wait for them to settle
        settle = 0.0 if generated else None
        summary = _run_ingest([str(folder)], None, False, sys.stderr.isatty(), settle_seconds=settle)
        show_summary(summary)
        _exit_if_disk_full(summary)
    for label, text in example_queries(folder):
        console.rule(f"hoso search {json.dumps(text, ensure_ascii=False)}   [dim]({label})[/]")
        show_search(resources.index.search(SearchQuery(text=text, size=3)), 0)


def _fail(message: str) -> None:
    from pipeline.cli_output import err_console

    err_console.print(f"[red]error:[/] {message}")
    raise typer.Exit(2)


if __name__ == "__main__":
    app()
