"""Exceptions that name the problem; their messages are written to be shown to a user as they are."""

from __future__ import annotations

import datetime as dt


class FactbotError(Exception):
    """Base of every error factbot reports to a user instead of a traceback."""


class InvalidQuestion(FactbotError, ValueError):
    """The question can't be asked as given (empty, too long, control characters...)."""


class StoreUnavailable(FactbotError):
    """The database can't be reached or refused the operation for a reason outside our control."""


class TopicNotFound(FactbotError, LookupError):
    pass


class StatementNotFound(FactbotError, LookupError):
    pass


class StaleEdit(FactbotError):
    """An edit was based on an older version than the one stored: someone else changed it first."""

    def __init__(
        self,
        message: str,
        *,
        changed_by: str | None = None,
        changed_at: dt.datetime | None = None,
        version: int | None = None,
    ) -> None:
        super().__init__(message)
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.version = version  # the version stored now, to review and retry from


class ImportRejected(FactbotError):
    """An import file was refused as a whole; nothing was written."""


class SchemaOutdated(FactbotError):
    """The database schema is behind this version of factbot."""


class InvalidSetting(FactbotError, ValueError):
    """A setting value a moderator gave can't be used."""


class SemanticUnavailable(FactbotError):
    """The semantic re-ranker is configured (FACTBOT_SEMANTIC_MODEL) but can't be used."""


class InvalidInput(FactbotError, ValueError):
    """A moderator's change was refused as a whole because one field can't be used; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class SpeakerNotFound(FactbotError, LookupError):
    pass


class OutletNotFound(FactbotError, LookupError):
    pass


class ReviewGroupNotFound(FactbotError, LookupError):
    pass


class PlotUnavailable(FactbotError):
    """A chart was asked for, but the plotting library (the [plot] extra) is not installed."""
