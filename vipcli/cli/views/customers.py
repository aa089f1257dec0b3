"""`vip customers`: the list, never folded (ids, money and phones whole)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import Column, console, table
from vipcli.domain.money import money_str_display
from vipcli.domain.vocabulary import TIER_LABELS


def _label(tier: str | None) -> str:
    return TIER_LABELS.get(tier, "—") if tier else "—"


def render(found: Sequence[Mapping[str, Any]]) -> None:
    show_advisor = any(c["advisor_id"] for c in found)
    rows = [
        [c["customer_id"], c["name"], _label(c["signed_tier"]), _label(c["qualified_tier"]),
         money_str_display(c["adb12"]), c["manager_id"] or "—",
         *([c["advisor_id"] or ""] if show_advisor else []), c["phone"] or ""]
        for c in found
    ]
    columns: list[Column] = [
        "customer", "name", "signed", "qualified", ("ADB12 (CNY)", "right"), "manager",
        *(["advisor"] if show_advisor else []), "phone"]
    tbl = table(f"Customers — {len(found)} shown", columns, rows)
    for column in tbl.columns:
        column.no_wrap = True  # ids, money and phones are never folded
    out = console()
    if not out.is_terminal:
        from rich.console import Console

        # Piped to a file or a pager: the natural width, not 80 columns of "…".
        out = Console(width=200, highlight=False)
    out.print(tbl)
