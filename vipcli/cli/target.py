"""`vip target set|list`: weekly and monthly targets (SPEC §7)."""

import typer

from vipcli.cli.options import MAX_COUNT, json_option, whole_number
from vipcli.cli.options import parse_yuan as _fen
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer(help=_("Weekly and monthly targets of the outlet and its managers."),
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("set", help=_(
    "Set targets for a week or a month (branch head); the outlet's when no --staff.\n\n"
    "Example: vip --as S004 target set --week 2026-W48 --contacts 40 --opps-won 6 "
    "--won-amount 3000000"))
def set_targets(
    staff: str = typer.Option(None, "--staff", metavar="ID",
                              help=_("A manager (default: the outlet).")),
    week: str = typer.Option(None, "--week", metavar="YYYY-Www", help=_("An ISO week.")),
    month: str = typer.Option(None, "--month", metavar="YYYY-MM", help=_("A calendar month.")),
    contacts: int = typer.Option(None, "--contacts", callback=whole_number(0, MAX_COUNT),
                                 help=_("Distinct customers contacted.")),
    signings: int = typer.Option(None, "--signings", callback=whole_number(0, MAX_COUNT),
                                 help=_("New VIP signings.")),
    opps_won: int = typer.Option(None, "--opps-won", callback=whole_number(0, MAX_COUNT),
                                 help=_("Opportunities won.")),
    won_amount: str = typer.Option(None, "--won-amount", metavar="YUAN",
                                   help=_("Amount won (CNY).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import target as view
    from vipcli.services.sales import targets

    rows = targets.set_targets(CURRENT.context(), staff_id=staff, week=week, month=month,
                               values={"contacts": contacts, "signings": signings,
                                       "opps_won": opps_won,
                                       "won_amount": _fen(won_amount, "--won-amount")})
    present(rows, as_json=as_json, render=view.render)


@app.command("list", help=_(
    "List targets (the branch head sees the outlet's; others their own and the outlet's).\n\n"
    "Example: vip --as S004 target list --period 2026-W48"))
def list_targets(
    period: str = typer.Option(None, "--period", metavar="YYYY-Www|YYYY-MM",
                               help=_("Only this period.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import target as view
    from vipcli.services.sales import targets

    present(targets.list_targets(CURRENT.context(), period=period), as_json=as_json, render=view.render)
