"""Text that goes into a Discord message: made inert, so nobody's words can link, ping, format or flip the layout.

`safe` is the one function every echo of user (or store) text goes through. It does not lean on
discord.utils.escape_markdown, which escapes only the first `[text](url)` of a line and leaves bare URLs live.
Backslash escapes can't stop Discord autolinking a URL, so links are defanged instead (`hxxps[:]//evil[.]example`).
"""

from __future__ import annotations

import re
import unicodedata

from store import StatementView

# Joiners that scripts (Persian, Indic) and emoji sequences need; every other format character (bidi
# overrides, isolates and marks, zero-width spaces, word joiners, tag characters...) is dropped.
_KEPT_FORMAT = frozenset("\u200c\u200d")
# Invisible, though not format characters: they can pad a line or stand in for a name.
_INVISIBLE = frozenset("\u034f\u115f\u1160\u3164\uffa0")


def _hidden(ch: str) -> bool:
    category = unicodedata.category(ch)
    if category == "Cf":
        return ch not in _KEPT_FORMAT
    if category in ("Cc", "Cs"):
        return ch not in "\n\t"
    return ch in _INVISIBLE


# The basic plane as one character class, from the Unicode database; the rare astral characters are looked up.
_HIDDEN_BMP = re.compile("[" + "".join(re.escape(chr(c)) for c in range(0x10000) if _hidden(chr(c))) + "]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")

_LINKISH = re.compile(r"(?<!\S)\S*?(?:/|(?i:www)\.)\S*")  # a word with a slash or www. in it
_HTTP = re.compile(r"(?i)(?<=h)tt(?=ps?:/)")
_WWW = re.compile(r"(?i)(?:^|\W)www\.")
# a dot that starts a host label (evil.example, 10.0.0.1), or the one after www
_LABEL_DOT = re.compile(r"\.(?=[\u200c\u200d]*\w)|(?i:(?<=www))\.")

_INLINE_MARKDOWN = re.compile(r"[\\*_~|`\[\]]")
# Markers that count only at the start of a line: heading, subtext, block quote, list item, numbered item.
_LINE_START = r"^((?:[^\S\n]|[\u200c\u200d])*)"
_LINE_MARKER = re.compile(_LINE_START + r"([#>+-])", re.MULTILINE)
_NUMBERED = re.compile(_LINE_START + r"(\d+)\.", re.MULTILINE)
# "@everyone", "@here" and every angle form: <@user>, <@&role>, <#channel>, <:emoji:id>, <t:stamp>, </command:id>
_MENTION_START = re.compile(r"[@<]")
_BREAK = "\u200b"  # a zero-width space: invisible, and no mention or angle-bracket form survives it


def safe(text: str) -> str:
    """`text` shown as typed but inert: no link, invite, mention, markdown or bidi control acts from it."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _HIDDEN_BMP.sub("", text)
    if not text.isascii():
        text = _ASTRAL.sub(lambda m: "" if _hidden(m[0]) else m[0], text)
    if "/" in text or "www." in text.lower():
        text = _LINKISH.sub(lambda m: _defang(m[0]), text)
    text = _INLINE_MARKDOWN.sub(r"\\\g<0>", text)
    text = _NUMBERED.sub(r"\1\2\\.", text)
    text = _LINE_MARKER.sub(r"\1\\\2", text)
    return _MENTION_START.sub(r"\g<0>" + _BREAK, text)


def _defang(token: str) -> str:
    """A URL, or a host with a path or www., in the defanged form security writers use: readable, never linked."""
    if ":/" in token:
        token = _HTTP.sub(lambda m: "XX" if m[0].isupper() else "xx", token).replace(":/", "[:]/")
    elif "/" not in token and not _WWW.search(token):
        return token  # "awww.", not a host
    return _LABEL_DOT.sub("[.]", token)


def quoted(statement: StatementView) -> str:
    """A verbatim quote in quotation marks; paraphrases never get them."""
    return f"“{safe(statement.text)}”"


def one_line(text: str) -> str:
    """Collapse whitespace, so a pasted question can't push the layout around."""
    return " ".join(text.split())
