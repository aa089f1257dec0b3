"""Tables on a narrow terminal: money and counts are shown whole, text gives way."""

from __future__ import annotations

import io

from rich.console import Console

from vipcli.cli.output import table
from vipcli.domain.money import money_str_display


def render(width: int, rows: list[list]) -> str:
    out = Console(width=width, record=True, file=io.StringIO())
    out.print(table("t", ["customer", "name", "reason", ("ADB12", "right"), ("n", "right")], rows))
    return out.export_text()


def test_a_right_aligned_column_is_never_cut_short():
    rows = [["C0000887", "陶清龙", "家族信託客戶，資產將轉入本行" * 2,
             money_str_display("4138280.31"), 1234567]]
    text = render(50, rows)
    assert "4,138,280.31" in text and "1234567" in text
    assert "…" in text  # the text columns gave way
    assert "4,138,280.31" in render(120, rows)


def test_cells_and_the_title_are_text_never_markup():
    rows = [["C1", "[/bold]王\x1b[31m", "[red]call back[/red]\x07", "1.00", 1]]
    text = render(120, rows)
    assert "[/bold]王[31m" in text and "[red]call back[/red]" in text
    assert "\x1b" not in text and "\x07" not in text
    out = Console(width=80, record=True, file=io.StringIO())
    out.print(table("Ideas for [/i]李", ["a"], [["x" * 30]]))
    assert "Ideas for [/i]李" in out.export_text()
