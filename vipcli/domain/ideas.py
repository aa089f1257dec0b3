"""Product ideas for one customer (客戶價值提升, SPEC §8) on plain values.

The product list and the matching table are data (imported), never code: this module
only walks them. Ranking (README "Recommendations"): repeat ideas for a product about
to mature first (the handbook's phone-call moment), then up, cross, other repeat
ideas, the wealth-diagnosis prompt and the referral ask. Within a kind, ideas backed by
more held products come first, then by product code for a stable order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from vipcli.domain.suitability import Assessment, blocked_reason

# Rank of each idea kind; "repeat" splits into maturing (0) and ordinary (3).
ORDER = {"maturing": 0, "up": 1, "cross": 2, "repeat": 3, "portfolio": 4, "circle": 5}


@dataclass(frozen=True)
class ProductInfo:
    code: str
    name: str
    category: str
    risk_rating: int | None
    series: str | None
    level: int | None


@dataclass(frozen=True)
class MatchRow:
    held: str  # a product code or a category
    recommend: str
    kind: str  # cross | repeat | up


@dataclass(frozen=True)
class Held:
    product_code: str
    maturity_date: dt.date | None


@dataclass
class Catalogue:
    products: dict[str, ProductInfo]
    matches: list[MatchRow]
    by_series: dict[str, list[ProductInfo]] = field(default_factory=dict)
    by_held: dict[str, list[MatchRow]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for product in sorted(self.products.values(), key=lambda p: p.code):
            if product.series:
                self.by_series.setdefault(product.series, []).append(product)
        for row in self.matches:
            self.by_held.setdefault(row.held, []).append(row)


@dataclass(frozen=True)
class IdeaRules:
    maturity_lead_days: int
    diagnosis_interval_days: int
    circle_min_referrals: int


@dataclass(frozen=True)
class CustomerFacts:
    customer_id: str
    orientation: str | None
    last_diagnosis_on: dt.date | None
    holdings: tuple[Held, ...] = ()
    activities_attended: int = 0
    referrals: int = 0


@dataclass(frozen=True)
class Idea:
    product_code: str | None
    name: str | None
    kind: str
    reason: str
    risk_rating: int | None = None


@dataclass
class _Candidate:
    product: ProductInfo
    kind: str
    order: int
    reason: str
    maturity: dt.date
    support: int = 1


def live_holdings(holdings: tuple[Held, ...], today: dt.date) -> dict[str, dt.date | None]:
    """Held product → its earliest upcoming maturity (None = open-ended); matured rows drop."""
    earliest: dict[str, dt.date] = {}
    for h in holdings:
        if h.maturity_date is not None and h.maturity_date < today:
            continue
        mine = h.maturity_date or dt.date.max
        earliest[h.product_code] = min(earliest.get(h.product_code, dt.date.max), mine)
    return {code: (None if day == dt.date.max else day) for code, day in earliest.items()}


def _held_name(p: ProductInfo) -> str:
    return f"{p.name} ({p.code})"


def product_ideas(
    facts: CustomerFacts, catalogue: Catalogue, today: dt.date, rules: IdeaRules
) -> list[Idea]:
    """repeat, up and cross ideas from the held products, best first, one per product."""
    held = live_holdings(facts.holdings, today)
    horizon = today + dt.timedelta(days=rules.maturity_lead_days)
    # Maturing holdings first, so their repeat ideas name them (§8 "maturing ones first").
    sources = [
        (catalogue.products[code], maturity)
        for code, maturity in sorted(held.items(), key=lambda kv: (kv[1] or dt.date.max, kv[0]))
        if code in catalogue.products
    ]
    found: dict[str, _Candidate] = {}

    def offer(target: ProductInfo, kind: str, reason: str, maturing: dt.date | None) -> None:
        order = ORDER["maturing"] if kind == "repeat" and maturing else ORDER[kind]
        cand = _Candidate(target, kind, order, reason, maturing or dt.date.max)
        old = found.get(target.code)
        if old is None:
            found[target.code] = cand
            return
        old.support += 1
        if (cand.order, cand.maturity) < (old.order, old.maturity):
            cand.support = old.support
            found[target.code] = cand

    for source, maturity in sources:
        maturing = maturity if maturity is not None and maturity <= horizon else None
        _series_ideas(source, maturing, held, catalogue, offer)
        _table_ideas(source, maturing, held, catalogue, offer)
    ranked = sorted(
        found.values(), key=lambda c: (c.order, c.maturity, -c.support, c.product.code)
    )
    return [
        Idea(c.product.code, c.product.name, c.kind, c.reason, c.product.risk_rating)
        for c in ranked
    ]


def _series_ideas(source, maturing, held, catalogue, offer) -> None:
    """§8 repeat: same series (renewal of a maturing one too); up: the series' next level."""
    if not source.series:
        return
    family = catalogue.by_series.get(source.series, [])
    note = f" maturing on {maturing.isoformat()}" if maturing else ""
    for p in family:
        if p.code == source.code and not maturing:
            continue
        if source.level is not None and p.level is not None and p.level < source.level:
            continue  # a lower level of the series is no repeat sale
        offer(p, "repeat", f"holds {_held_name(source)}{note}; same series: {p.name}", maturing)
    if source.level is None:
        return
    higher = [p.level for p in family if p.level is not None and p.level > source.level]
    if not higher:
        return
    for p in family:
        if p.level == min(higher) and p.code not in held:
            offer(
                p,
                "up",
                f"holds {_held_name(source)}, level {source.level} of its series; "
                f"next level: {p.name}",
                None,
            )


