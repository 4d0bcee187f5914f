"""API errors as kwokbook errors (no ``kubernetes`` import here)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from ..errors import ClusterError, WatchGoneError

_HINTS = {
    401: "the kubeconfig's credentials were rejected (expired token or certificate?)",
    403: "the kubeconfig's user lacks RBAC permission for this",
    404: "it does not exist (for Stages: is the Stage CRD installed? kwokctl --enable-crds=Stage)",
    409: "someone else changed it first; read it again and retry",
    422: "the server rejected the object or patch as invalid",
    429: "the API server is overloaded; retry later",
    503: "the API server is not ready (starting up?)",
}


class ApiError(ClusterError):
    """The API server answered with an HTTP error status (``status``, ``reason`` from its Status)."""

    def __init__(self, message: str, status: int, reason: str = "", hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status
        self.reason = reason


class GoneError(ApiError, WatchGoneError):
    """410 Gone: the requested resourceVersion is too old; re-list."""


def api_error(status: int, body: bytes | str | None, what: str, *, server: str = "") -> ApiError:
    """One error from a failed call: the server's Status message when it sent one."""
    message, reason = "", ""
    try:
        st = json.loads(body or b"{}")
        if isinstance(st, Mapping):
            message = str(st.get("message") or "")
            reason = str(st.get("reason") or "")
    except (ValueError, TypeError):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body or "")
        message = text.strip()[:300]
    text = f"{what}: {message or reason or 'error'} (HTTP {status}{', ' + reason if reason else ''})"
    cls = GoneError if status == 410 else ApiError
    return cls(text, status, reason, _HINTS.get(status))


def status_of(e: BaseException) -> int | None:
    return e.status if isinstance(e, ApiError) else None
