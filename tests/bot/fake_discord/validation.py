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
