"""`vip recommend` (SPEC §8, §15): ranked, suitability-checked ideas for customers.

Set-based: one query per table for any number of customers, so the morning list
(`top_ideas`) of a 300-customer book costs a handful of indexed queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from vipcli.config import Rules
from vipcli.db.models import (
    CrossSellRule,
    Customer,
    Holding,
    Invitation,
    Product,
    Referral,
    RiskAssessment,
)
from vipcli.domain.ideas import (
    Catalogue,
    CustomerFacts,
    Held,
    Idea,
    IdeaRules,
    MatchRow,
    ProductInfo,
    rank_ideas,
)
from vipcli.domain.suitability import Assessment, current_assessment, level_label

CHUNK = 500  # bound IN lists on every engine


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def idea_rules(rules: Rules) -> IdeaRules:
    return IdeaRules(
        maturity_lead_days=rules.events.maturity_lead_days,
        diagnosis_interval_days=rules.recommend.diagnosis_interval_days,
        circle_min_referrals=rules.recommend.circle_min_referrals,
    )


def load_catalogue(session: Session) -> Catalogue:
    """The product list and the matching table (imported data, §8)."""
    products = {
        r.product_code: ProductInfo(r.product_code, r.name, r.category, r.risk_rating, r.series, r.level)
        for r in session.execute(
            select(Product.product_code, Product.name, Product.category, Product.risk_rating,
                   Product.series, Product.level)
        )
    }
    matches = [
        MatchRow(r.held, r.recommend, r.kind)
        for r in session.execute(
            select(CrossSellRule.held, CrossSellRule.recommend, CrossSellRule.kind).order_by(
                CrossSellRule.held, CrossSellRule.recommend
            )
        )
    ]
    return Catalogue(products, matches)


def load_assessments(session: Session, ids: list[str]) -> dict[str, list[Assessment]]:
    found: dict[str, list[Assessment]] = {cid: [] for cid in ids}
    for chunk in _chunks(ids):
        rows = session.execute(
            select(RiskAssessment.customer_id, RiskAssessment.level, RiskAssessment.assessed_on,
                   RiskAssessment.valid_until, RiskAssessment.invalidated_at)
            .where(RiskAssessment.customer_id.in_(chunk))
        )
        for r in rows:
            invalidated = r.invalidated_at.date() if r.invalidated_at else None
            found[r.customer_id].append(Assessment(r.level, r.assessed_on, r.valid_until, invalidated))
    return found


def _counts(session: Session, column, chunk: list[str], *where) -> dict[str, int]:
    stmt = select(column, func.count()).where(column.in_(chunk), *where).group_by(column)
    return {key: n for key, n in session.execute(stmt)}


def load_facts(session: Session, ids: list[str], today: dt.date) -> dict[str, CustomerFacts]:
    """Orientation, diagnosis date, live holdings, attended activities and referrals."""
    facts: dict[str, CustomerFacts] = {}
    for chunk in _chunks(ids):
        holdings: dict[str, list[Held]] = {}
        for r in session.execute(
            select(Holding.customer_id, Holding.product_code, Holding.maturity_date).where(
                Holding.customer_id.in_(chunk),
                or_(Holding.maturity_date.is_(None), Holding.maturity_date >= today),
            )
        ):
            holdings.setdefault(r.customer_id, []).append(Held(r.product_code, r.maturity_date))
        attended = _counts(session, Invitation.customer_id, chunk, Invitation.attended.is_(True))
        referred = _counts(session, Referral.referrer_id, chunk)
        for r in session.execute(
            select(Customer.customer_id, Customer.orientation, Customer.last_diagnosis_on).where(
                Customer.customer_id.in_(chunk)
            )
        ):
            facts[r.customer_id] = CustomerFacts(
                r.customer_id,
                r.orientation,
                r.last_diagnosis_on,
                tuple(holdings.get(r.customer_id, ())),
                attended.get(r.customer_id, 0),
                referred.get(r.customer_id, 0),
            )
    return facts


def idea_json(idea: Idea) -> dict:
    return {"product_code": idea.product_code, "name": idea.name, "kind": idea.kind,
            "reason": idea.reason}


def recommend_for(session: Session, customer: Customer, today: dt.date, rules: Rules) -> dict:
    """The §15 recommend document of one (already visible) customer."""
    cid = customer.customer_id
    facts = load_facts(session, [cid], today)[cid]
    assessments = load_assessments(session, [cid])[cid]
    ideas, blocked = rank_ideas(facts, load_catalogue(session), assessments, today, idea_rules(rules))
    valid = current_assessment(assessments, today)
    return {
        "customer_id": cid,
        "name": customer.name,
        "risk_level": valid.level if valid else None,
        "risk_level_label": level_label(valid.level) if valid else None,
        "risk_valid_until": valid.valid_until.isoformat() if valid else None,
        "ideas": [{"rank": n, **idea_json(idea)} for n, idea in enumerate(ideas, start=1)],
        "blocked": [
            {"product_code": idea.product_code, "name": idea.name, "kind": idea.kind, "reason": why}
            for idea, why in blocked
        ],
    }


def top_ideas(session: Session, customer_ids: list[str], today: dt.date, rules: Rules) -> dict[str, dict]:
    """Each customer's best suitable idea (for `vip due`); customers without one are absent."""
    ids = list(dict.fromkeys(customer_ids))
    if not ids:
        return {}
    catalogue = load_catalogue(session)
    facts = load_facts(session, ids, today)
    assessments = load_assessments(session, ids)
    wanted = idea_rules(rules)
    best: dict[str, dict] = {}
    for cid, fact in facts.items():
        ideas, _ = rank_ideas(fact, catalogue, assessments.get(cid, []), today, wanted,
                              first_only=True)
        if ideas:
            best[cid] = idea_json(ideas[0])
    return best


def recommend(ctx, customer_id: str, *, accept: str | None = None) -> dict:
    """`vip recommend CUSTOMER [--accept CODE]`: the document, and an opportunity if accepted."""
    from vipcli import clock
    from vipcli.services.core.access import get_visible_customer

    actor = ctx.actor()
    with ctx.session() as session:
        customer = get_visible_customer(session, actor, customer_id)
        doc = recommend_for(session, customer, clock.today(), ctx.rules)
        if accept:
            doc["accepted"] = accept_idea(session, actor, doc, accept.strip())
    return doc


def accept_idea(session: Session, actor, doc: dict, code: str) -> dict:
    """Open an opportunity from one of the ideas, remembering its kind (conversion by kind).

    CODE is a product code, or `portfolio` / `circle` for the ideas without a product.
    """
    from vipcli.errors import InvalidInput, RuleViolation
    from vipcli.services.sales.opportunities import open_opportunity

    cid = doc["customer_id"]
    for held_back in doc["blocked"]:
        if held_back["product_code"] == code:
            raise RuleViolation(f"{code} is held back for {cid}: {held_back['reason']}")
    match = [i for i in doc["ideas"]
             if i["product_code"] == code or (i["product_code"] is None and i["kind"] == code)]
    if not match:
        raise InvalidInput(f"{code!r} is not among the ideas for {cid}; see `vip recommend {cid}`")
    idea = match[0]
    opp = open_opportunity(session, actor, cid, product_code=idea["product_code"],
                           idea_kind=idea["kind"])
    return {"opportunity_id": opp.id, "product_code": idea["product_code"], "kind": idea["kind"],
            "owner_id": opp.owner_id, "stage": opp.stage}
