"""The model of each golden spec equals its reviewed JSON (regenerate with `make golden`)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from golden_models import SPECS, expected, model, model_json


def test_there_are_golden_specs():
    assert len(SPECS) >= 4


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_model_matches_golden(spec):
    assert model_json(spec) == expected(spec), f"run `make golden` and review the diff of {spec.name}"


def _fields_as_dicts(value):
    """The reference dump, written the slow, obvious way: every record (a NamedTuple) as a dict
    of its fields by way of _asdict, every tuple and list walked, every dict copied."""
    if hasattr(value, "_asdict"):
        return {name: _fields_as_dicts(item) for name, item in value._asdict().items()}
    if isinstance(value, (tuple, list)):
        return type(value)(_fields_as_dicts(item) for item in value)
    if isinstance(value, Mapping):
        return {key: _fields_as_dicts(item) for key, item in value.items()}
    return value


@pytest.mark.parametrize("spec", SPECS[:3], ids=lambda p: p.stem)
def test_the_models_dump_is_every_record_as_a_dict_of_its_fields(spec):
    """Handout.to_json walks the model itself, for speed; it must give the reference dump,
    the same values of the same types (tuples stay tuples, records become dicts)."""
    handout = model(spec)
    assert handout.to_json() == _fields_as_dicts(handout)
    assert repr(handout.to_json()) == repr(_fields_as_dicts(handout))
    assert isinstance(handout.to_json()["sections"][0]["cards"][0], dict)


def test_a_handout_made_without_a_clinician_dumps_an_empty_dict():
    """The read-only default a record shares is still dumped as a plain dict (JSON-ready)."""
    import json

    from routinepress.model import Handout, Tracker

    handout = Handout("T", "en", {}, (), (), (), Tracker(0, False, (), (), ()))
    assert handout.to_json()["clinician"] == {}
    json.dumps(handout.to_json())
