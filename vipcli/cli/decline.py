"""`vip decline`: the customer does not want VIP service (SPEC §3, 终止跟进)."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import json_option, plain_text
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("decline", help=_(
    "Mark a customer as declining VIP service: it leaves the follow-up lists.\n\n"
    "Example: vip --as S005 decline C0000325 --reason \"prefers the private bank\""))
def decline(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    reason: str = typer.Option(..., "--reason", callback=plain_text,
                               help=_("Why the customer does not want VIP service.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.services.lifecycle.signing import decline as record_decline

    present(record_decline(CURRENT.context(), customer, reason), as_json=as_json, render=_render)


def _render(doc: Mapping[str, Any]) -> None:
    from vipcli.cli.output import info

    info(_("{customer} declined ({reason}); removed from follow-up lists")
         .format(customer=doc["customer_id"], reason=doc["reason"]))
