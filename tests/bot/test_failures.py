"""A store error shown to a user repeats what they typed inert: no mention, link or markdown acts from it."""

from __future__ import annotations

from bot.failures import reply_for
from bot.text import safe
from store import InvalidInput, InvalidQuestion


def test_a_store_error_is_shown_escaped() -> None:
    typed = "@everyone **see** https://evil.example/x"
    for error in (InvalidInput("aliases", f"aliases: {typed!r} already belongs to topic 'x'."), InvalidQuestion(typed)):
        reply = reply_for(error, where="test")
        assert reply.private and reply.content == safe(str(error)) != str(error)
        assert "@everyone" not in reply.content and "https://evil.example" not in reply.content
