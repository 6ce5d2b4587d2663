"""factbot's store: attributed statements, the matcher and the one service API. Knows nothing of Discord.

This module is the public API the front ends import from (`from store import ClaimStore, Answer`), along with
`store.records` for the interchange format. Names are loaded on first use, so importing `store` costs nothing
until something is asked of it (the CLI's `--version` loads no database driver).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from store.attribution import Attribution as Attribution
    from store.curation import KEEP as KEEP
    from store.curation import FigureDraft as FigureDraft
    from store.curation import Keep as Keep
    from store.curation import StatementChanges as StatementChanges
    from store.curation import StatementDraft as StatementDraft
    from store.curation import parse_date as parse_date
    from store.curation import parse_figure as parse_figure
    from store.curation_views import AuditEntry as AuditEntry
    from store.curation_views import DemoReport as DemoReport
    from store.curation_views import OutletDetail as OutletDetail
    from store.curation_views import SpeakerDetail as SpeakerDetail
    from store.curation_views import StatementDetail as StatementDetail
    from store.curation_views import TopicDetail as TopicDetail
    from store.curation_views import TopicState as TopicState
    from store.curation_views import TopicSummary as TopicSummary
    from store.errors import (
        FactbotError as FactbotError,
    )
    from store.errors import (
        ImportRejected as ImportRejected,
    )
    from store.errors import InvalidInput as InvalidInput
    from store.errors import (
        InvalidQuestion as InvalidQuestion,
    )
    from store.errors import (
        InvalidSetting as InvalidSetting,
    )
    from store.errors import OutletNotFound as OutletNotFound
    from store.errors import PlotUnavailable as PlotUnavailable
    from store.errors import ReviewGroupNotFound as ReviewGroupNotFound
    from store.errors import (
        SchemaOutdated as SchemaOutdated,
    )
    from store.errors import (
        SemanticUnavailable as SemanticUnavailable,
    )
    from store.errors import SpeakerNotFound as SpeakerNotFound
    from store.errors import (
        StaleEdit as StaleEdit,
    )
    from store.errors import (
        StatementNotFound as StatementNotFound,
    )
    from store.errors import (
        StoreUnavailable as StoreUnavailable,
    )
    from store.errors import (
        TopicNotFound as TopicNotFound,
    )
    from store.ingest import read_records as read_records
    from store.ingest import write_records as write_records
    from store.privacy import hash_user_id as hash_user_id
    from store.querylog import QueryLogWriter as QueryLogWriter
    from store.querylog import WriterSettings as WriterSettings
    from store.records import AuditAction as AuditAction
    from store.records import AuditEntity as AuditEntity
    from store.records import QueryOutcome as QueryOutcome
    from store.records import QuerySource as QuerySource
    from store.records import ReviewState as ReviewState
    from store.replay import ReplayAgreement as ReplayAgreement
    from store.replay import ReplayChange as ReplayChange
    from store.replay import ReplayReport as ReplayReport
    from store.review_queue import DismissReason as DismissReason
    from store.review_queue import ForgetReport as ForgetReport
    from store.review_queue import GroupState as GroupState
    from store.review_queue import NearestTopic as NearestTopic
    from store.review_queue import PurgeReport as PurgeReport
    from store.review_queue import ReviewDecision as ReviewDecision
    from store.review_queue import ReviewGroup as ReviewGroup
    from store.review_queue import ReviewGroupDetail as ReviewGroupDetail
    from store.review_queue import ReviewKind as ReviewKind
    from store.review_queue import ReviewQueue as ReviewQueue
    from store.review_queue import Wording as Wording
    from store.rights import CurationVerdict as CurationVerdict
    from store.rights import may_curate as may_curate
    from store.schema import downgrade_schema as downgrade_schema
    from store.schema import head_revision as head_revision
    from store.schema import schema_revision as schema_revision
    from store.schema import upgrade_schema as upgrade_schema
    from store.service import ClaimStore as ClaimStore
    from store.settings import StoreSettings as StoreSettings
    from store.stats import DayStats as DayStats
    from store.stats import QueryCounts as QueryCounts
    from store.stats import ReviewStats as ReviewStats
    from store.stats import ServerStats as ServerStats
    from store.stats_chart import stats_png as stats_png
    from store.views import (
        Answer as Answer,
    )
    from store.views import (
        FeedbackEntry as FeedbackEntry,
    )
    from store.views import (
        Figure as Figure,
    )
    from store.views import (
        GuildSettings as GuildSettings,
    )
    from store.views import (
        ImportReport as ImportReport,
    )
    from store.views import (
        Match as Match,
    )
    from store.views import PreviousFigure as PreviousFigure
    from store.views import (
        QueryLogEntry as QueryLogEntry,
    )
    from store.views import (
        ReviewItem as ReviewItem,
    )
    from store.views import (
        Speaker as Speaker,
    )
    from store.views import (
        StatementView as StatementView,
    )
    from store.views import (
        TopicRef as TopicRef,
    )
    from store.views import (
        TopicView as TopicView,
    )
    from store.views import (
        UnansweredQuestion as UnansweredQuestion,
    )

_WHERE = {
    "store.attribution": "Attribution",
    "store.curation": "KEEP FigureDraft Keep StatementChanges StatementDraft parse_date parse_figure",
    "store.curation_views": (
        "AuditEntry DemoReport OutletDetail SpeakerDetail StatementDetail TopicDetail TopicState TopicSummary"
    ),
    "store.errors": (
        "FactbotError ImportRejected InvalidInput InvalidQuestion InvalidSetting OutletNotFound SchemaOutdated "
        "SemanticUnavailable SpeakerNotFound StaleEdit StatementNotFound StoreUnavailable TopicNotFound "
        "PlotUnavailable ReviewGroupNotFound"
    ),
    "store.privacy": "hash_user_id",
    "store.replay": "ReplayAgreement ReplayChange ReplayReport",
    "store.review_queue": (
        "DismissReason ForgetReport GroupState NearestTopic PurgeReport ReviewDecision ReviewGroup ReviewGroupDetail "
        "ReviewKind ReviewQueue Wording"
    ),
    "store.rights": "CurationVerdict may_curate",
    "store.ingest": "read_records write_records",
    "store.querylog": "QueryLogWriter WriterSettings",
    "store.records": "AuditAction AuditEntity QueryOutcome QuerySource ReviewState",
    "store.schema": "downgrade_schema head_revision schema_revision upgrade_schema",
    "store.service": "ClaimStore",
    "store.settings": "StoreSettings",
    "store.stats": "DayStats QueryCounts ReviewStats ServerStats",
    "store.stats_chart": "stats_png",
    "store.views": (
        "Answer FeedbackEntry Figure GuildSettings ImportReport Match PreviousFigure QueryLogEntry ReviewItem Speaker "
        "StatementView TopicRef TopicView UnansweredQuestion"
    ),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names.split()}
__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