def _table_ideas(source, maturing, held, catalogue, offer) -> None:
    """The matching table: rows keyed by the held product's code or its category."""
    for key in (source.code, source.category):
        for row in catalogue.by_held.get(key, []):
            target = catalogue.products.get(row.recommend)
            if target is None or row.kind not in ("cross", "repeat", "up"):
                continue
            if target.code == source.code and not (row.kind == "repeat" and maturing):
                continue
            if row.kind in ("cross", "up") and target.code in held:
                continue  # §8: held products come back only as repeat or up ideas
            via = "" if key == source.code else f", a {source.category} product"
            note = f" maturing on {maturing.isoformat()}" if maturing else ""
            reason = f"holds {_held_name(source)}{via}{note}; matching table suggests {target.name}"
            offer(target, row.kind, reason, maturing if row.kind == "repeat" else None)


def prompt_ideas(facts: CustomerFacts, today: dt.date, rules: IdeaRules) -> list[Idea]:
    """§8 portfolio (value orientation, diagnosis overdue) and circle (activities, referrals)."""
    ideas = []
    if facts.orientation == "value":
        last = facts.last_diagnosis_on
        if last is None:
            ideas.append(Idea(None, None, "portfolio",
                              "value-oriented customer with no wealth diagnosis on record: "
                              "offer a wealth diagnosis (財富診斷)"))
        elif (today - last).days > rules.diagnosis_interval_days:
            ideas.append(Idea(None, None, "portfolio",
                              f"value-oriented customer; last wealth diagnosis on {last.isoformat()}, "
                              f"more than {rules.diagnosis_interval_days} days ago: "
                              "offer a new wealth diagnosis (財富診斷)"))
    if facts.activities_attended > 0 or facts.referrals >= rules.circle_min_referrals:
        ideas.append(Idea(None, None, "circle",
                          f"attended {facts.activities_attended} client activities and referred "
                          f"{facts.referrals} friends: ask for referrals (圈子營銷)"))
    return ideas


def rank_ideas(
    facts: CustomerFacts,
    catalogue: Catalogue,
    assessments: list[Assessment],
    today: dt.date,
    rules: IdeaRules,
) -> tuple[list[Idea], list[tuple[Idea, str]]]:
    """(suitable ideas best first, [(held-back idea, reason)]) — §8 suitability filters all."""
    ideas, blocked = [], []
    for idea in product_ideas(facts, catalogue, today, rules):
        reason = blocked_reason(idea.risk_rating, assessments, today)
        if reason is None:
            ideas.append(idea)
        else:
            blocked.append((idea, reason))
    return ideas + prompt_ideas(facts, today, rules), blocked
