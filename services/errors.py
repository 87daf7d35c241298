from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the user should see. ``code`` is a locale key, ``params`` fill it."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, Any] = params


class AccessDenied(DomainError):
    def __init__(self, code: str = "error.access_denied", **params: Any) -> None:
        super().__init__(code, **params)


class NotFound(DomainError):
    def __init__(self, code: str = "error.not_found", **params: Any) -> None:
        super().__init__(code, **params)
