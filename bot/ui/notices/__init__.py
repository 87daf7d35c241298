"""Rendering outbox rows into messages, at send time (so names are never stale).

Each module in this package exposes ``RENDERERS: dict[str, Renderer]`` for its kinds
(services.outbox.Kind), and is listed in ``renderers()`` below. A renderer returns None
when the row has become pointless (the meeting was cancelled, the feedback was given):
the sender then cancels it. The scheduler imports this package, never handlers.
"""

from __future__ import annotations

from bot.ui.notices.base import Notice, Renderer


def renderers() -> dict[str, Renderer]:
    from bot.ui.notices import (
        agreement,
        club,
        digest,
        endings,
        feedback,
        hours,
        meetings,
        nudges,
        pairs,
        panel,
        privacy,
        registration,
        surveys,
    )

    found: dict[str, Renderer] = {}
    for module in (
        agreement,
        club,
        digest,
        endings,
        feedback,
        hours,
        meetings,
        nudges,
        pairs,
        panel,
        privacy,
        registration,
        surveys,
    ):
        for kind, renderer in module.RENDERERS.items():
            if kind in found:
                raise RuntimeError(f"two renderers for outbox kind {kind!r}")
            found[kind] = renderer
    return found


__all__ = ["Notice", "Renderer", "renderers"]
