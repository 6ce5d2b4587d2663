"""Members are known to the query log only by a salted hash of their Discord id, made here for every writer."""

from __future__ import annotations

import hashlib
import hmac
import secrets

SALT_KEY = "user_hash_salt"  # where the installation keeps its generated salt


def hash_user_id(salt: bytes, user_id: int) -> str:
    """A salted hash: the log can group one member's questions (and forget them) without holding who they are."""
    return hmac.new(salt, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]


def new_salt() -> str:
    return secrets.token_hex(32)
