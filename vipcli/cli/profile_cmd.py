"""The outlet's routine: `vip show`, `vip lobby`, `vip activity …`, `vip journal …`,
`vip segment` and `vip report retention` (SPEC §4, §9, §10, §11).

Each command parses options, calls one service function and renders the result
(tables in vipcli.cli.profile_render); heavy modules are imported inside the commands.
"""

from __future__ import annotations

import typer

from vipcli.cli import groups
from vipcli.cli.options import json_option, reveal_option
from vipcli.cli.options import parse_date as _date
from vipcli.cli.state import CURRENT

activity_app = typer.Typer(help="Client activities and referrals (§10).", no_args_is_help=True,
                           rich_markup_mode=None)
journal_app = typer.Typer(help="The work journal (§11).", no_args_is_help=True, rich_markup_mode=None)




def show_cmd(
    customer: str = typer.Argument(..., metavar="CUSTOMER", help="Customer number."),
    reveal: bool = reveal_option(),
    as_json: bool = json_option(),
) -> None:
    """The one-page profile (一紙通) of a customer: tier, assets, contacts, holdings, ideas.

    Example: vip --as M1 show C000123
    """
    from vipcli.cli import profile_render
    from vipcli.cli.output import emit_json
    from vipcli.services.routine.profile import show

    doc = show(CURRENT.context(), customer, reveal=reveal)
    emit_json(doc) if as_json else profile_render.render_profile(doc)


def lobby_cmd(
    key: str = typer.Argument(..., metavar="CUSTOMER_OR_PHONE", help="Customer number or full phone."),
    as_json: bool = json_option(),
) -> None:
    """Recognise a walk-in: how to address them, priority, who serves them, where and how.

    Shows no phone, ID number or balance; the visit is recorded and audited.
    Example: vip --as L1 lobby 13812345678
    """
    from vipcli.cli import profile_render
    from vipcli.cli.output import emit_json
    from vipcli.services.routine.lobby import lobby

    doc = lobby(CURRENT.context(), key)
    emit_json(doc) if as_json else profile_render.render_lobby(doc)


@activity_app.command("add")
def activity_add(
    kind: str = typer.Option(..., "--kind", help="salon, banquet, trip, lecture or outlook."),
    title: str = typer.Option(..., "--title", help="What the activity is called."),
    date: str = typer.Option(..., "--date", metavar="YYYY-MM-DD", help="When it is held."),
    place: str = typer.Option(None, "--place", help="Where it is held."),
    as_json: bool = json_option(),
) -> None:
    """Create a client activity of your outlet (branch head or account manager).

    Example: vip --as M1 activity add --kind salon --title "2027年市場展望" --date 2026-12-12
    """
    from vipcli.cli.output import emit_json, info
    from vipcli.services.routine.activities import add_activity

    doc = add_activity(CURRENT.context(), kind=kind, title=title, held_on=_date(date, "--date"),
                       place=place)
    emit_json(doc) if as_json else info(f"activity {doc['id']} created: {doc['title']} on {doc['date']}")


@activity_app.command("list")
def activity_list(as_json: bool = json_option()) -> None:
    """List your outlet's activities with invitations and attendance.

    Example: vip --as H1 activity list
    """
    from vipcli.cli.output import console, emit_json
    from vipcli.cli.profile_render import table
    from vipcli.services.routine.activities import list_activities

    docs = list_activities(CURRENT.context())
    if as_json:
        emit_json(docs)
        return
    rows = [[d["id"], d["date"], d["kind"], d["title"], d["place"], d["invited"], d["attended"]]
            for d in docs]
    console().print(table("Activities", [("id", "right"), "date", "kind", "title", "place",
                                         ("invited", "right"), ("attended", "right")], rows))


@activity_app.command("invite")
def activity_invite(
    activity_id: int = typer.Argument(..., metavar="ID"),
    tier: str = typer.Option(None, "--tier", help="Signed tier (diamond, platinum, gold, none)."),
    occupation: str = typer.Option(None, "--occupation", help="Occupation code."),
    orientation: str = typer.Option(None, "--orientation", help="relationship, value, service."),
    customer: list[str] = typer.Option(None, "--customer", help="A customer to invite (repeatable)."),
    as_json: bool = json_option(),
) -> None:
    """Invite a segment of the customers you see (and/or named customers) to an activity.

    Example: vip --as M1 activity invite 3 --tier diamond --orientation service
    """
    from vipcli.cli.output import emit_json, info
    from vipcli.services.routine.activities import invite

    doc = invite(CURRENT.context(), activity_id, tier=tier, occupation=occupation,
                 orientation=orientation, customers=customer or [])
    if as_json:
        emit_json(doc)
        return
    info(f"invited {len(doc['invited'])} customer(s) to activity {activity_id}"
         f" ({doc['already_invited']} already invited)")


