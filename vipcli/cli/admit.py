"""`vip admit`: open a special admission (特殊准入) request (SPEC §3)."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import TIER_HELP, json_option, plain_text
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("admit", help=_(
    "Open a special admission request for a tier the customer's ADB12 does not reach.\n\n"
    "Example: vip --as S005 admit C0000325 --tier platinum --reason \"new business owner, large "
    "inflow expected\""))
def admit(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    tier: str = typer.Option(..., "--tier", help=TIER_HELP),
    reason: str = typer.Option(..., "--reason", callback=plain_text,
                               help=_("Why the customer should be admitted.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.services.lifecycle.admission import admit as open_request

    present(open_request(CURRENT.context(), customer, tier, reason), as_json=as_json, render=_render)


def _render(doc: Mapping[str, Any]) -> None:
    from vipcli.cli.output import info
    from vipcli.domain import labels

    info(_("request {id} opened: {customer} for {tier}; to be decided by {deciders}").format(
        id=doc["id"], customer=doc["customer_id"], tier=labels.tier(doc["tier"]),
        deciders=doc["to_be_decided_by"]))
