from __future__ import annotations


class DomainError(Exception):
    """A refusal the user should see. ``code`` is a locale key, ``params`` fill it."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class AccessDenied(DomainError):
    def __init__(self, code: str = "error.access_denied", **params: object) -> None:
        super().__init__(code, **params)


class NotFound(DomainError):
    def __init__(self, code: str = "error.not_found", **params: object) -> None:
        super().__init__(code, **params)
