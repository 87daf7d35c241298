"""What went wrong with one cell: a locale key and its parameters, rendered by bot/ui."""

from __future__ import annotations

from typing import Any


class CellError(ValueError):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, Any] = params
