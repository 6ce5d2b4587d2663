"""Discord's rendering rules as a test oracle: what a reader would see as a link, mention, markup or flip.

It reads text the way Discord does (a backslash before any character but an ASCII letter, digit or whitespace
makes it literal) and then looks for what Discord would act on. It shares no pattern with bot/text.py, so a hole
in the escaper's regexes is not mirrored here.
"""

from __future__ import annotations

import re
import unicodedata

ZWSP, ZWNJ, ZWJ = "\u200b", "\u200c", "\u200d"
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]]
ASCII_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
INLINE_MARKERS = frozenset("\\*_~|`[]")  # emphasis, bold, underline, strike, spoiler, code, escape, masked link
LINE_MARKERS = ("#", ">", "-", "*", "+", "```")  # heading and subtext, block quote, list items, code fence
INVITE = re.compile(r"discord(?:app)?\.(?:gg|com|me|io|li)/", re.I)
WWW = re.compile(r"(?<!\w)www\.", re.I)
HOST_AND_PATH = re.compile(r"[^\W_]\.[^\W\d_]{2,}\S*/")
MENTIONS = re.compile(r"@(?:everyone|here)|<(?:@[!&]?\d|#\d|a?:\w+:\d|t:-?\d|/[^>]*:\d|id:|https?:)", re.I)


def rendered(raw: str) -> list[tuple[str, bool]]:
    """Each character Discord shows, and whether a backslash made it literal."""
    shown: list[tuple[str, bool]] = []
    i = 0
    while i < len(raw):
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        if raw[i] == "\\" and nxt and nxt not in ASCII_ALNUM and not nxt.isspace():
            shown.append((nxt, True))
            i += 2
        else:
            shown.append((raw[i], False))
            i += 1
    return shown


def plain(raw: str) -> str:
    return "".join(ch for ch, _ in rendered(raw))


def hidden_by_spec(ch: str) -> bool:
    """What must never reach Discord: format characters but the two joiners, controls but newline and tab."""
    category = unicodedata.category(ch)
    return (category == "Cf" and ch not in (ZWNJ, ZWJ)) or (category in ("Cc", "Cs") and ch not in "\n\t")


def problems(raw: str) -> list[str]:
    """Everything in `raw` that Discord would render as a link, mention, markup or direction change."""
    found: list[str] = []
    shown = rendered(raw)
    live = "".join(ch if not literal else "\ufffc" for ch, literal in shown)
    text = plain(raw)
    linkable = text.replace(ZWSP, "").replace(ZWJ, "").replace(ZWNJ, "")
    found += [f"live markdown {ch!r}" for ch, literal in shown if ch in INLINE_MARKERS and not literal]
    if re.search(r"\[[^\]]*\]\(", live):
        found.append("masked link")
    for name, pattern in (("scheme", re.compile(":/")), ("www", WWW), ("invite", INVITE), ("host", HOST_AND_PATH)):
        if pattern.search(linkable) or pattern.search(raw.replace(ZWSP, "")):
            found.append(f"autolink ({name})")
    if MENTIONS.search(text.replace(ZWJ, "").replace(ZWNJ, "")) or MENTIONS.search(raw):
        found.append("mention or angle-bracket form")
    for i, ch in enumerate(raw):
        if ch in BIDI:
            found.append(f"bidi control U+{ord(ch):04X}")
        elif ch == ZWSP and (i == 0 or raw[i - 1] not in "@<"):
            found.append("zero-width space that breaks no mention")
        elif ch != ZWSP and hidden_by_spec(ch):
            found.append(f"invisible U+{ord(ch):04X}")
    for line in re.split(r"\r\n?|[\n\x0b\x0c\x85\u2028\u2029]", raw):  # every break JavaScript counts, and more
        start = line.lstrip().lstrip(ZWJ + ZWNJ).lstrip()
        if start.startswith(LINE_MARKERS) or re.match(r"\d+\.", start):
            found.append(f"line starts with a marker: {line!r}")
    return found
