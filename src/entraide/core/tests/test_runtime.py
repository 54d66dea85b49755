"""The garbage collector's policy (entraide.core.runtime)."""

from __future__ import annotations

import gc

import pytest
from django.conf import settings

from entraide.core.env import ConfigurationError
from entraide.core.runtime import DEFAULT_THRESHOLD, settle, threshold_from_env


def test_the_running_process_has_the_configured_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    assert gc.get_threshold() == settings.ENTRAIDE_GC_THRESHOLD
    monkeypatch.delenv("ENTRAIDE_GC_THRESHOLD", raising=False)
    assert threshold_from_env() == DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", DEFAULT_THRESHOLD), ("700,10,10", (700, 10, 10)), ("20000", (20000,)), (" 1000 , 5 ", (1000, 5))],
)
def test_threshold_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str, expected: tuple[int, ...]) -> None:
    monkeypatch.setenv("ENTRAIDE_GC_THRESHOLD", value)
    assert threshold_from_env() == expected


@pytest.mark.parametrize("value", ["lots", "1,2,3,4", "-1", "700,ten", "3000000000"])
def test_a_bad_threshold_stops_the_start_naming_the_variable(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("ENTRAIDE_GC_THRESHOLD", value)
    with pytest.raises(ConfigurationError, match="ENTRAIDE_GC_THRESHOLD"):
        threshold_from_env()


def test_settle_moves_the_live_objects_out_of_the_collectors_rounds() -> None:
    kept = [[n] for n in range(1000)]  # tracked containers, alive
    before = gc.get_freeze_count()
    try:
        settle()
        assert gc.get_freeze_count() >= before + len(kept)
        assert id(kept[0]) not in {id(x) for x in gc.get_objects(generation=2)}
    finally:
        gc.unfreeze()
