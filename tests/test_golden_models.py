"""The model of each golden spec equals its reviewed JSON (regenerate with `make golden`)."""

from __future__ import annotations

import pytest
from golden_models import SPECS, expected, model_json


def test_there_are_golden_specs():
    assert len(SPECS) >= 4


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_model_matches_golden(spec):
    assert model_json(spec) == expected(spec), f"run `make golden` and review the diff of {spec.name}"
