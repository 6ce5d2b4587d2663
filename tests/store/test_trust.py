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
