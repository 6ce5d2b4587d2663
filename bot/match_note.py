"""How a topic came to be shown (score, matched words, meaning), in the same words in Discord and the terminal."""

from __future__ import annotations

from dataclasses import dataclass

from store import Match

TERMS_SHOWN = 12


def meaning_note(cosine: float, *, shares_words: bool) -> str:
    """How the semantic re-ranker saw a match: a topic sharing no word with the question was found by its
    meaning alone."""
    return f"{'similar in' if shares_words else 'found by'} meaning ({cosine:.2f})"


@dataclass(frozen=True, slots=True)
class MatchNote:
    """How a topic came to be shown: Discord puts it in the footer, the terminal under the topic."""

    score: float
    fields: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    via: str | None = None  # e.g. "did you mean"
    meaning: float | None = None  # cosine with the question, when the semantic re-ranker scored it

    @classmethod
    def of(cls, match: Match) -> MatchNote:
        return cls(match.score, match.matched_fields, match.matched_terms, meaning=match.meaning)

    def text(self) -> str:
        parts = [f"Match score {self.score:.2f}"]
        if self.via:
            parts.insert(0, f"Opened from “{self.via}”")
        if self.terms:
            terms = ", ".join(self.terms[:TERMS_SHOWN]) + (" …" if len(self.terms) > TERMS_SHOWN else "")
            where = f" in {', '.join(self.fields)}" if self.fields else ""
            parts.append(f"matched {terms}{where}")
        if self.meaning is not None:
            parts.append(meaning_note(self.meaning, shares_words=bool(self.terms)))
        return " · ".join(parts)
