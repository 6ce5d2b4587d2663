"""Matcher benchmark: our index + matcher against a plain rapidfuzz scan and SQLite FTS5, on the same data.

A benchmark, not a test. For each size it generates a deterministic synthetic store (topics with a
question-like title, 0-6 aliases and 1-12 statements of 15-40 words drawn from a Zipf-distributed
English-like vocabulary, with names, countries, organisations, numbers, speakers and outlets), then
measures in one process:

- ours: `Matcher.rebuild(docs)` from in-memory `IndexDoc`s (build_s), the memory the built matcher holds
  (tracemalloc, see below), and per-query latency of `Matcher.match(q, limit=5)` (p50/p99 after a warm-up);
- scan: `rapidfuzz.process.extract(q, all_statement_texts, scorer=WRatio, processor=default_process, limit=5)`,
  timed on an evenly spaced subset of the queries when the store is large (`scan_queries` says how many);
- fts5: SQLite FTS5 (in memory, porter + unicode61 tokenizer) over the statement texts, queried with the
  query's non-stopword words OR-ed, `ORDER BY bm25(...) LIMIT 5`.

Memory (`bytes_per_statement`) is what tracemalloc sees retained by a second, traced `Matcher.rebuild` of
the same docs (numpy buffers are tracked by tracemalloc), including the stemmer's cache, divided by the
number of statements; the docs themselves are not counted. `rss_bytes_per_statement` is the process RSS
growth across the first, timed build (coarser: allocator slack and freed build temporaries kept by the
allocator count too). `build_peak_bytes_per_statement` is tracemalloc's peak during that traced build.

Optionally (`--e2e-max-size`, default 100000) it also writes the store to a migrated SQLite file and times
the start-up path: `repository.index_docs` + `Matcher.rebuild` (e2e_build_s).

    python -m bench.matcher --sizes 10000,100000 --json
    python -m bench.matcher --sizes 10000,100000,1000000          # Markdown table
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import gc
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process, utils

from store.matching.index import IndexDoc
from store.matching.matcher import Matcher
from store.matching.text import STOPWORDS, stem

# -- word pools -----------------------------------------------------------------------------------------

FUNCTION_WORDS = """
the of to and a in that is for on said was with he it as at by from his be have has had are were not but
they this an will would which their who been after its more also about over than two one new could into
other year there up says its against last told some can during three people before first no under while
her what she them when we all government our so out if only most because did such may any between since
""".split()

NEWS_WORDS = """
ceasefire truce talks negotiations negotiators mediators delegation round progress proposal agreement deal
hostages prisoners exchange release captives detainees aid trucks convoy crossing border humanitarian relief
killed wounded injured dead death toll casualties victims civilians displaced refugees migrants famine
strike strikes airstrike airstrikes shelling bombardment rocket rockets missile missiles drone drones attack
attacks offensive invasion withdrawal troops soldiers army military forces militants fighters commander
ministry minister president prime parliament election elections vote voters ballot campaign candidate
court ruling judge trial verdict lawsuit investigation inquiry probe police arrest arrested charges
protest protesters demonstration rally strike unions workers wages jobs unemployment economy inflation
prices rates bank central budget deficit debt tax taxes tariffs trade exports imports sanctions embargo
oil gas energy fuel electricity power grid climate emissions carbon warming flood floods drought heatwave
wildfire wildfires earthquake storm hurricane cyclone vaccine vaccines virus outbreak pandemic hospital
hospitals doctors patients health disease cholera measles cases infections tests testing lockdown
schools students teachers university study report survey poll figures data statistics estimate record
statement spokesperson spokesman spokeswoman source sources official officials senior diplomat diplomats
envoy ambassador embassy summit meeting conference visit talks framework plan roadmap phase stage
occupation settlement settlers annexation territory region province city capital village camp camps
reconstruction rebuilding housing homes buildings infrastructure water food shortages supplies fuel
famine malnutrition children women families residents population community communities leaders
security intelligence surveillance cyber hackers breach leak leaked documents memo claims claim denied
denies confirmed confirms rejected accused accuses alleged allegations evidence footage video images
satellite analysis experts analysts observers monitors inspectors agency agencies commission council
committee coalition opposition party parties ruling majority minority reform reforms law laws bill
billion million thousand percent dollars euros pounds funding funds donors pledge pledged pledges
guarantees guarantee demands conditions terms clause draft text signed signing mediation mediated
""".split()

FIRST_NAMES = """
Ahmed Mohammed Omar Khalil Yousef Samir Hassan Ali Ibrahim Karim Layla Fatima Mariam Noor Rania Huda
John Michael David James Robert William Richard Thomas Daniel Matthew Sarah Emily Jessica Laura Anna Maria
Olena Dmytro Andriy Sergei Vladimir Olga Natalia Pierre Jean Marie Claire Hans Ursula Angela Olaf Giorgia
Pedro Lula Javier Carmen Luis Ana Yuki Hiroshi Kenji Li Wei Zhang Chen Raj Priya Amit Narendra Sunita
Kwame Amina Chinedu Ngozi Abiy Cyril Thabo Recep Emine Benjamin Yair Isaac Miriam Tamar Antonio Kamala
""".split()

LAST_NAMES = """
Hassan Haddad Khalil Mansour Nasser Saleh Abbas Haniyeh Sinwar Shoukry Sisi Thani Smith Johnson Williams
Brown Jones Miller Davis Wilson Anderson Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis
Kovalenko Shevchenko Zelensky Kuleba Petrov Ivanov Lavrov Peskov Dupont Macron Scholz Leyen Meloni Sanchez
Silva Santos Oliveira Garcia Rodriguez Lopez Tanaka Suzuki Watanabe Wang Zhang Liu Chen Yang Sharma Patel
Singh Gupta Modi Okafor Mensah Ahmed Ramaphosa Erdogan Netanyahu Lapid Herzog Guterres Blinken Burns
Sullivan Kirby Austin Harris Biden Trump Starmer Sunak Lammy Albanese Trudeau Carney Milei Petro Boric
""".split()

COUNTRIES = """
Egypt Israel Qatar Gaza Lebanon Syria Jordan Iraq Iran Yemen Saudi Turkey Ukraine Russia Belarus Poland
Germany France Italy Spain Britain Ireland Sweden Norway Finland Denmark Greece Hungary Romania Serbia
Moldova Georgia Armenia Azerbaijan Kazakhstan China Taiwan Japan Korea India Pakistan Afghanistan
Bangladesh Myanmar Thailand Vietnam Indonesia Philippines Malaysia Australia Canada Mexico Brazil
Argentina Chile Colombia Venezuela Peru Cuba Haiti Nigeria Ghana Kenya Ethiopia Sudan Somalia Libya
Tunisia Algeria Morocco Mali Niger Chad Congo Rwanda Uganda Tanzania Mozambique Zimbabwe Zambia Angola
""".split()

DEMONYMS = """
Egyptian Israeli Qatari Palestinian Lebanese Syrian Jordanian Iraqi Iranian Yemeni Saudi Turkish Ukrainian
Russian Polish German French Italian Spanish British American Chinese Japanese Korean Indian Pakistani
Afghan Brazilian Mexican Nigerian Kenyan Ethiopian Sudanese Libyan European African Western Gulf
""".split()

CITIES = """
Cairo Doha Jerusalem Beirut Damascus Amman Baghdad Tehran Riyadh Ankara Istanbul Kyiv Kharkiv Odesa Moscow
Warsaw Berlin Paris Rome Madrid London Brussels Geneva Vienna Washington Beijing Tokyo Seoul Delhi Mumbai
Karachi Kabul Dhaka Jakarta Manila Sydney Ottawa Toronto Caracas Lagos Accra Nairobi Khartoum Tripoli
Rafah Khan Younis Jabalia Nuseirat Mosul Aleppo Idlib Donetsk Mariupol Bakhmut Kherson Zaporizhzhia
""".split()

ORGANISATIONS = [
    "Hamas",
    "Hezbollah",
    "the Houthis",
    "the United Nations",
    "UNRWA",
    "the World Health Organization",
    "the WHO",
    "NATO",
    "the European Union",
    "the EU",
    "the International Committee of the Red Cross",
    "the Red Crescent",
    "the IMF",
    "the World Bank",
    "Amnesty International",
    "Human Rights Watch",
    "Doctors Without Borders",
    "MSF",
    "the African Union",
    "the Arab League",
    "OPEC",
    "the Kremlin",
    "the White House",
    "the Pentagon",
    "the State Department",
    "the Foreign Office",
    "the IDF",
    "the Israeli army",
    "the Ukrainian army",
    "the Russian Defence Ministry",
    "the Gaza Health Ministry",
    "the Health Ministry",
    "the Interior Ministry",
    "the Foreign Ministry",
    "the Finance Ministry",
    "the central bank",
    "the Federal Reserve",
    "the ECB",
    "the UN Security Council",
    "the ICC",
    "the ICJ",
    "the World Food Programme",
    "UNICEF",
    "OCHA",
    "the IAEA",
    "Reporters Without Borders",
    "the Committee to Protect Journalists",
    "the electoral commission",
    "the Supreme Court",
    "Egypt's intelligence services",
    "the Palestinian Authority",
    "Islamic Jihad",
    "the Taliban",
    "the Wagner Group",
    "the RSF",
    "the Sudanese army",
    "the Kurdish authorities",
    "the coast guard",
]

ROLES = [
    "spokesperson",
    "spokesman",
    "foreign minister",
    "health minister",
    "prime minister",
    "president",
    "defence minister",
    "senior official",
    "political bureau member",
    "army spokesman",
    "ambassador",
    "envoy",
    "analyst",
    "researcher",
    "economist",
    "director",
    "commander",
    "mayor",
    "governor",
    "lawmaker",
]

ANONYMOUS = [
    "an {D} source close to {O}",
    "a senior {D} official",
    "a diplomat familiar with the talks",
    "two sources briefed on the matter",
    "a {D} security source",
    "an official who asked not to be named",
    "a source in {O}",
    "people familiar with the negotiations",
    "a {D} government source",
    "a Western diplomat",
    "a senior {O} official",
    "a source close to the mediators",
    "a {D} military source",
]

REAL_OUTLETS = [
    "Reuters",
    "Associated Press",
    "AFP",
    "Al Jazeera",
    "Al Qahera News",
    "BBC",
    "CNN",
    "The New York Times",
    "The Washington Post",
    "The Guardian",
    "Financial Times",
    "The Wall Street Journal",
    "Bloomberg",
    "Al Arabiya",
    "Haaretz",
    "The Times of Israel",
    "Axios",
    "Politico",
    "Le Monde",
    "Der Spiegel",
    "El Pais",
    "NHK",
    "Xinhua",
    "TASS",
    "RIA Novosti",
    "Kyiv Independent",
    "Ukrainska Pravda",
    "Anadolu",
    "Sky News",
    "NPR",
    "ABC News",
    "CBS News",
    "NBC News",
    "Fox News",
    "The Economist",
    "Deutsche Welle",
    "France 24",
    "Euronews",
    "Ahram Online",
    "Asharq Al-Awsat",
    "The National",
    "Middle East Eye",
    "US and Israeli media",
    "Israeli media",
    "state media",
    "state television",
    "local media",
]
OUTLET_SUFFIXES = ["Times", "Post", "Herald", "Daily", "News", "Tribune", "Gazette", "Observer", "Radio", "TV"]

# words for off-topic questions: real English the synthetic store never uses
OFFTOPIC_WORDS = """
pizza recipe guitar chords football transfer weather tomorrow knitting pattern sourdough bread cat
litter horoscope lottery numbers wifi password laptop battery marathon training yoga poses tax refund
wedding dress garden tomatoes puppy vaccine sushi restaurant vintage cars chess opening piano lessons
skateboard tricks crossword answers movie tickets concert dates hiking trails camping tent aquarium
fish origami cheesecake spaghetti bicycle repair sunscreen ranking cricket scores crypto wallet emoji
""".split()

ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "z",
    "b",
    "d",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "br",
    "ch",
    "cr",
    "dr",
    "fl",
    "gr",
    "pl",
    "pr",
    "sh",
    "st",
    "th",
    "tr",
    "",
    "",
    "",
]
VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o", "a", "e", "ai", "ea", "ou", "ee"]
CODAS = ["", "", "", "", "", "", "n", "r", "s", "t", "l", "m", "n", "r", "nd", "st", "ng", "ck"]
SUFFIXES = [""] * 12 + ["s", "s", "ed", "ing", "ion", "al", "ment", "er", "ity", "ist", "ous", "ive"]
SYLLABLES = ((1, 2, 3, 4), (4, 6, 2, 0.4))  # counts and weights
# a disjoint inventory for words the store never saw
ALIEN_ONSETS = ["q", "x", "zv", "yq", "kv", "xh", "vr", "zd", "jx"]
ALIEN_VOWELS = ["y", "uy", "ae", "oe", "yu", "uu", "ey"]
ALIEN_CODAS = ["x", "q", "zz", "vk", "yx", "", "", ""]

TITLE_TEMPLATES = [
    "Has the {e} {a} {b} made progress?",
    "Did {e} {a} the {b} {c}?",
    "Is the {a} {b} in {e} over?",
    "How many {a} {b} has {e} reported?",
    "What did {e} say about the {a} {b}?",
    "Will the {a} {b} {c} go ahead?",
    "Are {a} {b} rising in {e}?",
    "Who is behind the {a} {b} in {e}?",
    "Was the {e} {a} {b} {c} true?",
    "Is {e} {a} {b} {c}?",
    "Has {e} agreed to the {a} {b}?",
    "What is the latest on the {a} {b} in {e}?",
]
ALIAS_TEMPLATES = [
    *TITLE_TEMPLATES,
    "{e} {a} {b}",
    "{a} {b} {c}",
    "Any news on the {a} {b}?",
    "Is there a {a} {b} {c} in {e}?",
    "Where do the {b} {a} talks stand?",
    "{e}: {a} and {b}",
]
QUESTION_LEADS = [
    "",
    "",
    "is there any news on",
    "what about",
    "any update on",
    "tell me about",
    "is it true that",
    "what's happening with",
    "has there been",
]
STATEMENTS_PER_TOPIC = list(range(1, 13))
STATEMENTS_WEIGHTS = [16, 18, 16, 14, 10, 8, 5, 4, 3, 3, 2, 1]  # mean ~4.1


# -- the synthetic store -----------------------------------------------------------------------------------


@dataclass
class Store:
    docs: list[IndexDoc]
    texts: list[str]  # every statement, flat
    text_topic: list[int]  # topic id of each flat statement
    keywords: dict[int, list[str]]  # topic id -> its keywords and entity (for short queries)
    speakers: list[list[str]] = field(default_factory=list)  # per doc, per statement: (name, descriptor) joined
    outlets: list[list[str | None]] = field(default_factory=list)  # per doc, per statement


def _pseudo_words(
    rng: random.Random,
    count: int,
    onsets: Sequence[str],
    vowels: Sequence[str],
    codas: Sequence[str],
    suffixes: Sequence[str],
    taken: set[str],
) -> list[str]:
    out: list[str] = []
    seen = set(taken)
    while len(out) < count:
        syllables = rng.choices(*SYLLABLES)[0]
        w = "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(syllables))
        w += rng.choice(suffixes)
        if len(w) < 3 or w in seen:
            continue
        seen.add(w)
        out.append(w)
    return out


def _number(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.35:
        return f"{rng.randint(1000, 99999):,}"  # 33,175
    if r < 0.6:
        return str(rng.randint(2, 999))
    if r < 0.75:
        return f"{rng.randint(1, 99)}.{rng.randint(1, 9)}"
    if r < 0.9:
        return f"{rng.randint(1, 99)}%"
    return str(rng.randint(1990, 2026))


class Vocabulary:
    """A ranked English-like vocabulary (function words first) sampled with a Zipf law."""

    def __init__(self, seed: int, size: int = 50_000, exponent: float = 1.0) -> None:
        rng = random.Random(seed)
        real = list(dict.fromkeys(w.lower() for w in NEWS_WORDS if w.lower() not in FUNCTION_WORDS))
        taken = set(FUNCTION_WORDS) | set(real) | set(STOPWORDS) | {w.lower() for w in OFFTOPIC_WORDS}
        pseudo = _pseudo_words(rng, size - len(FUNCTION_WORDS) - len(real), ONSETS, VOWELS, CODAS, SUFFIXES, taken)
        # real news words are frequent-ish: spread them over ranks 0..3000 of the content words
        content = pseudo[:]
        for w in real:
            content.insert(rng.randint(0, 3000), w)
        self.content = content
        self.ranked = FUNCTION_WORDS + content
        self.words = np.array(self.ranked, dtype=object)
        weights = 1.0 / np.arange(1, len(self.ranked) + 1) ** exponent
        self.cdf = np.cumsum(weights) / weights.sum()
        # topic keywords: content words with a flatter law starting at rank 30, so topics share some words
        kw = 1.0 / np.arange(30, len(content) + 30) ** 0.9
        self.kw_cdf = np.cumsum(kw) / kw.sum()

    def sample(self, nprng: np.random.Generator, n: int) -> np.ndarray:
        return np.searchsorted(self.cdf, nprng.random(n), side="right").clip(0, len(self.ranked) - 1)

    def keywords(self, nprng: np.random.Generator, n: int) -> list[str]:
        idx = np.searchsorted(self.kw_cdf, nprng.random(n), side="right").clip(0, len(self.content) - 1)
        return [self.content[i] for i in idx]


def _zipf_pick(rng: random.Random, pool: Sequence[str], cum: Sequence[float]) -> str:
    return pool[bisect.bisect_left(cum, rng.random() * cum[-1])]


def _zipf_cum(n: int, exponent: float = 1.0) -> list[float]:
    return [float(x) for x in np.cumsum(1.0 / np.arange(1, n + 1) ** exponent)]


def generate_store(n_statements: int, seed: int, vocab: Vocabulary) -> Store:
    rng = random.Random(seed * 1_000_003 + n_statements)
    nprng = np.random.default_rng([seed, n_statements])
    # speakers and outlets
    people = [
        f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        + (f" {rng.choice(DEMONYMS)} {rng.choice(ROLES)}" if rng.random() < 0.5 else "")
        for _ in range(20_000)
    ]
    anonymous = [
        rng.choice(ANONYMOUS).format(D=rng.choice(DEMONYMS), O=rng.choice(ORGANISATIONS).removeprefix("the "))
        for _ in range(600)
    ]
    speakers = list(dict.fromkeys(people)) + ORGANISATIONS + list(dict.fromkeys(anonymous))
    rng.shuffle(speakers)
    speaker_cum = _zipf_cum(len(speakers), 0.8)
    outlets = REAL_OUTLETS + [f"{rng.choice(CITIES)} {rng.choice(OUTLET_SUFFIXES)}" for _ in range(300)]
    outlets = list(dict.fromkeys(outlets))
    outlet_cum = _zipf_cum(len(outlets), 1.1)
    entities = COUNTRIES + CITIES + [o.removeprefix("the ") for o in ORGANISATIONS] + LAST_NAMES
    entity_cum = _zipf_cum(len(entities), 0.7)

    # statements per topic, until n_statements
    counts: list[int] = []
    total = 0
    while total < n_statements:
        k = min(rng.choices(STATEMENTS_PER_TOPIC, weights=STATEMENTS_WEIGHTS)[0], n_statements - total)
        counts.append(k)
        total += k
    lengths = nprng.integers(15, 41, size=n_statements)
    background = vocab.words[vocab.sample(nprng, int(lengths.sum()))]
    keyword_draws = vocab.keywords(nprng, 5 * len(counts))

    docs: list[IndexDoc] = []
    texts: list[str] = []
    text_topic: list[int] = []
    keywords: dict[int, list[str]] = {}
    pos = 0
    si = 0
    for ti, k in enumerate(counts):
        topic_id = ti + 1
        kws = keyword_draws[5 * ti : 5 * ti + rng.randint(3, 5)]
        entity = _zipf_pick(rng, entities, entity_cum)
        slots = {"a": kws[0], "b": kws[1], "c": kws[2], "e": entity}
        title = rng.choice(TITLE_TEMPLATES).format(**slots)
        aliases = []
        for _ in range(rng.randint(0, 6)):
            a, b, c = rng.sample(kws, 3)
            alias = rng.choice(ALIAS_TEMPLATES).format(a=a, b=b, c=c, e=entity)
            if alias != title and alias not in aliases:
                aliases.append(alias)
        topic_texts: list[str] = []
        topic_speakers: list[str] = []
        topic_outlets: list[str] = []
        for _ in range(k):
            n = int(lengths[si])
            words = background[pos : pos + n].tolist()
            pos += n
            # the topic's words: 2-4 keywords, often its entity, sometimes a figure
            for w in rng.sample(kws, min(len(kws), rng.randint(2, 4))):
                words[rng.randrange(n)] = w
            if rng.random() < 0.6:
                words[rng.randrange(n)] = entity
            if rng.random() < 0.35:
                words[rng.randrange(n)] = _number(rng)
            text = " ".join(words)
            text = text[0].upper() + text[1:] + "."
            if rng.random() < 0.3:
                text = f'"{text}"'
            topic_texts.append(text)
            texts.append(text)
            text_topic.append(topic_id)
            topic_speakers.append(_zipf_pick(rng, speakers, speaker_cum))
            if rng.random() < 0.85:
                topic_outlets.append(_zipf_pick(rng, outlets, outlet_cum))
            si += 1
        keywords[topic_id] = [*kws, entity]
        docs.append(
            IndexDoc(
                topic_id,
                title,
                aliases,
                topic_texts,
                list(dict.fromkeys(topic_speakers)),
                list(dict.fromkeys(topic_outlets)),
            )
        )
    return Store(docs, texts, text_topic, keywords)


# -- queries -----------------------------------------------------------------------------------------------

KINDS = (("title", 0.30), ("statement", 0.25), ("short", 0.25), ("offtopic", 0.20))


@dataclass(frozen=True)
class Query:
    text: str
    kind: str
    topic_id: int | None  # the topic it was made from (None for off-topic)


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1 :]  # drop a letter
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]  # swap two


def _typos(rng: random.Random, words: list[str], count: int) -> list[str]:
    candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    for i in rng.sample(candidates, min(count, len(candidates))):
        words[i] = _typo(rng, words[i])
    return words


def make_queries(store: Store, n: int, seed: int, vocab: Vocabulary) -> list[Query]:
    rng = random.Random(seed + 7919 * len(store.texts))
    seen = {w.lower() for t in store.texts[:50_000] for w in re.findall(r"\w+", t)} | set(vocab.ranked)
    alien = _pseudo_words(rng, 400, ALIEN_ONSETS, ALIEN_VOWELS, ALIEN_CODAS, [""], seen)
    offtopic = [w for w in OFFTOPIC_WORDS if w not in seen] + alien
    by_topic = {d.topic_id: d for d in store.docs}
    topic_ids = list(by_topic)
    out: list[Query] = []
    kinds = [k for k, _ in KINDS]
    weights = [w for _, w in KINDS]
    for _ in range(n):
        kind = rng.choices(kinds, weights=weights)[0]
        if kind == "offtopic":
            words = rng.sample(offtopic, rng.randint(2, 5))
            lead = rng.choice(["", "what is the best", "how do I find", "is there a", "where can I get"])
            out.append(Query(" ".join(filter(None, [lead, *words])) + rng.choice(["", "?"]), kind, None))
            continue
        doc = by_topic[rng.choice(topic_ids)]
        if kind == "title":
            phrase = rng.choice([doc.title, *doc.aliases]).rstrip("?")
            words = phrase.split()
            if rng.random() < 0.5 and len(words) > 3:
                words = words[1:]  # drop the auxiliary, then maybe lead with something else
                words = [*rng.choice(QUESTION_LEADS).split(), *words]
            words = _typos(rng, words, rng.choice((0, 1, 1, 2)))
            text = " ".join(words)
            text = text.lower() if rng.random() < 0.5 else text
            out.append(Query(text + rng.choice(["", "?"]), kind, doc.topic_id))
        elif kind == "statement":
            words = rng.choice(list(doc.texts)).strip('"').rstrip(".").split()
            span = rng.randint(4, 8)
            start = rng.randrange(max(1, len(words) - span))
            words = _typos(rng, words[start : start + span], rng.choice((0, 0, 1)))
            out.append(Query(" ".join(words), kind, doc.topic_id))
        else:
            words = rng.sample(store.keywords[doc.topic_id], rng.randint(1, 3))
            words = _typos(rng, words, rng.choice((0, 0, 1)))
            out.append(Query(" ".join(words), kind, doc.topic_id))
    return out


# -- measuring ---------------------------------------------------------------------------------------------


def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096
    except OSError:  # not Linux: no RSS figure
        return 0


def _pct(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


def _timed(fn: Any, queries: Sequence[Query]) -> tuple[list[float], list[Any]]:
    times, results = [], []
    for q in queries:
        t0 = time.perf_counter()
        r = fn(q.text)
        times.append((time.perf_counter() - t0) * 1000.0)
        results.append(r)
    return times, results


def _hit_rate(queries: Sequence[Query], found: Sequence[Sequence[int]]) -> float | None:
    """Share of title/statement queries whose own topic is among the (up to 5) topics returned."""
    pairs = [(q, f) for q, f in zip(queries, found, strict=True) if q.kind in ("title", "statement")]
    if not pairs:
        return None
    return round(sum(q.topic_id in f for q, f in pairs) / len(pairs), 3)


def bench_ours(store: Store, queries: list[Query], warmup: int, trace: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    stem.cache_clear()
    gc.collect()
    rss0 = _rss_bytes()
    t0 = time.perf_counter()
    matcher = Matcher()
    matcher.rebuild(store.docs)
    out["build_s"] = round(time.perf_counter() - t0, 3)
    gc.collect()
    out["rss_bytes_per_statement"] = round((_rss_bytes() - rss0) / len(store.texts), 1)
    out["index_nbytes_per_statement"] = round(matcher.index.nbytes() / len(store.texts), 1)

    for q in queries[:warmup]:
        matcher.match(q.text, limit=5)
    times, results = _timed(lambda text: matcher.match(text, limit=5), queries)
    out["p50_ms"] = round(_pct(times, 50), 3)
    out["p99_ms"] = round(_pct(times, 99), 3)
    out["max_ms"] = round(max(times), 3)
    out["mean_ms"] = round(float(np.mean(times)), 3)
    for kind, _ in KINDS:
        kt = [t for t, q in zip(times, queries, strict=True) if q.kind == kind]
        out[f"p50_ms_{kind}"] = round(_pct(kt, 50), 3)
    out["hit5"] = _hit_rate(queries, [[s.topic_id for s in r] for r in results])
    out["_times"] = times
    del matcher, results
    gc.collect()

    if trace:
        stem.cache_clear()
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        matcher = Matcher()
        matcher.rebuild(store.docs)
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["bytes_per_statement"] = round((current - base) / len(store.texts), 1)
        out["build_peak_bytes_per_statement"] = round((peak - base) / len(store.texts), 1)
        del matcher
        gc.collect()
    else:
        out["bytes_per_statement"] = out["rss_bytes_per_statement"]
    return out


def bench_scan(store: Store, queries: list[Query], scorer_name: str) -> dict[str, Any]:
    scorer = {"WRatio": fuzz.WRatio, "token_set_ratio": fuzz.token_set_ratio}[scorer_name]
    texts = store.texts

    def run(text: str) -> list[int]:
        found = process.extract(text, texts, scorer=scorer, processor=utils.default_process, limit=5)
        return [store.text_topic[i] for _, _, i in found]

    run(queries[0].text)  # warm-up
    times, found = _timed(run, queries)
    return {
        "scan_p50_ms": round(_pct(times, 50), 3),
        "scan_p99_ms": round(_pct(times, 99), 3),
        "scan_hit5": _hit_rate(queries, found),
        "_times": times,
    }


def _fts_expression(text: str) -> str:
    words = [w for w in re.findall(r"\w+", text.lower()) if w not in STOPWORDS]
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in dict.fromkeys(words))


def bench_fts5(store: Store, queries: list[Query]) -> dict[str, Any]:
    db = sqlite3.connect(":memory:")
    t0 = time.perf_counter()
    db.execute("CREATE VIRTUAL TABLE s USING fts5(text, tokenize='porter unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO s(rowid, text) VALUES (?, ?)", enumerate(store.texts))
    db.execute("INSERT INTO s(s) VALUES ('optimize')")
    db.commit()
    build_s = time.perf_counter() - t0
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    sql = "SELECT rowid FROM s WHERE s MATCH ? ORDER BY bm25(s) LIMIT 5"

    def run(text: str) -> list[int]:
        expr = _fts_expression(text)
        if not expr:
            return []
        return [store.text_topic[r] for (r,) in db.execute(sql, (expr,))]

    for q in queries[:20]:
        run(q.text)
    times, found = _timed(run, queries)
    db.close()
    return {
        "fts5_build_s": round(build_s, 3),
        "fts5_p50_ms": round(_pct(times, 50), 3),
        "fts5_p99_ms": round(_pct(times, 99), 3),
        "fts5_bytes_per_statement": round(page_size * pages / len(store.texts), 1),
        "fts5_hit5": _hit_rate(queries, found),
        "_times": times,
    }


async def _e2e(store: Store) -> dict[str, Any]:
    """Write the store to a migrated SQLite file; time index_docs + rebuild, the way the service starts."""
    from store.db import migrate, repository
    from store.db.engine import make_engine, session_factory
    from store.settings import StoreSettings

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        settings = StoreSettings(database_url=f"sqlite+aiosqlite:///{path}", data_dir=Path(tmp))
        engine = make_engine(settings)
        await migrate.upgrade(engine)
        await engine.dispose()
        now = "2026-01-01 00:00:00.000000"
        db = sqlite3.connect(path)
        speaker_ids: dict[str, int] = {}
        outlet_ids: dict[str, int] = {}
        topics: list[tuple[Any, ...]] = []
        aliases: list[tuple[Any, ...]] = []
        statements: list[tuple[Any, ...]] = []
        sid = 0
        for d in store.docs:
            topics.append((d.topic_id, f"t{d.topic_id}", d.title, "[]", "open", now, now))
            aliases.extend((d.topic_id, a, i) for i, a in enumerate(d.aliases))
            for i, text in enumerate(d.texts):
                speaker = d.speakers[i % len(d.speakers)]
                spk = speaker_ids.setdefault(speaker, len(speaker_ids) + 1)
                outlet = d.outlets[i % len(d.outlets)] if d.outlets else None
                out = outlet_ids.setdefault(outlet, len(outlet_ids) + 1) if outlet else None
                sid += 1
                statements.append(
                    (sid, f"s{sid}", d.topic_id, i, text, "paraphrase", spk, out, "context", "published", 1, now, now)
                )
        with db:
            db.executemany(
                "INSERT INTO speakers(id, key, name, kind) VALUES (?, ?, ?, 'person')",
                [(i, s.lower(), s) for s, i in speaker_ids.items()],
            )
            db.executemany(
                "INSERT INTO outlets(id, key, name) VALUES (?, ?, ?)",
                [(i, s.lower(), s) for s, i in outlet_ids.items()],
            )
            db.executemany(
                "INSERT INTO topics(id, slug, title, tags, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                topics,
            )
            db.executemany("INSERT INTO topic_aliases(topic_id, text, position) VALUES (?, ?, ?)", aliases)
            db.executemany(
                "INSERT INTO statements(id, uid, topic_id, position, text, kind, speaker_id, outlet_id, "
                "stance, status, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                statements,
            )
        db.close()
        stem.cache_clear()
        gc.collect()
        engine = make_engine(settings)
        try:
            t0 = time.perf_counter()
            async with session_factory(engine)() as session:
                docs = await repository.index_docs(session)
            t1 = time.perf_counter()
            Matcher().rebuild(docs)
            t2 = time.perf_counter()
        finally:
            await engine.dispose()
    return {"e2e_load_s": round(t1 - t0, 3), "e2e_build_s": round(t2 - t0, 3)}


def run_size(size: int, args: argparse.Namespace, vocab: Vocabulary) -> dict[str, Any]:
    t0 = time.perf_counter()
    store = generate_store(size, args.seed, vocab)
    queries = make_queries(store, args.queries, args.seed, vocab)
    gen_s = time.perf_counter() - t0
    row: dict[str, Any] = {"size": size, "topics": len(store.docs), "queries": len(queries)}
    ours = bench_ours(store, queries, args.warmup, not args.no_tracemalloc)
    n_scan = args.scan_queries if args.scan_queries is not None else min(len(queries), max(20, 6_000_000 // size))
    step = max(1, len(queries) // max(n_scan, 1))
    scan_idx = list(range(0, len(queries), step))[:n_scan]
    scan = bench_scan(store, [queries[i] for i in scan_idx], args.scan_scorer) if n_scan else {}
    fts = bench_fts5(store, queries)
    ours_times = ours.pop("_times")
    row.update(ours)
    row["scan_queries"] = len(scan_idx) if n_scan else 0
    row["scan_scorer"] = args.scan_scorer
    if scan:
        scan.pop("_times")
        row.update(scan)
        # compare on the very queries the scan ran
        ours_subset = _pct([ours_times[i] for i in scan_idx], 50)
        row["p50_ms_scan_subset"] = round(ours_subset, 3)
        row["ratio_scan_over_ours"] = round(row["scan_p50_ms"] / ours_subset, 1)
    fts.pop("_times")
    row.update(fts)
    row["ratio_fts5_over_ours"] = round(row["fts5_p50_ms"] / row["p50_ms"], 2)
    if size <= args.e2e_max_size:
        row.update(asyncio.run(_e2e(store)))
    row["generate_s"] = round(gen_s, 1)
    return row


# -- output -----------------------------------------------------------------------------------------------

COLUMNS = [
    ("size", "statements"),
    ("topics", "topics"),
    ("build_s", "build s"),
    ("bytes_per_statement", "B/stmt"),
    ("p50_ms", "p50 ms"),
    ("p99_ms", "p99 ms"),
    ("hit5", "hit@5"),
    ("scan_p50_ms", "scan p50 ms"),
    ("scan_queries", "scan n"),
    ("ratio_scan_over_ours", "scan/ours"),
    ("scan_hit5", "scan hit@5"),
    ("fts5_build_s", "FTS5 build s"),
    ("fts5_p50_ms", "FTS5 p50 ms"),
    ("fts5_p99_ms", "FTS5 p99 ms"),
    ("ratio_fts5_over_ours", "FTS5/ours"),
    ("fts5_hit5", "FTS5 hit@5"),
]


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(h for _, h in COLUMNS) + " |", "|" + "---:|" * len(COLUMNS)]
    for r in rows:
        cells = []
        for key, _ in COLUMNS:
            v = r.get(key)
            cells.append("-" if v is None else f"{v:,}" if isinstance(v, int) else f"{v:g}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.matcher", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated statement counts")
    ap.add_argument("--queries", type=int, default=300, help="queries per size")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--json", action="store_true", help="one JSON object per line, one per size")
    ap.add_argument("--warmup", type=int, default=30, help="queries run before timing (ours)")
    ap.add_argument(
        "--scan-queries",
        type=int,
        default=None,
        help="queries timed for the rapidfuzz scan (default: all up to 6e6/size, at least 20)",
    )
    ap.add_argument("--scan-scorer", choices=("WRatio", "token_set_ratio"), default="WRatio")
    ap.add_argument("--no-tracemalloc", action="store_true", help="report RSS growth instead (no traced rebuild)")
    ap.add_argument(
        "--e2e-max-size",
        type=int,
        default=100_000,
        help="also time index_docs+rebuild from a SQLite store up to this size (0: never)",
    )
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    vocab = Vocabulary(args.seed)
    rows = []
    for size in sizes:
        row = run_size(size, args, vocab)
        rows.append(row)
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            print(f"size {size:,} done", file=sys.stderr, flush=True)
    if not args.json:
        print(markdown(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
