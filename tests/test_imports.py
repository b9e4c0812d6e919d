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


def test_only_the_listed_modules_get_stand_ins_and_theirs_still_match():
    code = (
        "import re, routinepress.render\n"
        "import html.parser, reportlab.lib.PyFontify as fontify, reportlab.lib.colors as colors\n"
        "from reportlab.platypus import paragraph\n"
        "print(type(html.parser.attrfind_tolerant).__name__, type(fontify.matchRE).__name__,\n"
        "      type(paragraph._hy_letters_pat).__name__)\n"
        "print(bool(paragraph._hy_letters_pat.match('Hüfte')), bool(paragraph._hy_letters_pat.match('a1')),\n"
        "      colors.toColor('rgb(255, 0, 0)') == colors.red, fontify.matchRE.search('  def f(): pass') is not None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["Pattern", "_PatternOnFirstUse", "_PatternOnFirstUse", "True", "False", "True", "True"]


def test_modules_given_stand_ins_use_their_patterns_only_through_methods():
    """A stand-in is not a re.Pattern: a module listed in render._DEFERRED_IN must never hand one
    of its patterns to re's own functions, nor ask whether something is a re.Pattern. If a
    reportlab upgrade starts to, this fails and the module leaves the list."""
    import importlib
    from pathlib import Path

    from routinepress.render import _DEFERRED_IN

    for name in _DEFERRED_IN:
        source = Path(importlib.import_module(name).__file__).read_text(encoding="utf-8")
        names = set(re.findall(r"^\s*(\w+)\s*=\s*re\.compile\(", source, re.M))
        assert names, name  # (else it has nothing to defer, and needs no place in the list)
        for pattern in names:
            assert not re.search(rf"re\.\w+\(\s*{pattern}\b", source), (name, pattern)
        assert "re.Pattern" not in source and "_pattern_type" not in source, name


def test_reportlab_cjk_wrap_pattern_is_compiled_on_first_use_and_still_works():
    code = (
        "import routinepress.render\n"
        "from reportlab.lib import textsplit\n"
        "print(type(textsplit.rx).__name__, textsplit.rx.sub(r'<\\1>', 'a\u4e2db'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["_PatternOnFirstUse", "a<\u4e2d>b"]
