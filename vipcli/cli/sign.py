"""`vip sign`: issue the VIP card and print the welcome letter (SPEC §3)."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import TIER_HELP, json_option
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT

app = typer.Typer()


@app.command("sign")
def sign(
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    tier: str = typer.Option(..., "--tier", help=TIER_HELP),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Signing date (default today)."),
    as_json: bool = json_option(),
) -> None:
    """Issue the VIP card: needs a valid risk assessment and the qualified tier (or an approved
    special admission); prints the welcome letter (歡迎信). Manager, branch head or teller.

    Example: vip --as T1 sign C00042 --tier gold
    """
    from vipcli.cli.output import present
    from vipcli.services.lifecycle.signing import sign as sign_card

    present(sign_card(CURRENT.context(), customer, tier, _date(date)), as_json=as_json,
            render=_render)


def _render(doc: Mapping[str, Any]) -> None:
    from vipcli.cli.output import echo, info

    info(f"{doc['customer_id']} signed as {doc['signed_tier']} from {doc['tier_since']}"
         + (f" (special admission #{doc['admission_id']})" if doc["admission_id"] else ""))
    echo(doc["letter"])
