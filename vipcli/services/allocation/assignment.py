"""Allocation of an outlet's VIP customers (SPEC §2, contract §15): assign, handover, plans.

The algorithm is `vipcli.domain.balancing` on plain values; this module loads the outlet's
book, turns the plan into the §15 document, and writes it in one transaction: customers'
manager/advisor (and `assigned_on`, from which `vip due` derives the first-contact item),
AssignmentHistory rows and the audit log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import TypedDict, cast

from sqlalchemy import ColumnElement, Connection, and_, bindparam, insert, or_, select, update

from vipcli import clock
from vipcli.config import Rules
from vipcli.db import models
from vipcli.domain import balancing as bal
from vipcli.domain import labels
from vipcli.domain.money import money_str, yuan_to_fen
from vipcli.domain.vocabulary import CLOSED_STATUSES, tier_rank
from vipcli.errors import InvalidInput, NotFound, PermissionDenied, RuleViolation, StalePlan
from vipcli.i18n import _
from vipcli.services.core import standing
from vipcli.services.core.access import require_role
from vipcli.services.core.audit import audit, audit_many
from vipcli.services.core.context import Actor, Context

# Core tables, not ORM entities: these statements touch thousands of rows (docs/design.md "Performance": set-based).
CUST = models.Customer.__table__.c  # columns
STAFF = models.Staff.__table__.c
CUSTOMERS = models.Customer.__table__
HISTORY = models.AssignmentHistory.__table__
LEADS = models.Lead.__table__

PLAN_KIND = "vip-assignment-plan"


class Assignment(TypedDict):
    """One move of §15 `assignments`, with why, and the tier and ADB12 it was placed by.
    A lead's move (§18) has `customer_id` null, its `lead_id`, no tier and no ADB12, and
    its estimated assets (`est_assets`); a customer's has `lead_id` null."""

    customer_id: str | None
    lead_id: str | None
    est_assets: str | None
    staff_id: str
    role: str  # primary | advisor
    previous_staff_id: str | None
    reason: str  # English, as the history keeps it
    reason_kind: str  # a key of balancing.REASONS, for the screen's translation
    tier: str | None
    adb12: str | None  # yuan, two decimals


class StaffLoad(TypedDict):
    """§15 `loads`: a holder's load against its capacity, as decimal strings.

    load = Σ 1/ratio of its customers' tiers ÷ capacity (§2), so "1.000" is a full book
    whatever the capacity; the screen shows it as a percentage of capacity ("62%"). Added
    to §15: the name, the load and the customers held (in this role) before the plan."""

    staff_id: str
    role: str
    load: str
    capacity: str
    name: str | None
    load_before: str
    customers_before: int
    customers_after: int


class OverCapacity(TypedDict):
    """A customer this plan places although its holder is then above capacity (§2 overflow)."""

    customer_id: str
    role: str
    staff_id: str


class StaffingGap(TypedDict):
    """§15 `staffing.account_managers` / `.advisors`: staff the §2 ratios call for."""

    required: int
    available: int
    capacity: str
    understaffed: bool


class StaffingNeeds(TypedDict):
    account_managers: StaffingGap
    advisors: StaffingGap


class Unplaced(TypedDict):
    customer_id: str
    role: str


class PlanBody(TypedDict):
    """What every allocation plan holds after its head (outlet and options)."""

    fingerprint: str  # of the book the plan was made on (`OutletBook.fingerprint`)
    assignments: list[Assignment]
    loads: list[StaffLoad]
    staffing: StaffingNeeds
    overflow: list[str]  # staff left above capacity
    over_capacity: list[OverCapacity]  # customers placed beyond capacity by this plan
    unassigned: list[Unplaced]


class AssignPlan(PlanBody):
    """`vip assign` (§15 assign document)."""

    outlet: str
    dry_run: bool
    rebalance: bool


class HandoverPlan(PlanBody):
    """`vip handover` (§15: the same shape as `assign`)."""

    outlet: str
    dry_run: bool
    handover_from: str
    handover_from_name: str | None
    handover_to: str | None


class SavedPlan(AssignPlan):
    """`vip assign --plan-out FILE`: the plan as written to the file for review."""

    kind: str  # PLAN_KIND
    version: int
    made_by: str
    made_at: str


class AppliedPlan(TypedDict):
    """`vip assign --apply FILE`: the reviewed plan's moves, and its loads as it saved them."""

    assignments: list[Assignment]
    loads: list[StaffLoad] | None
    staffing: StaffingNeeds | None
    overflow: list[str] | None
    over_capacity: list[OverCapacity] | None
    outlet: str
    dry_run: bool
    applied_from: str


