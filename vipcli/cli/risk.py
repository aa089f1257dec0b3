"""`vip risk record|invalidate|show`: risk assessments (风险测评, SPEC §3)."""

import typer

from vipcli.cli.options import json_option, plain_text, whole_number
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer(
    help=_("Risk assessments: record, invalidate, show."),
    no_args_is_help=True,
    rich_markup_mode=None,
)


@app.command("record", help=_(
    "Record a risk assessment: 1 conservative, 2 cautious, 3 balanced, 4 growth, 5 aggressive; "
    "valid for the rules' assessment_valid_days.\n\n"
    "Example: vip --as S005 risk record C0000325 --level 3"))
def record(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    level: int = typer.Option(..., "--level", callback=whole_number(1, 5),
                              help=_("1 conservative … 5 aggressive.")),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD",
                             help=_("Assessment date (default today).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import risk as view
    from vipcli.services.lifecycle.risk import record_risk

    present(record_risk(CURRENT.context(), customer, level, _date(date)), as_json=as_json,
            render=view.render)


@app.command("invalidate", help=_(
    "Invalidate the customer's risk assessment: it must be redone before the next sale or "
    "signing.\n\nExample: vip --as S005 risk invalidate C0000325 --reason \"sold the business\""))
def invalidate(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    reason: str = typer.Option(..., "--reason", callback=plain_text,
                               help=_("What changed (assets, income, appetite, liabilities).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import risk as view
    from vipcli.services.lifecycle.risk import invalidate_risk

    present(invalidate_risk(CURRENT.context(), customer, reason), as_json=as_json, render=view.render)


@app.command("show", help=_(
    "Show the customer's valid risk level and its assessment history.\n\n"
    "Example: vip --as S005 risk show C0000325 --json"))
def show(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import risk as view
    from vipcli.services.lifecycle.risk import show_risk

    present(show_risk(CURRENT.context(), customer), as_json=as_json, render=view.render)
