"""The real `factbot` app in-process over a real SQLite store with the demo, one copy per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.bot.cli.runner import Cli


@pytest.fixture
def cli(tmp_path: Path, demo_database: Path) -> Cli:
    shutil.copyfile(demo_database, tmp_path / demo_database.name)
    return Cli(tmp_path)
