"""`vip activity add|list|invite|attend|referrals`: client activities and referrals (SPEC §10)."""

from collections.abc import Mapping
from typing import Any

import typer

from vipcli.cli.options import (
    MAX_ID,
    SEGMENT_OCCUPATION,
    SEGMENT_ORIENTATION,
    SEGMENT_TIER,
    json_option,
    plain_text,
    required_date,
    whole_number,
)
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

app = typer.Typer(help=_("Client activities and referrals."), no_args_is_help=True,
                  rich_markup_mode=None)


@app.command("add", help=_(
    "Create a client activity of your outlet (branch head or account manager).\n\n"
    "Example: vip --as S005 activity add --kind salon --title \"2027年市场展望\" --date 2026-12-12"))
def add(
    kind: str = typer.Option(..., "--kind", help=_("salon, banquet, trip, lecture or outlook.")),
    title: str = typer.Option(..., "--title", callback=plain_text,
                              help=_("What the activity is called.")),
    date: str = typer.Option(..., "--date", metavar="YYYY-MM-DD", help=_("When it is held.")),
    place: str = typer.Option(None, "--place", callback=plain_text, help=_("Where it is held.")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import info, present
    from vipcli.services.routine.activities import add_activity

    doc = add_activity(CURRENT.context(), kind=kind, title=title, held_on=required_date(date, "--date"),
                       place=place)
    present(doc, as_json=as_json,
            render=lambda added: info(_("activity {id} created: {title} on {date}").format(
                id=added["id"], title=added["title"], date=added["date"])))


@app.command("list", help=_("List your outlet's activities with invitations and attendance.\n\n"
                            "Example: vip --as S004 activity list"))
def list_activities(as_json: bool = json_option()) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.activity import render_list
    from vipcli.services.routine import activities

    present(activities.list_activities(CURRENT.context()), as_json=as_json, render=render_list)


@app.command("invite", help=_(
    "Invite a segment of the customers you see (and/or named customers) to an activity.\n\n"
    "Example: vip --as S005 activity invite 1 --tier diamond --orientation service"))
def invite(
    activity_id: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID),
                                      help=_("Activity id.")),
    tier: str = SEGMENT_TIER,
    occupation: str = SEGMENT_OCCUPATION,
    orientation: str = SEGMENT_ORIENTATION,
    customer: list[str] = typer.Option(None, "--customer",
                                       help=_("A customer to invite (repeatable).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import info, present
    from vipcli.services.routine import activities

    doc = activities.invite(CURRENT.context(), activity_id, tier=tier, occupation=occupation,
                            orientation=orientation, customers=customer or [])
    present(doc, as_json=as_json,
            render=lambda invited: info(
                _("invited {count} customers to activity {id} ({already} already invited)").format(
                    count=len(invited["invited"]), id=activity_id,
                    already=invited["already_invited"])))


@app.command("attend", help=_(
    "Record attendance; friends brought become referral prospects of your outlet.\n\n"
    "Example: vip --as S005 activity attend 1 C0000325 --brought 张三:13900001111"))
def attend(
    activity_id: int = typer.Argument(..., metavar="ID", callback=whole_number(1, MAX_ID),
                                      help=_("Activity id.")),
    customer: str = typer.Argument(..., metavar="CUSTOMER", help=_("Customer number.")),
    brought: list[str] = typer.Option(None, "--brought", metavar="NAME:PHONE", callback=plain_text,
                                      help=_("A friend the customer brought (repeatable).")),
    as_json: bool = json_option(),
) -> None:
    from vipcli.cli.output import info, present
    from vipcli.services.routine import activities
    from vipcli.services.routine.referrals import parse_brought

    friends = [parse_brought(b) for b in brought or []]
    doc = activities.attend(CURRENT.context(), activity_id, customer, friends)

    def render(attended: Mapping[str, Any]) -> None:
        info(_("{customer} attended activity {id}").format(customer=customer, id=activity_id))
        for r in attended["referrals"]:
            text = (_("  referred {friend}: new prospect, manager {manager}") if r["created"]
                    else _("  referred {friend}: existing customer"))
            info(text.format(friend=f"{r['name']} {r['customer_id']}",
                             manager=r["manager_id"] or "—"))

    present(doc, as_json=as_json, render=render)


@app.command("referrals", help=_(
    "Referral counts per customer you see (who brought whom), most first.\n\n"
    "Example: vip --as S005 activity referrals --json"))
def referrals(as_json: bool = json_option()) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views.activity import render_referrals
    from vipcli.services.routine.referrals import referral_counts

    present(referral_counts(CURRENT.context()), as_json=as_json, render=render_referrals)
