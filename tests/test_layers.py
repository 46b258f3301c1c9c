"""The layout is the pipeline (io → profiles → geometry → metrics → claims → render → cli/api): a package imports
only from earlier stages (or the shared top-level modules: errors, types, dates, store*, ingest...). A structural
check over every ``from whoholds...``/relative import in the source, lazy ones inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "whoholds"
STAGE = {"io": 0, "profiles": 1, "geometry": 2, "metrics": 3, "scale": 3, "claims": 4, "render": 5,
         "fetch": 5, "cli": 6, "api": 6}
#: Documented exceptions. Reading a map yields snapshots already classified by a profile and checked against
#: its boundary (DESIGN.md: "io.read → Snapshot", the profile mapping labels to states on the way), so the
#: readers use the profile model and the boundary/area helpers.
ALLOWED = {("io", "profiles"), ("io", "geometry")}


def _imports(path: Path) -> list[str]:
    package = list(path.relative_to(SRC.parent).parts[:-1])  # e.g. ["whoholds", "metrics"]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            base = package[: len(package) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
        elif node.module and node.module.split(".")[0] == "whoholds":
            target = node.module
        else:
            continue
        # "from .. import dates" names the module in the imported names
        out += [f"{target}.{a.name}" for a in node.names] if target == "whoholds" else [target]
    return out


def test_imports_point_down_the_pipeline():
    wrong = []
    for path in sorted(SRC.rglob("*.py")):
        here = path.relative_to(SRC).parts
        if len(here) < 2 or here[0] not in STAGE:
            continue  # top-level modules (store, ingest, errors...) are shared by the stages
        for target in _imports(path):
            parts = target.split(".")
            there = parts[1] if len(parts) > 1 else ""
            if there in STAGE and STAGE[there] > STAGE[here[0]] and (here[0], there) not in ALLOWED:
                wrong.append(f"{'/'.join(here)} imports {target}")
    assert not wrong, "imports against the pipeline:\n" + "\n".join(wrong)


def test_the_check_sees_relative_imports():
    """The check must be able to fail: the render stage's relative imports of io are found as io imports."""
    found = _imports(SRC / "render" / "tables.py")
    assert any(t.startswith("whoholds.io") for t in found)
