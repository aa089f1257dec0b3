"""`vip appointment add|list|cancel`: appointments and joint visits (约访、联合拜访, SPEC §18)."""

import datetime as dt

import typer

from vipcli.cli.options import MAX_ID, in_date_range, json_option, plain_text, whole_number
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer(help=_("Appointments and joint visits: everyone involved sees them on vip due."),
                  no_args_is_help=True, rich_markup_mode=None)


@app.command("add", help=_(
    "Make an appointment with a customer you look after; --with adds colleagues of your "
    "outlet (a joint visit).\n\n"
    "Example: vip --as S005 appointment add C0000325 --at \"2026-12-02 14:30\" "
    "--place 贵宾室 --with S004 --purpose 资产配置"))
def add(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    at: str = typer.Option(..., "--at", metavar="\"YYYY-MM-DD HH:MM\"",
                           help=_("When (date and time).")),
    place: str = typer.Option(None, "--place", callback=plain_text, help=_("Where.")),
    with_staff: list[str] = typer.Option(None, "--with", metavar="STAFF",
                                         help=_("A colleague who comes too (repeatable).")),
    purpose: str = typer.Option(None, "--purpose", callback=plain_text, help=_("What for.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import appointment as view
    from vipcli.services.contact import appointments

    doc = appointments.add(CURRENT.context(), customer, at=_moment(at), place=place,
                           with_staff=list(with_staff or []), purpose=purpose)
    present(doc, as_json=as_json, render=view.render_saved)


@app.command("list", help=_(
    "The week's appointments you take part in (the branch head: the outlet's).\n\n"
    "Example: vip --as S005 appointment list --week 2026-W49"))
def list_appointments(
    week: str = typer.Option(None, "--week", metavar="YYYY-Www|DATE",
                             help=_("The ISO week, or a date in it. Default: this week.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import appointment as view
    from vipcli.clock import today
    from vipcli.services.contact import appointments
    from vipcli.services.contact.plan import week_span

    day = _date(week, "--week") if week and "-W" not in week.upper() else None
    label, monday = week_span(week.upper() if week and day is None else None, day, today())
    docs = appointments.list_week(CURRENT.context(), first=monday,
                                  last=monday + dt.timedelta(days=6))
    present(docs, as_json=as_json, render=lambda found: view.render_list(label, found))


@app.command("cancel", help=_(
    "Cancel an appointment (anyone taking part, or the branch head).\n\n"
    "Example: vip --as S005 appointment cancel 12"))
def cancel(
    appointment_id: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID),
                                         help=_("Appointment number.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import appointment as view
    from vipcli.services.contact import appointments

    doc = appointments.cancel(CURRENT.context(), appointment_id)
    present(doc, as_json=as_json, render=view.render_cancelled)


def _moment(text: str) -> dt.datetime:
    """--at "2026-12-02 14:30" (or 2026-12-02T14:30); a date alone is not a time."""
    from vipcli.errors import InvalidInput

    try:
        at = dt.datetime.fromisoformat(text.strip()).replace(tzinfo=None, second=0, microsecond=0)
    except ValueError:
        at = None
    if at is None or len(text.strip()) <= 10:
        raise InvalidInput(_("--at must be a date and time like \"2026-12-02 14:30\", got {value!r}")
                           .format(value=text))
    return in_date_range(at, "--at")
