"""What routinepress does to keep imports cheap must not change what the imported code does."""

from __future__ import annotations

import re
import subprocess
import sys


def test_reportlab_url_pattern_is_compiled_on_first_use_and_still_matches():
    code = (
        "import re; compile_before = re.compile\n"
        "import routinepress.render.styles\n"
        "from reportlab.platypus import paragraph\n"
        "assert re.compile is compile_before\n"
        "pat = paragraph.uri_pat\n"
        "print(type(pat).__name__)\n"
        "print(bool(pat.match('https://example.org/a?b=1')), bool(pat.match('not a link')))\n"
        "print(pat.pattern == re.compile(pat.pattern, pat.flags).pattern)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["_PatternOnFirstUse", "True", "False", "True"]


def test_only_costly_patterns_are_deferred():
    from routinepress.render import _costly

    assert _costly("[a-z\xa1-\uffff]", re.IGNORECASE)
    assert _costly("([\u2e80-\uffff])", re.UNICODE)  # a table of 53,000 code points
    assert not _costly("[a-z\xa1-\u2000]", 0)  # no case folding, a short range: compiles fast
    assert not _costly("[a-z]+", re.IGNORECASE)
    assert not _costly("[\u1680\u2000-\u200a]+", 0)  # reportlab's white space, used in every paragraph


def test_reportlab_cjk_wrap_pattern_is_compiled_on_first_use_and_still_works():
    code = (
        "import routinepress.render\n"
        "from reportlab.lib import textsplit\n"
        "print(type(textsplit.rx).__name__, textsplit.rx.sub(r'<\\1>', 'a\u4e2db'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["_PatternOnFirstUse", "a<\u4e2d>b"]