@activity_app.command("attend")
def activity_attend(
    activity_id: int = typer.Argument(..., metavar="ID"),
    customer: str = typer.Argument(..., metavar="CUSTOMER"),
    brought: list[str] = typer.Option(None, "--brought", metavar="NAME:PHONE",
                                      help="A friend the customer brought (repeatable)."),
    as_json: bool = json_option(),
) -> None:
    """Record attendance; friends brought become referral prospects of your outlet.

    Example: vip --as M1 activity attend 3 C000123 --brought 張三:13900001111
    """
    from vipcli.cli.output import emit_json, info
    from vipcli.services.routine.activities import attend
    from vipcli.services.routine.referrals import parse_brought

    friends = [parse_brought(b) for b in brought or []]
    doc = attend(CURRENT.context(), activity_id, customer, friends)
    if as_json:
        emit_json(doc)
        return
    info(f"{customer} attended activity {activity_id}")
    for r in doc["referrals"]:
        what = "new prospect" if r["created"] else "existing customer"
        info(f"  referred {r['customer_id']} {r['name']} ({what}, manager {r['manager_id'] or '—'})")


@activity_app.command("referrals")
def activity_referrals(as_json: bool = json_option()) -> None:
    """Referral counts per customer you see (who brought whom), most first.

    Example: vip --as M1 activity referrals --json
    """
    from vipcli.cli.output import console, emit_json
    from vipcli.cli.profile_render import table
    from vipcli.services.routine.referrals import referral_counts

    docs = referral_counts(CURRENT.context())
    if as_json:
        emit_json(docs)
        return
    rows = [[d["customer_id"], d["name"], d["referrals"], ", ".join(d["referred"])] for d in docs]
    console().print(table("Referrals", ["customer", "name", ("referrals", "right"), "referred"], rows))


@journal_app.command("add")
def journal_add(
    kind: str = typer.Option(..., "--kind", help="meeting, visit, sale, suggestion or memo."),
    text: str = typer.Option(..., "--text", help="The note."),
    date: str = typer.Option(None, "--date", metavar="YYYY-MM-DD", help="Default today."),
    as_json: bool = json_option(),
) -> None:
    """Write a journal entry (morning-meeting notes, visits, sales, suggestions, memos).

    Example: vip --as M1 journal add --kind meeting --text "晨會：本周主推基金定投"
    """
    from vipcli.cli.output import emit_json, info
    from vipcli.services.routine.journal import add_entry

    doc = add_entry(CURRENT.context(), kind=kind, text=text, on=_date(date, "--date"))
    emit_json(doc) if as_json else info(f"journal entry {doc['id']} saved for {doc['date']}")


@journal_app.command("week")
def journal_week(
    week: str = typer.Option(None, "--week", metavar="YYYY-Www", help="Default this week."),
    staff: str = typer.Option(None, "--staff", help="Another staff member (branch head)."),
    as_json: bool = json_option(),
) -> None:
    """The week's summary for the supervisor: visits, contacts, sales and journal entries.

    Example: vip --as H1 journal week --week 2026-W48 --staff M1
    """
    from vipcli.cli import profile_render
    from vipcli.cli.output import emit_json
    from vipcli.services.routine.journal import week_summary

    doc = week_summary(CURRENT.context(), week=week, staff_id=staff)
    emit_json(doc) if as_json else profile_render.render_week(doc)


def segment_cmd(
    tier: str = typer.Option(None, "--tier", help="Signed tier (diamond, platinum, gold, none)."),
    occupation: str = typer.Option(None, "--occupation", help="Occupation code (or none)."),
    orientation: str = typer.Option(None, "--orientation", help="Orientation (or none)."),
    by: str = typer.Option(None, "--by", metavar="FIELD,FIELD",
                           help="Cross-tab fields (default tier,occupation,orientation)."),
    limit: int = typer.Option(None, "--limit", min=1, help="List at most this many customers."),
    as_json: bool = json_option(),
) -> None:
    """Segments: filtered customer lists (masked) and cross-tab counts.

    Example: vip --as H1 segment --tier platinum --by occupation,orientation
    """
    from vipcli.cli import profile_render
    from vipcli.cli.output import emit_json
    from vipcli.services.routine.segments import segment

    doc = segment(CURRENT.context(), tier=tier, occupation=occupation, orientation=orientation,
                  by=by, limit=limit)
    emit_json(doc) if as_json else profile_render.render_segment(doc)


def retention_cmd(
    from_month: str = typer.Option(None, "--from", metavar="YYYY-MM", help="Period start month."),
    to_month: str = typer.Option(None, "--to", metavar="YYYY-MM", help="Period end month."),
    as_json: bool = json_option(),
) -> None:
    """VIP retention by tier, customers lost or downgraded, assets lost; contribution and loyalty.

    Example: vip --as H1 report retention --from 2025-10 --to 2026-10
    """
    from vipcli.cli import profile_render
    from vipcli.cli.output import emit_json
    from vipcli.services.routine.retention import retention_report

    doc = retention_report(CURRENT.context(), from_month=from_month, to_month=to_month)
    emit_json(doc) if as_json else profile_render.render_retention(doc)


def register(app: typer.Typer) -> None:
    app.command("show")(show_cmd)
    app.command("lobby")(lobby_cmd)
    app.add_typer(activity_app, name="activity")
    app.add_typer(journal_app, name="journal")
    app.command("segment")(segment_cmd)
    groups.report_app.command("retention")(retention_cmd)
