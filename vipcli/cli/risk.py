"""`vip risk record|invalidate|show`: risk assessments (風險測評, SPEC §3)."""

import typer

from vipcli.cli.options import json_option, plain_text, whole_number
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT

app = typer.Typer(
    help="Risk assessments (風險測評): record, invalidate, show.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@app.command("record")
def record(
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    level: int = typer.Option(..., "--level", callback=whole_number(1, 5), help="1 保守型 … 5 激進型."),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Assessment date (default today)."),
    as_json: bool = json_option(),
) -> None:
    """Record a risk assessment: 1 conservative 保守型, 2 cautious 謹慎型, 3 balanced 穩健型,
    4 growth 進取型, 5 aggressive 激進型; valid for the rules' assessment_valid_days.

    Example: vip --as M1 risk record C00042 --level 3
    """
    from vipcli.cli.output import present
    from vipcli.cli.views import risk as view
    from vipcli.services.lifecycle.risk import record_risk

    present(record_risk(CURRENT.context(), customer, level, _date(date)), as_json=as_json,
            render=view.render)


@app.command("invalidate")
def invalidate(
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    reason: str = typer.Option(..., "--reason", callback=plain_text, help="What changed (assets, income, appetite, liabilities)."),
    as_json: bool = json_option(),
) -> None:
    """Invalidate the customer's risk assessment: it must be redone before the next sale or signing.

    Example: vip --as M1 risk invalidate C00042 --reason "sold the business"
    """
    from vipcli.cli.output import present
    from vipcli.cli.views import risk as view
    from vipcli.services.lifecycle.risk import invalidate_risk

    present(invalidate_risk(CURRENT.context(), customer, reason), as_json=as_json, render=view.render)


@app.command("show")
def show(
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    as_json: bool = json_option(),
) -> None:
    """Show the customer's valid risk level and its assessment history.

    Example: vip --as M1 risk show C00042 --json
    """
    from vipcli.cli.output import present
    from vipcli.cli.views import risk as view
    from vipcli.services.lifecycle.risk import show_risk

    present(show_risk(CURRENT.context(), customer), as_json=as_json, render=view.render)
