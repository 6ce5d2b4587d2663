"""Moderators' decisions on review groups: teach, create, dismiss, reopen, each audited with its change, and
what new asks of a decided group do; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from store.curation import StatementDraft
from store.errors import InvalidInput, ReviewGroupNotFound, TopicNotFound
from store.records import AuditAction, AuditEntity
from store.review_queue import GroupState, ReviewGroup, ReviewKind
from store.service import ClaimStore
from tests.support.logged_questions import asked, topic_id, verdict
from tests.support.moderation import audit_mark, events_after

MOD = "cli:mod"
TEAM = "is the israeli team going to cairo"


async def only_group(store: ClaimStore, **filters: object) -> ReviewGroup:
    [group] = (await store.review_queue(**filters)).groups  # type: ignore[arg-type]
    return group


async def review_events(store: ClaimStore, mark: int) -> list[tuple[str, str, str, str | None]]:
    """(action, key, actor, state after) of the review groups' audit events since `mark`."""
    return [
        (e["action"], e["entity_key"], e["actor"], (e["after"] or {}).get("state"))
        for e in await events_after(store, mark)
        if e["entity"] == AuditEntity.REVIEW_GROUP
    ]


async def test_teaching_answers_the_question_and_its_close_variants(demo_store: ClaimStore) -> None:
    assert not (await demo_store.ask(TEAM)).answered
    await demo_store.write_query_events(
        [asked(TEAM, user="a"), asked("Is the Israeli team goin to Cairo?", user="b"), asked(TEAM + "?", user="c")]
    )
    group = await only_group(demo_store)
    mark = await audit_mark(demo_store)
    decision = await demo_store.teach_group(group.id, "cairo-talks-next-steps", actor=MOD)
    assert decision.topic == "cairo-talks-next-steps" and decision.answered_now
    assert decision.aliases_added == (TEAM, "Is the Israeli team goin to Cairo?")  # one per wording, first asked first
    assert decision.group.group.state is GroupState.TAUGHT
    for question in (TEAM, "Is the israeli team going to Cairo this week?", "is the israli team goin to cairo"):
        answer = await demo_store.ask(question)
        assert answer.answered and answer.matches[0].topic.slug == "cairo-talks-next-steps", question
    assert (await demo_store.review_queue()).groups == ()
    events = await events_after(demo_store, mark)
    assert [(e["entity"], e["action"]) for e in events] == [("topic", "update"), ("review_group", "teach")]
    assert events[1]["after"] == {
        "kind": "unanswered",
        "state": "taught",
        "topic": "cairo-talks-next-steps",
        "reason": None,
        "note": None,
        "aliases_added": 2,
    }
    trail = await demo_store.audit_events(topic="cairo-talks-next-steps", limit=5)
    assert [e.entity for e in trail][:2] == ["review_group", "topic"]  # the topic's trail names the teaching


async def test_wordings_already_the_topics_are_skipped(demo_store: ClaimStore) -> None:
    next_steps = await topic_id(demo_store, "cairo-talks-next-steps")
    await demo_store.write_query_events(
        [
            asked("when do the cairo talks resume", outcome="answered", topic=next_steps, score=0.52),
            asked("when do the cairo talks resume again", outcome="answered", topic=next_steps, score=0.51),
        ]
    )
    group = await only_group(demo_store, kind="weak")
    decision = await demo_store.teach_group(group.id, "cairo-talks-next-steps", actor=MOD)
    assert decision.aliases_kept == 1 and decision.aliases_added == ("when do the cairo talks resume again",)
    aliases = (await demo_store.topic_detail("cairo-talks-next-steps")).aliases
    assert aliases.count("when do the cairo talks resume") == 1


async def test_a_wording_that_is_another_topics_alias_refuses_the_teach_and_writes_nothing(
    demo_store: ClaimStore,
) -> None:
    await demo_store.write_query_events(
        [asked("when do the cairo talks resume", user="a"), asked("when do the cairo talks resume?")]
    )
    group = await only_group(demo_store)
    before = (await demo_store.topic_detail("cairo-talks-progress")).aliases
    mark = await audit_mark(demo_store)
    with pytest.raises(InvalidInput, match="already an alias of topic 'cairo-talks-next-steps'") as refused:
        await demo_store.teach_group(group.id, "cairo-talks-progress", actor=MOD)
    assert refused.value.field == "topic"
    assert (await demo_store.topic_detail("cairo-talks-progress")).aliases == before
    assert (await demo_store.review_group(group.id)).group.state is GroupState.OPEN
    assert await events_after(demo_store, mark) == []


