"""The guard on catalog text a patient reads: it states no dose and never talks about sources.

The prescription is the only source of the numbers a patient follows. A step that says
"hold 5 seconds" under a table that says 2 is a clinical error, so catalog text may not
carry a count, a time or a frequency at all; a step that needs the dose names a
placeholder ({hold}, {time}, {sides}) that the model fills from the prescription.
"""

from __future__ import annotations

import functools
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
    r"\b(?:twice|thrice)\b", r"\bhalf\s+a\s+minute\b", r"\ba\s+dozen\b",
    # Shorthand: "5s", "10reps", "3x10", "x10" (a figure glued to its unit has no word boundary)
    r"\b\d+(?:[.,]\d+)?(?:s|secs?|mins?|reps?|sets?)\b", r"\b\d+\s*[x\u00d7]\s*\d+\b", r"(?<!\w)[x\u00d7]\s*\d+\b",
    # Any other figure is a dose in disguise ("a 2 pound weight"), except a size or a distance
    # ("a step about 6 inches high", "6 in high"), which describes the movement, not how much
    # of it; "10 in a row" or "5 in each position" is a count, not inches.
    r"\b\d+(?:[.,]\d+)?\b(?!\s*(?:to|or|-|\u2013)?\s*\d*\s*(?:inch|inches|in\b(?!\s+(?:a|an|the|each|every|your|one|"
    r"two|three|four|five|all)\b)|cm|cent[ií]met|foot|feet|met|pulgadas?))",
)
# Which side works, and whether to switch, comes from the prescription's `side`.
_SIDE_PATTERNS = (
    r"\bswitch(?:es|ing)?\b",
    r"\b(?:on|with|to|use)\s+(?:the|your)\s+other\s+(?:side|leg)\b",
    r"\beach\s+(?:side|leg)\b",
    r"\bturn\s+around\b",
    r"\bchange\s+(?:sides|legs)\b",
    r"\bswap(?:s|ping)?\s+(?:sides|legs)\b",
    r"\bopposite\s+(?:side|leg)\b",
    r"\bagain\s+with\s+(?:the|your)\s+other\b",
)
# A named side ("the left leg") is the prescription's to say, through {sides}, except in an
# entry's own one-side sentences (one_side), which exist to name it.
NAMED_SIDE = re.compile(r"\b(left|right)\s+(?:leg|side|hip|knee|foot|ankle|thigh|arm)\b"
                        r"|\b(?:pierna|lado|cadera|rodilla|pie|tobillo|muslo|brazo)\s+(izquierd[oa]|derech[oa])\b",
                        re.IGNORECASE)


def side_named(match: re.Match[str]) -> str:
    """"left" or "right", for a NAMED_SIDE match in either language."""
    word = (match.group(1) or match.group(2)).lower()
    return "left" if word.startswith(("left", "izquierd")) else "right"
_SOURCE_PATTERNS = (
    r"\bsources?\b", r"\barticles?\b", r"\bstud(?:y|ies)\b", r"\bresearch\b", r"\bexperts?\b",
)


def placeholder_problems(text: str) -> list[str]:
    """Placeholders the handout cannot fill: an unknown name prints as typed ("{reps}"), and
    one inside a sentence doubles its words ("hold for {hold}" prints "hold for Hold for 5
    seconds."), since each stands for a whole sentence of its own."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        if name not in PLACEHOLDERS:
            allowed = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
            found.append(f"unknown placeholder {{{name}}}; the ones the handout fills are {allowed}")
            continue
        before, after = text[:match.start()].rstrip(), text[match.end():]
        if (before and before[-1] not in ".!?:}") or (after and (not after[0].isspace() or after.lstrip()[:1] in
                                                               tuple(".,;:!?"))):
            found.append(f"{{{name}}} stands for a whole sentence (\"{_EXAMPLE[name]}\"), so it must stand "
                         f"alone, not inside one: \"Squeeze the towel. {{{name}}}\"")
    return found


# What each placeholder writes, for the message above.
_EXAMPLE = {"hold": "Hold for 5 seconds.", "time": "Keep going for 2 minutes.",
            "sides": "Do all your repeats on one side, then switch sides."}


@functools.cache
def _checks() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The guard's patterns, compiled on first use: a build imports this module for
    NAMED_SIDE only, and compiling these takes some 5 ms of every command's start."""
    return (
        ("a dose", re.compile("|".join(_DOSE_PATTERNS), re.IGNORECASE)),
        ("which side or when to switch", re.compile("|".join(_SIDE_PATTERNS), re.IGNORECASE)),
        ("where the advice comes from", re.compile("|".join(_SOURCE_PATTERNS), re.IGNORECASE)),
    )


def problems(text: str, names_a_side: bool = False) -> list[str]:
    """What is wrong with one line of patient text, as messages; empty when it is fine.

    Placeholders are allowed and checked; everything else is read as printed words. With
    `names_a_side` (an entry's one_side sentences) the line may name the left or right side.
    """
    found = placeholder_problems(text)
    words = PLACEHOLDER.sub(" ", text)
    for what, pattern in _checks():
        hits = list(dict.fromkeys(m.group(0) for m in pattern.finditer(words)))
        if what == "which side or when to switch" and not names_a_side:
            hits += list(dict.fromkeys(m.group(0) for m in NAMED_SIDE.finditer(words)))
        if hits:
            quoted = ", ".join(f"'{h}'" for h in hits)
            found.append(f"states {what} ({quoted}); patient text must leave that to the prescription"
                         if what != "where the advice comes from" else
                         f"talks about {what} ({quoted}); keep that in clinician_notes")
    return found
