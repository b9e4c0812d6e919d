"""The guard on catalog text a patient reads: it states no dose and never talks about sources.

The prescription is the only source of the numbers a patient follows. A step that says
"hold 5 seconds" under a table that says 2 is a clinical error, so catalog text may not
carry a count, a time or a frequency at all; a step that needs the dose names a
placeholder ({hold}, {time}, {sides}) that the model fills from the prescription.
"""

from __future__ import annotations

import re

# Sentences the model writes from the prescription (see wording.Words.step_sentence).
PLACEHOLDERS = ("hold", "time", "sides")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

_NUMBER = (r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
           r"fifteen|twenty|thirty|sixty|a few|a couple of|several|few|many)")
_UNIT = r"(?:seconds?|secs?|minutes?|mins?|times?|reps?|repetitions?|sets?|rounds?|steps?|breaths?|days?|weeks?)"
_DOSE_PATTERNS = (
    # "5 seconds", "10 to 15 times", "two or three sets", "3-4 days"
    rf"\b{_NUMBER}(?:\s*(?:to|or|-|\u2013)\s*{_NUMBER})?\s+(?:more\s+)?{_UNIT}\b",
    r"\b(?:once|twice)\s+(?:a|an|per|each)\s+(?:day|week|hour)\b",
    r"\b(?:a|per)\s+(?:day|week)\b",
    r"\b(?:every|each)\s+(?:day|morning|evening|other day)\b",
    r"\bdaily\b",
    r"\bfor\s+(?:a\s+)?(?:second|minute|moment|while|count)\b",
    r"\bcount(?:ing)?\s+to\b",
    # Any other figure is a dose in disguise ("x10", "a 2 pound weight"), except a size or a
    # distance ("a step about 6 inches high"), which describes the movement, not how much of it.
    r"\b\d+(?:[.,]\d+)?\b(?!\s*(?:to|or|-|\u2013)?\s*\d*\s*(?:inch|inches|in\b|cm|centimet|foot|feet|met))",
)
# Which side works, and whether to switch, comes from the prescription's `side`.
_SIDE_PATTERNS = (
    r"\bswitch(?:es|ing)?\b",
    r"\b(?:on|with|to|use)\s+(?:the|your)\s+other\s+(?:side|leg)\b",
    r"\beach\s+(?:side|leg)\b",
    r"\bturn\s+around\b",
    r"\bchange\s+(?:sides|legs)\b",
)
_SOURCE_PATTERNS = (
    r"\bsources?\b", r"\barticles?\b", r"\bstud(?:y|ies)\b", r"\bresearch\b", r"\bexperts?\b",
)
_CHECKS = (
    ("a dose", re.compile("|".join(_DOSE_PATTERNS), re.IGNORECASE)),
    ("which side or when to switch", re.compile("|".join(_SIDE_PATTERNS), re.IGNORECASE)),
    ("where the advice comes from", re.compile("|".join(_SOURCE_PATTERNS), re.IGNORECASE)),
)


def problems(text: str) -> list[str]:
    """What is wrong with one line of patient text, as messages; empty when it is fine.

    Placeholders are allowed and checked; everything else is read as printed words.
    """
    found = []
    for name in PLACEHOLDER.findall(text):
        if name not in PLACEHOLDERS:
            allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            found.append(f"unknown placeholder {{{name}}}; the ones the handout fills are {allowed}")
    words = PLACEHOLDER.sub(" ", text)
    for what, pattern in _CHECKS:
        hits = list(dict.fromkeys(m.group(0) for m in pattern.finditer(words)))
        if hits:
            quoted = ", ".join(f"'{h}'" for h in hits)
            found.append(f"states {what} ({quoted}); patient text must leave that to the prescription"
                         if what != "where the advice comes from" else
                         f"talks about {what} ({quoted}); keep that in clinician_notes")
    return found
