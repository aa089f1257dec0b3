"""`vip handover` (SPEC §2, contract §15): a departing or moved member's whole book handed on."""

import typer

from vipcli.cli.options import dry_run_option, json_option
from vipcli.cli.state import CURRENT

app = typer.Typer()


@app.command("handover")
def handover(
    from_id: str = typer.Option(..., "--from", metavar="STAFF_ID", help="The departing or moved member."),
    to_id: str = typer.Option(
        None, "--to", metavar="STAFF_ID", help="The one receiver; omit to balance over eligible staff."
    ),
    dry_run: bool = dry_run_option("Show the handover; write nothing."),
    as_json: bool = json_option(),
) -> None:
    """Hand a departing or moved member's whole book (primary and advisor) to one eligible
    colleague or balanced over the eligible staff, with history and first-contact items.

    Example: vip --as H1 handover --from M3 --to M1
    """
    from vipcli.cli.output import present
    from vipcli.cli.views.assign import render_plan
    from vipcli.services.allocation import assignment

    present(assignment.handover(CURRENT.context(), from_id, to_id, dry_run=dry_run),
            as_json=as_json, render=render_plan)
