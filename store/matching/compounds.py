"""Hyphenated compounds read whole or in parts ("single-payer", "singlepayer", "single payer").

Transcripts and quick typing drop hyphens: a debate transcript says "AfricanAmerican" where the
claim says "African-American". The store's hyphenated words are collected as they are indexed; a
question word the store doesn't hold but that is one of them with its hyphens dropped is read as its
parts. Only compounds the store really holds are split, so "noticed" never becomes "not iced".
"""

from __future__ import annotations

import re

from store.matching.text import fold

_HYPHENATED = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)+")


def hyphenated(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(joined form, parts) of each hyphenated compound in `text`, folded: ("singlepayer", ("single", "payer"))."""
    if "-" not in text and "\u2010" not in text and "\u2011" not in text:
        return []
    out = []
    for m in _HYPHENATED.finditer(text):
        parts = tuple(p for p in re.split(r"[-\u2010\u2011]", fold(m.group(0))) if p)
        out.append(("".join(parts), parts))
    return out
