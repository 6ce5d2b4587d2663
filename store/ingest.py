"""Reading and writing the JSON-lines interchange files (one topic per line)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from pydantic import ValidationError

from store.errors import ImportRejected
from store.records import TopicRecord

MAX_LINE_BYTES = 10_000_000


def read_records(path: str | Path) -> list[TopicRecord]:
    """Parse and validate a whole file before anything is written: one bad line rejects the file."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ImportRejected(f"Can't read {path}: {exc.strerror or exc}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            f"{path}, line {line}: not valid UTF-8 (byte {exc.start}); nothing was imported."
        ) from None
    return parse_lines(text.splitlines(), source=str(path))


def parse_lines(lines: Iterable[str], *, source: str = "input") -> list[TopicRecord]:
    records: list[TopicRecord] = []
    slugs: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}, line {number}"
        if len(line) > MAX_LINE_BYTES:
            raise ImportRejected(f"{where}: line is too long; nothing was imported.")
        try:
            record = TopicRecord.model_validate_json(line)
        except ValidationError as exc:
            raise ImportRejected(f"{where}: {_first_problem(exc)}; nothing was imported.") from None
        if record.slug in slugs:
            raise ImportRejected(
                f"{where}: topic {record.slug!r} already appears on line {slugs[record.slug]}; nothing was imported."
            )
        slugs[record.slug] = number
        records.append(record)
    return records


def _first_problem(exc: ValidationError) -> str:
    error = exc.errors()[0]
    if error["type"] == "json_invalid":
        return f"not valid JSON ({error['msg']})"
    location = ".".join(str(p) for p in error["loc"]) or "record"
    message = error["msg"].removeprefix("Value error, ")
    more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
    return f"{location}: {message}{more}"


def write_records(records: Iterable[TopicRecord], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record.dump(), ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count
