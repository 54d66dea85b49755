"""The current request's id and address, for audit records written deep inside actions."""

from __future__ import annotations

from contextvars import ContextVar

_request_meta: ContextVar[dict[str, str] | None] = ContextVar("entraide_request_meta", default=None)


def current_request_meta() -> dict[str, str]:
    return _request_meta.get() or {}


def set_request_meta(meta: dict[str, str] | None) -> object:
    return _request_meta.set(meta)


def reset_request_meta(token: object) -> None:
    _request_meta.reset(token)  # type: ignore[arg-type]
