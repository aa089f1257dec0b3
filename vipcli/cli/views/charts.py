"""Bars in the terminal, for the pictures people would rather look at than read (§18):
a wealth diagnosis's two allocations side by side, a trend month by month.

    存款      当前 ███████████▌          48.00%
              模型 ██████                25.00%

One line per row and series: the row's label on its first line, the series' name, a bar
scaled to the largest value (eighths of a cell, so small differences still show) and the
value as the caller writes it. The bars take whatever width the terminal leaves (§16: 80
columns), measured in cells, so Chinese labels line up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult

EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
MIN_BAR = 10  # cells: below this the bars say too little, so the value column wraps instead


def bar(value: Decimal, top: Decimal, width: int) -> str:
    """A bar of `width` cells for `value` on a scale whose largest value is `top`."""
    if top <= 0 or value <= 0:
        return ""
    eighths = int((value / top * width * 8).to_integral_value())
    eighths = max(eighths, 1)  # a value above zero always shows
    full, part = divmod(min(eighths, width * 8), 8)
    return FULL * full + (EIGHTHS[part] if part else "")


class BarChart:
    """Rows of labelled bars, one line per series; printed with `output.echo`."""

    def __init__(self, title: str | None, series: Sequence[str],
                 rows: Sequence[tuple[str, Sequence[Decimal]]],
                 show: Callable[[Decimal], str]) -> None:
        self.title = title
        self.series = list(series)
        self.rows = [(label, list(values)) for label, values in rows]
        self.show = show

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.cells import cell_len
        from rich.text import Text

        if self.title:
            yield Text(self.title, style="table.title")
        values = [v for _label, row in self.rows for v in row]
        top = max(values, default=Decimal(0))
        label_w = max((cell_len(label) for label, _row in self.rows), default=0)
        series_w = max((cell_len(name) for name in self.series), default=0)
        shown = [[self.show(v) for v in row] for _label, row in self.rows]
        value_w = max((cell_len(s) for row in shown for s in row), default=0)
        width = options.max_width - label_w - series_w - value_w - 4
        for (label, row), texts in zip(self.rows, shown, strict=True):
            for i, (name, value, text) in enumerate(zip(self.series, row, texts, strict=True)):
                head = label if i == 0 else ""
                line = Text(head + " " * (label_w - cell_len(head) + 1))
                if len(self.series) > 1:
                    line.append(name + " " * (series_w - cell_len(name) + 1), style="dim")
                drawn = bar(value, top, max(width, MIN_BAR))
                line.append(drawn, style="cyan" if i == 0 else "magenta")
                padding = max(width, MIN_BAR) - cell_len(drawn) + 1
                line.append(" " * padding + " " * (value_w - cell_len(text)) + text)
                yield line
