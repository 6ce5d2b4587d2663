"""`safe`, held to Discord's rules by an independent oracle (tests/support/discord_markup.py): whatever anyone
types, the echo links, pings and formats nothing, and still reads as what they typed."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot import wording
from bot.cogs.factcheck import _render as render
from bot.limits import clip
from bot.text import safe
from tests.support.discord_markup import BIDI, ZWJ, ZWNJ, ZWSP, hidden_by_spec, plain, problems

# format, invisible and control characters that can hide text
HIDING = list("\u200b\u2060\ufeff\u00ad\u180e\U000e0041\U000e007f\u3164\x00\x1b")
FRAGMENTS = [
    "[a](b)",
    "[free nitro](http://evil.example/phish)",
    "[x](<https://evil.example>)",
    "[**bold** link](https://evil.example/a_(b))",
    "http://evil.example/phish",
    "HTTPS://EVIL.EXAMPLE/",
    "https://10.0.0.1:8080/x",
    "steam://run/1",
    "<https://evil.example>",
    "www.evil.example",
    "discord.gg/abc",
    "discord.com/invite/abc",
    "discordapp.com/invite/abc",
    "evil.example/phish",
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "<@!42>",
    "<@&42>",
    "<#42>",
    "<:emoji:42>",
    "<a:emoji:42>",
    "<t:0:R>",
    "</factcheck:42>",
    "**",
    "*",
    "__",
    "_",
    "~~",
    "||",
    "`",
    "```",
    "\\",
    "# ",
    "## ",
    "-# ",
    "> ",
    ">>> ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "[",
    "](",
    ")",
    ":",
    "/",
    "//",
    ".",
    "<",
    "@",
    "h",
    "ttp",
    "s",
    "www",
    "evil",
    ".example",
    "discord",
    ".gg",
    "[.]",
    "hxxp",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\u2028",
    "  ",
    ZWNJ,
    ZWJ,
    "👨\u200d👩\u200d👧",
    *BIDI,
    *HIDING,
]
hostile = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=40).map("".join)


def as_typed(text: str) -> str:
    """What the reader should recognise: the text without hidden characters, links shown defanged or not."""
    text = re.sub(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]", "\n", text)
    text = "".join(ch for ch in text if not hidden_by_spec(ch) and ch not in "\u034f\u115f\u1160\u3164\uffa0")
    return refanged(text)


def refanged(text: str) -> str:
    text = text.replace("[.]", ".").replace("[:]", ":")
    return re.sub(r"(?i)(?<=h)xx(?=ps?:)", lambda m: "TT" if m[0].isupper() else "tt", text)


@settings(max_examples=600, deadline=None)
@given(hostile)
@example("[a](b) [free nitro](http://evil.example/phish) discord.gg/abc @everyone \u202e")
@example("ht\u200btps://evil.example h\u2060ttp\u200b:/\u200b/evil.example")
@example("# heading\n> quote\n-# subtext\n1. item\n  - item\n```code```")
def test_nothing_typed_renders(text: str) -> None:
    escaped = safe(text)
    assert problems(escaped) == []
    assert refanged(plain(escaped).replace(ZWSP, "")) == as_typed(text)


@settings(max_examples=300, deadline=None)
@given(hostile, st.integers(2, 400))
def test_cutting_escaped_text_short_leaves_it_inert(text: str, limit: int) -> None:
    assert problems(clip(safe(text), limit)) == []


@settings(max_examples=200, deadline=None)
@given(hostile)
def test_the_echoes_are_inert(text: str) -> None:
    assert problems(render.asked_line(text)) == []
    assert problems(wording.unanswered(text)) == []


def test_the_oracle_sees_what_discord_would_render() -> None:
    live = "[a](b) [free nitro](http://evil.example/phish) discord.gg/abc @everyone \u202e"
    assert {
        "masked link",
        "autolink (scheme)",
        "autolink (invite)",
        "mention or angle-bracket form",
        "bidi control U+202E",
    } <= set(problems(live))
    assert "masked link" in problems("\\[a](b) [free nitro](x)")  # what escape_markdown leaves
    assert problems("\\[a\\](b) hxxps\\[:\\]//evil\\[.\\]example @\u200beveryone") == []
    assert problems("www.evil.example") and problems("<#123>") and problems("# big") and problems("2. item")


def test_a_phishing_question_reads_as_typed_and_links_nowhere() -> None:
    escaped = safe("[a](b) [free nitro](http://evil.example/phish) discord.gg/abc @everyone \u202e")
    assert plain(escaped) == f"[a](b) [free nitro](hxxp[:]//evil[.]example/phish) discord[.]gg/abc @{ZWSP}everyone "


def test_ordinary_text_is_left_as_it_is() -> None:
    for text in (
        "Is there any progress in the Cairo truce talks?",
        "An official source from the organization (Hamas)",
        "truce-talks, e.g. 3.5% of U.S. voters; Reuters.com reported 24/7.",
        "مذاکرات آتش\u200cبس در قاهره",
        "👨\u200d👩\u200d👧 #AustralianFires",
    ):
        assert safe(text) == text
