"""`vip screen`: the monthly tier screening (SPEC §1), run by cron or by a branch head.

Also registers the lifecycle commands (`sign`, `decline`, `admit`, `approvals`,
`approve`, `reject`, `risk …`) from `lifecycle_cmd`.
"""

from __future__ import annotations

import typer

from vipcli.cli import lifecycle_cmd
from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT

SHOWN = 15  # ids listed per change in the table view; --json has them all


def screen_cmd(
    month: str = typer.Option(
        None, "--month", metavar="YYYY-MM", help="Month to screen (default: the last complete month)."
    ),
    allow_missing_months: bool = typer.Option(
        False, "--allow-missing-months",
        help="Screen even if a month of the window has no asset rows (counted as zero).",
    ),
    quiet: bool = typer.Option(False, "--quiet", help="Print nothing but errors (for cron)."),
    as_json: bool = json_option(),
) -> None:
    """Screen every customer's ADB12 and qualified tier for a month; flag new potential VIPs,
    upgrade candidates, downgrade warnings and downgrades (operator: every outlet; branch
    head: its outlet). Idempotent per month; audited.

    Example: vip --as OP1 screen --month 2026-10 --json
    """
    from vipcli.services.screening.screen import screen

    report = screen(CURRENT.context(), month, allow_missing_months=allow_missing_months)
    if quiet:
        return
    if as_json:
        from vipcli.cli.output import emit_json

        emit_json(report)
        return
    _render(report)


def _ids(ids: list[str]) -> str:
    more = f" … (+{len(ids) - SHOWN})" if len(ids) > SHOWN else ""
    return ", ".join(ids[:SHOWN]) + more


def _render(report: dict) -> None:
    from vipcli.cli.output import console, table
    from vipcli.domain.vocabulary import TIER_LABELS

    out = console()
    scope = "every outlet" if report["scope"] == "all" else f"outlet {report['scope']}"
    first, last = report["window"]
    q = report["qualified"]
    counts = [[f"{t} {TIER_LABELS[t]}", f"{q[t]:,}"] for t in ("diamond", "platinum", "gold")]
    counts.append(["none 普通客戶", f"{q['none']:,}"])
    out.print(f"[bold]Screening {report['month']}[/] — {scope}, window {first} … {last}")
    out.print(table(None, ["qualified tier", ("customers", "right")], counts))
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
    out.print(table("Changes", ["", ("count", "right"), "customers"], moves))
    out.print(f"{report['screened']:,} customers screened.")
    if report.get("missing_months"):
        out.print(f"[yellow]counted as zero (no asset rows): {', '.join(report['missing_months'])}[/]")


def register(app: typer.Typer) -> None:
    app.command("screen")(screen_cmd)
    lifecycle_cmd.register(app)
