"""Terminal bars (§18 pictures): scaled to the largest value, aligned in cells, fit the width."""

from __future__ import annotations

from decimal import Decimal

from rich.cells import cell_len
from rich.console import Console

from vipcli.cli.views.charts import FULL, BarChart, bar


def test_bar_scales_in_eighths():
    assert bar(Decimal(1), Decimal(1), 10) == FULL * 10
    assert bar(Decimal("0.5"), Decimal(1), 10) == FULL * 5
    assert bar(Decimal("0.0625"), Decimal(1), 10) == "▋"  # 5 eighths
    assert bar(Decimal(0), Decimal(1), 10) == ""
    assert bar(Decimal("0.001"), Decimal(1), 10) == "▏"  # above zero always shows


def render(chart, width):
    console = Console(width=width, record=True, color_system=None)
    console.print(chart)
    return console.export_text().splitlines()


def test_two_series_side_by_side_fit_80_columns():
    chart = BarChart("资产配置", ["当前", "模型"],
                     [("存款", [Decimal("0.48"), Decimal("0.25")]),
                      ("贵金属", [Decimal("0"), Decimal("0.10")])],
                     lambda v: f"{v * 100:.2f}%")
    lines = render(chart, 80)
    assert lines[0] == "资产配置"
    assert lines[1].startswith("存款   当前 " + FULL) and lines[1].endswith("48.00%")
    assert lines[3].startswith("贵金属 当前 ") and lines[3].endswith(" 0.00%")
    assert all(cell_len(line) <= 80 for line in lines)
    # the longest bar takes the width left; the others are in proportion
    longest = lines[1].count(FULL)
    assert 60 <= longest and abs(lines[2].count(FULL) - longest * 25 // 48) <= 1


def test_one_series_has_no_series_column():
    lines = render(BarChart(None, ["率"], [("2026-10", [Decimal("0.9")])], str), 40)
    assert lines[0].startswith("2026-10 " + FULL) and "率" not in lines[0]
