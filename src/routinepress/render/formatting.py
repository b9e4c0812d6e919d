"""reportlab's two smallest steps of writing a PDF file, with their answers kept per process.

Saving a handout formats each object's dictionary: every key goes through `PDFName`, which
checks a name character by character, and every number, name and reference through
`pdfdocEnc`, which encodes text with a codec written in Python. A warm build spent about a
twentieth of its time in the two, on the same few hundred short strings document after
document (Type, Font, Resources, 0, 612, "12 0 R"...). Both answer from their text alone,
so each answer is kept. document.py installs them in reportlab's pdfdoc module, whose
functions look both names up at each call; tests/test_internals.py checks that a build
uses them and that they answer as reportlab's own.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfdoc

_reportlab_name = pdfdoc.PDFName
_reportlab_encoding = pdfdoc.pdfdocEnc
_NAMES: dict[str, str] = {}
_ENCODED: dict[str, bytes] = {}
_KEPT = 8192  # strings of each kind; both are emptied when full
_LONGEST = 120  # longer text (a title, a long name) is rare in a document and not kept
counts = {"names": 0, "encoded": 0}  # answers made (for the tests)


def pdf_name(data, *bounds):
    """reportlab's PDFName (a string as a PDF name, "/Name", escaping what needs it), kept."""
    if bounds or type(data) is not str or len(data) > _LONGEST:
        return _reportlab_name(data, *bounds)
    return _kept(_NAMES, data, _reportlab_name, "names")


def pdfdoc_encoded(text):
    """reportlab's pdfdocEnc (text as PDFDocEncoding bytes; bytes as they are), kept."""
    if type(text) is not str or len(text) > _LONGEST:
        return _reportlab_encoding(text)
    return _kept(_ENCODED, text, _reportlab_encoding, "encoded")


def _kept(answers: dict, text: str, answer_for, kind: str):
    # Read once into a local: another thread may empty the dict between two lines here.
    answer = answers.get(text)
    if answer is None:
        answer = answer_for(text)
        counts[kind] += 1
        if len(answers) >= _KEPT:
            answers.clear()
        answers[text] = answer
    return answer


def install() -> None:
    pdfdoc.PDFName = pdf_name
    pdfdoc.pdfdocEnc = pdfdoc_encoded
