"""Questions about what someone said: "what did X say", "did X tell Reuters …", "according to X", "X says …",
"does X claim …", "X's position on …". The reader finds X and what the question asks of them.

It only reads the frame; whether X is one of the store's speakers is for store/matching/speakers.py. A phrase
in the speaker's place may not be a speaker at all ("what does the proposal say"), so the reader also says
whether it names someone (a capital, a place, an acronym, a word no dictionary knows): a phrase that names
someone the store has no statement by gets an honest "no statement by X", any other is read as a plain
question. Longer phrases are read with their shorter endings too ("… closr egyption source says").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from store.matching.chat import CHAT_FORMS
from store.matching.entities import Token, is_unheard, tokens
from store.matching.gazetteer import gazetteer
from store.matching.text import STOPWORDS, strip_noise, words

MAX_WORDS = 6  # the longest phrase read as a speaker, in words

_AUX = frozenset("did does do has have had is are was were will would can could".split())
_WH = frozenset("what how when why where which".split())
# after an auxiliary ("did X say", "is X saying", "has X said")
_VERBS = frozenset(
    """say saying said tell telling told claim claiming claimed think thinking thought state stating stated
    report reporting reported announce announcing announced confirm confirming confirmed deny denying denied
    insist insisting insisted warn warning warned argue arguing argued admit admitting admitted believe
    believing believed comment commenting commented respond responding responded react reacting reacted""".split()
)
# with X as the subject ("X says …", "…, X told Reuters"): the verbs of saying only, as a question quotes
# someone; "X announced …" or "X reported …" tells what happened
_SUBJECT_VERBS = frozenset("says said claims claimed tells told insists insisted denies denied".split())
# "X's position on …"
_POSITIONS = frozenset(
    """position positions stance view views response reaction take line comment comments statement statements
    side""".split()
)
# words between an auxiliary and the verb that say how, not who ("did he never say", "I actually said")
_ADVERBS = frozenset("not never no actually really ever even always already also just only still once".split())
_CUES = _VERBS | _SUBJECT_VERBS | _POSITIONS | {"according"}
_PUNCTUATION = frozenset(',.;:!?()[]"\u201c\u201d\u2026\u2013\u2014')


@dataclass(frozen=True, slots=True)
class Phrase:
    """One reading of who a question asks about."""

    text: str  # as written ("the UN")
    words: tuple[str, ...]  # its folded content words
    rest: str  # the question without the speaker and the verb: what it asks of them

    @property
    def topical(self) -> bool:
        """The rest asks about something ("did X say the talks failed"), not only what X said."""
        return any(w not in STOPWORDS for w in words(self.rest))


@dataclass(frozen=True, slots=True)
class SpeakerQuestion:
    phrases: tuple[Phrase, ...]  # the whole phrase, then its shorter endings
    named: bool  # the whole phrase names someone, so that no speaker of the store matching it says something


@lru_cache(maxsize=4096)
def read_speaker_question(question: str) -> SpeakerQuestion | None:
    """Who `question` asks about, if it asks what someone said."""
    if not _CUES.intersection(words(question)):  # no verb of saying, "according" or "position": nothing to read
        return None
    found = tokens(question)
    if not found:
        return None
    text = strip_noise(question)  # the offsets of `tokens` are into the text as words() reads it
    folded = [_plain(t.folded) for t in found]
    reader = _Reader(text, found, folded)
    return reader.after_auxiliary() or reader.according_to() or reader.before_verb() or reader.possessive()


def _plain(word: str) -> str:
    forms = CHAT_FORMS.get(word)
    return forms[0] if forms else word


class _Reader:
    def __init__(self, text: str, found: Sequence[Token], folded: Sequence[str]) -> None:
        self.text = text
        self.tokens = found
        self.folded = folded

    def _break_before(self, i: int) -> bool:
        """Punctuation between token i-1 and token i (a clause ends there)."""
        if i <= 0:
            return True
        between = self.text[self.tokens[i - 1].end : self.tokens[i].start]
        return any(ch in _PUNCTUATION for ch in between)

    def _frame_word(self, i: int) -> bool:
        return self.folded[i] in _AUX or self.folded[i] in _WH

    def _opens_question(self, i: int) -> bool:
        """Token i starts a clause, or follows a question word close by ("how many hostages does …")."""
        for back in range(i, max(i - 4, -1), -1):
            if back < i and self.folded[back] in _WH:
                return True
            if self._break_before(back):
                return back == i
        return False

    def after_auxiliary(self) -> SpeakerQuestion | None:
        """ "what did X say …", "did X tell …", "is X saying …"."""
        w = self.folded
        for i, word in enumerate(w):
            if word not in _AUX or not self._opens_question(i):
                continue
            for j in range(i + 1, min(i + 2 + MAX_WORDS, len(w))):
                if j > i + 1 and self._break_before(j):
                    break
                if w[j] in _VERBS and not self.tokens[j].capital and self._content(i + 1, j):
                    start = i - 1 if i > 0 and w[i - 1] in _WH and not self._break_before(i) else i
                    return self._question(i + 1, j, cut_from=start, cut_to=j)
                if j > i + 1 and self._frame_word(j):
                    break
        return None

    def according_to(self) -> SpeakerQuestion | None:
        """ "according to X, …", "… according to X"."""
        w = self.folded
        for i in range(len(w) - 2):
            if w[i] != "according" or w[i + 1] != "to":
                continue
            start = end = i + 2
            while end < len(w) and end - start < MAX_WORDS:
                if end > start and (self._break_before(end) or self._frame_word(end) or w[end] in _VERBS):
                    break
                end += 1
            if self._content(start, end):
                return self._question(start, end, cut_from=i, cut_to=end - 1)
        return None

    def before_verb(self) -> SpeakerQuestion | None:
        """ "X says …", "…, X told Reuters"."""
        w = self.folded
        for j, word in enumerate(w):
            if word not in _SUBJECT_VERBS or j == 0 or self.tokens[j].capital:  # "the United States"
                continue
            i = j
            while i > 0 and j - i < MAX_WORDS and not self._break_before(i) and not self._frame_word(i - 1):
                i -= 1
            # the phrase is the whole clause before the verb: in "… that the people said …" it is no speaker
            if not (self._break_before(i) or (self._frame_word(i - 1) and self._opens_question(i - 1))):
                continue
            if self._content(i, j):
                return self._question(i, j, cut_from=i, cut_to=j)
        return None

    def possessive(self) -> SpeakerQuestion | None:
        """ "X's position on …", "the Houthis' stance"."""
        w = self.folded
        for j, word in enumerate(w):
            if word not in _POSITIONS or j == 0:
                continue
            if w[j - 1] == "s":
                end = j - 1
            elif self.text[self.tokens[j - 1].end : self.tokens[j - 1].end + 1] in ("'", "\u2019"):
                end = j
            else:
                continue
            i = end
            while i > 0 and end - i < MAX_WORDS and not self._break_before(i) and not self._frame_word(i - 1):
                if w[i - 1] == "s" and i - 1 > 0 and not self._break_before(i - 1):
                    break  # "what's": the possessive belongs to the phrase, this "s" to "what"
                i -= 1
            if self._content(i, end):
                return self._question(i, end, cut_from=i, cut_to=j)
        return None

    def _question(self, start: int, end: int, *, cut_from: int, cut_to: int) -> SpeakerQuestion | None:
        """The speaker phrase tokens[start:end], and its endings; tokens[cut_from:cut_to + 1] are the frame."""
        phrases: list[Phrase] = []
        for first in range(start, end):
            content = self._content(first, end)
            if (
                not content
                or (first > start and self.folded[first] in STOPWORDS)
                or (phrases and phrases[-1].words == content)
            ):
                continue
            cut = first if first > start else cut_from
            rest = self.text[: self.tokens[cut].start] + " " + self.text[self.tokens[cut_to].end :]
            phrase = self.text[self.tokens[first].start : self.tokens[end - 1].end]
            phrases.append(Phrase(phrase, content, " ".join(rest.split())))
        if not phrases:
            return None
        return SpeakerQuestion(tuple(phrases), self._names_someone(start, end))

    def _content(self, start: int, end: int) -> tuple[str, ...]:
        """The words of tokens[start:end] that say who: not stopwords or adverbs ("I do not say"), except
        acronyms written so ("the WHO")."""
        out = []
        for t, word in zip(self.tokens[start:end], self.folded[start:end], strict=True):
            if (word not in STOPWORDS and word not in _ADVERBS) or _acronym(t):
                out.append(word)
        return tuple(out)

    def _names_someone(self, start: int, end: int) -> bool:
        span = self.tokens[start:end]
        if any(t.capital and (t.folded not in STOPWORDS or _acronym(t)) for t in span):
            return True
        folded = [t.folded for t in span]
        if gazetteer().find(folded, [t.capital for t in span]):
            return True
        return any(t.folded not in STOPWORDS and is_unheard(t.folded) for t in span)


def _acronym(t: Token) -> bool:
    return t.capital and len(t.text) >= 2 and t.text.isupper()