async def test_unknown_groups_topics_and_retired_topics_are_refused(demo_store: ClaimStore) -> None:
    await demo_store.write_query_events([asked(TEAM)])
    group = await only_group(demo_store)
    mark = await audit_mark(demo_store)
    with pytest.raises(ReviewGroupNotFound, match="There is no review group #999"):
        await demo_store.teach_group(999, "cairo-talks-next-steps", actor=MOD)
    with pytest.raises(ReviewGroupNotFound):
        await demo_store.review_group(999)
    with pytest.raises(TopicNotFound, match="There is no topic 'no-such-topic'"):
        await demo_store.teach_group(group.id, "no-such-topic", actor=MOD)
    await demo_store.retire_topic("october-7-attack", reason="out of date", actor=MOD)
    mark = await audit_mark(demo_store)
    with pytest.raises(InvalidInput, match="topic: 'october-7-attack' is retired"):
        await demo_store.teach_group(group.id, "october-7-attack", actor=MOD)
    with pytest.raises(InvalidInput, match="actor"):
        await demo_store.teach_group(group.id, "cairo-talks-next-steps", actor=" ")
    assert await events_after(demo_store, mark) == []
    assert (await only_group(demo_store)).id == group.id


async def test_creating_a_topic_from_a_group(demo_store: ClaimStore) -> None:
    await demo_store.write_query_events(
        [asked("is the rafah crossing open", user="a"), asked("Is the Rafah crossing open today?", user="b")]
    )
    group = await only_group(demo_store)
    mark = await audit_mark(demo_store)
    decision = await demo_store.create_topic_from_group(group.id, title="Is the Rafah crossing open?", actor=MOD)
    assert decision.topic == "is-the-rafah-crossing-open" and not decision.answered_now  # no statements yet
    detail = await demo_store.topic_detail("is-the-rafah-crossing-open")
    assert detail.title == "Is the Rafah crossing open?" and detail.created_by == MOD
    assert set(detail.aliases) == {"is the rafah crossing open", "Is the Rafah crossing open today?"}
    await demo_store.add_statement(
        detail.slug, StatementDraft("The crossing reopened for aid trucks.", "Egyptian officials", "affirms"), actor=MOD
    )
    answer = await demo_store.ask("is the rafah crossing open now")
    assert answer.answered and answer.matches[0].topic.slug == "is-the-rafah-crossing-open"
    assert await review_events(demo_store, mark) == [("create_topic", str(group.id), MOD, "taught")]

    await demo_store.write_query_events([asked("what are the opening hours of the border post")])
    other = await only_group(demo_store)
    derived = await demo_store.create_topic_from_group(other.id, title="Is the Rafah crossing open?", actor=MOD)
    assert derived.topic == "is-the-rafah-crossing-open-2"  # a derived slug takes the next free one


async def test_a_given_slug_must_be_free_and_well_formed(demo_store: ClaimStore) -> None:
    await demo_store.write_query_events([asked("is the rafah crossing open")])
    group = await only_group(demo_store)
    with pytest.raises(InvalidInput, match="slug: there is already a topic 'gaza-death-toll'"):
        await demo_store.create_topic_from_group(group.id, title="Rafah", slug="gaza-death-toll", actor=MOD)
    with pytest.raises(InvalidInput, match="slug: 'Rafah Crossing' should be lowercase"):
        await demo_store.create_topic_from_group(group.id, title="Rafah", slug="Rafah Crossing", actor=MOD)
    with pytest.raises(InvalidInput, match="title: it can't be empty"):
        await demo_store.create_topic_from_group(group.id, title="  ", actor=MOD)
    assert (await only_group(demo_store)).state is GroupState.OPEN


