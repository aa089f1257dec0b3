"""`vip recommend`: ranked product ideas with reasons and suitability (SPEC §7)."""

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("recommend", help=_(
    "Rank product ideas (repeat, cross, up, portfolio, circle) with reasons and suitability.\n\n"
    "Example: vip --as S005 recommend C0000325 --accept P_DECD"))
def recommend(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    accept: str = typer.Option(None, "--accept", metavar="CODE",
                               help=_("Open an opportunity from this idea (a product code, or "
                                      "portfolio / circle).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import recommend as view
    from vipcli.services.sales.recommend import recommend as rank_ideas

    present(rank_ideas(CURRENT.context(), customer, accept=accept), as_json=as_json, render=view.render)
