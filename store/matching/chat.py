"""Chat shorthand read as the words it stands for ("ppl" -> "people"), before a question is matched.

Only unambiguous, common forms, and only where the store doesn't hold the word itself ("dem" is left out:
in politics it is a Democrat; "pm" too: it is also a time of day). The typo search cannot recover these
(they are too short, or too many edits away from what they stand for).
"""

from __future__ import annotations

CHAT_FORMS: dict[str, tuple[str, ...]] = {
    "abt": ("about",),
    "bc": ("because",),
    "b4": ("before",),
    "2": ("to",),  # "go back 2 cairo", where the store holds no number 2
    "4": ("for",),
    "bout": ("about",),
    "cuz": ("because",),
    "coz": ("because",),
    "dis": ("this",),
    "govt": ("government",),
    "idk": (),
    "imo": (),
    "imho": (),
    "irl": (),
    "plz": ("please",),
    "pls": ("please",),
    "ppl": ("people",),
    "peeps": ("people",),
    "r": ("are",),
    "tho": ("though",),
    "thx": ("thanks",),
    "u": ("you",),
    "ur": ("your",),
    "wat": ("what",),
    "wen": ("when",),
    "whats": ("what",),
    "wats": ("what",),
    "whos": ("who",),
    "wut": ("what",),
    "w": ("with",),
    "wo": ("without",),
    "y": ("why",),
    "yr": ("year",),
    "yrs": ("years",),
    "bak": ("back",),
    "tmrw": ("tomorrow",),
    "2day": ("today",),
    "2moro": ("tomorrow",),
    "msg": ("message",),
    "info": ("information",),
    "intl": ("international",),
    "natl": ("national",),
    "pres": ("president",),
}
