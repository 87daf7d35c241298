"""free_text: a participant's text made safe to show to someone else."""

from __future__ import annotations

import pytest

from bot.ui.render import free_text


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("см. https://a.example/x?a=1&b=2.", "см. <code>https://a.example/x?a=1&amp;b=2</code>."),
        ("пишите @evil_bot!", "пишите <code>@evil_bot</code>!"),
        ("почта a.b@mail.ru", "почта <code>a.b@mail.ru</code>"),
        ("нажмите /start", "нажмите <code>/start</code>"),
        ("вступайте: t.me/joinchat/abc", "вступайте: <code>t.me/joinchat/abc</code>"),
        ("сайт школа.рф", "сайт <code>школа.рф</code>"),
        ("<b>жирно</b> & т.д.", "&lt;b&gt;жирно&lt;/b&gt; &amp; т.д."),
        ("оценка 3.5, в 10.00 и т.п.", "оценка 3.5, в 10.00 и т.п."),
    ],
)
def test_free_text_escapes_html_and_puts_link_like_pieces_in_code(typed: str, shown: str) -> None:
    assert free_text(typed) == shown
