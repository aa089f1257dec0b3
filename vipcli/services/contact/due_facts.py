"""The facts of a book of customers for the morning list, in one grouped query per table.

Every query is restricted to the given customer ids (IN lists in chunks), so one
manager's list never scans a whole table: customers by primary key, contacts by
(customer_id, contacted_at), transactions by (customer_id, date), and so on.
All dates are computed in Python and bound, so the SQL runs on SQLite and PostgreSQL.

The tables are read through vipcli.db.light's Core clauses, not vipcli.db.models: `vip due`
runs every morning, and importing the ORM and configuring the mappers costs more than the
whole list (§5, issue 12's figure).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from sqlalchemy import (
    and_,
    case,
    func,
    select,
)

from vipcli.config import Rules
from vipcli.db.light import (
    ACTIVITY_TABLE,
    ANNIVERSARY_TABLE,
    APPOINTMENT_STAFF_TABLE,
    APPOINTMENT_TABLE,
    ASSET_TABLE,
    BRANCH_TABLE,
    CARD_STATEMENT_TABLE,
    COMPLAINT_TABLE,
    CONTACT_TABLE,
    CROSS_SELL_TABLE,
    CUSTOMER_TABLE,
    DOWNGRADE_TABLE,
    HOLDING_TABLE,
    INVITATION_TABLE,
    LOAN_TABLE,
    OPP_TABLE,
    PRICE_TABLE,
    PRODUCT_TABLE,
    REPORT_TABLE,
    RESULT_TABLE,
    RISK_TABLE,
    RUN_TABLE,
    STAFF_TABLE,
    TXN_TABLE,
    VISIT_TABLE,
)
from vipcli.domain import cadence, labels
from vipcli.domain.due_rules import (
    AppointmentFact,
    CardDue,
    ComplaintFact,
    Facts,
    Held,
    LoanFact,
    PriceRow,
)
from vipcli.domain.tiers import shift_month
from vipcli.domain.vocabulary import CLOSED_OPPORTUNITY_STAGES
from vipcli.services.core.batching import in_batches

if TYPE_CHECKING:
    from typing import Any

    from sqlalchemy import Connection, Row
    from sqlalchemy.orm import Session

    # One customer of a book as `customer_rows` reads it: its columns and
    # months_below_signed, read by name.
    BookRow = Row[*tuple[Any, ...]]


CUSTOMERS, CONTACTS = CUSTOMER_TABLE.c, CONTACT_TABLE.c
TXNS, VISITS, ASSETS = TXN_TABLE.c, VISIT_TABLE.c, ASSET_TABLE.c
RISKS, HOLDINGS, ANNIVERSARIES = RISK_TABLE.c, HOLDING_TABLE.c, ANNIVERSARY_TABLE.c
OPPS, REPORTS = OPP_TABLE.c, REPORT_TABLE.c
INVITATIONS, ACTIVITIES = INVITATION_TABLE.c, ACTIVITY_TABLE.c
STAFF, BRANCHES = STAFF_TABLE.c, BRANCH_TABLE.c


def _day(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite returns MAX() over DateTime as text
        return dt.date.fromisoformat(value[:10])
    return value.date() if isinstance(value, dt.datetime) else value


def customer_rows(db: Session | Connection, ids: list[str]) -> list[BookRow]:
    k, below = CUSTOMERS, DOWNGRADE_TABLE.c
    cols = (k.customer_id, k.name, k.signed_tier, k.qualified_tier, k.status, k.assigned_on,
            k.birth_date, k.birthday_calendar, k.orientation, k.preferred_channel,
            k.manager_id, k.branch_id, k.phone_masked, k.tier_since, k.occupation,
            k.special_period, k.special_until)
    joined = CUSTOMER_TABLE.outerjoin(DOWNGRADE_TABLE, below.customer_id == k.customer_id)
    rows: list[BookRow] = []
    for part in in_batches(ids):
        rows += db.execute(
            select(*cols, below.months_below.label("months_below_signed"))
            .select_from(joined).where(k.customer_id.in_(part))
        ).all()
    return rows


def unreviewed_reports(db: Session | Connection, branch_id: str) -> int:
    """§6: the outlet's communication reports the branch head has not reviewed yet."""
    r, k, cu = REPORTS, CONTACTS, CUSTOMERS
    stmt = (select(func.count()).select_from(REPORT_TABLE)
            .join(CONTACT_TABLE, k.id == r.contact_id)
            .join(CUSTOMER_TABLE, cu.customer_id == k.customer_id)
            .where(cu.branch_id == branch_id, r.reviewed_at.is_(None)))
    return db.execute(stmt).scalar_one()


