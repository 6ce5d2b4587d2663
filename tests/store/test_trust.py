"""On the demo store: no confident answer to what the store doesn't hold, and "what did X say" answered by X."""

from __future__ import annotations

import pytest

from store.service import ClaimStore


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
        ("has hezbollah made progress in the cairo truce talks", "has hamas made progress in the cairo truce talks"),
        ("did UNRWA comment on the ceasefire proposal", "did Israel comment on the ceasefire proposal"),
    ],
)
async def test_someone_the_store_never_heard_of_lowers_the_scores(
    demo_store: ClaimStore, unknown: str, known: str
) -> None:
    assert (await demo_store.ask(known)).answered
    assert not (await demo_store.ask(unknown)).answered
