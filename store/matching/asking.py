"""Fact-check phrasing: the words of a question that are about the asking, not about its topic.

"Is it true that the Cairo talks made progress?", "fact check: …", "…, true?", "fake news?" — in a
fact-check community these wrap every question, and they must not count as topic words: "true" would
otherwise match any topic that says "true", and an unknown "debunk" would lower every score. They are taken
off the start and the end of the question (and a few phrasings anywhere, which never name a topic); a
question made of nothing else asks for no claim at all, and the bot asks which claim to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from store.matching.text import STOPWORDS, words

_VERDICT = r"(?:really\s+)?(?:true|real|legit|accurate|correct|right|fake|false|so|a\s+hoax|a\s+fact|for\s+real)"
_WHAT = r"(?:claim|news|story|post|tweet|video|clip|photo|picture|image|pic|article|rumou?r|headline|quote)"
_YOU = r"(?:(?:can|could|would|will)\s+(?:you|u|someone)\s+)?(?:please\s+|pls\s+|plz\s+)?"
_DOUBLE = r"(?:true|real|legit|fake|fact|hoax)\s+or\s+(?:false|fake|not|real|true|fiction)(?:\s+news)?"
_CHECK = r"(?:fact[\s-]?check(?:ed|ing)?|factcheck(?:ed|ing)?|debunk(?:ed|ing)?|verify|check|confirm)"
# what a question may open with, then a separator or "that"
_OPENERS = [
    rf"(?:is|was|are)\s+(?:it|this|that|these|those)\s+(?:{_WHAT}s?\s+)?{_VERDICT}(?:\s+or\s+not)?",
    rf"{_YOU}{_CHECK}(?:\s+(?:this|that|it)(?:\s+{_WHAT})?)?(?:\s+for\s+me)?(?:\s+(?:please|pls|plz))?",
    _DOUBLE,
    r"fake\s+news(?:\s+or\s+not)?",
    r"(?:a\s+)?hoax(?:\s+or\s+not)?",
    r"is\s+there\s+any\s+truth\s+(?:in|to)(?:\s+(?:the|this)\s+(?:claim|rumou?r|story))?",
    r"i\s+(?:heard|read|saw)",
    r"(?:someone|people|they)\s+(?:said|say|says|are\s+saying|told\s+me)",
    r"rumou?r\s+(?:has\s+it|is)",
]
# what a question may close with, after a separator (or as the whole question)
_CLOSERS = [
    rf"(?:is|was|are)\s+(?:it|this|that|these|those)\s+{_VERDICT}(?:\s+or\s+not)?",
    _VERDICT,
    _DOUBLE,
    r"fake\s+news",
    r"(?:a\s+)?hoax",
    r"or\s+not",
    rf"{_YOU}{_CHECK}(?:\s+(?:this|that|it))?(?:\s+(?:please|pls|plz))?",
]
# phrasings that never name a topic, wherever they are
_ANYWHERE = re.compile(
    r"\b(?:fact[\s-]?check(?:ed|ing)?|factcheck(?:ed|ing)?|true\s+or\s+false|real\s+or\s+fake|fact\s+or\s+fiction)\b",
    re.IGNORECASE,
)
# (dashes and quotation marks by code point: \u2013 en dash, \u2014 em dash, \u2018-\u201d curly quotes)
_SEPARATORS = "[\\s,.:;!?\u00bf\u00a1\u2026\\-\u2013\u2014\"'\u2018\u2019\u201c\u201d()]*"
_TAIL = 80  # characters at the end of a question where its closing phrasing is looked for
_STRIPPED = " \t\n,.:;!?\u00bf\u00a1\u2026-\u2013\u2014"
_OPENER = re.compile(rf"^{_SEPARATORS}(?:{'|'.join(_OPENERS)})(?:\s+(?:that|if|whether))?(?=$|[^\w])", re.IGNORECASE)
_CLOSER = re.compile(
    rf"(?:^|[,.:;!?\u2026\-\u2013\u2014(]|\s[-\u2013\u2014]){_SEPARATORS}(?:{'|'.join(_CLOSERS)}){_SEPARATORS}$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Asked:
    """A question with its fact-check phrasing taken off."""

    text: str  # the rest, as written (what is matched)
    phrased: bool  # some phrasing was taken off

    @property
    def claimless(self) -> bool:
        """Nothing but phrasing: "is it true?" names no claim to check."""
        return self.phrased and not any(w not in STOPWORDS for w in words(self.text))


@lru_cache(maxsize=4096)
def take_off_phrasing(question: str) -> Asked:
    """`question` without the fact-check phrasing it opens or closes with."""
    text = question
    while True:
        before = text
        text = _OPENER.sub("", text, count=1)
        # a closer is looked for in the last words only: a long pasted text is not searched from every position
        head, tail = text[:-_TAIL], text[-_TAIL:]
        text = head + _CLOSER.sub("", tail, count=1)
        text = _ANYWHERE.sub(" ", text)
        if text == before:
            break
    return Asked(text.strip(_STRIPPED), text != question)