def latest_extract_month(as_of: dt.date) -> str:
    """§5 "the latest month's asset extract": a month's extract is made once the month has
    ended, so on as_of the latest one due covers the calendar month before as_of's month."""
    return shift_month(as_of.strftime("%Y-%m"), -1)


def missing_extract(db: Session | Connection, as_of: dt.date) -> str | None:
    """§5: the latest month (`latest_extract_month`) when its extract is missing — no asset
    row at all for that month, for any customer (one probe of ix_monthly_assets_month) —
    else None. An extract that has rows is there: a customer without a row in it had no
    assets that month, which is a real drop."""
    month = latest_extract_month(as_of)
    found = db.execute(select(ASSETS.month).where(ASSETS.month == month).limit(1)).first()
    return None if found else month


def screened_months(db: Session | Connection, branch_ids: set[str]) -> dict[str, str | None]:
    """Per outlet, the month of its latest screening (a run for every outlet or for it
    alone, the later one): the month a downgrade warning was raised from (§1)."""
    r = RUN_TABLE.c
    latest = dict(db.execute(select(r.scope, func.max(r.month))
                             .where(r.scope.in_(["all", *branch_ids])).group_by(r.scope)).all())
    everyone = latest.get("all")
    return {b: max(filter(None, (everyone, latest.get(b))), default=None) for b in branch_ids}


def gather(db: Session | Connection, rows: list[BookRow], as_of: dt.date,
           rules: Rules, until: dt.date | None = None) -> dict[str, Facts]:
    """Facts for every customer row (from `customer_rows`) as of the given day. `until`: the
    last day the facts will be evaluated for (`vip plan week`), as_of unless given — the
    windows that look ahead (maturities, statements, follow-up dates …) reach that far;
    what happened is read up to as_of only (contacts, transactions)."""
    until = max(until or as_of, as_of)
    screened = screened_months(db, {r.branch_id for r in rows}) if rows else {}
    facts = {
        r.customer_id: Facts(
            customer_id=r.customer_id, tier=r.signed_tier or r.qualified_tier,
            qualified_tier=r.qualified_tier,
            signed=r.status == "signed" or r.signed_tier is not None,
            assigned_on=r.assigned_on, birth_date=r.birth_date,
            birthday_calendar=r.birthday_calendar or "solar",
            months_below_signed=r.months_below_signed or 0,
            screened_month=screened.get(r.branch_id), tier_since=r.tier_since,
            card_tier=r.signed_tier, special_period=r.special_period,
            special_until=r.special_until)
        for r in rows
    }
    ids = list(facts)
    launched = _launched(db, as_of, until, rules) if ids else {}
    segments = {r.customer_id: {r.signed_tier or r.qualified_tier, r.orientation, r.occupation}
                for r in rows}
    for part in in_batches(ids):
        for load in (_contacts, _business, _outflows, _assets, _risk, _standing):
            load(db, part, facts, as_of, rules)
        for ahead in (_maturities, _anniversaries, _opportunities, _reports, _activities,
                      _cards, _loans):
            ahead(db, part, facts, as_of, until, rules)
        _held(db, part, facts, as_of, rules, launched, segments)
    return facts


