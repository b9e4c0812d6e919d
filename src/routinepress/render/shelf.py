"""Flowables kept between builds, by what they print: a shelf that one build at a time borrows from.

A batch or a server prints the same exercises at the same dose, and the same at-a-glance
table, in handout after handout. Making those flowables and measuring them was a tenth of a
warm build, and they measure and draw the same every time, so they are kept: a build takes
them off the shelf (gone from it: no two builds, the server's threads, ever hold the same
flowables, whose placing sets state on them) and puts them back once its handout is built.
Flowables that were cut up to be placed (reportlab marks and splits pieces) are not fit to
be placed again and are dropped: the next build makes its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# (key, id of the owner) -> (the owner, flowables). The owner is what the key names by id
# (the styles: a template on a paper size), checked by identity and kept alive with its id.
_SHELF: dict[tuple, tuple[Any, list]] = {}
_LIMIT = 400  # a card is about 40 KB: 16 MB at most


class Borrowed:
    """What one build took from the shelf and made to put on it, put back by `put_back`."""

    def __init__(self) -> None:
        self._held: list[tuple[tuple, Any, list, Callable[[], bool]]] = []

    def take(self, key: tuple, owner: Any) -> list | None:
        kept = _SHELF.pop((*key, id(owner)), None)  # (pop: one taker, whatever the threads)
        return kept[1] if kept is not None and kept[0] is owner else None

    def hold(self, key: tuple, owner: Any, flowables: list, fit_again: Callable[[], bool]) -> None:
        """Put `flowables` on the shelf when the build ends, if `fit_again()` then says they
        may be placed again."""
        self._held.append((key, owner, flowables, fit_again))

    def put_back(self) -> None:
        """After a build that ended (a failed one's flowables are made afresh next time)."""
        for key, owner, flowables, fit_again in self._held:
            if fit_again():
                if len(_SHELF) >= _LIMIT:
                    _SHELF.clear()
                _SHELF[(*key, id(owner))] = (owner, flowables)
        self._held.clear()
