"""The `--json` shapes of an answer and of a review listing: the service's views as plain JSON values."""

from __future__ import annotations

from typing import Any

from store import Answer, Attribution, Match, ReviewItem, StatementView


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
    }


def review_item_json(item: ReviewItem) -> dict[str, Any]:
    q = item.question
    return {
        "text": q.text,
        "asked": q.asked,
        "askers": q.askers,
        "first_asked": q.first_asked.isoformat(),
        "last_asked": q.last_asked.isoformat(),
        "sources": list(q.sources),
        "nearest": (
            {"topic_id": item.nearest_topic_id, "title": item.nearest_title, "score": item.nearest_score}
            if item.nearest_topic_id is not None
            else None
        ),
        "answered_now": item.answered_now,
    }