async def test_a_dismissed_group_stays_out_unless_asked_as_another_kind(demo_store: ClaimStore) -> None:
    await demo_store.write_query_events([asked("banana bread recipe", user="a")])
    group = await only_group(demo_store)
    mark = await audit_mark(demo_store)
    with pytest.raises(InvalidInput, match="reason: 'boring' is not one of spam, off-topic, duplicate, out-of-scope"):
        await demo_store.dismiss_group(group.id, reason="boring", actor=MOD)
    dismissed = await demo_store.dismiss_group(group.id, reason="off-topic", note="a cooking question", actor=MOD)
    assert (dismissed.group.group.state.value, dismissed.group.group.note) == ("dismissed", "a cooking question")
    await demo_store.write_query_events(
        [asked("Banana bread recipe?", user="b"), asked("banana bread recipie", user="c")]
    )
    assert (await demo_store.review_queue()).groups == ()
    kept = await demo_store.review_group(group.id)
    assert (kept.group.count, kept.group.state) == (3, GroupState.DISMISSED)  # still counted, still dismissed

    progress = await topic_id(demo_store, "cairo-talks-progress")
    answered = asked("banana bread recipe", outcome="answered", topic=progress, score=0.9)
    await demo_store.write_query_events([answered, verdict(answered, False, "member-d")])
    back = await only_group(demo_store)
    assert back.kind is ReviewKind.DISPUTED and back.id != group.id
    assert await review_events(demo_store, mark) == [("dismiss", str(group.id), MOD, "dismissed")]


async def test_reopening_puts_a_group_back(demo_store: ClaimStore) -> None:
    await demo_store.write_query_events([asked("banana bread recipe")])
    group = await only_group(demo_store)
    await demo_store.dismiss_group(group.id, reason="spam", actor=MOD)
    with pytest.raises(InvalidInput, match=r"group: #\d+ was dismissed \(spam\); reopen it first to teach it"):
        await demo_store.teach_group(group.id, "gaza-death-toll", actor=MOD)
    mark = await audit_mark(demo_store)
    reopened = await demo_store.reopen_group(group.id, actor="discord:42 (Bob)")
    assert reopened.group.group.state is GroupState.OPEN and reopened.group.group.reason is None
    assert (await only_group(demo_store)).id == group.id
    with pytest.raises(InvalidInput, match="is open already"):
        await demo_store.reopen_group(group.id, actor=MOD)
    assert await review_events(demo_store, mark) == [("reopen", str(group.id), "discord:42 (Bob)", "open")]


async def test_a_taught_group_asked_again_and_still_failing_comes_back(demo_store: ClaimStore) -> None:
    await demo_store.write_query_events([asked("is the rafah crossing open", user="a", days_ago=1)])
    group = await only_group(demo_store)
    await demo_store.create_topic_from_group(group.id, title="Is the Rafah crossing open?", actor=MOD)
    assert (await demo_store.review_queue()).groups == ()
    mark = await audit_mark(demo_store)
    still = await demo_store.ask("is the rafah crossing open?")  # the new topic has no statements yet
    await demo_store.write_query_events([asked(still.query, user="b")])
    back = await only_group(demo_store)
    assert (back.id, back.state, back.topic) == (group.id, GroupState.OPEN, "is-the-rafah-crossing-open")
    assert await review_events(demo_store, mark) == [("reopen", str(group.id), "factbot", "open")]


async def test_the_audit_event_and_the_decision_are_written_together_or_not_at_all(demo_store: ClaimStore) -> None:
    await demo_store.write_query_events([asked(TEAM)])
    group = await only_group(demo_store)
    async with demo_store.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            await connection.execute(
                text(
                    "CREATE TRIGGER refuse_review BEFORE INSERT ON audit_events WHEN NEW.entity = 'review_group' "
                    "BEGIN SELECT RAISE(ABORT, 'refused by test'); END"
                )
            )
        else:
            await connection.execute(
                text(
                    "CREATE FUNCTION refuse_by_test() RETURNS trigger AS $$ "
                    "BEGIN RAISE EXCEPTION 'refused by test'; END $$ LANGUAGE plpgsql"
                )
            )
            await connection.execute(
                text(
                    "CREATE TRIGGER refuse_review BEFORE INSERT ON audit_events FOR EACH ROW "
                    "WHEN (NEW.entity = 'review_group') EXECUTE FUNCTION refuse_by_test()"
                )
            )
    with pytest.raises(DBAPIError, match="refused by test"):
        await demo_store.teach_group(group.id, "cairo-talks-next-steps", actor=MOD)
    with pytest.raises(DBAPIError, match="refused by test"):
        await demo_store.dismiss_group(group.id, reason="spam", actor=MOD)
    assert TEAM not in (await demo_store.topic_detail("cairo-talks-next-steps")).aliases
    assert not (await demo_store.ask(TEAM)).answered
    assert (await only_group(demo_store)).state is GroupState.OPEN
    assert AuditAction.TEACH.value == "teach"
