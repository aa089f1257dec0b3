"""`vip journal add|week`: the work journal (工作日志, SPEC §11)."""

import typer

from vipcli.cli.options import json_option, plain_text
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer(help=_("The work journal: entries and the week's summary."),
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("add", help=_(
    "Write a journal entry (morning-meeting notes, visits, sales, suggestions, memos).\n\n"
    "Example: vip --as S005 journal add --kind meeting --text \"晨会：本周主推基金定投\""))
def add(
    kind: str = typer.Option(..., "--kind", help=_("meeting, visit, sale, suggestion or memo.")),
    text: str = typer.Option(..., "--text", callback=plain_text, help=_("The note.")),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help=_("Default: today.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import info, present
    from vipcli.services.routine.journal import add_entry

    doc = add_entry(CURRENT.context(), kind=kind, text=text, on=_date(date, "--date"))
    present(doc, as_json=as_json,
            render=lambda entry: info(_("journal entry {id} saved for {date}").format(
                id=entry["id"], date=entry["date"])))


@app.command("week", help=_(
    "The week's summary for the supervisor: visits, contacts, sales and journal entries.\n\n"
    "Example: vip --as S004 journal week --week 2026-W48 --staff S005"))
def show_week(
    week: str = typer.Option(None, "--week", metavar="YYYY-Www", help=_("Default: this week.")),
    staff: str = typer.Option(None, "--staff", metavar="ID",
                              help=_("Another staff member (branch head).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.journal import render_week
    from vipcli.services.routine.journal import week_summary

    present(week_summary(CURRENT.context(), week=week, staff_id=staff), as_json=as_json,
            render=render_week)
