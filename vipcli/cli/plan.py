"""`vip plan week`: the week's visit plan, per day (SPEC §18)."""

import typer

from vipcli.cli.options import json_option
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer(help=_("Plans: the week's visits and the customers falling due, per day."),
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("week", help=_(
    "The week's visit plan, Monday to Sunday: each day's appointments and the customers "
    "falling due that day (from today on; the most urgent on a terminal, --all for every "
    "one).\n\n"
    "Example: vip --as S005 plan week --week 2026-W49"))
def week(
    week_label: str = typer.Option(None, "--week", metavar="YYYY-Www",
                                   help=_("The ISO week. Default: this week.")),
    date: str = typer.Option(None, "--date", metavar="DATE", help=_("A date in the week.")),
    staff: str = typer.Option(None, "--staff", metavar="ID",
                              help=_("One staff member's plan (branch head).")),
    show_all: bool = typer.Option(False, "--all", help=_("Show every customer falling due.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import plan as view
    from vipcli.services.contact.plan import week_plan

    ctx = CURRENT.context()
    doc = week_plan(ctx, week=week_label, day=_date(date, "--date"), staff_id=staff)
    # §5: on a terminal each day shows the rules' due_list_size most urgent; JSON holds all.
    limit = None if show_all else ctx.rules.contact.due_list_size
    present(doc, as_json=as_json, render=lambda found: view.render(found, limit))
