"""`vip decline`: the customer does not want VIP service (SPEC §3, 終止跟進)."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import json_option, plain_text
from vipcli.cli.state import CURRENT

app = typer.Typer()


@app.command("decline")
def decline(
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    reason: str = typer.Option(..., "--reason", callback=plain_text, help="Why the customer does not want VIP service."),
    as_json: bool = json_option(),
) -> None:
    """Mark a customer as declining VIP service: it leaves the follow-up lists (終止跟進).

    Example: vip --as M1 decline C00042 --reason "prefers the private bank"
    """
    from vipcli.cli.output import present
    from vipcli.services.lifecycle.signing import decline as record_decline

    present(record_decline(CURRENT.context(), customer, reason), as_json=as_json, render=_render)


def _render(doc: Mapping[str, Any]) -> None:
    from vipcli.cli.output import info

    info(f"{doc['customer_id']} declined ({doc['reason']}); removed from follow-up lists")
