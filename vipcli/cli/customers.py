"""`vip customers`: the customers you may see, filtered by tier, manager or allocation (§15)."""

import typer

from vipcli.cli.options import MAX_LIMIT, json_option, reveal_option, whole_number
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("customers", help=_(
    "List the customers you may see: a manager its book, a branch head the whole outlet. "
    "Highest tier and ADB12 first; phone numbers are masked unless --reveal (audited).\n\n"
    "Example: vip --as S004 customers --qualified-tier platinum --unassigned"))
def customers(
    tier: str = typer.Option(None, "--tier", help=_(
        "Signed tier: diamond, platinum, gold or none (or 钻石卡, 白金卡, 金卡, 普通客户).")),
    qualified_tier: str = typer.Option(
        None, "--qualified-tier", help=_("Tier qualified for at the last screening (or none).")
    ),
    staff: str = typer.Option(None, "--staff", metavar="ID", help=_("Only this staff member's book.")),
    unassigned: bool = typer.Option(
        False, "--unassigned", help=_("Potential or signed VIPs without a manager (to allocate).")
    ),
    lost: bool = typer.Option(False, "--lost", help=_("Only the customers recorded as lost (§18).")),
    reveal: bool = reveal_option(),
    limit: int = typer.Option(None, "--limit", callback=whole_number(1, MAX_LIMIT),
                              help=_("At most this many customers.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import customers as view
    from vipcli.services.core.customers import list_customers

    found = list_customers(
        CURRENT.context(), tier=tier, qualified_tier=qualified_tier, staff_id=staff,
        unassigned=unassigned, reveal=reveal, limit=limit, lost=lost,
    )
    present(found, as_json=as_json, render=view.render)
