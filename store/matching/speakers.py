"""Who said what: the store's speakers by their names, and the topics holding their statements.

"What did Hamas say?" asks for statements *by* Hamas, not about it. The index holds each speaker of a
topic as one text, their names separated by NAME_SEPARATOR (store/db/repository.py `index_docs`): the name,
the descriptor and the affiliation, so that an official source "from Hamas" is Hamas's too and Netanyahu is
"the Israeli Prime Minister". A speaker's other names (the moderators' aliases) join the same way, as more
names in that text; `names_of` is the one place that reads it.

A phrase names a speaker when every word of it is a word of one of the speaker's names: as written, stemmed
("officials" is "official"), as a country or its adjective ("Egypt's" is "Egyptian"), misspelt (one edit,
two from eight letters, for a word that is no ordinary English word), a title's short form ("PM"), or a word
of the same group in the news vocabulary ("bibi" is Netanyahu; store/matching/synonyms.py). A phrase of
ordinary words that names no one by itself ("the president", "people") must also hold more than half of
the name: in a large store some speaker's name always holds an ordinary word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from store.matching.corpus import IndexDoc
from store.matching.lexicon import is_ordinary
from store.matching.places import country_of
from store.matching.synonyms import RELATED
from store.matching.text import STOPWORDS, stem, words
from store.matching.typos import TypoIndex

NAME_SEPARATOR = "; "  # between the names of one speaker in `IndexDoc.speakers` (punctuation: not indexed)

# titles that may stand before a name the store holds without them ("Secretary Clinton", "President Biden")
LEADING_TITLES = frozenset(
    """mr mrs ms miss dr sir dame president vice senator sen secretary governor gov representative rep
    congressman congresswoman minister prime premier chancellor mayor general gen judge justice king queen
    prince sheikh""".split()
)
# short forms of titles, read as the title in a speaker's name ("the Israeli PM")
TITLES: dict[str, tuple[str, ...]] = {
    "pm": ("prime", "minister"),
    "fm": ("foreign", "minister"),
    "potus": ("president",),
    "govt": ("government",),
    "spox": ("spokesperson",),
}


def names_of(speaker: str) -> list[str]:
    """The names one speaker goes by, from their text in `IndexDoc.speakers`."""
    return [name for name in speaker.split(NAME_SEPARATOR.strip()) if name.strip()]


def _keys(word: str) -> set[str]:
    """What a folded word of a name can be matched by: its stem, and the country it names."""
    keys = {stem(word)}
    country = country_of(word)
    if country is not None:
        keys.add("@" + country)
    return keys


@dataclass(frozen=True, slots=True)
class SpeakerMatch:
    speakers: frozenset[str]  # the speakers (their texts in `IndexDoc.speakers`) the phrase names
    topics: frozenset[int]  # the topics holding a statement by one of them


_NONE = SpeakerMatch(frozenset(), frozenset())
Name = tuple[str, int]  # a speaker and the number of one of their names


class SpeakerBook:
    """Speakers by the words of their names, kept in step with the index."""

    def __init__(self, docs: Iterable[IndexDoc] = ()) -> None:
        self._topics: dict[str, set[int]] = {}  # speaker -> topics with a statement by them
        self._speakers_of: dict[int, tuple[str, ...]] = {}  # topic -> its speakers
        self._by_key: dict[str, set[Name]] = {}  # stem or "@country" -> the names holding it
        self._sizes: dict[Name, int] = {}  # content words of each name
        self._typos = TypoIndex()  # the folded words of every name
        self._word_keys: dict[str, set[str]] = {}  # a folded word of a name -> its keys
        for doc in docs:
            self.upsert(doc)

    def upsert(self, doc: IndexDoc) -> None:
        self.remove(doc.topic_id)
        speakers = tuple(dict.fromkeys(doc.speakers))
        self._speakers_of[doc.topic_id] = speakers
        for speaker in speakers:
            if speaker not in self._topics:
                self._learn(speaker)
            self._topics.setdefault(speaker, set()).add(doc.topic_id)

    def remove(self, topic_id: int) -> None:
        for speaker in self._speakers_of.pop(topic_id, ()):
            self._topics.get(speaker, set()).discard(topic_id)

    def _learn(self, speaker: str) -> None:
        for n, name in enumerate(names_of(speaker)):
            content = [w for w in words(name) if w not in STOPWORDS]
            self._sizes[(speaker, n)] = len(content)
            for word in content:
                keys = self._word_keys.setdefault(word, _keys(word))
                for key in keys:
                    self._by_key.setdefault(key, set()).add((speaker, n))
                if word.isalpha():
                    self._typos.add(word)

    def find(self, phrase: Sequence[str], *, named: bool) -> SpeakerMatch:
        """The speakers one of whose names holds every one of the folded content words of `phrase` (`named`:
        the phrase names someone by itself). A title before a name may be left out ("Secretary Clinton")."""
        match = self._find(_expand(phrase), named)
        while not match.speakers and len(phrase) > 1 and phrase[0] in LEADING_TITLES:
            phrase = phrase[1:]
            match = self._find(_expand(phrase), named)
        return match

    def _find(self, phrase: Sequence[str], named: bool) -> SpeakerMatch:
        found: set[Name] | None = None
        for word in phrase:
            held = self._names_holding(word)
            found = held if found is None else found & held
            if not found:
                return _NONE
        if not named and all(is_ordinary(w) for w in phrase):
            found = {name for name in found or () if 2 * len(phrase) > self._sizes[name]}
        speakers = frozenset(s for s, _ in found or () if self._topics.get(s))
        return SpeakerMatch(speakers, frozenset(t for s in speakers for t in self._topics[s]))

    def _names_holding(self, word: str) -> set[Name]:
        keys = _keys(word) | RELATED.get(stem(word), frozenset())
        if len(word) >= 5 and word.isalpha() and not is_ordinary(word):
            for near, _ in self._typos.near(word, 1 if len(word) <= 7 else 2, limit=3):
                keys |= self._word_keys.get(near, set())
        out: set[Name] = set()
        for key in keys:
            out |= self._by_key.get(key, set())
        return out


def _expand(phrase: Sequence[str]) -> list[str]:
    out: list[str] = []
    for word in phrase:
        out.extend(TITLES.get(word, (word,)))
    return out