def _contacts(db, ids, facts, as_of, rules):
    # Contacts after as_of are ignored so --as-of in the past replays that day.
    until = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    k, cu = CONTACTS, CUSTOMERS
    by_manager = and_(k.staff_id == cu.manager_id, k.contacted_at >= cu.assigned_on)
    stmt = (
        select(k.customer_id,
               func.max(case((k.channel == cadence.CALL, k.contacted_at))),
               func.max(case((k.channel == cadence.MEETING, k.contacted_at))),
               func.max(k.contacted_at),
               func.max(case((by_manager, k.contacted_at))))
        .join_from(CONTACT_TABLE, CUSTOMER_TABLE, cu.customer_id == k.customer_id)
        .where(k.customer_id.in_(ids), k.contacted_at < until)
        .group_by(k.customer_id)
    )
    for cid, call, meeting, last, by_mgr in db.execute(stmt):
        f = facts[cid]
        f.last_call, f.last_meeting, f.last_any = _day(call), _day(meeting), _day(last)
        f.manager_contacted_since_assignment = by_mgr is not None


def _business(db, ids, facts, as_of, rules):
    """§5: business at the outlet = a counter transaction or a lobby visit; read for the
    customers on Gold cadence only (the rule's only readers)."""
    gold = [i for i in ids if facts[i].cadence_tier == "gold"]
    if not gold:
        return
    t, v = TXNS, VISITS
    txns = select(t.customer_id, func.max(t.date)).where(
        t.customer_id.in_(gold), t.channel == "counter", t.date <= as_of).group_by(t.customer_id)
    until = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    visits = select(v.customer_id, func.max(v.visited_at)).where(
        v.customer_id.in_(gold), v.visited_at < until).group_by(v.customer_id)
    for stmt in (txns, visits):
        for cid, last in db.execute(stmt):
            day = _day(last)
            f = facts[cid]
            f.last_business = max(filter(None, (f.last_business, day)), default=None)


def _outflows(db, ids, facts, as_of, rules):
    t = TXNS
    threshold = cadence.large_outflow_fen(rules)
    stmt = select(t.customer_id, t.date, t.amount_fen).where(
        t.customer_id.in_(ids), t.date >= cadence.outflow_window_start(as_of, rules),
        t.date <= as_of, t.amount_fen <= threshold)
    for cid, day, amount in db.execute(stmt):
        facts[cid].outflows.append((_day(day), amount))


def _assets(db, ids, facts, as_of, rules):
    """§5: the latest extract's month against the month before it."""
    last = latest_extract_month(as_of)
    previous = shift_month(last, -1)
    a = ASSETS
    stmt = select(a.customer_id, a.month, a.avg_daily_fen).where(
        a.customer_id.in_(ids), a.month.in_((previous, last)))
    for cid, month, fen in db.execute(stmt):
        prev_fen, last_fen = facts[cid].month_avgs
        facts[cid].month_avgs = (fen, last_fen) if month == previous else (prev_fen, fen)


def _risk(db, ids, facts, as_of, rules):
    r = RISKS
    stmt = select(r.customer_id, func.max(r.valid_until)).where(
        r.customer_id.in_(ids), r.invalidated_at.is_(None), r.assessed_on <= as_of
    ).group_by(r.customer_id)
    for cid, until in db.execute(stmt):
        facts[cid].risk_valid_until = _day(until)


def _standing(db, ids, facts, as_of, rules):
    """§18 loss risk: a card holder's ADB12 at its outlet's latest screening (one probe of
    the results' primary key (month, customer_id) per customer)."""
    held = [i for i in ids if facts[i].card_tier and facts[i].screened_month]
    if not held:
        return
    r = RESULT_TABLE.c
    months = {facts[i].screened_month for i in held}
    stmt = select(r.month, r.customer_id, r.adb12_fen).where(
        r.month.in_(months), r.customer_id.in_(held))
    for month, cid, fen in db.execute(stmt):
        if facts[cid].screened_month == month:
            facts[cid].adb12_fen = fen


