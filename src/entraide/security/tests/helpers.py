"""Test helpers: point the master key configuration at given keys."""

from __future__ import annotations

from typing import Any


def use_keys(monkeypatch: Any, current: str, *previous: str) -> None:
    monkeypatch.delenv("ENTRAIDE_MASTER_KEY_FILE", raising=False)
    monkeypatch.delenv("ENTRAIDE_PREVIOUS_MASTER_KEYS_FILE", raising=False)
    monkeypatch.setenv("ENTRAIDE_MASTER_KEY", current)
    if previous:
        monkeypatch.setenv("ENTRAIDE_PREVIOUS_MASTER_KEYS", ",".join(previous))
    else:
        monkeypatch.delenv("ENTRAIDE_PREVIOUS_MASTER_KEYS", raising=False)
