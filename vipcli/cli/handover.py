"""`vip handover` (SPEC §2, contract §15): a departing or moved member's whole book handed on."""

import typer

from vipcli.cli.assign import details_option
from vipcli.cli.options import dry_run_option, json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("handover", short_help=_("Hand a departing or moved member's book on."),
             help=_(
    "Hand a departing or moved member's whole book (primary and advisor) to one eligible "
    "colleague or balanced over the eligible staff, with history and first-contact items. "
    "Shows per person the customers before → after and the load as a share of capacity, as "
    "`vip assign` does.\n\n"
    "Example: vip --as S004 handover --from S012 --dry-run"))
def handover(
    from_id: str = typer.Option(..., "--from", metavar="STAFF_ID",
                                help=_("The departing or moved member.")),
    to_id: str = typer.Option(
        None, "--to", metavar="STAFF_ID",
        help=_("The one receiver; omit to balance over eligible staff.")
    ),
    dry_run: bool = dry_run_option(_("Show the handover; write nothing.")),
    details: bool = details_option(),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.assign import render_plan
    from vipcli.services.allocation import assignment

    present(assignment.handover(CURRENT.context(), from_id, to_id, dry_run=dry_run),
            as_json=as_json, render=lambda plan: render_plan(plan, details=details))
