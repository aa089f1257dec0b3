"""`vip lobby`: recognise a walk-in and route them (SPEC §9)."""

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT

app = typer.Typer()


@app.command("lobby")
def lobby(
    key: str = typer.Argument(..., metavar="CUSTOMER_OR_PHONE", help="Customer number or full phone."),
    as_json: bool = json_option(),
) -> None:
    """Recognise a walk-in: how to address them, priority, who serves them, where and how.

    Shows no phone, ID number or balance; the visit is recorded and audited.
    Example: vip --as L1 lobby 13812345678
    """
    from vipcli.cli.output import present
    from vipcli.cli.views import lobby as view
    from vipcli.services.routine.lobby import lobby as recognise

    present(recognise(CURRENT.context(), key), as_json=as_json, render=view.render)
