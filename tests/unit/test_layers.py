"""The import direction between the top-level packages, read from the source (no module is imported).

Every import statement counts, at module level, inside a function or under `TYPE_CHECKING`: a lazy
import is still a dependency. The table follows the layer table in DESIGN.md.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

ANYTHING = None
# a package, or one module of it -> the modules of the other first-party packages it may import (a name allows its
# submodules). A file follows the most specific row naming it. Lowest first: the table in CONTRIBUTING.md.
LAYERS: dict[str, frozenset[str] | None] = {
    "pipeline": frozenset(),
    "extractors": frozenset({"pipeline"}),
    "index": frozenset({"pipeline.models", "pipeline.fieldtypes", "pipeline.textnorm", "pipeline.config"}),
    # The composition root sits below the orchestration: a Prefect worker enters at a flow and builds its parts here.
    "app.resources": frozenset({"pipeline", "extractors", "index"}),
    "flows": frozenset({"pipeline", "extractors", "index", "app.resources"}),
    "app": frozenset({"pipeline", "extractors", "index", "flows", "samples"}),
    "cli": frozenset({"app", "pipeline", "extractors.registry", "index.query", "samples"}),
    "web": frozenset({"app", "pipeline.models", "index.query"}),
    "samples": frozenset({"pipeline"}),
    "bench": ANYTHING,
    "tests": ANYTHING,
}
# third-party libraries a package must never import
FORBIDDEN_LIBRARIES = {
    "pipeline": frozenset({"prefect", "elasticsearch", "fastapi"}),
    "cli": frozenset({"prefect", "elasticsearch"}),
    "web": frozenset({"prefect", "elasticsearch", "sqlalchemy"}),
}
# Known violations, each with the issue item that removes it. A stale entry fails the test too.
KNOWN_EXCEPTIONS: dict[str, frozenset[str]] = {}
# Modules some packages load only inside the function that needs them: the generator is a tool even the front doors
# load only for a command that needs it, and Prefect (through the flows that run it) only for the commands that run one.
LAZY_ONLY = {
    "samples": frozenset({"pipeline", "extractors", "index", "flows", "app", "cli"}),
    "flows.ingest": frozenset({"app", "cli"}),
    "flows.environment": frozenset({"app", "cli"}),
}


@dataclass(frozen=True)
class Import:
    """One imported module name, where it is written, and whether it is outside every function (runs on import)."""

    file: str
    line: int
    module: str
    module_level: bool


def first_party(root: Path) -> set[str]:
    """The top-level packages of the repository: folders with an `__init__.py`."""
    return {p.parent.name for p in root.glob("*/__init__.py")}


def imported_names(node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    """Full module names an import statement names; `from a import b` counts as `a.b` (b may be a module).

    A relative import names nothing: it cannot leave its own top-level package.
    """
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif not node.level:
        yield from (node.module if alias.name == "*" else f"{node.module}.{alias.name}" for alias in node.names)


def imports_in(file: Path, root: Path) -> Iterator[Import]:
    """Every import statement of one file, in line order."""
    tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
    functions = (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))
    lazy = {id(node) for function in functions for node in ast.walk(function)}
    rel = file.relative_to(root).as_posix()
    statements = (n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom))
    for node in sorted(statements, key=lambda n: n.lineno):
        for name in imported_names(node):
            yield Import(rel, node.lineno, name, id(node) not in lazy)


def covers(prefixes: frozenset[str], module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def all_imports(root: Path) -> Iterator[tuple[str, Import]]:
    """(importing top-level package, import) for every Python file of the first-party packages."""
    for package in sorted(first_party(root)):
        for file in sorted((root / package).rglob("*.py")):
            for imp in imports_in(file, root):
                yield package, imp


def rule_for(file: str) -> str:
    """The most specific row of the layer table naming a file ("app/resources.py" -> "app.resources")."""
    module = file.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    return max((row for row in LAYERS if covers(frozenset({row}), module)), key=len)


def violations(root: Path, exceptions: dict[str, frozenset[str]]) -> list[str]:
    """Imports against the layer table, the forbidden libraries or the lazy-only rule, as readable lines."""
    packages = first_party(root)
    found = []
    for package, imp in all_imports(root):
        target = imp.module.split(".")[0]
        row = rule_for(imp.file)
        allowed = LAYERS[row]
        where = f"{imp.file}:{imp.line} imports {imp.module}"
        if target in FORBIDDEN_LIBRARIES.get(package, frozenset()):
            found.append(f"{where}: {package}/ never imports {target}")
        if target not in packages or target == package:
            continue
        lazy = any(covers(frozenset({t}), imp.module) and package in who for t, who in LAZY_ONLY.items())
        if lazy and imp.module_level:
            found.append(f"{where} at module level: import it inside the function that needs it")
        if (
            allowed is not ANYTHING
            and not covers(allowed, imp.module)
            and not covers(exceptions.get(imp.file, frozenset()), imp.module)
        ):
            layer = row if "." in row else f"{row}/"
            found.append(f"{where}: {layer} may import only {sorted(allowed) or 'nothing of the others'}")
    return found


def test_every_top_level_package_has_a_row_in_the_layer_table() -> None:
    assert first_party(REPO) >= {"pipeline", "extractors", "index", "flows", "app", "cli", "samples"}
    assert first_party(REPO) - LAYERS.keys() == set()


def test_imports_go_down_the_layers_only() -> None:
    assert violations(REPO, KNOWN_EXCEPTIONS) == []


def test_each_known_exception_is_still_needed() -> None:
    """When the CLI move or the options model lands, its exceptions go from the table with it."""
    used = {
        (imp.file, prefix)
        for _, imp in all_imports(REPO)
        for prefix in KNOWN_EXCEPTIONS.get(imp.file, ())
        if covers(frozenset({prefix}), imp.module)
    }
    stale = {(file, prefix) for file, prefixes in KNOWN_EXCEPTIONS.items() for prefix in prefixes} - used
    assert stale == set()


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for package in {row.split(".")[0] for row in LAYERS}:
        (root / package).mkdir(exist_ok=True)
        (root / package / "__init__.py").touch()
    return root


def test_an_upward_import_is_reported_wherever_it_is_written(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "pipeline/store.py": "def f():\n    from samples import generate\n",
            "index/embedded.py": "from pipeline.store import Store\nfrom pipeline import models\n",
            "extractors/fields.py": "from . import base\nfrom flows import ingest\n",
            "samples/build.py": "import pipeline.textnorm\nimport flows.ingest\n",
            "bench/run.py": "import flows, index, samples\n",
            "app/resources.py": "from flows import documents\n",
            "app/search.py": "from flows import documents\n",
        },
    )
    assert violations(root, {}) == [
        "app/resources.py:1 imports flows.documents: app.resources may import only ['extractors', 'index', 'pipeline']",
        "extractors/fields.py:2 imports flows.ingest: extractors/ may import only ['pipeline']",
        "index/embedded.py:1 imports pipeline.store.Store: index/ may import only"
        " ['pipeline.config', 'pipeline.fieldtypes', 'pipeline.models', 'pipeline.textnorm']",
        "pipeline/store.py:2 imports samples.generate: pipeline/ may import only nothing of the others",
        "samples/build.py:2 imports flows.ingest: samples/ may import only ['pipeline']",
    ]


def test_a_known_exception_covers_only_its_file_and_the_generator_stays_lazy(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "pipeline/cli.py": (
                "try:\n    from samples import generate\nexcept ImportError:\n    pass\n"
                "import prefect\n\ndef f():\n    import flows\n"
            ),
            "pipeline/other.py": "def f():\n    import flows\n",
        },
    )
    assert violations(root, {"pipeline/cli.py": frozenset({"flows", "samples"})}) == [
        "pipeline/cli.py:2 imports samples.generate at module level: import it inside the function that needs it",
        "pipeline/cli.py:5 imports prefect: pipeline/ never imports prefect",
        "pipeline/other.py:2 imports flows: pipeline/ may import only nothing of the others",
    ]


def contributing_table(text: str) -> dict[str, frozenset[str] | None]:
    """The layer table of CONTRIBUTING.md: folder (or module) -> the names its "may import" column lists."""
    rows: dict[str, frozenset[str] | None] = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        row = cells[0].strip("`").removesuffix("/").removesuffix(".py").replace("/", ".")
        allowed = cells[2]
        rows[row] = ANYTHING if allowed == "anything" else frozenset(re.findall(r"`([\w.]+)`", allowed))
    return rows


def test_the_layer_table_in_contributing_is_this_one() -> None:
    assert contributing_table((REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")) == LAYERS
