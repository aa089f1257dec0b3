"""`vip lobby`: recognise a walk-in and route them (SPEC §9)."""

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("lobby", help=_(
    "Recognise a walk-in: how to address them, priority, who serves them, where and how. "
    "Shows no phone, ID number or balance; the visit is recorded and audited.\n\n"
    "Example: vip --as S015 lobby C0000467"))
def lobby(
    key: str = typer.Argument(..., metavar="CUSTOMER_OR_PHONE",
                              help=_("Customer number or full phone number.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import lobby as view
    from vipcli.services.routine.lobby import lobby as recognise

    present(recognise(CURRENT.context(), key), as_json=as_json, render=view.render)
