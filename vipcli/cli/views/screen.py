"""`vip screen`: the counts per qualified tier and the month's changes (§1)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vipcli.cli.output import echo, styled, table
from vipcli.domain.vocabulary import TIER_LABELS

SHOWN = 15  # ids listed per change in the table view; --json has them all


def _ids(ids: list[str]) -> str:
    more = f" … (+{len(ids) - SHOWN})" if len(ids) > SHOWN else ""
    return ", ".join(ids[:SHOWN]) + more


def render(report: Mapping[str, Any]) -> None:
    scope = "every outlet" if report["scope"] == "all" else f"outlet {report['scope']}"
    first, last = report["window"]
    q = report["qualified"]
    counts = [[f"{t} {TIER_LABELS[t]}", f"{q[t]:,}"] for t in ("diamond", "platinum", "gold")]
    counts.append(["none 普通客戶", f"{q['none']:,}"])
    echo(styled((f"Screening {report['month']}", "bold"), f" — {scope}, window {first} … {last}"))
    echo(table(None, ["qualified tier", ("customers", "right")], counts))
    moves = [
        ["newly qualified (potential VIPs)", len(report["newly_qualified"]),
         _ids(report["newly_qualified"])],
        ["upgrade candidates", len(report["upgrade_candidates"]),
         _ids([f"{u['customer_id']} {u['from']}→{u['to']}" for u in report["upgrade_candidates"]])],
        ["downgrade warnings (first month below)", len(report["downgrade_warnings"]),
         _ids(report["downgrade_warnings"])],
        ["downgraded", len(report["downgraded"]),
         _ids([f"{d['customer_id']} {d['from']}→{d['to'] or 'none'}" for d in report["downgraded"]])],
    ]
    echo(table("Changes", ["", ("count", "right"), "customers"], moves))
    echo(f"{report['screened']:,} customers screened.")
    if report.get("missing_months"):
        echo(styled((f"counted as zero (no asset rows): {', '.join(report['missing_months'])}",
                     "yellow")))
