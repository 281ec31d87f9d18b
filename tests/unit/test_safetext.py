"""one_line: payload text printed on one line, nothing invisible, nothing that acts on a terminal."""

from __future__ import annotations

from gscontract.safetext import one_line


def test_line_breaks_and_controls_show_as_json_escapes() -> None:
    assert one_line("a\nb\r\tc\x00\x1b[2J\x7f\x9b") == "a\\nb\\r\\tc\\u0000\\u001b[2J\\u007f\\u009b"


def test_unicode_line_separators_and_bidi_controls_are_escaped() -> None:
    assert one_line("x\u2028y\u2029\u202eevil\u2066") == "x\\u2028y\\u2029\\u202eevil\\u2066"


def test_printable_text_is_left_alone() -> None:
    text = "C:\\payloads\\ünïcödé \u2013 漢字 `code` 'quoted'"
    assert one_line(text) == text
