"""`vip show`: the one-page profile (一纸通) of a customer (SPEC §11)."""

import typer

from vipcli.cli.options import json_option, reveal_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("show", help=_(
    "The one-page profile of a customer: tier, assets, contacts, holdings, ideas.\n\n"
    "Example: vip --as S005 show C0000325"))
def show(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    reveal: bool = reveal_option(),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import show as view
    from vipcli.services.routine.profile import show as profile

    present(profile(CURRENT.context(), customer, reveal=reveal), as_json=as_json,
            render=view.render)
