"""`vip sign`: issue the VIP card and print the welcome letter (SPEC §3)."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import TIER_HELP, json_option
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("sign", help=_(
    "Issue the VIP card: needs a valid risk assessment and the qualified tier (or an approved "
    "special admission); prints the welcome letter. A card below the qualified tier needs "
    "--below-qualified. Manager, branch head or teller.\n\n"
    "Example: vip --as S017 sign C0000325 --tier gold"))
def sign(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    tier: str = typer.Option(..., "--tier", help=TIER_HELP),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD",
                             help=_("Signing date (default today).")),
    below_qualified: bool = typer.Option(
        False, "--below-qualified",
        help=_("Issue a card below the tier the customer qualifies for (its choice).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.services.lifecycle.signing import sign as sign_card

    present(sign_card(CURRENT.context(), customer, tier, _date(date),
                      below_qualified=below_qualified), as_json=as_json, render=_render)


def _render(doc: Mapping[str, Any]) -> None:
    from vipcli.cli.output import echo, info
    from vipcli.domain import labels
    from vipcli.domain.vocabulary import tier_rank

    done = {"customer": doc["customer_id"], "tier": labels.tier(doc["signed_tier"]),
            "date": doc["tier_since"], "id": doc["admission_id"]}
    if doc["admission_id"]:
        info(_("{customer} signed as {tier} from {date} (special admission #{id})").format(**done))
    else:
        info(_("{customer} signed as {tier} from {date}").format(**done))
    qualified = doc.get("qualified_tier")
    if tier_rank(qualified) > tier_rank(doc["signed_tier"]):
        info(_("below the qualified tier {qualified}: offer the upgrade later").format(
            qualified=labels.tier(qualified)))
    echo(doc["letter"])
