"""Client activities and referrals (客户活动、圈子营销, SPEC §10).

Attendance may bring friends: they become referrals (vipcli.services.routine.referrals).
Attendance is recorded for an activity that has happened (held today or before), never
ahead of it.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from vipcli import clock
from vipcli.db.models import Activity, Customer, Invitation
from vipcli.domain.vocabulary import CLOSED_STATUSES
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from vipcli.i18n import _
from vipcli.services.core.access import get_visible_customer, require_role, visible_clause
from vipcli.services.core.context import Actor, Context
from vipcli.services.routine.referrals import Referred, refer

KINDS = ("salon", "banquet", "trip", "lecture", "outlook")
ORGANISER_ROLES = ("branch_head", "account_manager")


class NewActivity(TypedDict):
    """`vip activity add --json`: the activity as recorded."""

    id: int
    kind: str
    title: str
    date: dt.date
    place: str | None
    branch_id: str


class ActivitySummary(TypedDict):
    """One row of `vip activity list --json`, with its invitation and attendance counts."""

    id: int
    kind: str
    title: str
    date: dt.date
    place: str | None
    invited: int
    attended: int


class Invitations(TypedDict):
    """`vip activity invite --json`: who was newly invited, how many already were."""

    activity_id: int
    invited: list[str]
    already_invited: int


class Attendance(TypedDict):
    """`vip activity attend --json`: the attendance and the friends it brought (§10)."""

    activity_id: int
    customer_id: str
    attended: bool
    referrals: list[Referred]


def add_activity(ctx: Context, *, kind: str, title: str, held_on: dt.date,
                 place: str | None) -> NewActivity:
    actor = ctx.actor()
    require_role(actor, ORGANISER_ROLES, _("organise client activities"))
    if kind not in KINDS:
        raise InvalidInput(_("unknown activity kind {kind!r}; expected one of {kinds}").format(
            kind=kind, kinds=", ".join(KINDS)))
    if not title.strip():
        raise InvalidInput(_("an activity needs a title"))
    with ctx.session() as session:
        new_id = session.execute(
            insert(Activity)
            .values(branch_id=actor.branch_id, kind=kind, title=title.strip(), held_on=held_on,
                    place=place, created_by=actor.staff_id, created_at=clock.now())
            .returning(Activity.id)
        ).scalar_one()
    return {"id": new_id, "kind": kind, "title": title.strip(), "date": held_on, "place": place,
            "branch_id": actor.branch_id}


def list_activities(ctx: Context) -> list[ActivitySummary]:
    actor = ctx.actor()
    invited = func.count(Invitation.customer_id)
    attended = func.count(Invitation.attended_at)
    with ctx.session(write=False) as session:
        rows = session.execute(
            select(Activity, invited, attended)
            .outerjoin(Invitation, Invitation.activity_id == Activity.id)
            .where(Activity.branch_id == actor.branch_id)
            .group_by(Activity.id)
            .order_by(Activity.held_on.desc(), Activity.id.desc())
        ).all()
    return [
        {"id": a.id, "kind": a.kind, "title": a.title, "date": a.held_on, "place": a.place,
         "invited": n_inv, "attended": n_att}
        for a, n_inv, n_att in rows
    ]


def _activity(session: Session, actor: Actor, activity_id: int) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise NotFound(_("unknown activity {id}").format(id=activity_id))
    if activity.branch_id != actor.branch_id:
        raise PermissionDenied(_("activity {id} belongs to another outlet").format(id=activity_id))
    return activity


def invite(ctx: Context, activity_id: int, *, tier: str | None = None, occupation: str | None = None,
           orientation: str | None = None, customers: list[str] | None = None) -> Invitations:
    """Invite by segment among the customers the actor may see (§10), or by name."""
    from vipcli.services.routine.segments import segment_clauses

    actor = ctx.actor()
    require_role(actor, ORGANISER_ROLES, _("invite customers to activities"))
    if not (tier or occupation or orientation or customers):
        raise InvalidInput(_("say whom to invite: --tier, --occupation, --orientation or --customer"))
    with ctx.session() as session:
        _activity(session, actor, activity_id)
        chosen = {get_visible_customer(session, actor, c).customer_id for c in customers or []}
        if tier or occupation or orientation:
            query = select(Customer.customer_id).where(
                visible_clause(actor), *segment_clauses(tier, occupation, orientation),
                Customer.status.not_in(CLOSED_STATUSES),
            )
            chosen.update(session.scalars(query))
        already = set(session.scalars(
            select(Invitation.customer_id).where(Invitation.activity_id == activity_id)
        ))
        new = sorted(chosen - already)
        if new:
            now = clock.now()
            session.execute(insert(Invitation), [
                dict(activity_id=activity_id, customer_id=c, invited_at=now,
                     invited_by=actor.staff_id, attended=False) for c in new
            ])
    return {"activity_id": activity_id, "invited": new, "already_invited": len(chosen & already)}


def attend(ctx: Context, activity_id: int, customer_id: str,
           brought: list[tuple[str, str]] | None = None) -> Attendance:
    actor = ctx.actor()
    require_role(actor, ORGANISER_ROLES, _("record attendance"))
    now = clock.now()
    with ctx.session() as session:
        activity = _activity(session, actor, activity_id)
        today = clock.today()
        if activity.held_on > today:
            raise RuleViolation(
                _("activity {id} is held on {date}, after today ({today}): record attendance once "
                  "it has happened").format(id=activity_id, date=activity.held_on.isoformat(),
                                            today=today.isoformat()))
        referrer = get_visible_customer(session, actor, customer_id)
        mark_attended(session, activity_id, customer_id, actor, now)
        referred: list[Referred] = []
        for name, phone in brought or []:
            friend = refer(session, activity, referrer, name, phone, actor, now, ctx.loaded_rules)
            mark_attended(session, activity_id, friend["customer_id"], actor, now)  # they came too
            referred.append(friend)
    return {"activity_id": activity_id, "customer_id": customer_id, "attended": True,
            "referrals": referred}


def mark_attended(session: Session, activity_id: int, customer_id: str, actor: Actor,
                  now: dt.datetime) -> None:
    invitation = session.get(Invitation, (activity_id, customer_id))
    if invitation is None:  # a walk-in guest: invited and attended at once
        session.add(Invitation(activity_id=activity_id, customer_id=customer_id, invited_at=now,
                               invited_by=actor.staff_id, attended=True, attended_at=now))
    elif not invitation.attended:
        invitation.attended, invitation.attended_at = True, now
    session.flush()
