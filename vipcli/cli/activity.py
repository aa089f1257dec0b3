"""`vip activity add|list|invite|attend|referrals`: client activities and referrals (SPEC §10)."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import MAX_ID, json_option, plain_text, required_date, whole_number
from vipcli.cli.state import CURRENT

app = typer.Typer(help="Client activities and referrals (§10).", no_args_is_help=True,
                  rich_markup_mode=None)


@app.command("add")
def add(
    kind: str = typer.Option(..., "--kind", help="salon, banquet, trip, lecture or outlook."),
    title: str = typer.Option(..., "--title", callback=plain_text, help="What the activity is called."),
    date: str = typer.Option(..., "--date", metavar="YYYY-MM-DD", help="When it is held."),
    place: str = typer.Option(None, "--place", callback=plain_text, help="Where it is held."),
    as_json: bool = json_option(),
) -> None:
    """Create a client activity of your outlet (branch head or account manager).

    Example: vip --as M1 activity add --kind salon --title "2027年市場展望" --date 2026-12-12
    """
    from vipcli.cli.output import info, present
    from vipcli.services.routine.activities import add_activity

    doc = add_activity(CURRENT.context(), kind=kind, title=title, held_on=required_date(date, "--date"),
                       place=place)
    present(doc, as_json=as_json,
            render=lambda added: info(f"activity {added['id']} created: {added['title']} "
                                      f"on {added['date']}"))


@app.command("list")
def list_activities(as_json: bool = json_option()) -> None:
    """List your outlet's activities with invitations and attendance.

    Example: vip --as H1 activity list
    """
    from vipcli.cli.output import present
    from vipcli.cli.views.activity import render_list
    from vipcli.services.routine import activities

    present(activities.list_activities(CURRENT.context()), as_json=as_json, render=render_list)


@app.command("invite")
def invite(
    activity_id: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID)),
    tier: str = typer.Option(None, "--tier", help="Signed tier (diamond, platinum, gold, none)."),
    occupation: str = typer.Option(None, "--occupation", help="Occupation code."),
    orientation: str = typer.Option(None, "--orientation", help="relationship, value, service."),
    customer: list[str] = typer.Option(None, "--customer", help="A customer to invite (repeatable)."),
    as_json: bool = json_option(),
) -> None:
    """Invite a segment of the customers you see (and/or named customers) to an activity.

    Example: vip --as M1 activity invite 3 --tier diamond --orientation service
    """
    from vipcli.cli.output import info, present
    from vipcli.services.routine import activities

    doc = activities.invite(CURRENT.context(), activity_id, tier=tier, occupation=occupation,
                            orientation=orientation, customers=customer or [])
    present(doc, as_json=as_json,
            render=lambda invited: info(f"invited {len(invited['invited'])} customer(s) to activity "
                                        f"{activity_id} ({invited['already_invited']} already invited)"))


@app.command("attend")
def attend(
    activity_id: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID)),
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    brought: list[str] = typer.Option(None, "--brought", metavar="NAME:PHONE", callback=plain_text,
                                      help="A friend the customer brought (repeatable)."),
    as_json: bool = json_option(),
) -> None:
    """Record attendance; friends brought become referral prospects of your outlet.

    Example: vip --as M1 activity attend 3 C000123 --brought 張三:13900001111
    """
    from vipcli.cli.output import info, present
    from vipcli.services.routine import activities
    from vipcli.services.routine.referrals import parse_brought

    friends = [parse_brought(b) for b in brought or []]
    doc = activities.attend(CURRENT.context(), activity_id, customer, friends)

    def render(attended: Mapping[str, Any]) -> None:
        info(f"{customer} attended activity {activity_id}")
        for r in attended["referrals"]:
            what = "new prospect" if r["created"] else "existing customer"
            info(f"  referred {r['customer_id']} {r['name']} ({what}, manager {r['manager_id'] or '—'})")

    present(doc, as_json=as_json, render=render)


@app.command("referrals")
def referrals(as_json: bool = json_option()) -> None:
    """Referral counts per customer you see (who brought whom), most first.

    Example: vip --as M1 activity referrals --json
    """
    from vipcli.cli.output import present
    from vipcli.cli.views.activity import render_referrals
    from vipcli.services.routine.referrals import referral_counts

    present(referral_counts(CURRENT.context()), as_json=as_json, render=render_referrals)
