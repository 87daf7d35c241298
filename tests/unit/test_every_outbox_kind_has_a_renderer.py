"""Every outbox kind a service can write has a renderer, or its rows would fail at send
time (renderers are registered explicitly in bot/ui/notices/__init__.py)."""

from __future__ import annotations

from bot.ui.notices import renderers
from services.outbox import Kind


def test_every_outbox_kind_has_a_renderer() -> None:
    kinds = {value for name, value in vars(Kind).items() if name.isupper()}
    assert len(kinds) > 20
    assert kinds - set(renderers()) == set()
