"""`vip journal add|week`: the work journal (工作日誌, SPEC §11)."""

import typer

from vipcli.cli.options import json_option, plain_text
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT

app = typer.Typer(help="The work journal (§11).", no_args_is_help=True, rich_markup_mode=None)


@app.command("add")
def add(
    kind: str = typer.Option(..., "--kind", help="meeting, visit, sale, suggestion or memo."),
    text: str = typer.Option(..., "--text", callback=plain_text, help="The note."),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Default today."),
    as_json: bool = json_option(),
) -> None:
    """Write a journal entry (morning-meeting notes, visits, sales, suggestions, memos).

    Example: vip --as M1 journal add --kind meeting --text "晨會：本周主推基金定投"
    """
    from vipcli.cli.output import info, present
    from vipcli.services.routine.journal import add_entry

    doc = add_entry(CURRENT.context(), kind=kind, text=text, on=_date(date, "--date"))
    present(doc, as_json=as_json,
            render=lambda entry: info(f"journal entry {entry['id']} saved for {entry['date']}"))


@app.command("week")
def show_week(
    week: str = typer.Option(None, "--week", metavar="YYYY-Www", help="Default this week."),
    staff: str = typer.Option(None, "--staff", help="Another staff member (branch head)."),
    as_json: bool = json_option(),
) -> None:
    """The week's summary for the supervisor: visits, contacts, sales and journal entries.

    Example: vip --as H1 journal week --week 2026-W48 --staff M1
    """
    from vipcli.cli.output import present
    from vipcli.cli.views.journal import render_week
    from vipcli.services.routine.journal import week_summary

    present(week_summary(CURRENT.context(), week=week, staff_id=staff), as_json=as_json,
            render=render_week)
