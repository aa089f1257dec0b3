"""The one presentation layer: --json prints the one document, otherwise the renderer runs;
strings from the data reach the terminal as plain text."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from vipcli.cli import output


def test_json_prints_one_document_and_skips_the_renderer(capsys):
    rendered = []
    output.present({"as_of": dt.date(2026, 11, 27), "adb12": Decimal("1.50")}, as_json=True,
                   render=rendered.append)
    assert json.loads(capsys.readouterr().out) == {"as_of": "2026-11-27", "adb12": "1.50"}
    assert rendered == []


def test_without_json_the_renderer_gets_the_result(capsys):
    rendered = []
    output.present({"id": 1}, as_json=False, render=rendered.append)
    assert rendered == [{"id": 1}] and capsys.readouterr().out == ""


def test_a_document_function_builds_the_json_from_the_result(capsys):
    output.present([3, 1, 2], as_json=True, render=print, document=sorted)
    assert json.loads(capsys.readouterr().out) == [1, 2, 3]


def test_clean_drops_control_characters_but_keeps_lines_and_tabs():
    assert output.clean("王\x1b[31m\x07\r\x9b1m\x7f") == "王[31m1m"
    assert output.clean("a\tb\nc") == "a\tb\nc"
    assert output.clean(12) == "12"


def test_styled_parts_are_literal():
    line = output.styled(("[/bold]王", "bold"), " [red]x\x1b")
    assert line.plain == "[/bold]王 [red]x"
    assert [(span.start, span.end, str(span.style)) for span in line.spans] == [(0, 8, "bold")]


def test_echo_and_info_print_strings_literally(capsys, monkeypatch):
    monkeypatch.setattr(output, "_console", None)
    monkeypatch.setattr(output, "_err_console", None)
    output.echo("[/bold]王\x1b[31m")
    output.info("[bold]note[/bold]")
    captured = capsys.readouterr()
    assert captured.out == "[/bold]王[31m\n" and captured.err == "[bold]note[/bold]\n"
