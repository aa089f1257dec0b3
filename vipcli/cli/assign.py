"""`vip assign` (SPEC §2, contract §15): balanced allocation of primary managers and
advisors, saved plans."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import dry_run_option, json_option
from vipcli.cli.state import CURRENT

app = typer.Typer()


@app.command("assign")
def assign(
    dry_run: bool = dry_run_option("Show the plan; write nothing."),
    rebalance: bool = typer.Option(
        False, "--rebalance", help="Also move the fewest customers needed to balance the loads."
    ),
    plan_out: str = typer.Option(
        None, "--plan-out", metavar="FILE", help="Save the plan for review; write nothing to the database."
    ),
    apply: str = typer.Option(
        None, "--apply", metavar="FILE", help="Apply a saved plan; refused if the book changed since."
    ),
    as_json: bool = json_option(),
) -> None:
    """Give every potential or signed VIP of your outlet one primary manager (and Diamond /
    Platinum customers an advisor), balanced against capacity (branch head).

    Example: vip --as H1 assign --dry-run
    """
    from pathlib import Path

    from vipcli.cli.output import present
    from vipcli.cli.views.assign import render_plan
    from vipcli.errors import InvalidInput
    from vipcli.services.allocation import assignment

    ctx = CURRENT.context()
    if apply and (rebalance or plan_out):
        raise InvalidInput("--apply applies a saved plan as it is; it takes no --rebalance or --plan-out")
    doc: Mapping[str, Any]
    if apply:
        doc = assignment.apply_plan(ctx, Path(apply), dry_run=dry_run)
    elif plan_out:
        doc = assignment.save_plan(ctx, Path(plan_out), rebalance=rebalance)
    else:
        doc = assignment.assign(ctx, dry_run=dry_run, rebalance=rebalance)
    present(doc, as_json=as_json, render=lambda plan: render_plan(plan, plan_out=plan_out))