def _maturities(db, ids, facts, as_of, until, rules):
    h, p = HOLDINGS, PRODUCT_TABLE.c
    last = until + dt.timedelta(days=rules.events.maturity_lead_days)
    stmt = (select(h.customer_id, h.maturity_date, h.product_code, p.name, h.amount_fen)
            .select_from(HOLDING_TABLE.outerjoin(PRODUCT_TABLE, p.product_code == h.product_code))
            .where(h.customer_id.in_(ids), h.maturity_date >= as_of, h.maturity_date <= last))
    for cid, day, code, name, amount in db.execute(stmt):
        # §16: a product by its name beside its code.
        facts[cid].maturities.append((_day(day), labels.named(name, code), amount))


def _anniversaries(db, ids, facts, as_of, until, rules):
    a = ANNIVERSARIES
    for cid, label, day in db.execute(
        select(a.customer_id, a.label, a.date).where(a.customer_id.in_(ids))
    ):
        facts[cid].anniversaries.append((label, _day(day)))


def _opportunities(db, ids, facts, as_of, until, rules):
    o = OPPS
    stmt = select(o.customer_id, o.id, o.next_date, o.next_action).where(
        o.customer_id.in_(ids), o.stage.not_in(CLOSED_OPPORTUNITY_STAGES), o.next_date <= until)
    for cid, opp_id, day, action in db.execute(stmt):
        facts[cid].opportunities.append((opp_id, _day(day), action))


def _reports(db, ids, facts, as_of, until, rules):
    r, k = REPORTS, CONTACTS
    stmt = (select(k.customer_id, r.id, r.next_date, r.next_plan)
            .join_from(REPORT_TABLE, CONTACT_TABLE, k.id == r.contact_id)
            .where(k.customer_id.in_(ids), r.next_date <= until,
                   r.follow_up_done_at.is_(None)))
    for cid, report_id, day, plan in db.execute(stmt):
        facts[cid].report_followups.append((report_id, _day(day), plan))


def _activities(db, ids, facts, as_of, until, rules):
    i, a = INVITATIONS, ACTIVITIES
    last = until + dt.timedelta(days=rules.events.activity_lead_days)
    stmt = (select(i.customer_id, a.title, a.held_on)
            .join_from(INVITATION_TABLE, ACTIVITY_TABLE, a.id == i.activity_id)
            .where(i.customer_id.in_(ids), i.attended.is_(False),
                   a.held_on >= as_of, a.held_on <= last))
    for cid, title, day in db.execute(stmt):
        facts[cid].activities.append((title, _day(day)))


# --- §17 after-sales and product events ----------------------------------------------

PRICE_LOOKBACK_DAYS = 31  # price rows read per held product: a month, or the NAV window + 2 weeks


def _cards(db, ids, facts, as_of, until, rules):
    """Statements due within the lead days, not paid in full (ix_card_statements_customer_id_due_date)."""
    c = CARD_STATEMENT_TABLE.c
    last = until + dt.timedelta(days=rules.events.card_repayment_lead_days)
    stmt = select(c.customer_id, c.card_no, c.due_date, c.amount_due_fen, c.paid_fen).where(
        c.customer_id.in_(ids), c.due_date >= as_of, c.due_date <= last,
        c.paid_fen < c.amount_due_fen)
    for cid, card_no, day, due, paid in db.execute(stmt):
        facts[cid].cards.append(CardDue(card_no, _day(day), due, paid))


def _loans(db, ids, facts, as_of, until, rules):
    """Loans overdue, or due within the lead days (ix_loans_customer_id)."""
    n = LOAN_TABLE.c
    last = until + dt.timedelta(days=rules.events.loan_due_lead_days)
    stmt = select(n.customer_id, n.loan_id, n.product, n.balance_fen, n.due_date,
                  n.overdue_days, n.overdue_amount_fen).where(
        n.customer_id.in_(ids),
        (n.overdue_days > 0) | and_(n.due_date >= as_of, n.due_date <= last, n.balance_fen > 0))
    for cid, loan_id, product, balance, day, overdue, overdue_fen in db.execute(stmt):
        facts[cid].loans.append(LoanFact(loan_id, product, balance, _day(day), overdue or 0,
                                         overdue_fen or 0))


