"""`vip assign` and `vip handover`: the moves, the loads against capacity, staffing (§2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from vipcli.cli.output import echo, info, styled, table
from vipcli.domain.money import money_str_display

if TYPE_CHECKING:
    from rich.text import Text

BAR_CELLS = 10


def render_plan(doc: Mapping[str, Any], plan_out: str | None = None) -> None:
    """A plan, an applied plan or a handover."""
    moves = [
        [m["customer_id"], m.get("tier") or "—", money_str_display(m.get("adb12")), m["role"],
         f"{m['previous_staff_id'] or '(none)'} → {m['staff_id']}", m.get("reason") or ""]
        for m in doc["assignments"]
    ]
    if moves:
        echo(table(f"Moves at {doc['outlet']}", ["customer", "tier", ("ADB12", "right"), "role",
                                                 "from → to", "why"], moves))
    else:
        info("No changes: every customer already has an eligible holder.")
    loads = [[x["staff_id"], x["role"], _bar(x["load"]), f"{x['load']}/{x['capacity']}"]
             for x in doc["loads"] or []]
    echo(table("Loads against capacity", ["staff", "role", "load", ("load/capacity", "right")], loads))
    for line in _staffing_lines(doc):
        info(line)
    if plan_out:
        info(f"Plan saved to {plan_out}; review it, then: vip assign --apply {plan_out}")
    elif doc.get("dry_run"):
        info("Dry run: nothing was written.")


def _bar(load: str) -> str:
    filled = min(BAR_CELLS, round(float(load) * BAR_CELLS))
    return "█" * filled + "░" * (BAR_CELLS - filled) + ("+" if float(load) > 1 else "")


def _staffing_lines(doc: Mapping[str, Any]) -> list[Text]:
    lines = []
    names = {"account_managers": "account managers", "advisors": "advisors"}
    for key, gap in (doc.get("staffing") or {}).items():
        line = (f"Staffing: the ratios call for {gap['required']} {names[key]}; "
                f"{gap['available']} active (capacity {gap.get('capacity', '?')}).")
        lines.append(styled(("Understaffed", "red"), f" — {line}") if gap.get("understaffed")
                     else styled(line))
    if doc.get("overflow"):
        lines.append(styled((f"Over capacity after this plan (took overflow): "
                             f"{', '.join(doc['overflow'])}", "red")))
    if doc.get("unassigned"):
        ids = ", ".join(f"{u['customer_id']} ({u['role']})" for u in doc["unassigned"][:20])
        lines.append(styled((f"No eligible active staff for: {ids}", "red")))
    return lines
