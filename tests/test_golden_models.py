"""The model of each golden spec equals its reviewed JSON (regenerate with `make golden`)."""

from __future__ import annotations

import pytest
from golden_models import SPECS, expected, model, model_json


def test_there_are_golden_specs():
    assert len(SPECS) >= 4


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_model_matches_golden(spec):
    assert model_json(spec) == expected(spec), f"run `make golden` and review the diff of {spec.name}"


@pytest.mark.parametrize("spec", SPECS[:3], ids=lambda p: p.stem)
def test_the_models_dump_is_exactly_dataclasses_asdict(spec):
    """Handout.to_json walks the model itself, for speed; it must give what asdict gives,
    the same values of the same types (tuples stay tuples), for every golden spec."""
    import dataclasses

    handout = model(spec)
    assert handout.to_json() == dataclasses.asdict(handout)
    assert repr(handout.to_json()) == repr(dataclasses.asdict(handout))
