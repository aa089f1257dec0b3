"""`vip recommend` (SPEC §8, §15): ranked, suitability-checked ideas for customers.

Set-based: one query per table for any number of customers, so the morning list
(`top_ideas`) of a 300-customer book costs a handful of indexed queries.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NotRequired, TypedDict

from sqlalchemy import func, or_, select

from vipcli.db.light import (
    CROSS_SELL_TABLE,
    CUSTOMER_TABLE,
    HOLDING_TABLE,
    INVITATION_TABLE,
    PRODUCT_TABLE,
    REFERRAL_TABLE,
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
from vipcli.domain.suitability import current_assessment, level_label
from vipcli.services.core.batching import in_batches
from vipcli.services.lifecycle.risk import load_assessments

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from vipcli.config import Rules
    from vipcli.db.models import Customer
    from vipcli.services.core.context import Actor, Context



class IdeaItem(TypedDict):
    """An idea as shown (§8): its product (None for portfolio and circle), kind and why."""

    product_code: str | None
    name: str | None
    kind: str
    reason: str


class RankedIdea(IdeaItem):
    """§15 `ideas`: a suitable idea with its rank, 1 the best."""

    rank: int


class BlockedIdea(IdeaItem):
    """§15 `blocked`: an idea held back; its reason says why (suitability, §13)."""


class AcceptedIdea(TypedDict):
    """`--accept`: the opportunity opened from the idea (§7)."""

    opportunity_id: int
    product_code: str | None
    kind: str
    owner_id: str
    stage: str


class Recommendation(TypedDict):
    """§15 `vip recommend --json`: ranked suitable ideas and the ones held back."""

    customer_id: str
    name: str
    risk_level: int | None
    risk_level_label: str | None
    risk_valid_until: str | None
    ideas: list[RankedIdea]
    blocked: list[BlockedIdea]
    accepted: NotRequired[AcceptedIdea]  # with --accept


def idea_rules(rules: Rules) -> IdeaRules:
    return IdeaRules(
        maturity_lead_days=rules.events.maturity_lead_days,
        diagnosis_interval_days=rules.recommend.diagnosis_interval_days,
        circle_min_referrals=rules.recommend.circle_min_referrals,
    )


def load_catalogue(session: Session | Connection) -> Catalogue:
    """The product list and the matching table (imported data, §8)."""
    p, x = PRODUCT_TABLE.c, CROSS_SELL_TABLE.c
    products = {
        r.product_code: ProductInfo(r.product_code, r.name, r.category, r.risk_rating, r.series, r.level)
        for r in session.execute(
            select(p.product_code, p.name, p.category, p.risk_rating, p.series, p.level)
        )
    }
    matches = [
        MatchRow(r.held, r.recommend, r.kind)
        for r in session.execute(
            select(x.held, x.recommend, x.kind).order_by(x.held, x.recommend)
        )
    ]
    return Catalogue(products, matches)


def _counts(session: Session | Connection, key, batch, *where) -> dict[str, int]:
    stmt = select(key, func.count()).where(key.in_(batch), *where).group_by(key)
    return {found: n for found, n in session.execute(stmt)}


def load_facts(session: Session | Connection, ids: list[str],
               today: dt.date) -> dict[str, CustomerFacts]:
    """Orientation, diagnosis date, live holdings, attended activities and referrals."""
    h, i, k = HOLDING_TABLE.c, INVITATION_TABLE.c, CUSTOMER_TABLE.c
    facts: dict[str, CustomerFacts] = {}
    for batch in in_batches(ids):
        holdings: dict[str, list[Held]] = {}
        for held in session.execute(
            select(h.customer_id, h.product_code, h.maturity_date).where(
                h.customer_id.in_(batch),
                or_(h.maturity_date.is_(None), h.maturity_date >= today),
            )
        ):
            holdings.setdefault(held.customer_id, []).append(
                Held(held.product_code, held.maturity_date))
        attended = _counts(session, i.customer_id, batch, i.attended.is_(True))
        referred = _counts(session, REFERRAL_TABLE.c.referrer_id, batch)
        for r in session.execute(
            select(k.customer_id, k.orientation, k.last_diagnosis_on, k.signed_tier,
                   k.qualified_tier).where(k.customer_id.in_(batch))
        ):
            facts[r.customer_id] = CustomerFacts(
                r.customer_id,
                r.orientation,
                r.last_diagnosis_on,
                tuple(holdings.get(r.customer_id, ())),
                attended.get(r.customer_id, 0),
                referred.get(r.customer_id, 0),
                r.signed_tier,
                r.qualified_tier,
            )
    return facts


def idea_json(idea: Idea) -> IdeaItem:
    return {"product_code": idea.product_code, "name": idea.name, "kind": idea.kind,
            "reason": idea.reason}


def recommend_for(session: Session, customer: Customer, today: dt.date,
                  rules: Rules) -> Recommendation:
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


def top_ideas(session: Session | Connection, customer_ids: list[str], today: dt.date,
              rules: Rules) -> dict[str, IdeaItem]:
    """Each customer's best suitable idea (for `vip due`); customers without one are absent."""
    ids = list(dict.fromkeys(customer_ids))
    if not ids:
        return {}
    catalogue = load_catalogue(session)
    facts = load_facts(session, ids, today)
    assessments = load_assessments(session, ids)
    wanted = idea_rules(rules)
    best: dict[str, IdeaItem] = {}
    for cid, fact in facts.items():
        ideas, _blocked = rank_ideas(fact, catalogue, assessments.get(cid, []), today, wanted,
                              first_only=True)
        if ideas:
            best[cid] = idea_json(ideas[0])
    return best


def recommend(ctx: Context, customer_id: str, *, accept: str | None = None) -> Recommendation:
    """`vip recommend CUSTOMER [--accept CODE]`: the document, and an opportunity if accepted."""
    from vipcli import clock
    from vipcli.services.core.access import get_visible_customer

    actor = ctx.actor()
    with ctx.session(write=accept is not None) as session:
        customer = get_visible_customer(session, actor, customer_id)
        doc = recommend_for(session, customer, clock.today(), ctx.rules)
        if accept:
            doc["accepted"] = accept_idea(session, actor, doc, accept.strip())
    return doc


def accept_idea(session: Session, actor: Actor, doc: Recommendation, code: str) -> AcceptedIdea:
    """Open an opportunity from one of the ideas, remembering its kind (conversion by kind).

    CODE is a product code, or `portfolio` / `circle` for the ideas without a product.
    """
    from vipcli.errors import InvalidInput, RuleViolation
    from vipcli.i18n import _
    from vipcli.services.sales.opportunities import open_opportunity

    cid = doc["customer_id"]
    for held_back in doc["blocked"]:
        if held_back["product_code"] == code:
            raise RuleViolation(_("{code} is held back for {customer}: {reason}").format(
                code=code, customer=cid, reason=held_back["reason"]))
    match = [i for i in doc["ideas"]
             if i["product_code"] == code or (i["product_code"] is None and i["kind"] == code)]
    if not match:
        raise InvalidInput(_("{code!r} is not among the ideas for {customer}; see `vip recommend "
                             "{customer}`").format(code=code, customer=cid))
    idea = match[0]
    opp = open_opportunity(session, actor, cid, product_code=idea["product_code"],
                           idea_kind=idea["kind"])
    return {"opportunity_id": opp.id, "product_code": idea["product_code"], "kind": idea["kind"],
            "owner_id": opp.owner_id, "stage": opp.stage}
