"""`vip due`: the morning list as a table, holidays as header lines (§5)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vipcli.cli.output import echo, table

PRIORITY_MARK = {"retention": "!! retention", "overdue": "overdue", "upcoming": "upcoming"}


def _reason_line(reason: Mapping[str, Any]) -> str:
    late = f", {reason['overdue_days']}d overdue" if reason["overdue_days"] else ""
    return f"{reason['kind']}: {reason['detail']} (due {reason['due_date']}{late})"


def _idea(idea: Mapping[str, Any]) -> str:
    return idea.get("name") or idea.get("product_code") or idea.get("kind") or ""


def render(doc: Mapping[str, Any]) -> None:
    who = doc["staff_id"] or "the outlet"
    week = doc["week"]
    target = "" if week["target"] is None else f"/{week['target']}"
    echo(f"Morning list for {who} on {doc['as_of']} — this week "
         f"{week['contacted']}{target} customers contacted")
    if "outlet" in doc:
        o = doc["outlet"]
        echo(f"Outlet: {o['unreviewed_reports']} unreviewed report(s), "
             f"{o['retention_alerts']} retention alert(s)")
    for h in doc["holidays"]:
        echo(f"Holiday {h['holiday']} on {h['date']}: greet {h['customers']} customer(s)")
    rows = []
    for item in doc["items"]:
        # §5: holidays are one header line each, not repeated on every row.
        lines = [_reason_line(r) for r in item["reasons"] if r["kind"] != "holiday"]
        idea = item.get("idea")
        rows.append([item["customer_id"], item["name"], item["tier"] or "—",
                     PRIORITY_MARK[item["priority"]], "\n".join(lines) or "holiday greeting",
                     item["suggested_channel"],
                     item["suggested_content"] + (f"\nidea: {_idea(idea)}" if idea else "")])
    echo(table(f"{len(doc['items'])} customer(s) to contact",
               ["customer", "name", "tier", "priority", "reasons", "channel", "content"], rows))
