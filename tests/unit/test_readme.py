"""The README stays true: its settings table is the generated one, its two commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from app.settings_doc import TABLE_BEGIN, TABLE_END, markdown_table

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_settings_table_is_the_generated_one() -> None:
    start, end = README.index(TABLE_BEGIN), README.index(TABLE_END) + len(TABLE_END)
    assert README[start:end] == markdown_table(), "run `hoso settings --markdown` and paste it into README.md"


def test_the_two_commands_are_make_targets_and_ci_runs_the_second() -> None:
    block = README.split("## The two commands", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]
    targets = set(re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), flags=re.MULTILINE))
    assert {"demo", "test"} <= targets
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(), flags=re.MULTILINE)


def test_every_cli_command_is_in_the_tour() -> None:
    import typer.main

    from cli.main import app

    tour = README.split("## A tour of the CLI", 1)[1].split("```", 2)[1]
    documented = set(re.findall(r"^hoso ([a-z]+)", tour, flags=re.MULTILINE))
    commands = set(typer.main.get_group(app).commands)
    assert commands == documented


def test_the_images_it_shows_exist() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert [image for image in images if not (ROOT / image).is_file()] == []
