"""/statement add|edit|retract|restore|move, and the submits of the statement form (`_forms`).

Every command and every submit asks `Curators.admit` first. A change lands in answers at once: the store
re-indexes what it touched before it returns.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Self

import discord
from discord import app_commands
from discord.ext import commands

from bot import wording
from bot.cogs.moderation import _forms as forms
from bot.cogs.moderation._choices import speaker_choices, topic_choices, topic_slug
from bot.cogs.moderation._replies import answer, attempt, private, problem
from bot.cogs.moderation._rights import Curators
from bot.cogs.moderation._show import statement_line, statement_text
from bot.reply import Reply
from store import (
    KEEP,
    ClaimStore,
    InvalidInput,
    Keep,
    Speaker,
    SpeakerNotFound,
    StatementChanges,
    StatementDraft,
    TopicState,
)

if TYPE_CHECKING:
    from bot.bot import FactBot

StanceName = Literal["affirms", "disputes", "context"]
KindName = Literal["person", "organisation", "publication", "anonymous"]
CLEAR = "-"  # typed into an edit's text option: clear that field


RETRY_ID = re.compile(r"fb:sr:(?P<token>[\w-]{1,24})")
AnyButton = discord.ui.Button[discord.ui.View]


@dataclass(frozen=True, slots=True)
class Typed:
    """A refused form's inputs, kept so that "Fix and resubmit" opens the same form with them."""

    custom_id: str  # the form's own: its version (and kept options) still apply
    title: str
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class AddOptions:
    """What /statement add was given, kept for its form's submit."""

    topic: str  # slug
    stance: str
    speaker: str
    speaker_kind: str
    affiliation: str | None
    role: str | None
    cue: str | None
    paraphrase: bool
    supersedes: int | None


async def known_speaker(store: ClaimStore, name: str) -> Speaker | None:
    """The speaker stored under `name` (or its alias) as their statements attribute them: kind, descriptor,
    affiliation. None for a new name."""
    try:
        detail = await store.speaker_detail(name)
    except SpeakerNotFound:
        return None
    return detail.records[0] if detail.records else None


def _text_change(value: str | None) -> str | Keep | None:
    if value is None:
        return KEEP
    return None if value.strip() == CLEAR else value


