"""`vip quickstart`: the demo outlet's morning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from vipcli.cli.output import console, echo, styled, table, tier_label

if TYPE_CHECKING:
    from rich.table import Table

    from vipcli.services.demo import Demo


def _reasons(item: Mapping[str, Any]) -> str:
    parts = []
    for reason in item["reasons"]:
        late = f" +{reason['overdue_days']}d" if reason.get("overdue_days") else ""
        parts.append(f"{reason['kind']}{late}")
    return ", ".join(parts)


def _due_table(title: str, document: Mapping[str, Any]) -> Table:
    rows = [
        [item["customer_id"], item["name"], tier_label(item["tier"]), _reasons(item),
         item["suggested_channel"]]
        for item in document["items"]
    ]
    week = document.get("week") or {}
    caption = f"{title} — contacted this week {week.get('contacted', 0)}/{week.get('target', '?')}"
    return table(caption, ["customer", "name", "tier", "reasons (days overdue)", "channel"], rows)


def render(demo: Demo, view: Mapping[str, Any]) -> None:
    console().rule(styled((f"Demo outlet {demo.outlet_id} — the morning of {demo.as_of}", "bold")))
    if demo.imported:
        loaded = ", ".join(f"{r['kind']} {r['rows']}" for r in demo.imported)
        echo(f"Imported the sample outlet: {loaded}.")
    screening = view.get("screening")
    if screening:
        q = screening["qualified"]
        echo(
            f"Screened {screening['screened']} customers for {screening['month']}: "
            f"{q['diamond']} diamond, {q['platinum']} platinum, {q['gold']} gold; "
            f"{len(screening['newly_qualified'])} newly qualified, "
            f"{len(screening['downgrade_warnings'])} downgrade warnings, "
            f"{len(screening['downgraded'])} downgraded."
        )
    tiers = view["tiers"]
    rows = [
        [tier_label(t if t != "none" else None), tiers["signed_tier"].get(t, 0),
         tiers["qualified_tier"].get(t, 0)]
        for t in ("diamond", "platinum", "gold", "none")
    ]
    echo(table(f"Customers of {demo.outlet_id}", ["tier", ("signed", "right"), ("qualified", "right")], rows))
    echo(_due_table(f"Branch head {demo.head_id}: the outlet's most urgent", view["outlet_due"]))
    echo(_due_table(f"Account manager {demo.manager_id}: today's calls", view["manager_due"]))
    ideas = view.get("ideas")
    if ideas and ideas.get("ideas"):
        idea_rows = [[i["kind"], i.get("product_code") or "—", i["reason"]] for i in ideas["ideas"][:5]]
        echo(table(f"Ideas for the first call ({ideas['customer_id']})", ["kind", "product", "reason"],
                   idea_rows))
    month = (demo.as_of.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")  # last complete
    tries = [
        (f"vip --as {demo.manager_id} due", "the manager's morning list"),
        (f"vip --as {demo.head_id} assign --dry-run", "the branch head's allocation plan"),
        (f"vip --as {demo.head_id} customers --tier diamond", "the outlet's Diamond customers"),
        (f"vip --as {demo.operator_id} screen --month {month}", "the monthly screening, again"),
        ("vip quickstart --force", "rebuild the demo from scratch"),
    ]
    width = max(len(cmd) for cmd, _ in tries) + 2
    lines = "\n".join(f"  {cmd.ljust(width)}# {why}" for cmd, why in tries)
    echo(styled("\n", ("Try it yourself", "bold"), " (the demo data is dated "
                f"{demo.as_of}; VIP_TODAY pins the day):\n"
                f"  export VIP_DB={demo.path} VIP_TODAY={demo.as_of}\n{lines}"))
