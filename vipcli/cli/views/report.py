"""`vip report …`: the communication reports, compliance, weekly review and retention."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import Column, echo, table, tier_label
from vipcli.cli.views.opp import render_conversion
from vipcli.domain.money import money_str_display as money

TOP_CONTRIBUTORS = 20


def render_reports(rows: Sequence[Mapping[str, Any]]) -> None:
    body = [[r["report_id"], r["at"][:16], r["staff_id"], r["customer_id"], r["channel"],
             r["key_points"] or r["summary"],
             r["next_plan"] and f"{r['next_plan']} ({r['next_date']})",
             r["reviewed_by"] and f"{r['reviewed_by']}: {r['review_comment']}"] for r in rows]
    echo(table(f"Communication reports ({len(rows)})",
               [("id", "right"), "at", "staff", "customer", "channel", "key points",
                "next step", "review"], body))


def _week_cell(week: Mapping[str, Any]) -> str:
    if week["target"] is None:
        return f"{week['week']}: {week['contacted']}"
    return f"{week['week']}: {week['contacted']}/{week['target']}" + (" ✓" if week["met"] else "")


def render_compliance(doc: Mapping[str, Any]) -> None:
    rows = []
    for mgr in doc["managers"]:
        for t in mgr["tiers"]:
            if not t["customers"]:
                continue
            monthly = "—" if t["monthly_met"] is None else f"{t['monthly_met']}/{t['customers']}"
            rows.append([mgr["staff_id"], mgr["name"], t["tier"], t["customers"], monthly,
                         f"{t['quarterly_met']}/{t['customers']}"])
    echo(table(f"Contact compliance {doc['month']} (quarter {doc['quarter'][0]} – "
               f"{doc['quarter'][1]})",
               ["staff", "name", "tier", ("customers", "right"), ("monthly cadence", "right"),
                ("quarterly", "right")], rows))
    weeks = [[mgr["staff_id"], *(_week_cell(w) for w in mgr["weeks"]),
              "—" if mgr["weeks_met"] is None else f"{mgr['weeks_met']}/{len(mgr['weeks'])}"]
             for mgr in doc["managers"]]
    width = max((len(m["weeks"]) for m in doc["managers"]), default=0)
    echo(table("Weekly rule (distinct customers contacted per ISO week)",
               ["staff", *[f"week {i + 1}" for i in range(width)], "weeks met"], weeks))


def render_weekly(doc: Mapping[str, Any]) -> None:
    cols: list[Column] = [
        "staff", "name", ("opened", "right"), ("amount", "right"), ("advanced", "right"),
        ("won", "right"), ("won amount", "right"), ("lost", "right"), ("lost amount", "right"),
        ("contacts", "right"), ("signings", "right"), ("overdue", "right"), "targets"]
    people = [dict(p, rule=f"{p['contacts']}/{p['contact_rule']}" if p["contact_rule"] else
                   str(p["contacts"])) for p in doc["managers"]]
    if doc["outlet"]:
        people.append(dict(doc["outlet"], staff_id=doc["outlet"]["branch_id"], name="outlet total",
                           rule=str(doc["outlet"]["contacts"])))
    rows = [[p["staff_id"], p["name"], p["opened"], money(p["opened_amount"]), p["advanced"],
             p["won"], money(p["won_amount"]), p["lost"], money(p["lost_amount"]), p["rule"],
             p["signings"], p["overdue_followups"],
             ", ".join(f"{k} {t['actual']}/{t['target']}{'' if t['met'] else ' ✗'}"
                       for k, t in p["targets"].items())] for p in people]
    echo(table(f"Weekly review {doc['week']} ({doc['from']} – {doc['to']})", cols, rows))
    render_conversion(doc["conversion_by_kind"])


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def render_retention(doc: Mapping[str, Any]) -> None:
    rows = [[tier_label(t), f["start"], f["retained"], f["downgraded"], f["lost"], _pct(f["rate"])]
            for t, f in doc["by_tier"].items()]
    total = doc["total"]
    rows.append(["total", total["start"], total["retained"], total["downgraded"], total["lost"],
                 _pct(total["rate"])])
    echo(table(f"Retention {doc['from']} → {doc['to']}",
               ["tier", ("at start", "right"), ("retained", "right"), ("downgraded", "right"),
                ("lost", "right"), ("rate", "right")], rows))
    losses = [("lost", r) for r in doc["lost"]] + [("downgraded", r) for r in doc["downgraded"]]
    if losses:
        echo(table(f"Lost or downgraded — assets lost {money(doc['assets_lost'])}",
                   ["customer", "name", "what", "from", "to", ("assets drop", "right")],
                   [[r["customer_id"], r["name"], what, r["from_tier"], r["to_tier"] or "—",
                     money(r["assets_drop"])] for what, r in losses]))
    shown = doc["customers"][:TOP_CONTRIBUTORS]
    title = "Contribution and loyalty (§11)" + (
        f" — top {len(shown)} of {len(doc['customers'])}; --json for all"
        if len(shown) < len(doc["customers"]) else "")
    echo(table(title,
               ["customer", "name", "tier", ("ADB12", "right"), ("share", "right"),
                ("held", "right"), ("prod", "right"), ("months", "right"), ("ct/mo", "right")],
               [[c["customer_id"], c["name"], c["tier"], money(c["adb12"]), _pct(c["adb12_share"]),
                 c["holdings"], c["products"], "—" if c["tenure_months"] is None
                 else c["tenure_months"], c["contacts_per_month"]] for c in shown]))
    echo("held: current holdings · prod: distinct products · months: tenure at the signed "
         "tier · ct/mo: contacts a month over the last 12 months")
