"""The demo store answers questions about the article with attributed, competing statements."""

from __future__ import annotations

import pytest

from store.errors import InvalidQuestion
from store.records import SpeakerKind, Stance, StatementKind
from store.service import ClaimStore

HEADLINE = "Is there any progress in the Cairo truce talks?"


async def test_headline_question_shows_both_sides_attributed(demo_store: ClaimStore) -> None:
    answer = await demo_store.ask(HEADLINE)
    assert answer.answered
    best = answer.matches[0]
    assert best.topic.slug == "cairo-talks-progress"
    sides = best.topic.by_stance()
    egyptian = [s for s in sides[Stance.AFFIRMS] if s.speaker.kind is SpeakerKind.ANONYMOUS]
    hamas = [s for s in sides[Stance.DISPUTES] if s.outlet == "Reuters"]
    assert egyptian and all(s.outlet == "Al Qahera News" for s in egyptian)
    assert "Egypt's intelligence services" in (egyptian[0].speaker.descriptor or "")
    assert any(s.text == "there is still no progress" and s.kind is StatementKind.QUOTE for s in hamas)
    assert 0.0 <= best.score <= 1.0
    assert "progress" in best.matched_terms and "title" in best.matched_fields


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("cairo ceasfire negotiatons progres", "cairo-talks-progress"),
        ("CAIRO TRUCE TALKS — PROGRESS???", "cairo-talks-progress"),
        ("33175", "gaza-death-toll"),
        ("how many people have been killed in gaza", "gaza-death-toll"),
        ("what did netanyahu say about the hostages", "netanyahu-truce-position"),
    ],
)
async def test_paraphrases_typos_and_numbers_find_their_topic(demo_store: ClaimStore, question: str, slug: str) -> None:
    answer = await demo_store.ask(question)
    assert answer.answered, question
    assert answer.matches[0].topic.slug == slug


@pytest.mark.parametrize(
    "question",
    [
        "what's the weather in Paris tomorrow?",
        "who won the champions league final",
        "is it true that 5G towers spread viruses",
        "the of and is it",
        "🙂🙂🙂",
    ],
)
async def test_questions_outside_the_store_go_unanswered(demo_store: ClaimStore, question: str) -> None:
    answer = await demo_store.ask(question)
    assert not answer.answered
    assert answer.matches == ()


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 10_000, "10,000 characters"),
        ("is there progress\x00 in cairo", "control characters"),
    ],
)
async def test_bad_questions_are_refused_with_a_clear_message(
    demo_store: ClaimStore, question: str, message: str
) -> None:
    with pytest.raises(InvalidQuestion, match=message):
        await demo_store.ask(question)


async def test_odd_but_valid_text_is_just_a_question(demo_store: ClaimStore) -> None:
    for question in ["'; DROP TABLE statements; --", "هل هناك تقدم في محادثات القاهرة؟", "\u202egaza\u202c truce"]:
        answer = await demo_store.ask(question)
        assert all(0.0 <= m.score <= 1.0 for m in answer.matches)
    assert (await demo_store.ask(HEADLINE)).answered  # the SQL-looking text changed nothing
