"""The one error type actions raise: a message for the user, optional per-field messages, an HTTP status."""

from __future__ import annotations

from django.utils.functional import Promise


class ActionError(Exception):
    def __init__(
        self,
        message: str | Promise,
        *,
        fields: dict[str, str | Promise] | None = None,
        status: int = 400,
        code: str = "invalid",
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.fields = fields or {}
        self.status = status
        self.code = code

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"detail": str(self.message), "code": self.code}
        if self.fields:
            data["fields"] = {k: str(v) for k, v in self.fields.items()}
        return data


class Forbidden(ActionError):
    def __init__(self, message: str | Promise) -> None:
        super().__init__(message, status=403, code="forbidden")


class Conflict(ActionError):
    def __init__(self, message: str | Promise, *, code: str = "conflict") -> None:
        super().__init__(message, status=409, code=code)