AllocationDocument = AssignPlan | HandoverPlan | AppliedPlan  # what `vip assign/handover` show


def policy(rules: Rules) -> bal.Policy:
    a = rules.allocation
    return bal.Policy(
        per_manager={"diamond": a.diamond_per_manager, "platinum": a.platinum_per_manager,
                     "gold": a.gold_per_manager},
        per_advisor={"diamond": a.diamond_per_advisor, "platinum": a.platinum_per_advisor},
        lobby_band=(yuan_to_fen(a.lobby_band_min), yuan_to_fen(a.lobby_band_max)),
        teller_band=(yuan_to_fen(a.teller_band_min), yuan_to_fen(a.teller_band_max)),
        tolerance=Fraction(a.rebalance_tolerance),
    )


def effective_tier(signed: str | None, qualified: str | None) -> str | None:
    """§2: a customer is allocated by the higher of its signed and qualified tier."""
    return max((signed, qualified), key=tier_rank) if (signed or qualified) else None


class OutletBook:
    """One outlet's allocatable customers and its staff, as the domain's plain values."""

    def __init__(self, conn: Connection, outlet: str, also_held_by: str | None = None) -> None:
        self.outlet = outlet
        staff = conn.execute(
            select(STAFF.staff_id, STAFF.name, STAFF.role, STAFF.capacity, STAFF.active)
            .where(STAFF.branch_id == outlet).order_by(STAFF.staff_id)
        ).all()
        self.members = [bal.Member(r.staff_id, r.role, Fraction(r.capacity or 0), bool(r.active))
                        for r in staff]
        self.names: dict[str, str] = {r.staff_id: r.name for r in staff}
        vip = or_(CUST.signed_tier.is_not(None), CUST.qualified_tier.is_not(None))
        wanted: ColumnElement[bool] = vip & CUST.status.not_in(CLOSED_STATUSES)
        if also_held_by:  # handover: the departing member's whole book, VIP or not,
            # but a lost customer (§18) stays where it was: it is out of every list
            wanted = or_(wanted, and_(CUST.status != "lost",
                                      or_(CUST.manager_id == also_held_by,
                                          CUST.advisor_id == also_held_by)))
        latest, on = standing.latest_result_join(CUST.customer_id, CUST.branch_id)
        rows = conn.execute(
            select(CUST.customer_id, CUST.signed_tier, CUST.qualified_tier,
                   latest.c.adb12_fen, CUST.manager_id, CUST.advisor_id, CUST.status)
            .select_from(CUSTOMERS.outerjoin(latest, on))
            .where(CUST.branch_id == outlet, wanted).order_by(CUST.customer_id)
        ).all()
        self.clients = [
            bal.Client(r.customer_id, effective_tier(r.signed_tier, r.qualified_tier),
                       r.adb12_fen or 0, r.manager_id, r.advisor_id)
            for r in rows
        ]
        self.allocatable = [
            c for c, r in zip(self.clients, rows, strict=True)
            if c.tier is not None and r.status not in CLOSED_STATUSES
        ]
        # §18: the outlet's leads not yet customers, each a prospect at Gold load (§2).
        leads = conn.execute(
            select(LEADS.c.lead_id, LEADS.c.est_assets_fen, LEADS.c.manager_id)
            .where(LEADS.c.branch_id == outlet, LEADS.c.customer_id.is_(None))
            .order_by(LEADS.c.lead_id)
        ).all()
        self.leads = [bal.Client(bal.lead_key(r.lead_id), "gold", r.est_assets_fen or 0, r.manager_id)
                      for r in leads]
        self.est_assets = {r.lead_id: r.est_assets_fen for r in leads}
        self.clients += self.leads
        self.allocatable += self.leads

    def fingerprint(self) -> str:
        """A hash of what a plan depends on: customers (tier, ADB12, holders) and staff."""
        doc = [
            [(c.customer_id, c.tier, c.adb12_fen, c.manager_id, c.advisor_id)
             for c in self.allocatable],
            [(m.staff_id, m.role, str(m.capacity), m.active) for m in self.members],
        ]
        return hashlib.sha256(json.dumps(doc).encode()).hexdigest()[:32]

    def member(self, staff_id: str) -> bal.Member | None:
        return next((m for m in self.members if m.staff_id == staff_id), None)


def branch_head(ctx: Context, doing: str) -> Actor:
    actor = ctx.actor()
    require_role(actor, ("branch_head",), doing)
    return actor


