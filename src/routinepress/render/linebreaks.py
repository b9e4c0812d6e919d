"""Where a line may not break in what a patient reads: between a number and its unit ("12
inches"), inside a short dose value ("Every day"). Plain text in, plain text out, with
no-break spaces (U+00A0) that reportlab's line breaking keeps together and prints as spaces.
"""

from __future__ import annotations

import functools
import re

NO_BREAK = "\u00a0"

# Unit words a number is read with, in the handouts' languages (English, Spanish): a
# length, a time, a count of movements, a weight, an angle. Singular and plural.
_UNITS = (
    r"inch(?:es)?|in\.|foot|feet|ft|cm|mm|centimet(?:er|re)s?|met(?:er|re)s?|"
    r"seconds?|secs?|minutes?|mins?|hours?|times?|reps?|repetitions?|sets?|rounds?|steps?|breaths?|"
    r"days?|weeks?|lbs?|pounds?|kg|kilos?|degrees?|"
    r"pulgadas?|pies?|cent[i\u00ed]metros?|metros?|segundos?|minutos?|horas?|veces|vez|"
    r"repeticiones|repetici[o\u00f3]n|series?|rondas?|pasos?|respiraciones|respiraci[o\u00f3]n|"
    r"d[i\u00ed]as?|semanas?|libras?|grados?"
)
# A number (12, 2.5, 1,5) and the space after it, when a unit word follows.
_NUMBER_THEN_UNIT = re.compile(
    rf"(?<![\w.,])(\d+(?:[.,]\d+)?) +(?=(?:{_UNITS})(?![\w\u00e1\u00e9\u00ed\u00f3\u00fa\u00f1]))",
    re.IGNORECASE)


# (pure: a batch or a server ties the same steps and tips in handout after handout)
@functools.lru_cache(maxsize=8192)
def tie_units(text: str) -> str:
    """`text` with each number kept on the line of the unit word after it: "about 12 inches"
    never ends a line with "12" and starts the next with "inches"."""
    return _NUMBER_THEN_UNIT.sub(rf"\1{NO_BREAK}", text)


def unbroken(text: str) -> str:
    """`text` as one unit that never breaks across lines (every space a no-break space)."""
    return re.sub(r" +", NO_BREAK, text)