class RetryButton(discord.ui.DynamicItem[AnyButton], template=RETRY_ID):
    """Under a refused form's message: the form again, holding what was typed, to fix and send."""

    def __init__(self, token: str) -> None:
        super().__init__(
            discord.ui.Button(label="Fix and resubmit", style=discord.ButtonStyle.primary, custom_id=f"fb:sr:{token}")
        )
        self.token = token

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Self:
        return cls(match["token"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        cog = interaction.client.get_cog(Statements.__cog_name__)
        if isinstance(cog, Statements):
            await cog.reopen(interaction, self.token)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Statements(commands.GroupCog, group_name="statement", group_description="Change the claim store's statements"):
    def __init__(self, bot: FactBot) -> None:
        self.bot = bot
        self.curators = Curators(bot)
        self.adds: forms.PendingForms[AddOptions] = forms.PendingForms()
        self.edits: forms.PendingForms[StatementChanges] = forms.PendingForms()
        self.refused: forms.PendingForms[Typed] = forms.PendingForms()
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(RetryButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(RetryButton)

    @property
    def store(self) -> ClaimStore:
        return self.bot.store

    # -- add ------------------------------------------------------------------------------------------

    @app_commands.command(name="add", description="Add a statement to a topic: who said it here, the words in a form.")
    @app_commands.describe(
        topic="The topic (pick one, or type its slug)",
        stance="Does it say yes, no, or give context to the topic's question?",
        speaker="Who said it: a name, or for an anonymous source a short name such as 'Hamas official source'",
        speaker_kind="What the speaker is (default: as stored for a known speaker, else person)",
        affiliation="The speaker's organisation, e.g. Hamas (default: as stored for a known speaker)",
        role="The speaker's role when they said it, e.g. deputy head of Hamas in Gaza",
        cue="How it was said: told, said, according to…",
        paraphrase="True: the words are a paraphrase, not a quote",
        supersedes="The id of an older statement of this topic that this one replaces (a newer figure)",
    )
    @app_commands.autocomplete(topic=topic_choices, speaker=speaker_choices)
    async def add(
        self,
        interaction: discord.Interaction[Any],
        topic: app_commands.Range[str, 1, 300],
        stance: StanceName,
        speaker: app_commands.Range[str, 1, 300],
        speaker_kind: KindName | None = None,
        affiliation: app_commands.Range[str, 1, 300] | None = None,
        role: app_commands.Range[str, 1, 300] | None = None,
        cue: app_commands.Range[str, 1, 300] | None = None,
        paraphrase: bool = False,
        supersedes: app_commands.Range[int, 1] | None = None,
    ) -> None:
        actor = await self.curators.admit(interaction, action="statement add", entity="statement", key=topic)
        if actor is None:
            return
        try:
            detail = await self.store.topic_detail(await topic_slug(self.store, topic))
            known = await known_speaker(self.store, speaker)
        except Exception as exc:
            await answer(interaction, problem(exc, where="/statement add"))
            return
        if detail.state is not TopicState.OPEN:
            await answer(interaction, private(wording.topic_closed(detail.slug, detail.state.value)))
            return
        kind = speaker_kind or (known.kind.value if known else "person")
        same_speaker = known is not None and known.kind.value == kind
        options = AddOptions(
            topic=detail.slug,
            stance=stance,
            speaker=known.name if known else speaker.strip(),  # an alias ("Bibi") means the stored speaker
            speaker_kind=kind,
            affiliation=affiliation or (known.affiliation if known and same_speaker else None),
            role=role,
            cue=cue,
            paraphrase=paraphrase,
            supersedes=supersedes,
        )
        token = self.adds.keep(interaction.user.id, options)
        known_descriptor = known.descriptor if known and same_speaker else None
        prefill = StatementDraft(text="", speaker=options.speaker, stance=stance, descriptor=known_descriptor)
        title = f"New statement: {detail.title}"
        await interaction.response.send_modal(forms.statement_modal(title, f"fb:sa:{token}", prefill))

    # -- edit -----------------------------------------------------------------------------------------

    @app_commands.command(name="edit", description="Edit a statement: its words and sources in a form.")
    @app_commands.describe(
        statement="The statement's id (shown by /topic show and by Edit these statements)",
        stance="A new stance",
        speaker="A new speaker",
        speaker_kind="A new kind of speaker",
        affiliation="A new affiliation ('-' clears it)",
        role="A new role ('-' clears it)",
        cue="A new cue ('-' clears it)",
        paraphrase="True: a paraphrase; False: the speaker's exact words",
        supersedes="The id of the older statement this one replaces (0 clears it)",
    )
    @app_commands.autocomplete(speaker=speaker_choices)
    async def edit(
        self,
        interaction: discord.Interaction[Any],
        statement: app_commands.Range[int, 1],
        stance: StanceName | None = None,
        speaker: app_commands.Range[str, 1, 300] | None = None,
        speaker_kind: KindName | None = None,
        affiliation: app_commands.Range[str, 1, 300] | None = None,
        role: app_commands.Range[str, 1, 300] | None = None,
        cue: app_commands.Range[str, 1, 300] | None = None,
        paraphrase: bool | None = None,
        supersedes: app_commands.Range[int, 0] | None = None,
    ) -> None:
        actor = await self.curators.admit(interaction, action="statement edit", entity="statement", key=f"#{statement}")
        if actor is None:
            return
        try:
            detail = await self.store.statement_detail(statement)
        except Exception as exc:
            await answer(interaction, problem(exc, where="/statement edit"))
            return
        changes = StatementChanges(
            stance=stance or KEEP,
            speaker=speaker or KEEP,
            speaker_kind=speaker_kind or KEEP,
            affiliation=_text_change(affiliation),
            role=_text_change(role),
            cue=_text_change(cue),
            paraphrase=KEEP if paraphrase is None else paraphrase,
            supersedes=KEEP if supersedes is None else (supersedes or None),
        )
        token = self.edits.keep(interaction.user.id, changes) if changes != StatementChanges() else None
        await interaction.response.send_modal(forms.edit_modal(detail, token))

    # -- retract, restore, move -----------------------------------------------------------------------

    @app_commands.command(name="retract", description="Take a statement out of answers (kept, with the reason).")
    @app_commands.describe(statement="The statement's id", reason="Why, for the audit trail and other moderators")
    async def retract(
        self,
        interaction: discord.Interaction[Any],
        statement: app_commands.Range[int, 1],
        reason: app_commands.Range[str, 1, 300],
    ) -> None:
        actor = await self.curators.admit(
            interaction, action="statement retract", entity="statement", key=f"#{statement}"
        )
        if actor is None:
            return

        async def work() -> Reply:
            done = await self.store.retract_statement(statement, reason=reason, actor=actor)
            return private(wording.retracted(done.id) + "\n" + statement_line(done))

        await attempt(interaction, work, where="/statement retract")

    @app_commands.command(name="restore", description="Bring a retracted statement back into answers.")
    @app_commands.describe(statement="The statement's id")
    async def restore(self, interaction: discord.Interaction[Any], statement: app_commands.Range[int, 1]) -> None:
        actor = await self.curators.admit(
            interaction, action="statement restore", entity="statement", key=f"#{statement}"
        )
        if actor is None:
            return

        async def work() -> Reply:
            done = await self.store.restore_statement(statement, actor=actor)
            return private(wording.restored(done.id) + "\n" + statement_line(done))

        await attempt(interaction, work, where="/statement restore")

    @app_commands.command(name="move", description="Move a statement to another topic.")
    @app_commands.describe(statement="The statement's id", topic="The topic it belongs to (pick one, or type its slug)")
    @app_commands.autocomplete(topic=topic_choices)
    async def move(
        self,
        interaction: discord.Interaction[Any],
        statement: app_commands.Range[int, 1],
        topic: app_commands.Range[str, 1, 300],
    ) -> None:
        actor = await self.curators.admit(interaction, action="statement move", entity="statement", key=f"#{statement}")
        if actor is None:
            return

        async def work() -> Reply:
            done = await self.store.move_statement(statement, await topic_slug(self.store, topic), actor=actor)
            return private(wording.moved(done.id, done.topic) + "\n" + statement_line(done))

        await attempt(interaction, work, where="/statement move")

    # -- the form's submits ---------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id") or "")
        if found := forms.ADD_ID.fullmatch(custom_id):
            await self._submit_add(interaction, found)
        elif found := forms.EDIT_ID.fullmatch(custom_id):
            await self._submit_edit(interaction, found)

    async def _submit_add(self, interaction: discord.Interaction[Any], found: re.Match[str]) -> None:
        actor = await self.curators.admit(interaction, action="statement add", entity="statement", key="new")
        if actor is None:
            return
        token = found["token"]

        async def work() -> Reply:
            kept = self.adds.get(token)
            if kept is None:
                return private(wording.FORM_EXPIRED.format(minutes=round(self.adds.ttl_s / 60)))
            if kept[0] != interaction.user.id:
                return private(wording.NOT_YOUR_FORM)
            o = kept[1]
            values = forms.submitted_values(dict(interaction.data or {}))
            try:
                return await self._add(o, values, actor, token)
            except InvalidInput as exc:
                return self._refused(interaction, exc, Typed(f"fb:sa:{token}", f"New statement: {o.topic}", values))

        await attempt(interaction, work, where="statement form (add)")

    async def _add(self, o: AddOptions, values: dict[str, str], actor: str, token: str) -> Reply:
        typed = forms.read_fields(values)
        draft = StatementDraft(
            text=typed.text,
            speaker=o.speaker,
            stance=o.stance,
            speaker_kind=o.speaker_kind,
            descriptor=typed.descriptor,
            affiliation=o.affiliation,
            role=o.role,
            outlet=typed.outlet,
            cue=o.cue,
            said_on=typed.said_on,
            url=typed.url,
            paraphrase=o.paraphrase,
            figures=typed.figures,
            supersedes=o.supersedes,
        )
        added = await self.store.add_statement(o.topic, draft, actor=actor)
        self.adds.drop(token)
        return private(wording.added(added.id, added.topic) + "\n" + statement_text(added))

    async def _submit_edit(self, interaction: discord.Interaction[Any], found: re.Match[str]) -> None:
        statement_id, version, token = int(found["statement"]), int(found["version"]), found["token"]
        actor = await self.curators.admit(
            interaction, action="statement edit", entity="statement", key=f"#{statement_id}"
        )
        if actor is None:
            return

        async def work() -> Reply:
            options = StatementChanges()
            if token is not None:
                kept = self.edits.get(token)
                if kept is None:
                    return private(wording.FORM_EXPIRED.format(minutes=round(self.edits.ttl_s / 60)))
                if kept[0] != interaction.user.id:
                    return private(wording.NOT_YOUR_FORM)
                options = kept[1]
            values = forms.submitted_values(dict(interaction.data or {}))
            try:
                return await self._edit(statement_id, version, options, values, actor, token)
            except InvalidInput as exc:
                title = f"Edit statement #{statement_id} (version {version})"
                return self._refused(interaction, exc, Typed(found[0], title, values))

        await attempt(interaction, work, where="statement form (edit)", statement_id=statement_id)

    async def _edit(
        self,
        statement_id: int,
        version: int,
        options: StatementChanges,
        values: dict[str, str],
        actor: str,
        token: str | None,
    ) -> Reply:
        typed = forms.read_fields(values)
        changes = dataclasses.replace(
            options,
            text=typed.text,
            descriptor=typed.descriptor,
            outlet=typed.outlet,
            said_on=typed.said_on,
            url=typed.url,
            figures=typed.figures,
        )
        edited = await self.store.edit_statement(statement_id, version=version, changes=changes, actor=actor)
        if token is not None:
            self.edits.drop(token)
        if edited.version == version:
            return private(wording.NOTHING_CHANGED.format(id=statement_id, version=version))
        return private(wording.edited(edited.id, edited.version) + "\n" + statement_text(edited))

    # -- a refused form, to fix and send again --------------------------------------------------------

    def _refused(self, interaction: discord.Interaction[Any], error: InvalidInput, typed: Typed) -> Reply:
        """The store's reason, with a button that opens the form again holding what was typed (when the fault is
        in the form: a wrong option needs the command run again)."""
        reason = problem(error, where="statement form")
        if error.field not in forms.FORM_FIELDS:
            return reason
        view = discord.ui.View(timeout=None)
        view.add_item(RetryButton(self.refused.keep(interaction.user.id, typed)))
        return private(f"{reason.content}\n{wording.FIX_AND_RESUBMIT}", view=view)

    async def reopen(self, interaction: discord.Interaction[Any], token: str) -> None:
        actor = await self.curators.admit(interaction, action="statement form", entity="statement", key="resubmit")
        if actor is None:
            return
        kept = self.refused.get(token)
        if kept is None or kept[0] != interaction.user.id:
            minutes = round(self.refused.ttl_s / 60)
            text = wording.FORM_EXPIRED.format(minutes=minutes) if kept is None else wording.NOT_YOUR_FORM
            await answer(interaction, private(text))
            return
        typed = kept[1]
        self.refused.drop(token)
        await interaction.response.send_modal(forms.form_modal(typed.title, typed.custom_id, typed.values))
