"""`vip show`: the one-page profile (一紙通) of a customer (SPEC §11)."""

import typer

from vipcli.cli.options import json_option, reveal_option
from vipcli.cli.state import CURRENT

app = typer.Typer()


@app.command("show")
def show(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help="Customer number."),
    reveal: bool = reveal_option(),
    as_json: bool = json_option(),
) -> None:
    """The one-page profile (一紙通) of a customer: tier, assets, contacts, holdings, ideas.

    Example: vip --as M1 show C000123
    """
    from vipcli.cli.output import present
    from vipcli.cli.views import show as view
    from vipcli.services.routine.profile import show as profile

    present(profile(CURRENT.context(), customer, reveal=reveal), as_json=as_json,
            render=view.render)
