"""The fence between the layers: every import in store/ and bot/, read with `ast`, keeps to the layout.

Imports under `if TYPE_CHECKING:` and inside functions count like any other: each is a dependency the
next reader has to follow. `from package import name` counts as importing the submodule when `name` is one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Rule:
    importer: str  # the package whose modules the rule binds
    forbidden: str  # the package they must not import
    why: str
    allowed: frozenset[str] = frozenset()  # modules of `forbidden` that are its public face


RULES = (
    Rule("store", "discord", "the domain knows no Discord"),
    Rule("store", "bot", "the domain knows no front end"),
    Rule("bot", "store", "bot/ uses the store's public API only", frozenset({"store", "store.records"})),
    Rule("bot", "sqlalchemy", "bot/ speaks no SQL"),
    Rule("store.matching", "store.db", "the in-memory engine knows no database"),
)


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _module_name(root: Path, path: Path) -> tuple[str, bool]:
    """The dotted name of the module at `path`, and whether it is a package's __init__."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def _is_module(root: Path, dotted: str) -> bool:
    base = root.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports(root: Path, path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) for every module the file at `path` imports, wherever in the file."""
    name, is_package = _module_name(root, path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the importing module's package, one level up per extra dot
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            yield node.lineno, base
            for alias in node.names:
                if _is_module(root, f"{base}.{alias.name}"):
                    yield node.lineno, f"{base}.{alias.name}"


def violations(root: Path) -> list[str]:
    """Every import under `root`'s store/ and bot/ that breaks a rule, as `path:line: ...`."""
    found: list[str] = []
    for path in sorted([*root.glob("store/**/*.py"), *root.glob("bot/**/*.py")]):
        importer = _module_name(root, path)[0]
        for line, module in imports(root, path):
            for rule in RULES:
                if _within(importer, rule.importer) and _within(module, rule.forbidden) and module not in rule.allowed:
                    found.append(f"{path.relative_to(root)}:{line}: {importer} imports {module} ({rule.why})")
    return found


def test_the_layers_keep_to_the_layout() -> None:
    found = violations(ROOT)
    assert not found, "\n".join(found)


CLEAN = {
    "store/__init__.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from store.service import X\n",
    "store/records.py": "import pydantic\n",
    "store/service.py": "from store.db import engine\nfrom store.matching.index import Index\n",
    "store/db/__init__.py": "",
    "store/db/engine.py": "import sqlalchemy\n",
    "store/matching/__init__.py": "",
    "store/matching/index.py": "from . import text\nfrom store.matching.text import fold\n",
    "store/matching/text.py": "import re\n",
    "bot/__init__.py": "",
    "bot/bot.py": "import discord\nfrom store import ClaimStore\nfrom store.records import TopicRecord\n",
}


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_a_tree_that_keeps_to_the_layout_passes(tmp_path: Path) -> None:
    assert violations(_tree(tmp_path, CLEAN)) == []


@pytest.mark.parametrize(
    ("path", "line", "reported"),
    [
        ("store/views.py", "import discord.ui", "store.views imports discord.ui"),
        ("store/service.py", "def f():\n    from bot.text import safe", "store.service imports bot.text"),
        ("bot/cli.py", "from store.db.engine import make_engine", "bot.cli imports store.db.engine"),
        ("bot/cli.py", "from store import db", "bot.cli imports store.db"),
        ("bot/cli.py", "from store import service", "bot.cli imports store.service"),
        ("bot/bot.py", "if TYPE_CHECKING:\n    from sqlalchemy.ext import asyncio", "bot.bot imports sqlalchemy"),
        ("store/matching/index.py", "def f():\n    import store.db.engine", "index imports store.db.engine"),
        ("store/matching/index.py", "from ..db import engine", "store.matching.index imports store.db"),
    ],
)
def test_a_forbidden_import_is_reported(tmp_path: Path, path: str, line: str, reported: str) -> None:
    tree = _tree(tmp_path, {**CLEAN, path: CLEAN.get(path, "") + line + "\n"})
    found = violations(tree)
    assert found and all(f.startswith(f"{path}:") and reported in f for f in found), found
