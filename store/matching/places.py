"""Country names and the adjectives made from them ("sudan", "sudanese"), as folded single words.

A question that names a country the store has never heard of ("what is the death toll in Sudan") is
about something the store can't answer, however well the rest of it ("death toll") matches: the matcher
lowers such a question's scores. Names come from pycountry (ISO 3166); the adjectives are formed by the
usual English endings, and a form that no country takes is harmless, since only a word of the question
that the store lacks and that equals one of these forms is affected.
"""

from __future__ import annotations

from functools import cache

import pycountry

from store.matching.text import fold

# Everyday names that ISO 3166 doesn't use as a single word.
_EVERYDAY = ("russia", "america", "britain", "england", "scotland", "wales", "usa", "uk", "turkey", "europe", "africa")


def _adjectives(name: str) -> set[str]:
    forms = {name + "n", name + "an", name + "ian", name + "i", name + "ese"}
    if name.endswith(("a", "e", "o", "y")):
        forms |= {name[:-1] + "ian", name[:-1] + "an", name[:-1] + "ese"}
    if name.endswith("on"):
        forms.add(name[:-2] + "ese")  # lebanon -> lebanese
    return forms


@cache
def place_words() -> frozenset[str]:
    return frozenset(_countries())


def country_of(word: str) -> str | None:
    """The country a folded name or adjective stands for ("egyptian" -> "egypt"), if any."""
    return _countries().get(word)


@cache
def _countries() -> dict[str, str]:
    """Every country name and adjective form -> the name it comes from."""
    names: set[str] = set(_EVERYDAY)
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            head = fold(value.split(",")[0]).strip() if value else ""
            if head.isalpha():  # single words only: "south", "united" or "republic" name no country
                names.add(head)
    out: dict[str, str] = {}
    for name in sorted(names):
        for form in _adjectives(name):
            out.setdefault(form, name)
    out.update({name: name for name in names})  # a name is itself, whatever adjective it looks like
    return out
