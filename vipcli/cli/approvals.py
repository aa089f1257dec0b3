"""`vip approvals`: the special admissions the acting approver may decide (SPEC §3)."""

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("approvals", help=_(
    "List the pending special admissions you may decide (branch head: gold; second-level "
    "approver: platinum; first-level approver: diamond), or for an operator the role grants "
    "of operator, approver or branch head waiting for a second operator.\n\n"
    "Example: vip --as S004 approvals --json"))
def approvals(as_json: bool = json_option()) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import approvals as view
    from vipcli.services.lifecycle.admission import approvals as pending

    present(pending(CURRENT.context()), as_json=as_json, render=view.render)