def load_str(load: Fraction) -> str:
    """Loads print as strings with 3 decimals ("0.533"), exact up to that rounding."""
    value = Decimal(load.numerator) / Decimal(load.denominator)
    return str(value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def capacity_str(capacity: Fraction) -> str:
    return str((Decimal(capacity.numerator) / Decimal(capacity.denominator)).quantize(Decimal("0.01")))


def _before(book: OutletBook, rules: Rules) -> dict[str, tuple[int, Fraction]]:
    """staff_id → (customers held, Σ weights) before the plan, in the role its load counts."""
    rule = policy(rules)
    held: dict[str, tuple[int, Fraction]] = {}
    for client in book.clients:
        for role in bal.ROLES:
            holder = client.holder(role)
            if holder is not None:
                count, weight = held.get(holder, (0, Fraction(0)))
                held[holder] = (count + 1, weight + rule.weight(role, client.tier))
    return held


def _loads(book: OutletBook, plan: bal.AllocationPlan, rules: Rules) -> list[StaffLoad]:
    """§15 loads, with each person's name and customers before → after the plan."""
    members = {m.staff_id: m for m in book.members}
    held = _before(book, rules)
    change: dict[str, int] = {}
    for move in plan.moves:
        change[move.to_id] = change.get(move.to_id, 0) + 1
        if move.from_id is not None:
            change[move.from_id] = change.get(move.from_id, 0) - 1
    loads: list[StaffLoad] = []
    for staff_id, load in plan.loads.items():
        member = members[staff_id]
        count, weight = held.get(staff_id, (0, Fraction(0)))
        loads.append({"staff_id": staff_id, "role": member.role, "load": load_str(load),
                      "capacity": capacity_str(member.capacity), "name": book.names.get(staff_id),
                      "load_before": load_str(weight / member.capacity),
                      "customers_before": count,
                      "customers_after": count + change.get(staff_id, 0)})
    return loads


def plan_body(book: OutletBook, plan: bal.AllocationPlan, rules: Rules) -> PlanBody:
    """The §15 assign/handover document after its head (plus reasons, tiers and the overflow)."""
    clients = {c.customer_id: c for c in book.clients}
    gap = bal.staffing(book.allocatable, book.members, policy(rules))
    return {
        "fingerprint": book.fingerprint(),
        "assignments": [_assignment(m, clients[m.customer_id], book.est_assets) for m in plan.moves],
        "loads": _loads(book, plan, rules),
        "staffing": {
            "account_managers": _gap(gap[bal.PRIMARY]),
            "advisors": _gap(gap[bal.ADVISOR]),
        },
        "overflow": plan.overflow(),
        "over_capacity": [{"customer_id": c, "role": r, "staff_id": s}
                          for c, r, s in plan.over_capacity],
        "unassigned": [{"customer_id": c, "role": r} for c, r in plan.unplaced],
    }


def _assignment(move: bal.Move, client: bal.Client, est_assets: dict[str, int | None]) -> Assignment:
    lead_id = bal.lead_of(move.customer_id)
    return {
        "customer_id": None if lead_id else move.customer_id,
        "lead_id": lead_id,
        "staff_id": move.to_id,
        "role": move.role,
        "previous_staff_id": move.from_id,
        "reason": move.reason,
        "reason_kind": move.kind,
        "tier": None if lead_id else client.tier,
        "adb12": None if lead_id else money_str(client.adb12_fen),
        "est_assets": money_str(est_assets.get(lead_id)) if lead_id else None,
    }


def _gap(gap: bal.Staffing) -> StaffingGap:
    return {"required": gap.required, "available": gap.available,
            "capacity": capacity_str(gap.capacity), "understaffed": gap.short}


def assign(ctx: Context, *, dry_run: bool = False, rebalance: bool = False) -> AssignPlan:
    """§2 `vip assign`: plan the acting branch head's outlet and (unless dry_run) write it."""
    actor = branch_head(ctx, _("allocate customers"))
    with ctx.begin() as conn:
        book = OutletBook(conn, actor.branch_id)
        plan = bal.allocate(book.allocatable, book.members, policy(ctx.rules), rebalance=rebalance)
        doc: AssignPlan = {"outlet": book.outlet, "dry_run": dry_run, "rebalance": rebalance,
                           **plan_body(book, plan, ctx.rules)}
        if not dry_run:
            write(conn, actor, doc["assignments"], action="assign")
    return doc


def handover(
    ctx: Context, from_id: str, to_id: str | None = None, *, dry_run: bool = False
) -> HandoverPlan:
    """§2 `vip handover`: a departing or moved member's whole book, to one person or balanced."""
    actor = branch_head(ctx, _("hand over a book"))
    with ctx.begin() as conn:
        book = OutletBook(conn, actor.branch_id, also_held_by=from_id)
        _outlet_member(conn, book, from_id, "--from")
        scope = bal.handover_scope(book.clients, from_id)
        if to_id is not None:
            _check_receiver(conn, book, from_id, to_id, ctx.rules)
        plan = bal.allocate(book.clients, book.members, policy(ctx.rules),
                            released=frozenset({from_id}), scope=scope, target=to_id)
        if plan.unplaced:
            names = ", ".join(f"{c} ({labels.seat(r)})" for c, r in plan.unplaced)
            raise RuleViolation(_("No active eligible staff at {outlet} can take {customers}; "
                                  "nothing was handed over").format(outlet=book.outlet,
                                                                    customers=names))
        doc: HandoverPlan = {"outlet": book.outlet, "dry_run": dry_run, "handover_from": from_id,
                             "handover_from_name": book.names.get(from_id),
                             "handover_to": to_id, **plan_body(book, plan, ctx.rules)}
        if not dry_run:
            write(conn, actor, doc["assignments"], action="handover")
    return doc


def _outlet_member(conn: Connection, book: OutletBook, staff_id: str, option: str) -> bal.Member:
    member = book.member(staff_id)
    if member is None:
        branch = conn.execute(select(STAFF.branch_id).where(STAFF.staff_id == staff_id)).scalar()
        if branch is None:
            raise NotFound(_("Unknown staff member {id!r} ({option})").format(id=staff_id,
                                                                             option=option))
        raise PermissionDenied(_("{id} ({option}) is staff of {branch}, not of {outlet}; "
                                 "allocation never crosses outlets").format(
                                     id=staff_id, option=option, branch=branch, outlet=book.outlet))
    return member


def _check_receiver(conn: Connection, book: OutletBook, from_id: str, to_id: str,
                    rules: Rules) -> None:
    member = _outlet_member(conn, book, to_id, "--to")
    if to_id == from_id:
        raise InvalidInput(_("--to must differ from --from"))
    if not member.active or member.capacity <= 0:
        raise RuleViolation(_("{id} is inactive or has no capacity and cannot take a book")
                            .format(id=to_id))
    refused = bal.cannot_take(book.clients, member, policy(rules), from_id)
    if refused:
        names = ", ".join(f"{c} ({labels.seat(r)})" for c, r in refused[:20])
        more = _(" and {count} more").format(count=len(refused) - 20) if len(refused) > 20 else ""
        raise RuleViolation(_("{id} ({role}) may not take {customers}{more}; hand over to an "
                              "eligible person or omit --to to balance").format(
                                  id=to_id, role=labels.role(member.role), customers=names, more=more))


def save_plan(ctx: Context, path: Path, *, rebalance: bool = False) -> SavedPlan:
    """`vip assign --plan-out FILE`: the plan and the book's fingerprint; the database is untouched."""
    doc = assign(ctx, dry_run=True, rebalance=rebalance)
    actor = ctx.actor()
    saved: SavedPlan = {"kind": PLAN_KIND, "version": 1, "made_by": actor.staff_id,
                        "made_at": clock.now().isoformat(), **doc}
    try:
        path.write_text(json.dumps(saved, ensure_ascii=False, indent=2), encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(_("Cannot write the plan to {file}: {reason}").format(
            file=path, reason=exc.strerror)) from None
    return saved


def read_plan(path: Path) -> SavedPlan:
    """A plan file as `save_plan` wrote it (checked for its kind and the keys applying reads)."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(_("Cannot read the plan {file}: {reason}").format(
            file=path, reason=exc.strerror)) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput(_("{file} is not a plan written by `vip assign --plan-out`")
                           .format(file=path)) from None
    keys = ("outlet", "fingerprint", "assignments")
    if not isinstance(saved, dict) or saved.get("kind") != PLAN_KIND or any(k not in saved for k in keys):
        raise InvalidInput(_("{file} is not a plan written by `vip assign --plan-out`")
                           .format(file=path))
    return cast(SavedPlan, saved)  # its moves are checked again before they are written


def apply_plan(ctx: Context, path: Path, *, dry_run: bool = False) -> AppliedPlan:
    """`vip assign --apply FILE`: write a reviewed plan if the book has not changed since."""
    actor = branch_head(ctx, _("allocate customers"))
    saved = read_plan(path)
    if saved["outlet"] != actor.branch_id:
        raise PermissionDenied(_("The plan is for outlet {plan_outlet}; {who} heads {outlet}")
                               .format(plan_outlet=saved["outlet"],
                                       who=labels.named(actor.name, actor.staff_id),
                                       outlet=actor.branch_id))
    with ctx.begin() as conn:
        book = OutletBook(conn, actor.branch_id)
        if book.fingerprint() != saved["fingerprint"]:
            raise StalePlan(_("The book changed since the plan was made (customers, tiers, "
                              "assignments or staff); nothing was written — make a new plan"))
        _validate_moves(book, saved["assignments"], ctx.rules)
        doc: AppliedPlan = {
            "assignments": saved["assignments"], "loads": saved.get("loads"),
            "staffing": saved.get("staffing"), "overflow": saved.get("overflow"),
            "over_capacity": saved.get("over_capacity"),
            "outlet": book.outlet, "dry_run": dry_run, "applied_from": str(path),
        }
        if not dry_run:
            write(conn, actor, saved["assignments"], action="assign")
    return doc


def _validate_moves(book: OutletBook, moves: Sequence[Assignment], rules: Rules) -> None:
    """A reviewed plan may have been edited: every move must still be a legal one."""
    clients = {c.customer_id: c for c in book.clients}
    rule = policy(rules)
    for move in moves:
        try:
            lead_id = move.get("lead_id")
            client = clients[bal.lead_key(lead_id) if lead_id else str(move["customer_id"])]
            role = move["role"]
            member, previous = book.member(move["staff_id"]), move["previous_staff_id"]
        except (KeyError, TypeError):
            raise InvalidInput(_("The plan has an invalid assignment {move!r}").format(
                move=move)) from None
        if role not in bal.ROLES or client.holder(role) != previous:
            raise StalePlan(_("The plan's move of {customer} no longer matches the book")
                            .format(customer=client.customer_id))
        if member is None or not member.active or not rule.may_hold(member, client, role):
            raise RuleViolation(_("The plan gives {customer} to {staff}, who may not hold it at "
                                  "this outlet; nothing was written").format(
                                      customer=client.customer_id, staff=move["staff_id"]))


def write(conn: Connection, actor: Actor, moves: Sequence[Assignment], *, action: str) -> None:
    """One transaction: holders, assigned_on (first contact, §1), history, audit."""
    now, today = clock.now(), clock.today()
    leads = [m for m in moves if m.get("lead_id")]
    _write_leads(conn, actor, leads, action=action)
    moves = [m for m in moves if not m.get("lead_id")]
    primary = [m for m in moves if m["role"] == bal.PRIMARY]
    advisor = [m for m in moves if m["role"] == bal.ADVISOR]
    target = CUST.customer_id == bindparam("b_customer")
    if primary:
        conn.execute(update(CUSTOMERS).where(target).values(
            manager_id=bindparam("b_staff"), assigned_on=bindparam("b_on")),
            [{"b_customer": m["customer_id"], "b_staff": m["staff_id"], "b_on": today} for m in primary])
    if advisor:
        conn.execute(update(CUSTOMERS).where(target).values(advisor_id=bindparam("b_staff")),
                     [{"b_customer": m["customer_id"], "b_staff": m["staff_id"]} for m in advisor])
    if moves:
        conn.execute(insert(HISTORY), [
            {"customer_id": m["customer_id"], "role": m["role"], "from_staff_id": m["previous_staff_id"],
             "to_staff_id": m["staff_id"], "at": now, "reason": m.get("reason") or action,
             "by_staff_id": actor.staff_id}
            for m in moves
        ])
    groups: dict[tuple[str, str | None, str, str | None], list[str]] = {}
    for m in moves:
        key = (m["role"], m["previous_staff_id"], m["staff_id"], m.get("reason"))
        groups.setdefault(key, []).append(str(m["customer_id"]))  # leads were written apart
    for (role, before, after, reason), ids in sorted(groups.items(), key=str):
        audit_many(conn, actor.staff_id, action, ids, role=role, previous=before, to=after, reason=reason)
    audit(conn, actor.staff_id, f"{action}_run", moved=len(moves), leads=len(leads))


def _write_leads(conn: Connection, actor: Actor, moves: Sequence[Assignment], *, action: str) -> None:
    """§18: a lead's holder and the day it got one; audited (leads have no customer history)."""
    if not moves:
        return
    conn.execute(update(LEADS).where(LEADS.c.lead_id == bindparam("b_lead")).values(
        manager_id=bindparam("b_staff"), assigned_on=bindparam("b_on")),
        [{"b_lead": m["lead_id"], "b_staff": m["staff_id"], "b_on": clock.today()} for m in moves])
    audit(conn, actor.staff_id, f"{action}_leads", None,
          leads={m["lead_id"]: {"previous": m["previous_staff_id"], "to": m["staff_id"]} for m in moves})
