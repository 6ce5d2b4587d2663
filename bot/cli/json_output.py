"""The `--json` shapes of an answer, a review listing and the moderators' listings: the service's views as plain
JSON values. A single record (a topic, a statement, a speaker) is its view's own `to_json()`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from store import Answer, Attribution, AuditEntry, Match, StatementView, TopicSummary


def answer_json(answer: Answer) -> dict[str, Any]:
    return {
        "query": answer.query,
        "answered": answer.answered,
        "matches": [match_json(m) for m in answer.matches],
        "claimless": answer.claimless,
        "no_statement_by": answer.no_statement_by,
        "related": [match_json(m) for m in answer.related],
        "latency_ms": round(answer.latency_ms, 3),
    }


def match_json(m: Match) -> dict[str, Any]:
    return {
        "topic": {"id": m.topic.id, "slug": m.topic.slug, "title": m.topic.title},
        "score": round(m.score, 4),
        "matched_fields": list(m.matched_fields),
        "matched_terms": list(m.matched_terms),
        "meaning_similarity": None if m.meaning is None else round(m.meaning, 4),
        "statements": [statement_json(s) for s in m.topic.statements],
    }


def statement_json(s: StatementView) -> dict[str, Any]:
    """A statement with its attribution twice over: the stored facts, and the sentence the terminal shows."""
    return {
        "id": s.id,
        "uid": s.uid,
        "text": s.text,
        "kind": s.kind.value,
        "speaker": s.speaker.attribution,
        "speaker_name": s.speaker.name,
        "speaker_kind": s.speaker.kind.value,
        "descriptor": s.speaker.descriptor,
        "affiliation": s.speaker.affiliation,
        "outlet": s.outlet,
        "cue": s.cue,
        "stance": s.stance.value,
        "date": s.date.isoformat() if s.date else None,
        "attribution": Attribution.of(s).text(),
        "url": s.url,
        "figures": [
            {
                "value": f.value,
                "unit": f.unit,
                "counted": f.counted,
                "as_of": f.as_of.isoformat() if f.as_of else None,
                "approximate": f.approximate,
            }
            for f in s.figures
        ],
        "previous": [
            {
                "value": p.value,
                "unit": p.unit,
                "counted": p.counted,
                "as_of": p.as_of.isoformat() if p.as_of else None,
                "approximate": p.approximate,
                "given_by": p.given_by,
                "statement_id": p.statement_id,
            }
            for p in s.previous
        ],
        "supersedes": s.supersedes,
    }


def audit_json(entries: Sequence[AuditEntry]) -> dict[str, Any]:
    """`factbot audit --json`: the events newest first, as the store gives them."""
    return {"events": [e.to_json() for e in entries]}


def topics_json(topics: Sequence[TopicSummary]) -> dict[str, Any]:
    return {"topics": [t.to_json() for t in topics]}
