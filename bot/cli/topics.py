"""`factbot topic add|edit|show|list|merge|retire`: the questions statements answer."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.actor import cli_actor
from bot.cli.json_output import topics_json
from bot.cli.moderation_output import Change, changes_between, print_topic, print_topic_change, print_topics
from bot.cli.options import JsonFlag, OptionalVersion
from bot.cli.runtime import fail, out, print_json, with_store
from store import ClaimStore, TopicDetail, TopicSummary

topic_app = typer.Typer(help="Topics: the questions statements answer.", no_args_is_help=True)

Slug = Annotated[str, typer.Argument(metavar="SLUG", help="The topic's slug, e.g. gaza-death-toll.")]
Title = Annotated[str, typer.Option("--title", metavar="TEXT", help="The question the topic answers.")]
Tags = Annotated[list[str] | None, typer.Option("--tag", metavar="TAG", help="A tag. Repeat for more.")]
# what changed in a topic, beside its bookkeeping, as a moderator reads it
SHOWN_FIELDS = ("title", "aliases", "tags", "state", "retired_reason", "merged_into", "merged_from")


@topic_app.command("add")
def add(
    slug: Slug,
    title: Title,
    alias: Annotated[
        list[str] | None,
        typer.Option("--alias", metavar="TEXT", help="Another way people ask it (no other topic's). Repeat for more."),
    ] = None,
    tag: Tags = None,
    as_json: JsonFlag = False,
) -> None:
    """Start a new open topic (version 1)."""

    async def action(store: ClaimStore) -> TopicDetail:
        return await store.add_topic(slug, title, aliases=alias or (), tags=tag or (), actor=cli_actor())

    added = with_store(action)
    if as_json:
        print_json(added.to_json())
        return
    print_topic_change(out, "added", added)
    out.print(f"Add its statements with: factbot statement add --topic {added.slug} ...")


@topic_app.command("edit")
def edit(
    slug: Slug,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help="A new title.")] = None,
    add_alias: Annotated[
        list[str] | None, typer.Option("--add-alias", metavar="TEXT", help="An alias to add. Repeat for more.")
    ] = None,
    remove_alias: Annotated[
        list[str] | None, typer.Option("--remove-alias", metavar="TEXT", help="An alias to remove. Repeat for more.")
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", metavar="TAG", help="The tags, replacing all of them. Repeat for more.")
    ] = None,
    clear_tags: Annotated[bool, typer.Option("--clear-tags", help="Remove every tag.")] = False,
    version: OptionalVersion = None,
    as_json: JsonFlag = False,
) -> None:
    """Change a topic's title, aliases or tags."""
    if tag and clear_tags:
        raise fail("--tag and --clear-tags: give one or the other.")
    if title is None and not add_alias and not remove_alias and tag is None and not clear_tags:
        raise fail("nothing to change: give --title, --add-alias, --remove-alias, --tag or --clear-tags.")

    async def action(store: ClaimStore) -> tuple[TopicDetail, list[Change]]:
        before = await store.topic_detail(slug)
        after = await store.edit_topic(
            slug,
            version=version,
            title=title,
            add_aliases=add_alias or (),
            remove_aliases=remove_alias or (),
            tags=() if clear_tags else tag,
            actor=cli_actor(),
        )
        return after, _changes(before, after)

    edited, changes = with_store(action, options={"aliases": "--add-alias"})
    if as_json:
        print_json({**edited.to_json(), "changed": [field for field, _, _ in changes]})
        return
    print_topic_change(out, "edited" if changes else "unchanged", edited, changes)


@topic_app.command("show")
def show(slug: Slug, as_json: JsonFlag = False) -> None:
    """Show a topic in any state: aliases, tags, version, and every statement with its id, stance and status."""

    async def action(store: ClaimStore) -> TopicDetail:
        return await store.topic_detail(slug)

    detail = with_store(action)
    if as_json:
        print_json(detail.to_json())
        return
    asked = slug.strip()
    if asked != detail.slug and asked in detail.merged_from:
        out.print(f"{asked} was merged into {detail.slug}:", markup=False)
    print_topic(out, detail)


@topic_app.command("list")
def list_(
    include_all: Annotated[bool, typer.Option("--all", help="Retired and merged topics too.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """List the topics by slug, with how many statements each shows in answers."""

    async def action(store: ClaimStore) -> list[TopicSummary]:
        return await store.list_topics(include_retired=include_all)

    topics = with_store(action)
    if as_json:
        print_json(topics_json(topics))
        return
    print_topics(out, topics)


@topic_app.command("merge")
def merge(
    from_slug: Annotated[str, typer.Argument(metavar="FROM_SLUG", help="The topic that goes.")],
    into_slug: Annotated[str, typer.Argument(metavar="INTO_SLUG", help="The topic that stays.")],
    as_json: JsonFlag = False,
) -> None:
    """Move FROM_SLUG's statements and aliases (its title too) into INTO_SLUG; FROM_SLUG keeps resolving there."""

    async def action(store: ClaimStore) -> tuple[TopicDetail, int]:
        moved = len((await store.topic_detail(from_slug)).statements)
        return await store.merge_topics(from_slug, into_slug, actor=cli_actor()), moved

    merged, moved = with_store(action, options={"from": "FROM_SLUG", "into": "INTO_SLUG"})
    if as_json:
        print_json(merged.to_json())
        return
    print_topic_change(out, f"now holds {from_slug.strip()}", merged)
    out.print(
        f"{moved} statement{'s' if moved != 1 else ''} moved; {from_slug.strip()} resolves to {merged.slug} in "
        "answers, `topic show` and `statement add --topic`.",
        markup=False,
    )


@topic_app.command("retire")
def retire(
    slug: Slug,
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why: kept with it and in the audit trail.")],
    version: OptionalVersion = None,
    as_json: JsonFlag = False,
) -> None:
    """Take a topic out of answers and autocomplete; it stays, with its statements, in history."""

    async def action(store: ClaimStore) -> TopicDetail:
        return await store.retire_topic(slug, reason=reason, version=version, actor=cli_actor())

    retired = with_store(action)
    if as_json:
        print_json(retired.to_json())
        return
    print_topic_change(out, "retired", retired, [("retired_reason", None, retired.retired_reason)])


def _changes(before: TopicDetail, after: TopicDetail) -> list[Change]:
    def shown(t: TopicDetail) -> dict[str, object]:
        record = t.to_json()
        return {k: record[k] for k in SHOWN_FIELDS}

    return changes_between(shown(before), shown(after))
