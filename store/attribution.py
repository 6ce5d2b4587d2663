"""The one attribution rule: who said a statement, in what capacity, through which outlet, how and when.

Every front end (Discord, the terminal, `--json`) takes its attribution from here, so they all say the same
facts; each only formats them its own way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from store.views import StatementView

# A cue said of the speaker, which it comes before: "according to Hamas".
LEADING_CUES = ("according to",)
# Cues whose object is the outlet: "told Reuters", where any other verb reads "said, via Reuters".
CUES_TO_OUTLET = frozenset({"told", "said to", "spoke to"})
NO_DATE = "date not given"


@dataclass(frozen=True, slots=True)
class Attribution:
    """The parts of a statement's attribution, each left out when saying it would repeat another."""

    who: str  # a name, or an anonymous source's descriptor
    role: str | None  # a named speaker's descriptor: their title or function
    affiliation: str | None
    outlet: str | None  # None when the speaker is the outlet, speaking in its own voice
    cue: str | None
    date: dt.date | None

    @classmethod
    def of(cls, statement: StatementView) -> Attribution:
        speaker = statement.speaker
        who = speaker.attribution
        role = speaker.descriptor if speaker.descriptor and speaker.descriptor != who else None
        said = f"{who} {role or ''}".casefold()
        affiliation = (
            speaker.affiliation if speaker.affiliation and speaker.affiliation.casefold() not in said else None
        )
        own_outlet = statement.outlet is not None and statement.outlet.casefold() == speaker.name.casefold()
        return cls(who, role, affiliation, None if own_outlet else statement.outlet, statement.cue, statement.date)

    @property
    def speaker(self) -> str:
        """Who, with their role and affiliation: "Benjamin Netanyahu (Israeli Prime Minister)"."""
        qualifiers = ", ".join(part for part in (self.role, self.affiliation) if part)
        return f"{self.who} ({qualifiers})" if qualifiers else self.who

    @property
    def heading(self) -> str:
        """The speaker as the first words of a line: descriptors are stored lower-case to read mid-sentence."""
        return capitalised(self.speaker)

    def text(self) -> str:
        """The attribution as the head of one plain sentence, e.g. "An official source from the organization
        (Hamas) told Reuters, 2024-05-03"; the terminal and `--json` show exactly this."""
        via = f"via {self.outlet}" if self.outlet else None
        if self.cue and self.outlet and self.cue.casefold() in CUES_TO_OUTLET:
            said, via = f"{self.speaker} {self.cue} {self.outlet}", None
        elif self.cue and self.cue.casefold().startswith(LEADING_CUES):
            said = f"{self.cue} {self.speaker}"
        elif self.cue:
            said = f"{self.speaker} {self.cue}"
        else:
            said = self.speaker
        day = self.date.isoformat() if self.date else NO_DATE
        return ", ".join(part for part in (capitalised(said), via, day) if part)


def capitalised(text: str) -> str:
    """First letter up, the rest as written."""
    return text[:1].upper() + text[1:]
