"""Reading a built PDF back the way a test needs it: text per page, sizes, boxes, pixels."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium


def squash(text: str) -> str:
    """Whitespace-insensitive form, so a phrase wrapped over two lines still matches."""
    return re.sub(r"\s+", " ", text).strip()


def page_lines(page) -> list[str]:
    """A pdfplumber page's text as lines, top to bottom (words within 2 pt of a line's top)."""
    lines: list[list[dict]] = []
    for word in sorted(page.extract_words(), key=lambda w: (w["top"], w["x0"])):
        if lines and word["top"] - lines[-1][0]["top"] < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [" ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])) for line in lines]


@dataclass
class ReadPdf:
    path: Path

    @cached_property
    def pages_text(self) -> list[str]:
        doc = pdfium.PdfDocument(str(self.path))
        try:
            return [squash(doc[i].get_textpage().get_text_range()) for i in range(len(doc))]
        finally:
            doc.close()

    @cached_property
    def pages_lines(self) -> list[list[str]]:
        """Each page's lines in the order they are drawn: a paragraph's lines one after the
        other, so a line break inside a phrase shows (where columns make page_lines mix them)."""
        doc = pdfium.PdfDocument(str(self.path))
        try:
            return [doc[i].get_textpage().get_text_range().replace("\xa0", " ").splitlines()
                    for i in range(len(doc))]
        finally:
            doc.close()

    @property
    def text(self) -> str:
        return " ".join(self.pages_text)

    @property
    def page_count(self) -> int:
        return len(self.pages_text)

    def pages_with(self, phrase: str) -> list[int]:
        phrase = squash(phrase)
        return [i for i, t in enumerate(self.pages_text) if phrase in t]

    def plumber(self):
        return pdfplumber.open(str(self.path))

    def checkbox_count(self, size: float, tolerance: float = 0.6) -> int:
        """Squares of the tracker's box size drawn as page content."""
        with self.plumber() as pdf:
            return sum(
                1 for page in pdf.pages for r in page.rects
                if abs(r["width"] - size) < tolerance and abs(r["height"] - size) < tolerance
            )

    def render(self, page: int, scale: float = 1.0):
        doc = pdfium.PdfDocument(str(self.path))
        try:
            return doc[page].render(scale=scale).to_pil()
        finally:
            doc.close()