def _launched(db, as_of, until, rules) -> dict[str, tuple[str, dt.date, int | None]]:
    """§17: products launched within new_product_days (as_of included; up to `until` for a
    week's plan): code → (product, launched_on, risk rating). A few rows at most."""
    p = PRODUCT_TABLE.c
    first = as_of - dt.timedelta(days=rules.events.new_product_days)
    stmt = select(p.product_code, p.name, p.launched_on, p.risk_rating).where(
        p.launched_on >= first, p.launched_on <= until)
    return {code: (labels.named(name, code), cast(dt.date, _day(day)), rating)
            for code, name, day, rating in db.execute(stmt)}


def _held(db, ids, facts, as_of, rules, launched, segments):
    """Current holdings (not matured before as_of) with their products' recent price rows,
    and the one new product each customer may hear about (§17)."""
    h, p, pr = HOLDINGS, PRODUCT_TABLE.c, PRICE_TABLE.c
    stmt = (select(h.customer_id, h.product_code, p.name, p.category, h.amount_fen, h.units)
            .select_from(HOLDING_TABLE.outerjoin(PRODUCT_TABLE, p.product_code == h.product_code))
            .where(h.customer_id.in_(ids),
                   (h.maturity_date.is_(None)) | (h.maturity_date >= as_of)))
    per = {}
    holds = {}
    for cid, code, name, category, amount, units in db.execute(stmt):
        holds.setdefault(cid, set()).update((code, category))
        entry = per.setdefault((cid, code), [labels.named(name, code), 0, Decimal(0), True])
        entry[1] += amount or 0
        if units is None:
            entry[3] = False
        else:
            entry[2] += units
    codes = sorted({code for _cid, code in per})
    prices = {}
    first = as_of - dt.timedelta(days=max(PRICE_LOOKBACK_DAYS, rules.events.nav_move_days + 14,
                                          rules.events.dividend_days))
    for part in in_batches(codes):
        rows = db.execute(select(pr.product_code, pr.date, pr.nav, pr.yield_pct, pr.dividend)
                          .where(pr.product_code.in_(part), pr.date >= first, pr.date <= as_of)
                          .order_by(pr.product_code, pr.date))
        for code, day, nav, yld, dividend in rows:
            prices.setdefault(code, []).append(PriceRow(_day(day), nav, yld, dividend))
    for (cid, code), (label, cost, units, has_units) in per.items():
        if code in prices:
            facts[cid].held.append(Held(label, cost, units if has_units else None, prices[code]))
    if launched:
        _new_products(db, ids, facts, as_of, launched, holds, segments)


def _new_products(db, ids, facts, as_of, launched, holds, segments):
    """§17: at most one product launched within the window per customer: matching what it
    holds (the cross-sell table's `held`: a product code or a category) or its segment (a
    `held` that is the customer's tier, orientation or occupation code), not held already,
    and suitable under §8 (the current assessment's level ≥ the product's rating)."""
    from vipcli.domain.suitability import current_assessment
    from vipcli.services.lifecycle.risk import load_assessments

    x = CROSS_SELL_TABLE.c
    matching = {}
    for held, code in db.execute(select(x.held, x.recommend).where(x.recommend.in_(list(launched)))):
        matching.setdefault(held, set()).add(code)
    wanted = {}
    for cid in ids:
        keys = holds.get(cid, set()) | segments.get(cid, set())
        found = {code for key in keys if key for code in matching.get(key, ())}
        found -= holds.get(cid, set())
        if found:
            wanted[cid] = sorted(found, key=lambda c: (launched[c][1], c), reverse=True)
    rated = [cid for cid, codes in wanted.items() if any(launched[c][2] for c in codes)]
    assessments = load_assessments(db, rated) if rated else {}
    for cid, codes in wanted.items():
        current = current_assessment(assessments.get(cid, []), as_of)
        for code in codes:  # the newest launch first
            label, day, rating = launched[code]
            if rating is None or (current is not None and current.level >= rating):
                facts[cid].new_product = (label, day)
                break


# --- §18 appointments and complaints ---------------------------------------------------

