"""Helpers the matching tests share."""

from __future__ import annotations

from typing import Any

from entraide.cases import actions as case_actions


def add_suspect(case: Any, actor: Any, name: str, **extra: Any) -> Any:
    return case_actions.add_subject(case, actor=actor, kind="person", role="suspect", name=name, **extra)
