"""`vip recommend`: ranked product ideas with reasons and suitability (SPEC §7)."""

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT

app = typer.Typer()


@app.command("recommend")
def recommend(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help="Customer id."),
    accept: str = typer.Option(None, "--accept", metavar="CODE",
                               help="Open an opportunity from this idea (a product code, or "
                                    "portfolio / circle)."),
    as_json: bool = json_option(),
) -> None:
    """Rank product ideas (repeat, cross, up, portfolio, circle) with reasons and suitability.

    Example: vip --as M1 recommend C000123 --accept P_WSYH
    """
    from vipcli.cli.output import present
    from vipcli.cli.views import recommend as view
    from vipcli.services.sales.recommend import recommend as rank_ideas

    present(rank_ideas(CURRENT.context(), customer, accept=accept), as_json=as_json, render=view.render)
