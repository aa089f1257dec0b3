"""Opportunities (商机管理, SPEC §7): one sales process from lead to won or lost.

Stages run lead → contacted → needs_identified → proposal → won | lost. A move may skip
forward stages (a customer may say yes at the first call) but never go back; a closed
opportunity does not move; lost needs a reason; won checks suitability (§8, §13: the
assessment must be valid before the sale) and, for a product rated PR3 or above, that the
risk was disclosed (§18 风险披露); a won sale keeps the product's rating and the customer's
level of that day. Every change is a history row and audited.
`open_opportunity` and `move_opportunity` work in the caller's session (log-contact uses
them in its own transaction) and do not commit.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from vipcli import clock
from vipcli.db.models import Customer, Opportunity, OpportunityStage, Product, Staff
from vipcli.domain import labels
from vipcli.domain.money import money_str
from vipcli.domain.suitability import Suitability
from vipcli.domain.vocabulary import (
    CLOSED_OPPORTUNITY_STAGES,
    IDEA_KINDS,
    OPEN_OPPORTUNITY_STAGES,
    OPPORTUNITY_STAGES,
)
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation
from vipcli.i18n import N_, _
from vipcli.services.core.access import FRONT_ROLES, get_visible_customer, require_role
from vipcli.services.core.audit import audit
from vipcli.services.core.context import Actor, Context
from vipcli.services.lifecycle.risk import load_assessments

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Row


class OpportunityRow(TypedDict):
    """One opportunity of the progress table (`vip opp list --json`), amounts in yuan."""

    id: int
    customer_id: str
    customer_name: str
    owner_id: str
    owner_name: str
    product_code: str | None
    product_name: str | None
    stage: str
    expected_amount: str | None
    won_amount: str | None
    next_action: str | None
    next_date: str | None
    idea_kind: str | None
    lost_reason: str | None
    opened_at: str
    closed_at: str | None
    # §18 risk disclosure: when it was recorded; for a won sale the product's rating
    # (1..5 for PR1..PR5) and the customer's assessed level on the day.
    disclosed_at: str | None
    sale_product_rating: int | None
    sale_risk_level: int | None


# §18: winning a product rated PR3 or above needs the risk disclosure (`--disclosed`).


# One step of an opportunity's history ("from" is a keyword, hence this form).
StageMove = TypedDict("StageMove", {"from": str | None, "to": str, "at": str,
                                    "by": str | None, "note": str | None})


class OpportunityDetail(OpportunityRow):
    """`vip opp show|add|move|close --json`: the opportunity and its stage history."""

    history: list[StageMove]


class KindConversion(TypedDict):
    """Opportunities opened from one kind of idea and how they ended (§7 conversion)."""

    kind: str
    opened: int
    won: int
    lost: int
    open: int
    won_amount: str | None
    conversion: float


def check_stage(stage: str) -> str:
    if stage not in OPPORTUNITY_STAGES:
        raise InvalidInput(_("unknown stage {stage!r}; expected one of {stages}").format(
            stage=stage, stages=", ".join(OPPORTUNITY_STAGES)))
    return stage


def check_move(current: str, target: str, *, opportunity_id: int, lost_reason: str | None) -> None:
    """§7: forward only (skipping allowed), nothing after won/lost, lost needs a reason."""
    check_stage(target)
    if current in CLOSED_OPPORTUNITY_STAGES:
        raise RuleViolation(_("opportunity {id} is already closed ({stage}); it cannot move").format(
            id=opportunity_id, stage=labels.stage(current)))
    if target == "lost" and not (lost_reason or "").strip():
        raise InvalidInput(_("closing opportunity {id} as lost needs a reason (--reason)").format(
            id=opportunity_id))
    order = OPPORTUNITY_STAGES.index
    if target not in CLOSED_OPPORTUNITY_STAGES and order(target) < order(current):
        raise RuleViolation(_("opportunity {id} is at {stage}; stages only move forward "
                              "({order} → won | lost)").format(
            id=opportunity_id, stage=labels.stage(current), order=" → ".join(OPEN_OPPORTUNITY_STAGES)))


def _check_amount(value: int | None, message: str) -> None:
    """`message`: the whole sentence, marked with N_ (§16: no glued fragments)."""
    if value is not None and value < 0:
        raise InvalidInput(_(message))


def owner_for(actor: Actor, customer: Customer) -> str:
    """The owner is the customer's manager or the branch head (§7)."""
    if actor.role == "branch_head" or actor.staff_id == customer.manager_id:
        return actor.staff_id
    if customer.manager_id:
        return customer.manager_id
    raise PermissionDenied(_("customer {customer} has no manager yet; only the branch head may "
                             "open an opportunity for it").format(customer=customer.customer_id))


