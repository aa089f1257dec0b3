"""`vip assign` (SPEC §2, contract §15): balanced allocation of primary managers and
advisors, saved plans."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import dry_run_option, json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


def details_option() -> Any:
    return typer.Option(False, "--details", help=_("Also list every move (customer → staff)."))


@app.command("assign", short_help=_("Allocate customers to staff, balanced against capacity."),
             help=_(
    "Give every potential or signed VIP of your outlet one primary manager (and Diamond / "
    "Platinum customers an advisor), balanced against capacity (branch head). Shows per person "
    "the customers before → after and the load: the customers weighted by the §2 ratios "
    "(a Diamond is 1/30 of a manager) divided by the person's capacity, 100% being a full "
    "book; then the staffing the ratios call for and any customer placed beyond capacity.\n\n"
    "Example: vip --as S004 assign --dry-run --details"))
def assign(
    dry_run: bool = dry_run_option(_("Show the plan; write nothing.")),
    rebalance: bool = typer.Option(
        False, "--rebalance", help=_("Also move the fewest customers needed to balance the loads.")
    ),
    plan_out: str = typer.Option(
        None, "--plan-out", metavar="FILE",
        help=_("Save the plan for review; write nothing to the database.")
    ),
    apply: str = typer.Option(
        None, "--apply", metavar="FILE",
        help=_("Apply a saved plan; refused if the book changed since.")
    ),
    details: bool = details_option(),
    as_json: bool = json_option(),
) -> None:
    from pathlib import Path

    from vipcli.cli.output import present
    from vipcli.cli.views.assign import render_plan
    from vipcli.errors import InvalidInput
    from vipcli.services.allocation import assignment

    ctx = CURRENT.context()
    if apply and (rebalance or plan_out):
        raise InvalidInput(_("--apply applies a saved plan as it is; it takes no --rebalance or "
                             "--plan-out"))
    doc: Mapping[str, Any]
    if apply:
        doc = assignment.apply_plan(ctx, Path(apply), dry_run=dry_run)
    elif plan_out:
        doc = assignment.save_plan(ctx, Path(plan_out), rebalance=rebalance)
    else:
        doc = assignment.assign(ctx, dry_run=dry_run, rebalance=rebalance)
    present(doc, as_json=as_json,
            render=lambda plan: render_plan(plan, plan_out=plan_out, details=details))
