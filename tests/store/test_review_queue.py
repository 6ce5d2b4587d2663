"""The review queue as moderators list it: kinds, stable group ids, order by demand, filters, on SQLite and
PostgreSQL."""

from __future__ import annotations

import pytest

from store.errors import InvalidInput
from store.review_queue import ReviewKind
from store.service import ClaimStore
from tests.support.logged_questions import asked, topic_id, verdict


async def test_a_group_keeps_its_id_across_listings_and_new_asks(empty_store: ClaimStore) -> None:
    await empty_store.write_query_events([asked("is the rafah crossing open", user="a")])
    [first] = (await empty_store.review_queue()).groups
    await empty_store.write_query_events(
        [asked("death toll in sudan", user="b"), asked("Is the Rafah crossing open today?", user="c")]
    )
    again = {g.question: g for g in (await empty_store.review_queue()).groups}
    rafah = again["is the rafah crossing open"]
    assert rafah.id == first.id and rafah.count == 2 and rafah.askers == 2
    assert again["death toll in sudan"].id != first.id
    assert [g.id for g in (await empty_store.review_queue()).groups] == [g.id for g in again.values()]


async def test_sorted_by_demand_then_askers_then_newest(empty_store: ClaimStore) -> None:
    await empty_store.write_query_events(
        [
            asked("banana bread recipe", user="a", days_ago=1),
            asked("banana bread recipe", user="a", days_ago=1),  # twice by one member
            asked("who won the 2018 world cup", user="b", days_ago=2),
            asked("who won the 2018 world cup", user="c", days_ago=2),  # twice by two
            asked("is the rafah crossing open", user="d", days_ago=3),
            asked("death toll in sudan", user="e", days_ago=0.1),
        ]
    )
    queue = await empty_store.review_queue()
    assert [g.question for g in queue.groups] == [
        "who won the 2018 world cup",
        "banana bread recipe",
        "death toll in sudan",  # one ask each: the newest first
        "is the rafah crossing open",
    ]
    limited = await empty_store.review_queue(limit=2)
    assert len(limited.groups) == 2 and limited.more == 2
    skipped = await empty_store.review_queue(limit=1, exclude=[queue.groups[0].id])
    assert skipped.groups[0].question == "banana bread recipe" and skipped.more == 2


async def test_filters_by_kind_days_and_server(demo_store: ClaimStore) -> None:
    progress = await topic_id(demo_store, "cairo-talks-progress")
    threshold = demo_store.settings.match_threshold
    disputed = asked("is the cairo deal done", outcome="answered", topic=progress, score=0.9, guild=7)
    await demo_store.write_query_events(
        [
            asked("is the rafah crossing open", guild=7),
            asked("death toll in sudan", guild=8, days_ago=10),
            asked("cairo talks", outcome="answered", topic=progress, score=threshold + 0.05, guild=8),  # weak
            asked("cairo truce talks progress", outcome="answered", topic=progress, score=threshold + 0.3),  # strong
            disputed,
        ]
    )
    await demo_store.write_query_events([verdict(disputed, False, "member-x")])
    kinds = {g.question: g.kind for g in (await demo_store.review_queue(days=30)).groups}
    assert kinds == {
        "is the rafah crossing open": ReviewKind.UNANSWERED,
        "death toll in sudan": ReviewKind.UNANSWERED,
        "cairo talks": ReviewKind.WEAK,
        "is the cairo deal done": ReviewKind.DISPUTED,
    }
    assert [g.question for g in (await demo_store.review_queue(kind="weak")).groups] == ["cairo talks"]
    assert [g.question for g in (await demo_store.review_queue(kind=ReviewKind.DISPUTED)).groups] == [
        "is the cairo deal done"
    ]
    assert {g.question for g in (await demo_store.review_queue(days=5)).groups} == set(kinds) - {"death toll in sudan"}
    server_8 = await demo_store.review_queue(guild_id=8)
    assert {g.question for g in server_8.groups} == {"death toll in sudan", "cairo talks"}
    with pytest.raises(InvalidInput, match="kind: 'strong' is not one of unanswered, weak, disputed, all"):
        await demo_store.review_queue(kind="strong")
    with pytest.raises(InvalidInput, match="days: between 1 and 3,650"):
        await demo_store.review_queue(days=0)


async def test_a_dispute_moves_an_answer_into_the_queue_and_taking_it_back_moves_it_out(
    demo_store: ClaimStore,
) -> None:
    progress = await topic_id(demo_store, "cairo-talks-progress")
    answer = asked("cairo talks progress?", outcome="answered", topic=progress, score=0.55)
    await demo_store.write_query_events([answer])
    [weak] = (await demo_store.review_queue()).groups
    assert weak.kind is ReviewKind.WEAK
    await demo_store.write_query_events([verdict(answer, False, "member-x")])
    [disputed] = (await demo_store.review_queue()).groups
    assert disputed.kind is ReviewKind.DISPUTED and disputed.id != weak.id
    await demo_store.write_query_events([verdict(answer, True, "member-x")])  # the member changes their mind
    [back] = (await demo_store.review_queue()).groups
    assert (back.kind, back.id) == (ReviewKind.WEAK, weak.id)


async def test_the_nearest_topic_is_the_matchers_best_now(demo_store: ClaimStore) -> None:
    await demo_store.write_query_events([asked("what did the pope say about the truce"), asked("banana bread")])
    groups = {g.question: g for g in (await demo_store.review_queue()).groups}
    pope = groups["what did the pope say about the truce"].nearest
    assert pope is not None and "truce" in pope.title.lower() and not pope.answers
    assert 0 < pope.score < demo_store.settings.match_threshold
    assert groups["banana bread"].nearest is None
    assert groups["banana bread"].to_json()["nearest"] is None


async def test_questions_are_sorted_into_the_same_groups_however_many_arrive_at_once(empty_store: ClaimStore) -> None:
    """More questions than one pass reads (store/db/review_groups.CHUNK): new groups are made in each pass."""
    wordings = ["who won the 2018 world cup", "Who won the 2018 World Cup?", "banana bread recipe"]
    late = ["death toll in sudan", "is the rafah crossing open", "Death toll in Sudan!"]
    early = [asked(wordings[n % 3], user=f"u{n % 50}", days_ago=1) for n in range(1500)]
    await empty_store.write_query_events([*early, *(asked(late[n % 3], user=f"v{n}") for n in range(1200))])
    counts = {g.question.casefold(): g.count for g in (await empty_store.review_queue()).groups}
    assert counts == {
        "who won the 2018 world cup": 1000,
        "banana bread recipe": 500,
        "death toll in sudan": 800,
        "is the rafah crossing open": 400,
    }