def open_opportunity(
    session: Session,
    actor: Actor,
    customer_id: str,
    *,
    product_code: str | None = None,
    expected_amount_fen: int | None = None,
    next_action: str | None = None,
    next_date: dt.date | None = None,
    idea_kind: str | None = None,
    stage: str = "lead",
) -> Opportunity:
    customer = get_visible_customer(session, actor, customer_id)
    if check_stage(stage) not in OPEN_OPPORTUNITY_STAGES:
        raise InvalidInput(_("a new opportunity starts at an open stage ({stages})").format(
            stages=", ".join(OPEN_OPPORTUNITY_STAGES)))
    if product_code is not None and session.get(Product, product_code) is None:
        raise NotFound(_("unknown product {code!r} (import it with `vip import products`)").format(
            code=product_code))
    if idea_kind is not None and idea_kind not in IDEA_KINDS:
        raise InvalidInput(_("unknown idea kind {kind!r}; expected one of {kinds}").format(
            kind=idea_kind, kinds=", ".join(IDEA_KINDS)))
    _check_amount(expected_amount_fen, N_("the expected amount must not be negative"))
    opp = Opportunity(
        customer_id=customer.customer_id,
        owner_id=owner_for(actor, customer),
        product_code=product_code,
        stage=stage,
        expected_amount_fen=expected_amount_fen,
        next_action=next_action,
        next_date=next_date,
        idea_kind=idea_kind,
        opened_at=clock.now(),
    )
    session.add(opp)
    session.flush()
    session.add(OpportunityStage(opportunity_id=opp.id, from_stage=None, to_stage=stage,
                                 at=opp.opened_at, by_staff_id=actor.staff_id, note="opened"))
    audit(session, actor.staff_id, "opportunity_open", customer.customer_id,
          opportunity_id=opp.id, stage=stage, product_code=product_code, idea_kind=idea_kind)
    return opp


def get_movable(session: Session, actor: Actor, opportunity_id: int) -> Opportunity:
    """The opportunity, if the actor owns it, manages its customer or heads its outlet."""
    opp = session.get(Opportunity, opportunity_id)
    if opp is None:
        raise NotFound(_("unknown opportunity {id}").format(id=opportunity_id))
    customer = get_visible_customer(session, actor, opp.customer_id)
    if actor.role != "branch_head" and actor.staff_id not in (opp.owner_id, customer.manager_id):
        raise PermissionDenied(_("opportunity {id} belongs to {owner}; only its owner, the "
                                 "customer's manager or the branch head may change it").format(
            id=opportunity_id, owner=opp.owner_id))
    return opp


