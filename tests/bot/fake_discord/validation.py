"""Discord's limits on what a bot may send, enforced the way Discord does: a 400 "Invalid Form Body".

https://discord.com/developers/docs/resources/message#embed-object-embed-limits and the component docs.
"""

from __future__ import annotations

from typing import Any

CONTENT = 2000
EMBEDS = 10
EMBED_TOTAL = 6000
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
ACTION_ROWS = 5
ROW_COMPONENTS = 5
CUSTOM_ID = 100
BUTTON_LABEL = 80
CHOICES = 25
CHOICE_TEXT = 100
MODAL_TITLE = 45
MODAL_COMPONENTS = 5
INPUT_LABEL = 45
INPUT_VALUE = 4000
INPUT_PLACEHOLDER = 100
LABEL_DESCRIPTION = 100
SELECT_OPTIONS = 25
SELECT_TEXT = 100  # an option's label, value and description
SELECT_PLACEHOLDER = 150

# Component types.
ACTION_ROW, BUTTON, STRING_SELECT, TEXT_INPUT, LABEL = 1, 2, 3, 4, 18


def message_problems(body: dict[str, Any]) -> list[str]:
    """Everything in a message body that Discord would reject; empty when it is acceptable."""
    problems: list[str] = []
    content = body.get("content") or ""
    if len(content) > CONTENT:
        problems.append(f"content is {len(content)} > {CONTENT} characters")
    embeds = body.get("embeds") or []
    if len(embeds) > EMBEDS:
        problems.append(f"{len(embeds)} embeds > {EMBEDS}")
    total = 0
    for i, embed in enumerate(embeds):
        total += _embed_problems(i, embed, problems)
    if total > EMBED_TOTAL:
        problems.append(f"embeds total {total} > {EMBED_TOTAL} characters")
    rows = body.get("components") or []
    if len(rows) > ACTION_ROWS:
        problems.append(f"{len(rows)} action rows > {ACTION_ROWS}")
    for r, row in enumerate(rows):
        children = row.get("components") or []
        if not 1 <= len(children) <= ROW_COMPONENTS:
            problems.append(f"row {r} has {len(children)} components")
        for c, component in enumerate(children):
            custom_id = component.get("custom_id")
            if custom_id is not None and not 1 <= len(custom_id) <= CUSTOM_ID:
                problems.append(f"row {r} component {c} custom_id has {len(custom_id)} characters")
            if len(component.get("label") or "") > BUTTON_LABEL:
                problems.append(f"row {r} component {c} label > {BUTTON_LABEL}")
            if component.get("style") == 5 and not component.get("url"):
                problems.append(f"row {r} component {c} is a link button without url")
            if component.get("type") == STRING_SELECT:
                if len(children) != 1:
                    problems.append(f"row {r}: a select menu must be alone in its row")
                problems += [f"row {r} {p}" for p in _select_problems(component)]
    if not content and not embeds and not rows and "flags" not in body:
        problems.append("cannot send an empty message")
    return problems


def _embed_problems(i: int, embed: dict[str, Any], problems: list[str]) -> int:
    size = 0

    def check(label: str, text: str | None, limit: int) -> None:
        nonlocal size
        text = text or ""
        size += len(text)
        if len(text) > limit:
            problems.append(f"embed {i} {label} is {len(text)} > {limit}")

    check("title", embed.get("title"), TITLE)
    check("description", embed.get("description"), DESCRIPTION)
    check("footer", (embed.get("footer") or {}).get("text"), FOOTER)
    check("author", (embed.get("author") or {}).get("name"), AUTHOR)
    fields = embed.get("fields") or []
    if len(fields) > FIELDS:
        problems.append(f"embed {i} has {len(fields)} fields > {FIELDS}")
    for f, field in enumerate(fields):
        if not field.get("name") or not field.get("value"):
            problems.append(f"embed {i} field {f} has an empty name or value")
        check(f"field {f} name", field.get("name"), FIELD_NAME)
        check(f"field {f} value", field.get("value"), FIELD_VALUE)
    return size


def choices_problems(choices: list[dict[str, Any]]) -> list[str]:
    problems = []
    if len(choices) > CHOICES:
        problems.append(f"{len(choices)} autocomplete choices > {CHOICES}")
    for c, choice in enumerate(choices):
        if not 1 <= len(choice.get("name", "")) <= CHOICE_TEXT:
            problems.append(f"choice {c} name length out of 1..{CHOICE_TEXT}")
        value = choice.get("value")
        if isinstance(value, str) and not 1 <= len(value) <= CHOICE_TEXT:
            problems.append(f"choice {c} value length out of 1..{CHOICE_TEXT}")
    return problems


