"""`vip target set|list`: weekly and monthly targets (SPEC §7)."""

import typer

from vipcli.cli.options import MAX_COUNT, json_option, whole_number
from vipcli.cli.options import parse_yuan as _fen
from vipcli.cli.state import CURRENT

app = typer.Typer(help="Weekly and monthly targets of the outlet and its managers.",
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("set")
def set_targets(
    staff: str = typer.Option(None, "--staff", metavar="ID", help="A manager (default: the outlet)."),
    week: str = typer.Option(None, "--week", metavar="YYYY-Www"),
    month: str = typer.Option(None, "--month", metavar="YYYY-MM"),
    contacts: int = typer.Option(None, "--contacts", callback=whole_number(0, MAX_COUNT), help="Distinct customers contacted."),
    signings: int = typer.Option(None, "--signings", callback=whole_number(0, MAX_COUNT), help="New VIP signings."),
    opps_won: int = typer.Option(None, "--opps-won", callback=whole_number(0, MAX_COUNT), help="Opportunities won."),
    won_amount: str = typer.Option(None, "--won-amount", metavar="YUAN", help="Amount won (CNY)."),
    as_json: bool = json_option(),
) -> None:
    """Set targets for a week or a month (branch head); the outlet's when no --staff.

    Example: vip --as H1 target set --week 2026-W48 --contacts 40 --opps-won 6 --won-amount 3000000
    """
    from vipcli.cli.output import present
    from vipcli.cli.views import target as view
    from vipcli.services.sales import targets

    rows = targets.set_targets(CURRENT.context(), staff_id=staff, week=week, month=month,
                               values={"contacts": contacts, "signings": signings,
                                       "opps_won": opps_won,
                                       "won_amount": _fen(won_amount, "--won-amount")})
    present(rows, as_json=as_json, render=view.render)


@app.command("list")
def list_targets(
    period: str = typer.Option(None, "--period", metavar="YYYY-Www|YYYY-MM", help="Only this period."),
    as_json: bool = json_option(),
) -> None:
    """List targets (the branch head sees the outlet's; others their own and the outlet's).

    Example: vip --as H1 target list --period 2026-W48
    """
    from vipcli.cli.output import present
    from vipcli.cli.views import target as view
    from vipcli.services.sales import targets

    present(targets.list_targets(CURRENT.context(), period=period), as_json=as_json, render=view.render)
