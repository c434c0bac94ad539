"""The layering of the package, enforced (in the spirit of an import-linter contract).

* ``gridmap.core`` is the model: it never imports Qt, ``gridmap.commands`` (the CLI) or ``gridmap.ui`` (the app).
* ``gridmap.commands`` is the CLI: it never imports Qt or ``gridmap.ui``.

The imports are read from the source (every ``import`` and ``from … import`` statement, relative ones resolved),
so an import hidden inside a function is caught too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "gridmap"
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "PySide2")


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, me: str | None = None) -> set[str]:
    """Absolute names of every module imported by the file at ``path`` (module ``me``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    me = me or _module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            out.add(name)
            out.update(f"{name}.{alias.name}" for alias in node.names)
    return out


CONTRACTS = [
    ("gridmap/core", QT + ("gridmap.ui", "gridmap.commands", "gridmap.cli")),
    ("gridmap/commands", QT + ("gridmap.ui",)),
]


@pytest.mark.parametrize("layer,forbidden", CONTRACTS, ids=[c[0] for c in CONTRACTS])
def test_layer_never_imports_what_sits_above_it(layer, forbidden):
    broken = []
    for path in sorted((PACKAGE.parent / layer).rglob("*.py")):
        for name in imports_of(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                broken.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert not broken, "layering broken:\n" + "\n".join(broken)


def test_the_contract_catches_a_violation(tmp_path):
    """The checker itself works: a relative import of the UI from the core is seen as gridmap.ui."""
    fake = tmp_path / "probe.py"
    fake.write_text("def f():\n    from ..ui import canvas\n    import PySide6.QtCore\n", encoding="utf-8")
    names = imports_of(fake, "gridmap.core.probe")
    assert "gridmap.ui" in names and "gridmap.ui.canvas" in names and "PySide6.QtCore" in names


# Owned by another engineer this session (moving to the core's edit buffer); nothing else Qt-free may live in ui/.
QT_FREE_IN_UI_PENDING: set[str] = set()


def test_qt_free_code_lives_in_the_core():
    """A module under gridmap/ui either uses Qt or builds on a module that does;
    code that needs neither (label placement, the view transform, worker threads,
    styles) belongs in gridmap.core, where the CLI and the printed outputs share it."""
    stray = []
    for path in sorted((PACKAGE / "ui").rglob("*.py")):
        rel = str(path.relative_to(PACKAGE.parent))
        if path.name == "__init__.py" or rel in QT_FREE_IN_UI_PENDING:
            continue
        names = imports_of(path)
        if not any(n.split(".")[0] in QT or n.startswith("gridmap.ui.") for n in names):
            stray.append(rel)
    assert not stray, "Qt-free modules under gridmap/ui (move them to gridmap/core):\n" + "\n".join(stray)


def test_screen_and_paper_share_one_style_set_and_one_label_engine():
    """The canvas and the printed maps import their colours and labels from gridmap.core.view."""
    for rel in ("gridmap/ui/layers/plan_layers.py", "gridmap/core/outputs/mapframe.py"):
        assert "gridmap.core.view.style" in imports_of(PACKAGE.parent / rel), rel
    for rel in ("gridmap/ui/render.py", "gridmap/ui/layers/vector.py", "gridmap/core/outputs/mapframe.py"):
        assert "gridmap.core.view.labels" in imports_of(PACKAGE.parent / rel), rel