Calendar = tuple[dict[str, list[AppointmentFact]], dict[str, list[ComplaintFact]]]


def calendar(db: Session | Connection, first: dt.date, last: dt.date, *,
             staff_id: str | None = None, outlet: str | None = None,
             customer_ids: list[str] | None = None) -> Calendar:
    """§18: per customer, the appointments on first .. last (not cancelled) and the open
    complaints that belong on one list: `staff_id`'s (the appointments it takes part in,
    the complaints it owns; with `outlet`, the branch head's view, also that outlet's
    serious complaints), or — with `customer_ids` — everyone's for those customers."""
    return (_appointments(db, first, last, staff_id, customer_ids),
            _complaints(db, staff_id, outlet, customer_ids))


def _appointments(db, first, last, staff_id, customer_ids) -> dict[str, list[AppointmentFact]]:
    a, s = APPOINTMENT_TABLE.c, APPOINTMENT_STAFF_TABLE.c
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    stmt = select(a.id, a.customer_id, a.at, a.place, a.purpose).where(
        a.cancelled_at.is_(None), a.at >= start, a.at < end)
    if customer_ids is not None:
        found = [row for part in in_batches(customer_ids)
                 for row in db.execute(stmt.where(a.customer_id.in_(part)))]
    else:
        found = list(db.execute(stmt.join_from(APPOINTMENT_TABLE, APPOINTMENT_STAFF_TABLE,
                                               s.appointment_id == a.id)
                                .where(s.staff_id == staff_id)))
    people: dict[int, list[str]] = {}
    st = STAFF
    for part in in_batches([row.id for row in found]):
        for appointment_id, sid, name in db.execute(
                select(s.appointment_id, s.staff_id, st.name)
                .join_from(APPOINTMENT_STAFF_TABLE, STAFF_TABLE, st.staff_id == s.staff_id)
                .where(s.appointment_id.in_(part)).order_by(s.appointment_id, s.staff_id)):
            if sid != staff_id:
                people.setdefault(appointment_id, []).append(labels.named(name, sid))
    out: dict[str, list[AppointmentFact]] = {}
    for row in found:
        out.setdefault(row.customer_id, []).append(AppointmentFact(
            _moment(row.at), row.place, row.purpose, tuple(people.get(row.id, ()))))
    return out


def _complaints(db, staff_id, outlet, customer_ids) -> dict[str, list[ComplaintFact]]:
    c, cu = COMPLAINT_TABLE.c, CUSTOMERS
    stmt = select(c.id, c.customer_id, c.severity, c.ack_due, c.resolve_due,
                  c.acknowledged_at).where(c.status == "open")
    if customer_ids is not None:
        rows = [row for part in in_batches(customer_ids)
                for row in db.execute(stmt.where(c.customer_id.in_(part)))]
    elif outlet is not None:
        serious = and_(c.severity == "serious", cu.branch_id == outlet)
        rows = list(db.execute(stmt.join_from(COMPLAINT_TABLE, CUSTOMER_TABLE,
                                              cu.customer_id == c.customer_id)
                               .where((c.owner_id == staff_id) | serious)))
    else:
        rows = list(db.execute(stmt.where(c.owner_id == staff_id)))
    out: dict[str, list[ComplaintFact]] = {}
    for row in sorted(rows, key=lambda r: r.id):
        out.setdefault(row.customer_id, []).append(ComplaintFact(
            row.id, row.severity == "serious", cast(dt.date, _day(row.ack_due)),
            cast(dt.date, _day(row.resolve_due)), _day(row.acknowledged_at)))
    return out


def _moment(value) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def recently_lost(db: Session | Connection, branch_id: str, first: dt.date, last: dt.date) -> int:
    """§18: the outlet's customers marked lost on first .. last (the branch head's header)."""
    k = CUSTOMERS
    return db.execute(select(func.count()).select_from(CUSTOMER_TABLE).where(
        k.branch_id == branch_id, k.status == "lost", k.lost_on >= first,
        k.lost_on <= last)).scalar_one()
