"""Tables on a narrow terminal: nothing is cut; money, ids and counts are shown whole."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console

from vipcli.cli.output import table
from vipcli.domain.money import money_str_display


def render(width: int, rows: list[list]) -> str:
    out = Console(width=width, record=True, file=io.StringIO())
    out.print(table("t", ["customer", "name", "reason", ("ADB12", "right"), ("n", "right")], rows))
    return out.export_text()


def in_order(wanted: str, text: str) -> bool:
    """Every character of `wanted` appears in `text`, in order."""
    rest = iter(text)
    return all(ch in rest for ch in wanted)


def test_nothing_is_cut_short_on_a_narrow_terminal():
    reason = "家族信託客戶，資產將轉入本行" * 2
    rows = [["C0000887", "陶清龙", reason, money_str_display("4138280.31"), 1234567]]
    for width in (50, 80, 120):
        text = render(width, rows)
        assert "4,138,280.31" in text and "1234567" in text and "C0000887" in text
        assert "…" not in text
        assert in_order(reason, text)  # wrapped, never shortened
        assert max(cell_len(line) for line in text.splitlines()) <= width


def test_cells_and_the_title_are_text_never_markup():
    rows = [["C1", "[/bold]王\x1b[31m", "[red]call back[/red]\x07", "1.00", 1]]
    text = render(120, rows)
    assert "[/bold]王[31m" in text and "[red]call back[/red]" in text
    assert "\x1b" not in text and "\x07" not in text
    out = Console(width=80, record=True, file=io.StringIO())
    out.print(table("Ideas for [/i]李", ["a"], [["x" * 30]]))
    assert "Ideas for [/i]李" in out.export_text()


def test_a_money_column_is_right_aligned():
    from rich.console import Console

    from vipcli.cli.output import table

    console = Console(width=100, record=True)
    console.print(table("x", [("Name", "left"), ("Amount", "right")],
                        [["a", "1.00"], ["b", "1,000,000.00"]]))
    lines = console.export_text().splitlines()
    assert any(line.endswith("│         1.00 │") for line in lines), lines