def move_opportunity(
    session: Session,
    actor: Actor,
    opportunity_id: int,
    stage: str,
    *,
    note: str | None = None,
    lost_reason: str | None = None,
    won_amount_fen: int | None = None,
    next_action: str | None = None,
    next_date: dt.date | None = None,
    disclosed: bool = False,
    disclose_from: int,
) -> Opportunity:
    opp = get_movable(session, actor, opportunity_id)
    same_stage = stage == opp.stage and stage in OPEN_OPPORTUNITY_STAGES
    if same_stage and next_action is None and next_date is None and note is None:
        raise InvalidInput(_("opportunity {id} is already at {stage}").format(
            id=opportunity_id, stage=labels.stage(stage)))
    if not same_stage:
        check_move(opp.stage, stage, opportunity_id=opportunity_id, lost_reason=lost_reason)
    _check_amount(won_amount_fen, N_("the won amount must not be negative"))
    sale: tuple[int | None, int | None] = (None, None)
    if stage == "won":
        sale = _check_suitable(session, opp)
        _check_disclosed(opp, sale[0], disclosed, disclose_from)
    now = clock.now()
    session.add(OpportunityStage(opportunity_id=opp.id, from_stage=opp.stage, to_stage=stage,
                                 at=now, by_staff_id=actor.staff_id, note=note or lost_reason))
    previous, opp.stage = opp.stage, stage
    if next_action is not None:
        opp.next_action = next_action
    if next_date is not None:
        opp.next_date = next_date
    if stage in CLOSED_OPPORTUNITY_STAGES:
        opp.closed_at = now
        opp.next_date = None  # a closed opportunity leaves the follow-up list (§5)
        if stage == "won":
            opp.won_amount_fen = won_amount_fen if won_amount_fen is not None else opp.expected_amount_fen
            opp.sale_product_rating, opp.sale_risk_level = sale  # §18: as on the day
            if disclosed:
                opp.disclosed_at = now
        else:
            assert lost_reason is not None  # check_move: lost needs a reason
            opp.lost_reason = lost_reason.strip()
    sold = {"product_rating": sale[0], "risk_level": sale[1],
            "disclosed": disclosed} if stage == "won" else {}
    audit(session, actor.staff_id, "opportunity_move", opp.customer_id, opportunity_id=opp.id,
          from_stage=previous, to_stage=stage, **sold)
    return opp


def _check_suitable(session: Session, opp: Opportunity) -> tuple[int | None, int | None]:
    """§13: a product's risk rating never exceeds the valid assessed level at the sale.
    Returns (the product's rating, the customer's valid level), as the sale keeps them."""
    assessments = load_assessments(session, [opp.customer_id])[opp.customer_id]
    suitability = Suitability(assessments, clock.today())
    level = suitability.valid.level if suitability.valid else None
    if opp.product_code is None:
        return None, level
    product = session.get(Product, opp.product_code)
    rating = product.risk_rating if product else None
    reason = suitability.blocked_reason(rating)
    if reason:
        raise RuleViolation(_("opportunity {id} cannot be won: {product} is not suitable ({reason})")
                            .format(id=opp.id, product=opp.product_code, reason=reason))
    return rating, level


def _check_disclosed(opp: Opportunity, rating: int | None, disclosed: bool,
                     disclose_from: int) -> None:
    """§18 风险披露: a product rated PR3 (rules: disclosure_from_rating) or above is won only
    with the disclosure recorded."""
    if rating is not None and rating >= disclose_from and not disclosed:
        raise RuleViolation(_(
            "opportunity {id} sells {product}, rated PR{rating}: the risk disclosure is needed "
            "before the sale; once it is made, close with `vip opp close {id} --won --disclosed`"
        ).format(id=opp.id, product=opp.product_code, rating=rating))


# --- the commands' unit-of-work functions (`vip opp …`) -----------------------------


def _future_date(next_date: dt.date | None) -> None:
    if next_date is not None and next_date < clock.today():
        raise InvalidInput(_("the next action date {date} is in the past").format(
            date=next_date.isoformat()))


def add(ctx: Context, customer_id: str, *, product_code: str | None = None,
        expected_amount_fen: int | None = None, next_action: str | None = None,
        next_date: dt.date | None = None, idea_kind: str | None = None,
        stage: str = "lead") -> OpportunityDetail:
    _future_date(next_date)
    with ctx.session() as session:
        opp = open_opportunity(session, ctx.actor(), customer_id, product_code=product_code,
                               expected_amount_fen=expected_amount_fen, next_action=next_action,
                               next_date=next_date, idea_kind=idea_kind, stage=stage)
        session.flush()
        return opportunity_detail_in(session, opp.id)


