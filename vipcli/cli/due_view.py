"""Rich rendering of the morning list and the compliance report (imported only to render)."""

from __future__ import annotations

from vipcli.cli import output
from vipcli.cli.output import console

PRIORITY_MARK = {"retention": "!! retention", "overdue": "overdue", "upcoming": "upcoming"}


def table(title: str, columns: list, rows: list[list]):
    """output.table with every cell literal: names, summaries and key points are free
    text that may hold square brackets, which Rich would read as markup."""
    from rich.markup import escape

    return output.table(title, columns, [[None if c is None else escape(str(c)) for c in row]
                                         for row in rows])


def _reason_line(reason: dict) -> str:
    late = f", {reason['overdue_days']}d overdue" if reason["overdue_days"] else ""
    return f"{reason['kind']}: {reason['detail']} (due {reason['due_date']}{late})"


def _idea(idea: dict) -> str:
    return idea.get("name") or idea.get("product_code") or idea.get("kind") or ""


def render_due(doc: dict) -> None:
    out = console()
    who = doc["staff_id"] or "the outlet"
    week = doc["week"]
    target = "" if week["target"] is None else f"/{week['target']}"
    out.print(f"Morning list for {who} on {doc['as_of']} — this week "
              f"{week['contacted']}{target} customers contacted")
    if "outlet" in doc:
        o = doc["outlet"]
        out.print(f"Outlet: {o['unreviewed_reports']} unreviewed report(s), "
                  f"{o['retention_alerts']} retention alert(s)")
    for h in doc["holidays"]:
        out.print(f"Holiday {h['holiday']} on {h['date']}: greet {h['customers']} customer(s)")
    rows = []
    for item in doc["items"]:
        # §5: holidays are one header line each, not repeated on every row.
        lines = [_reason_line(r) for r in item["reasons"] if r["kind"] != "holiday"]
        idea = item.get("idea")
        rows.append([item["customer_id"], item["name"], item["tier"] or "—",
                     PRIORITY_MARK[item["priority"]], "\n".join(lines) or "holiday greeting",
                     item["suggested_channel"],
                     item["suggested_content"] + (f"\nidea: {_idea(idea)}" if idea else "")])
    out.print(table(f"{len(doc['items'])} customer(s) to contact",
                    ["customer", "name", "tier", "priority", "reasons", "channel", "content"], rows))


def _week_cell(week: dict) -> str:
    if week["target"] is None:
        return f"{week['week']}: {week['contacted']}"
    return f"{week['week']}: {week['contacted']}/{week['target']}" + (" ✓" if week["met"] else "")


def render_compliance(doc: dict) -> None:
    out = console()
    rows = []
    for mgr in doc["managers"]:
        for t in mgr["tiers"]:
            if not t["customers"]:
                continue
            monthly = "—" if t["monthly_met"] is None else f"{t['monthly_met']}/{t['customers']}"
            rows.append([mgr["staff_id"], mgr["name"], t["tier"], t["customers"], monthly,
                         f"{t['quarterly_met']}/{t['customers']}"])
    out.print(table(f"Contact compliance {doc['month']} (quarter {doc['quarter'][0]} – "
                    f"{doc['quarter'][1]})",
                    ["staff", "name", "tier", ("customers", "right"), ("monthly cadence", "right"),
                     ("quarterly", "right")], rows))
    weeks = [[mgr["staff_id"], *(_week_cell(w) for w in mgr["weeks"]),
              "—" if mgr["weeks_met"] is None else f"{mgr['weeks_met']}/{len(mgr['weeks'])}"]
             for mgr in doc["managers"]]
    width = max((len(m["weeks"]) for m in doc["managers"]), default=0)
    out.print(table("Weekly rule (distinct customers contacted per ISO week)",
                    ["staff", *[f"week {i + 1}" for i in range(width)], "weeks met"], weeks))


def render_reports(rows: list[dict]) -> None:
    body = [[r["report_id"], r["at"][:16], r["staff_id"], r["customer_id"], r["channel"],
             r["key_points"] or r["summary"],
             r["next_plan"] and f"{r['next_plan']} ({r['next_date']})",
             r["reviewed_by"] and f"{r['reviewed_by']}: {r['review_comment']}"] for r in rows]
    console().print(table(f"Communication reports ({len(rows)})",
                          [("id", "right"), "at", "staff", "customer", "channel", "key points",
                           "next step", "review"], body))
