"""`vip admit`: open a special admission (特殊準入) request (SPEC §3)."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import TIER_HELP, json_option, plain_text
from vipcli.cli.state import CURRENT

app = typer.Typer()


@app.command("admit")
def admit(
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    tier: str = typer.Option(..., "--tier", help=TIER_HELP),
    reason: str = typer.Option(..., "--reason", callback=plain_text, help="Why the customer should be admitted."),
    as_json: bool = json_option(),
) -> None:
    """Open a special admission (特殊準入) request for a tier the customer's ADB12 does not reach.

    Example: vip --as M1 admit C00042 --tier platinum --reason "new business owner, large inflow expected"
    """
    from vipcli.cli.output import present
    from vipcli.services.lifecycle.admission import admit as open_request

    present(open_request(CURRENT.context(), customer, tier, reason), as_json=as_json, render=_render)


def _render(doc: Mapping[str, Any]) -> None:
    from vipcli.cli.output import info

    info(f"request {doc['id']} opened: {doc['customer_id']} for {doc['tier']}; "
         f"to be decided by {doc['to_be_decided_by']}")
