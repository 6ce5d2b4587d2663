"""Who a change made at this terminal is recorded as: `cli:NAME`, NAME from FACTBOT_ACTOR or the OS user."""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping

PREFIX = "cli:"


def os_user() -> str:
    """The OS user name; a process without one (a container's bare uid) is named by its uid."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no LOGNAME/USER and no passwd entry
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def cli_actor(environ: Mapping[str, str] | None = None) -> str:
    """`cli:` and FACTBOT_ACTOR (without a `cli:` of its own), or the OS user name when that is unset or blank.
    The store checks the result like any field, so a bad FACTBOT_ACTOR is refused by name."""
    name = (os.environ if environ is None else environ).get("FACTBOT_ACTOR", "").strip()
    name = name.removeprefix(PREFIX).strip() or os_user()
    return PREFIX + name
