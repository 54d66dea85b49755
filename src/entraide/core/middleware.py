"""Request id: every request gets one, echoed in the response and written into audit records."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from entraide.core.context import reset_request_meta, set_request_meta


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if 8 <= len(incoming) <= 64 and incoming.replace("-", "").isalnum() else ""
        request.request_id = request_id or uuid.uuid4().hex  # type: ignore[attr-defined]
        token = set_request_meta({"request_id": request.request_id, "address": client_address(request)})  # type: ignore[attr-defined]
        try:
            response = self.get_response(request)
        finally:
            reset_request_meta(token)
        response["X-Request-Id"] = request.request_id  # type: ignore[attr-defined]
        return response


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:64]
