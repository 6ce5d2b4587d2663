"""Words that stand in for each other in questions about the news ("casualties" for "killed").

A question often asks in other words than the statements and aliases use. Where the store doesn't hold a
question's word at all, the matcher reads it as the words of its group that the store does hold, with less
confidence than the word itself would have had. Only words whose sense stays the same in news questions
are grouped: "fighting" and "war" yes, "shot" and "killed" no (one can be shot and live). Groups are
written as they are said; the matcher compares them by stem.
"""

from __future__ import annotations

from store.matching.text import stem

_GROUPS = """
killed dead deaths death died die dying fatalities casualties toll slain perished
ceasefire truce armistice
hostages hostage captives captive abductees abducted kidnapped
negotiations negotiation negotiating negotiators talks discussions consultations mediation
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
netanyahu bibi
"""


def _load() -> dict[str, frozenset[str]]:
    related: dict[str, set[str]] = {}
    for line in _GROUPS.strip().splitlines():
        stems = {stem(word) for word in line.split()}
        for s in stems:
            related.setdefault(s, set()).update(stems - {s})
    return {s: frozenset(others) for s, others in related.items()}


RELATED: dict[str, frozenset[str]] = _load()
"""Stem -> stems of the words it can stand for."""
