"""`vip customers`: the customers you may see, filtered by tier, manager or allocation (§15)."""

from __future__ import annotations

import typer

from vipcli.cli.options import json_option, reveal_option
from vipcli.cli.state import CURRENT


def customers_cmd(
    tier: str = typer.Option(None, "--tier", help="Signed tier: diamond, platinum, gold or none."),
    qualified_tier: str = typer.Option(
        None, "--qualified-tier", help="Tier qualified for at the last screening (or none)."
    ),
    staff: str = typer.Option(None, "--staff", metavar="ID", help="Only this staff member's book."),
    unassigned: bool = typer.Option(
        False, "--unassigned", help="Potential or signed VIPs without a manager (to allocate)."
    ),
    reveal: bool = reveal_option(),
    limit: int = typer.Option(None, "--limit", min=1, help="At most this many customers."),
    as_json: bool = json_option(),
) -> None:
    """List the customers you may see: a manager its book, a branch head the whole outlet.

    Highest tier and ADB12 first; phone numbers are masked unless --reveal (audited).

    Example: vip --as S004 customers --qualified-tier platinum --unassigned
    """
    from vipcli.services.core.customers import list_customers

    found = list_customers(
        CURRENT.context(), tier=tier, qualified_tier=qualified_tier, staff_id=staff,
        unassigned=unassigned, reveal=reveal, limit=limit,
    )
    if as_json:
        from vipcli.cli.output import emit_json

        emit_json(found)
        return
    _print_table(found)


def _print_table(found: list[dict]) -> None:
    from vipcli.cli.output import console, table
    from vipcli.domain.money import money_str_display
    from vipcli.domain.vocabulary import TIER_LABELS

    def label(tier: str | None) -> str:
        return TIER_LABELS.get(tier, "—") if tier else "—"

    show_advisor = any(c["advisor_id"] for c in found)
    rows = [
        [c["customer_id"], c["name"], label(c["signed_tier"]), label(c["qualified_tier"]),
         money_str_display(c["adb12"]), c["manager_id"] or "—",
         *([c["advisor_id"] or ""] if show_advisor else []), c["phone"] or ""]
        for c in found
    ]
    columns = ["customer", "name", "signed", "qualified", ("ADB12 (CNY)", "right"), "manager",
               *(["advisor"] if show_advisor else []), "phone"]
    tbl = table(f"Customers — {len(found)} shown", columns, rows)
    for column in tbl.columns:
        column.no_wrap = True  # ids, money and phones are never folded
    out = console()
    if not out.is_terminal:
        from rich.console import Console

        # Piped to a file or a pager: the natural width, not 80 columns of "…".
        out = Console(width=200, highlight=False)
    out.print(tbl)


def register(app: typer.Typer) -> None:
    app.command("customers")(customers_cmd)