def move(ctx: Context, opportunity_id: int, stage: str, *, note: str | None = None,
         lost_reason: str | None = None, won_amount_fen: int | None = None,
         next_action: str | None = None, next_date: dt.date | None = None,
         disclosed: bool = False) -> OpportunityDetail:
    _future_date(next_date)
    with ctx.session() as session:
        move_opportunity(session, ctx.actor(), opportunity_id, stage, note=note,
                         lost_reason=lost_reason, won_amount_fen=won_amount_fen,
                         next_action=next_action, next_date=next_date, disclosed=disclosed,
                         disclose_from=ctx.rules.relationship.disclosure_from_rating)
        session.flush()
        return opportunity_detail_in(session, opportunity_id)


def close(ctx: Context, opportunity_id: int, *, won: bool, lost_reason: str | None = None,
          won_amount_fen: int | None = None, note: str | None = None,
          disclosed: bool = False) -> OpportunityDetail:
    if disclosed and not won:
        raise InvalidInput(_("--disclosed records the risk disclosure of a sale; it goes with "
                             "--won"))
    stage = "won" if won else "lost"
    return move(ctx, opportunity_id, stage, lost_reason=lost_reason,
                won_amount_fen=won_amount_fen, note=note, disclosed=disclosed)


def detail(ctx: Context, opportunity_id: int) -> OpportunityDetail:
    with ctx.session(write=False) as session:
        get_visible_opportunity(session, ctx.actor(), opportunity_id)
        return opportunity_detail_in(session, opportunity_id)


def get_visible_opportunity(session: Session, actor: Actor, opportunity_id: int) -> Opportunity:
    opp = session.get(Opportunity, opportunity_id)
    if opp is None:
        raise NotFound(_("unknown opportunity {id}").format(id=opportunity_id))
    get_visible_customer(session, actor, opp.customer_id)
    return opp


def opportunity_detail_in(session: Session, opportunity_id: int) -> OpportunityDetail:
    (row,) = rows_for(session, [Opportunity.id == opportunity_id])
    history = session.execute(
        select(OpportunityStage).where(OpportunityStage.opportunity_id == opportunity_id)
        .order_by(OpportunityStage.at, OpportunityStage.id)
    ).scalars()
    return {**row, "history": [
        {"from": h.from_stage, "to": h.to_stage, "at": h.at.isoformat(), "by": h.by_staff_id,
         "note": h.note}
        for h in history
    ]}


def rows_for(session: Session, where: list[ColumnElement[bool]]) -> list[OpportunityRow]:
    """Opportunities with customer, owner and product names, oldest first."""
    owner = aliased(Staff)
    stmt = (
        select(Opportunity, Customer.name.label("customer_name"), owner.name.label("owner_name"),
               Product.name.label("product_name"))
        .join(Customer, Customer.customer_id == Opportunity.customer_id)
        .join(owner, owner.staff_id == Opportunity.owner_id)
        .outerjoin(Product, Product.product_code == Opportunity.product_code)
        .where(*where)
        .order_by(Opportunity.id)
    )
    return [_row_json(r) for r in session.execute(stmt)]


def _row_json(r: Row[Opportunity, str, str, str | None]) -> OpportunityRow:
    o = r.Opportunity
    return {
        "id": o.id,
        "customer_id": o.customer_id,
        "customer_name": r.customer_name,
        "owner_id": o.owner_id,
        "owner_name": r.owner_name,
        "product_code": o.product_code,
        "product_name": r.product_name,
        "stage": o.stage,
        "expected_amount": money_str(o.expected_amount_fen),
        "won_amount": money_str(o.won_amount_fen),
        "next_action": o.next_action,
        "next_date": o.next_date.isoformat() if o.next_date else None,
        "idea_kind": o.idea_kind,
        "lost_reason": o.lost_reason,
        "opened_at": o.opened_at.isoformat(),
        "closed_at": o.closed_at.isoformat() if o.closed_at else None,
        "disclosed_at": o.disclosed_at.isoformat() if o.disclosed_at else None,
        "sale_product_rating": o.sale_product_rating,
        "sale_risk_level": o.sale_risk_level,
    }