def _select_problems(select: dict[str, Any]) -> list[str]:
    problems = []
    options = select.get("options") or []
    if not 1 <= len(options) <= SELECT_OPTIONS:
        problems.append(f"select has {len(options)} options, not 1..{SELECT_OPTIONS}")
    if len(select.get("placeholder") or "") > SELECT_PLACEHOLDER:
        problems.append(f"select placeholder > {SELECT_PLACEHOLDER}")
    values = [o.get("value") for o in options]
    if len(set(values)) != len(values):
        problems.append("select option values are not unique")
    for o, option in enumerate(options):
        for key in ("label", "value"):
            if not 1 <= len(option.get(key) or "") <= SELECT_TEXT:
                problems.append(f"select option {o} {key} length out of 1..{SELECT_TEXT}")
        if len(option.get("description") or "") > SELECT_TEXT:
            problems.append(f"select option {o} description > {SELECT_TEXT}")
    if not 1 <= int(select.get("max_values") or 1) <= max(1, len(options)):
        problems.append("select max_values out of range")
    return problems


def modal_inputs(modal: dict[str, Any]) -> list[dict[str, Any]]:
    """The text inputs of a modal, in order, whether in action rows or (newer) labels."""
    inputs = []
    for top in modal.get("components") or []:
        if top.get("type") == LABEL:
            inputs.append(top.get("component") or {})
        else:
            inputs += list(top.get("components") or [])
    return [i for i in inputs if i.get("type") == TEXT_INPUT]


def modal_problems(modal: dict[str, Any]) -> list[str]:
    """Everything in a modal (interaction callback type 9) that Discord would reject."""
    problems: list[str] = []
    if not 1 <= len(modal.get("title") or "") <= MODAL_TITLE:
        problems.append(f"modal title length out of 1..{MODAL_TITLE}")
    if not 1 <= len(modal.get("custom_id") or "") <= CUSTOM_ID:
        problems.append(f"modal custom_id length out of 1..{CUSTOM_ID}")
    rows = modal.get("components") or []
    if not 1 <= len(rows) <= MODAL_COMPONENTS:
        problems.append(f"modal has {len(rows)} components, not 1..{MODAL_COMPONENTS}")
    for r, row in enumerate(rows):
        if row.get("type") == ACTION_ROW and len(row.get("components") or []) != 1:
            problems.append(f"modal row {r} must hold exactly one text input")
        elif row.get("type") == LABEL:
            if not 1 <= len(row.get("label") or "") <= INPUT_LABEL:
                problems.append(f"modal label {r} text length out of 1..{INPUT_LABEL}")
            if len(row.get("description") or "") > LABEL_DESCRIPTION:
                problems.append(f"modal label {r} description > {LABEL_DESCRIPTION}")
            if (row.get("component") or {}).get("label") is not None:
                problems.append(f"modal label {r}: a text input in a label has no label of its own")
        elif row.get("type") not in (ACTION_ROW, LABEL):
            problems.append(f"modal component {r} has type {row.get('type')}, not an action row or label")
    ids = []
    for i, text_input in enumerate(modal_inputs(modal)):
        ids.append(text_input.get("custom_id"))
        if not 1 <= len(text_input.get("custom_id") or "") <= CUSTOM_ID:
            problems.append(f"text input {i} custom_id length out of 1..{CUSTOM_ID}")
        if text_input.get("style") not in (1, 2):
            problems.append(f"text input {i} style must be 1 (short) or 2 (paragraph)")
        label = text_input.get("label")
        if label is not None and not 1 <= len(label) <= INPUT_LABEL:
            problems.append(f"text input {i} label length out of 1..{INPUT_LABEL}")
        if len(text_input.get("placeholder") or "") > INPUT_PLACEHOLDER:
            problems.append(f"text input {i} placeholder > {INPUT_PLACEHOLDER}")
        low, high = int(text_input.get("min_length") or 0), int(text_input.get("max_length") or INPUT_VALUE)
        if not (0 <= low <= INPUT_VALUE and 1 <= high <= INPUT_VALUE and low <= high):
            problems.append(f"text input {i} min_length/max_length out of range")
        value = text_input.get("value")
        if value is not None and len(value) > high:
            problems.append(f"text input {i} value is {len(value)} > max_length {high}")
    if len(set(ids)) != len(ids):
        problems.append("modal text input custom_ids are not unique")
    return problems


def input_problems(text_input: dict[str, Any], value: str) -> list[str]:
    """What Discord's client would not let a member submit in this text input."""
    low, high = int(text_input.get("min_length") or 0), int(text_input.get("max_length") or INPUT_VALUE)
    required = text_input.get("required", True)
    if not value:
        return [f"{text_input['custom_id']} is required"] if required else []
    if not low <= len(value) <= high:
        return [f"{text_input['custom_id']} is {len(value)} characters, not {low}..{high}"]
    return []
