"""On the demo store: no confident answer to what the store doesn't hold, and "what did X say" answered by X."""

from __future__ import annotations

import pytest

from store.records import SpeakerRecord, Stance, StatementRecord, TopicRecord
from store.service import ClaimStore
from store.views import StatementView


@pytest.mark.parametrize("question", ["Is it true?", "is this real?", "fake news?", "can you fact-check this?"])
async def test_phrasing_alone_asks_which_claim(demo_store: ClaimStore, question: str) -> None:
    answer = await demo_store.ask(question)
    assert answer.claimless and not answer.answered and answer.matches == ()


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("Is it true that the Cairo talks made progress?", "cairo-talks-progress"),
        ("fake news? 33,175 people were killed in gaza", "gaza-death-toll"),
    ],
)
async def test_phrasing_around_a_claim_carries_no_weight(demo_store: ClaimStore, question: str, slug: str) -> None:
    answer = await demo_store.ask(question)
    assert answer.answered and not answer.claimless
    assert answer.matches[0].topic.slug == slug


@pytest.mark.parametrize(
    ("elsewhere", "here"),
    [
        ("Are the Istanbul truce talks making progress?", "Are the Cairo truce talks making progress?"),
        ("has the Doha round of Gaza talks made progress", "has the Cairo round of Gaza talks made progress"),
        ("how many people were killed in Aleppo", "how many people were killed in Gaza"),
    ],
)
async def test_somewhere_the_store_never_heard_of_is_not_answered_with_cairo(
    demo_store: ClaimStore, elsewhere: str, here: str
) -> None:
    assert (await demo_store.ask(here)).answered
    assert not (await demo_store.ask(elsewhere)).answered


@pytest.mark.parametrize(
    ("unknown", "known"),
    [
        ("Has Blinken made progress in the Cairo truce talks?", "Has Hamas made progress in the Cairo truce talks?"),
        (
            "have the houthis made progress in the cairo truce talks",
            "have the hamas made progress in the cairo truce talks",
        ),
        ("did UNRWA comment on the ceasefire proposal", "did Israel comment on the ceasefire proposal"),
    ],
)
async def test_someone_the_store_never_heard_of_lowers_the_scores(
    demo_store: ClaimStore, unknown: str, known: str
) -> None:
    assert (await demo_store.ask(known)).answered
    assert not (await demo_store.ask(unknown)).answered


def by(statement: StatementView, speaker: str) -> bool:
    """Said by `speaker`: in their name, or on their behalf (their affiliation)."""
    who = (statement.speaker.name, statement.speaker.affiliation or "")
    return any(speaker.casefold() in part.casefold() for part in who)


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("What does Hamas say about the truce?", "Hamas"),  # the store's Netanyahu topic matches "truce" best
        ("what has Hamas said?", "Hamas"),  # "Hamas's October 7 attack" holds no statement by Hamas
        ("what did the israeli prime minister say about a truce", "Netanyahu"),  # by his affiliation
        ("according to the gaza health ministry, how many people died", "Gaza Health Ministry"),
        ("what did the hamas official tell reuters about the cairo meeting", "Hamas"),
        ("abt the truce, wat did bibi say", "Netanyahu"),  # chat shorthand, and his other name
    ],
)
async def test_what_did_x_say_is_answered_by_x(demo_store: ClaimStore, question: str, speaker: str) -> None:
    answer = await demo_store.ask(question)
    assert answer.answered and answer.no_statement_by is None
    for match in answer.matches:  # every topic shown holds a statement by them, across topics
        assert any(by(s, speaker) for s in match.topic.statements), (match.topic.slug, speaker)


@pytest.mark.parametrize(
    ("question", "who", "related"),
    [
        ("What did Qatar say?", "Qatar", "cairo-talks-next-steps"),  # the topic that mentions Qatar
        ("Did Biden say the Cairo talks made progress?", "Biden", "cairo-talks-progress"),  # the rest of it
        ("what did the UN say about the truce", "the UN", None),
        ("according to the WHO, how many people have died in gaza", "the WHO", "gaza-death-toll"),
    ],
)
async def test_no_statement_by_x_is_unanswered_for_x_with_related_topics(
    demo_store: ClaimStore, question: str, who: str, related: str | None
) -> None:
    answer = await demo_store.ask(question)
    assert not answer.answered and answer.matches == ()
    assert answer.no_statement_by == who
    if related is not None:
        assert related in [m.topic.slug for m in answer.related]


async def test_what_a_document_says_is_a_plain_question(demo_store: ClaimStore) -> None:
    answer = await demo_store.ask("what does the proposal say about the hostages")
    assert answer.answered and answer.no_statement_by is None
    assert answer.matches[0].topic.slug == "gaza-truce-proposal-terms"


async def test_a_new_statement_by_x_answers_for_x_at_once(demo_store: ClaimStore) -> None:
    assert (await demo_store.ask("What did Qatar say?")).no_statement_by == "Qatar"
    qatar = StatementRecord(
        text="Qatar said the mediation would continue after Eid.",
        speaker=SpeakerRecord(name="Majed al-Ansari", affiliation="Qatari foreign ministry"),
        stance=Stance.CONTEXT,
    )
    next_steps = await demo_store.topic_by_slug("cairo-talks-next-steps")
    record = TopicRecord(slug=next_steps.slug, title=next_steps.title, statements=[qatar])
    await demo_store.import_records([record], actor="test")
    answer = await demo_store.ask("What did Qatar say?")
    assert answer.answered and answer.no_statement_by is None
    assert answer.matches[0].topic.slug == "cairo-talks-next-steps"


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("what's the body count in gaza", "gaza-death-toll"),  # body count: death toll
        ("when will hamas come back to cairo", "cairo-talks-next-steps"),  # come back: return
        ("wen will hamas go back 2 cairo", "cairo-talks-next-steps"),
        ("is a ceasefire near", "cairo-talks-progress"),  # near: close
        ("will there be a truce soon", "cairo-talks-progress"),
    ],
)
async def test_plain_rewordings_are_answered(demo_store: ClaimStore, question: str, slug: str) -> None:
    answer = await demo_store.ask(question)
    assert answer.answered and answer.matches[0].topic.slug == slug
