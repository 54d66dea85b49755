"""API plumbing shared by every app: one error shape, ``{"detail", "code", "fields"?}``, for every endpoint."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from entraide.core.errors import ActionError


def _drf_default(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ActionError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


def _flatten(detail: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(detail, dict):
        out: dict[str, str] = {}
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(detail, list):
        if detail and all(isinstance(item, dict | list) for item in detail):
            out = {}
            for index, item in enumerate(detail):
                out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
            return out
        return {prefix or "non_field_errors": " ".join(str(item) for item in detail)}
    return {prefix or "non_field_errors": str(detail)}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """One shape for every error: ``{"detail", "code", "fields"?}``, like ``ActionError.as_dict``."""
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        general = fields.pop("non_field_errors", "")
        data: dict[str, Any] = {
            "detail": general or str(_("The data sent is invalid: correct the fields marked.")),
            "code": "invalid",
        }
        if fields:
            data["fields"] = fields
        return Response(data, status=400)
    if isinstance(exc, exceptions.ParseError):
        return Response(
            {
                "detail": str(_("The request body could not be read: {error}")).format(error=exc.detail),
                "code": "parse_error",
            },
            status=400,
        )
    response = _drf_default(exc, context)
    if response is not None and isinstance(response.data, dict) and "code" not in response.data:
        code = getattr(exc, "default_code", None) or ("not_found" if response.status_code == 404 else "error")
        response.data["code"] = code
    return response
