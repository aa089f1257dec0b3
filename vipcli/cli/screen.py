"""`vip screen`: the monthly tier screening (SPEC §1), run by cron or by a branch head."""

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer()


@app.command("screen", help=_(
    "Screen every customer's ADB12 and qualified tier for a month; flag new potential VIPs, "
    "upgrade candidates, downgrade warnings and downgrades (operator: every outlet; branch "
    "head: its outlet). Idempotent per month; audited.\n\n"
    "Example: vip --as S001 screen --month 2026-10 --json"))
def screen(
    month: str = typer.Option(
        None, "--month", metavar="YYYY-MM",
        help=_("Month to screen (default: the last complete month)."),
    ),
    allow_missing_months: bool = typer.Option(
        False, "--allow-missing-months",
        help=_("Screen even if a month of the window has no asset rows (counted as zero)."),
    ),
    quiet: bool = typer.Option(False, "--quiet", help=_("Print nothing but errors (for cron).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import screen as view
    from vipcli.services.screening.screen import screen as run_screening

    report = run_screening(CURRENT.context(), month, allow_missing_months=allow_missing_months)
    if quiet:
        return
    present(report, as_json=as_json, render=view.render)
