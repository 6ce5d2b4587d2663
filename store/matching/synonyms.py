"""Words that stand in for each other in questions about the news ("casualties" for "killed").

A question often asks in other words than the statements and aliases use. Where the store doesn't hold a
question's word at all, the matcher reads it as the words of its group that the store does hold, with less
confidence than the word itself would have had. Only words whose sense stays the same in news questions
are grouped: "fighting" and "war" yes, "shot" and "killed" no (one can be shot and live). Groups are
written as they are said; the matcher compares them by stem. A few phrases are read as other words
likewise (`PHRASES`).
"""

from __future__ import annotations

from store.matching.text import stem

_GROUPS = """
killed dead deaths death died die dying fatalities casualties toll slain perished
ceasefire truce armistice
hostages hostage captives captive abductees abducted kidnapped
negotiations negotiation negotiating negotiators talks discussions consultations mediation
negotiators delegation delegations delegates envoys mediators
start started starting began begin beginning triggered sparked
progress breakthrough headway advance advances advancing
attack attacked assault offensive raid incursion stormed
war fighting conflict hostilities
agreement deal accord pact
withdraw withdrawal leave leaving depart departing
return returning resume resuming
release released releasing free freed freeing
refuse refused refusing reject rejected rejecting rejects
demands demand conditions condition preconditions
meeting meet met summit
failed fail failing collapse collapsed collapsing stalled
proposal plan offer
election elections vote voting polls ballot
vaccine vaccines vaccination jab jabs
lockdown lockdowns restrictions
refugees migrants asylum
protest protests protesters demonstrators demonstration rally
close closer near nearer soon imminent
netanyahu bibi
"""


# Phrases read as the words the store is likelier to use, where it doesn't hold the phrase's own words
# ("what's the body count" -> "death toll"); inflected forms are listed, as stems don't join them all.
_PHRASES = """
body count, death count, casualty count: death toll
go back, going back, goes back, went back, gone back, come back, coming back, comes back, came back: return
going anywhere, getting anywhere, go anywhere, get anywhere: progress
behind closed doors: secret
pull out, pulling out, pulls out, pulled out: withdraw
let go, set free: release
"""


def _load_phrases() -> dict[tuple[str, ...], tuple[str, ...]]:
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for line in _PHRASES.strip().splitlines():
        phrases, target = line.split(":")
        for phrase in phrases.split(","):
            out[tuple(phrase.split())] = tuple(target.split())
    return out


PHRASES: dict[tuple[str, ...], tuple[str, ...]] = _load_phrases()
"""Folded words of a phrase -> the words it is read as."""
LONGEST_PHRASE = max(len(p) for p in PHRASES)


def _load() -> dict[str, frozenset[str]]:
    related: dict[str, set[str]] = {}
    for line in _GROUPS.strip().splitlines():
        stems = {stem(word) for word in line.split()}
        for s in stems:
            related.setdefault(s, set()).update(stems - {s})
    return {s: frozenset(others) for s, others in related.items()}


RELATED: dict[str, frozenset[str]] = _load()
"""Stem -> stems of the words it can stand for."""