def list_opportunities(
    ctx: Context,
    *,
    staff_id: str | None = None,
    stage: str | None = None,
    open_only: bool = False,
    outlet: bool = False,
) -> list[OpportunityRow]:
    """A manager's progress table (own), or the outlet's VIP opportunity table (--outlet)."""
    actor = ctx.actor()
    where = [scope_clause(ctx, actor, staff_id=staff_id, outlet=outlet)]
    if stage is not None:
        where.append(Opportunity.stage == check_stage(stage))
    if open_only:
        where.append(Opportunity.stage.in_(OPEN_OPPORTUNITY_STAGES))
    with ctx.session(write=False) as session:
        return rows_for(session, where)


def scope_clause(ctx: Context, actor: Actor, *, staff_id: str | None,
                 outlet: bool) -> ColumnElement[bool]:
    """§13: managers see their own; the branch head its outlet, or one of its staff."""
    require_role(actor, FRONT_ROLES, _("list opportunities"))
    if outlet or (staff_id and staff_id != actor.staff_id):
        require_role(actor, ("branch_head",), _("see other staff's or the outlet's opportunities"))
    if outlet:
        return Customer.branch_id == actor.branch_id
    if staff_id and staff_id != actor.staff_id:
        with ctx.session(write=False) as session:
            member = session.get(Staff, staff_id)
        if member is None or member.branch_id != actor.branch_id:
            raise NotFound(_("unknown staff member {staff!r} at outlet {outlet}").format(
                staff=staff_id, outlet=actor.branch_id))
        return (Opportunity.owner_id == staff_id) & (Customer.branch_id == actor.branch_id)
    return Opportunity.owner_id == actor.staff_id


def conversion(ctx: Context, *, staff_id: str | None = None,
               outlet: bool = False) -> list[KindConversion]:
    """Conversion by idea kind (`vip opp list --by-kind`), over every opportunity so far."""
    actor = ctx.actor()
    scope_clause(ctx, actor, staff_id=staff_id, outlet=outlet)  # the same permission checks
    owner = None if outlet else (staff_id or actor.staff_id)
    end = dt.datetime.combine(clock.today() + dt.timedelta(days=1), dt.time())
    with ctx.session(write=False) as session:
        return conversion_by_kind(session, actor.branch_id, end, owner)


def conversion_by_kind(session: Session, branch_id: str, end: dt.datetime,
                       owner_id: str | None) -> list[KindConversion]:
    """Opportunities opened from each kind of idea up to the week's end, and how they ended."""
    o = Opportunity
    where = [Customer.customer_id == o.customer_id, Customer.branch_id == branch_id,
             o.opened_at < end]
    if owner_id is not None:
        where.append(o.owner_id == owner_id)
    rows = session.execute(select(o.idea_kind, o.stage, o.closed_at, o.won_amount_fen).where(*where))
    tallies: dict[str, dict[str, int]] = {}
    for kind, stage, closed_at, won_fen in rows:
        blank = dict.fromkeys(("opened", "won", "lost", "open", "won_amount"), 0)
        tally = tallies.setdefault(kind or "none", blank)
        tally["opened"] += 1
        ended = closed_at is not None and closed_at < end
        bucket = stage if ended else "open"
        tally[bucket] += 1
        if bucket == "won":
            tally["won_amount"] += won_fen or 0
    kinds: list[KindConversion] = [
        {"kind": kind, "opened": t["opened"], "won": t["won"], "lost": t["lost"],
         "open": t["open"], "won_amount": money_str(t["won_amount"]),
         "conversion": round(t["won"] / t["opened"], 4)}
        for kind, t in tallies.items()
    ]
    order = (*IDEA_KINDS, "none")
    return sorted(kinds, key=lambda d: order.index(d["kind"]) if d["kind"] in order else 9)
