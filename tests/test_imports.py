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
    assert not _costly("[a-z\xa1-\uffff]", 0)  # no case folding: compiles fast
    assert not _costly("[a-z]+", re.IGNORECASE)
