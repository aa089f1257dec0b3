"""Product ideas for one customer (客户价值提升, SPEC §8) on plain values.

The product list and the matching table are data (imported), never code: this module
only walks them. Ranking (docs/rules.md "Recommendations"): repeat ideas for a product about
to mature first (the handbook's phone-call moment), then up, cross, other repeat
ideas, the wealth-diagnosis prompt and the referral ask. Within a kind, ideas backed by
more held products come first, then by product code for a stable order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from vipcli.domain import labels
from vipcli.domain.labels import named
from vipcli.domain.suitability import Assessment, Suitability
from vipcli.domain.vocabulary import tier_rank
from vipcli.i18n import _

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


# What a holding may lead to: (target product, idea kind, via "series"|"code"|"category",
# whether the target is the held product itself).
Offer = tuple[ProductInfo, str, str, bool]


@dataclass
class Catalogue:
    products: dict[str, ProductInfo]
    matches: list[MatchRow]
    by_series: dict[str, list[ProductInfo]] = field(default_factory=dict)
    by_held: dict[str, list[MatchRow]] = field(default_factory=dict)

    _offers: dict[str, tuple[Offer, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for product in sorted(self.products.values(), key=lambda p: p.code):
            if product.series:
                self.by_series.setdefault(product.series, []).append(product)
        for row in self.matches:
            self.by_held.setdefault(row.held, []).append(row)

    def offers_from(self, code: str) -> tuple[Offer, ...]:
        """Every (target, kind, via, is_self) a holding of `code` may lead to; computed once
        per product and shared by all customers (the morning list ranks hundreds)."""
        found = self._offers.get(code)
        if found is None:
            source = self.products.get(code)
            found = () if source is None else tuple(_offers(source, self))
            self._offers[code] = found
        return found


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
    signed_tier: str | None = None  # the card held (§3)
    qualified_tier: str | None = None  # what its ADB12 reaches (§1)


@dataclass(frozen=True)
class Idea:
    product_code: str | None
    name: str | None
    kind: str
    reason: str
    risk_rating: int | None = None


class _Candidate:
    """An idea before ranking; the reason is formatted only for the ideas shown (speed)."""

    __slots__ = ("product", "kind", "order", "maturity", "support", "source", "maturing", "via")

    def __init__(
        self, product: ProductInfo, kind: str, order: int, maturity: dt.date,
        source: ProductInfo, maturing: dt.date | None, via: str,
    ) -> None:
        self.product, self.kind, self.order, self.maturity = product, kind, order, maturity
        self.source, self.maturing, self.via = source, maturing, via
        self.support = 1

    def reason(self) -> str:
        """One sentence in the active language (§16); products by name beside code."""
        held = named(self.source.name, self.source.code)
        target = named(self.product.name, self.product.code)
        date = self.maturing.isoformat() if self.maturing else None
        if self.via == "series" and self.kind == "up":
            return _("holds {held}, level {level} of its series; next level: {target}").format(
                held=held, level=self.source.level, target=target)
        if self.via == "series":
            text = (_("holds {held} maturing on {date}; same series: {target}") if date
                    else _("holds {held}; same series: {target}"))
        elif self.via == "category":
            text = (_("holds {held} (category {category}) maturing on {date}; "
                      "matching table suggests {target}") if date
                    else _("holds {held} (category {category}); matching table suggests {target}"))
        else:
            text = (_("holds {held} maturing on {date}; matching table suggests {target}") if date
                    else _("holds {held}; matching table suggests {target}"))
        return text.format(held=held, date=date, target=target,
                           category=labels.product_category(self.source.category))

    def idea(self) -> Idea:
        p = self.product
        return Idea(p.code, p.name, self.kind, self.reason(), p.risk_rating)


def live_holdings(holdings: tuple[Held, ...], today: dt.date) -> dict[str, dt.date | None]:
    """Held product → its earliest upcoming maturity (None = open-ended); matured rows drop."""
    earliest: dict[str, dt.date] = {}
    for h in holdings:
        if h.maturity_date is not None and h.maturity_date < today:
            continue
        mine = h.maturity_date or dt.date.max
        earliest[h.product_code] = min(earliest.get(h.product_code, dt.date.max), mine)
    return {code: (None if day == dt.date.max else day) for code, day in earliest.items()}


def candidates(
    facts: CustomerFacts, catalogue: Catalogue, today: dt.date, rules: IdeaRules
) -> list[_Candidate]:
    """repeat, up and cross candidates from the held products, best first, one per product."""
    held = live_holdings(facts.holdings, today)
    horizon = today + dt.timedelta(days=rules.maturity_lead_days)
    found: dict[str, _Candidate] = {}
    # Maturing holdings first, so their repeat ideas name them (§8 "maturing ones first").
    for code, maturity in sorted(held.items(), key=lambda kv: (kv[1] or dt.date.max, kv[0])):
        maturing = maturity if maturity is not None and maturity <= horizon else None
        for target, kind, via, is_self in catalogue.offers_from(code):
            if kind == "repeat":
                if is_self and not maturing:
                    continue  # renewing the same product only when it matures
                when = maturing
            elif target.code in held:
                continue  # §8: held products come back only as repeat or up ideas
            else:
                when = None
            order = ORDER["maturing"] if when else ORDER[kind]
            maturity_key = when or dt.date.max
            old = found.get(target.code)
            if old is not None and (order, maturity_key) >= (old.order, old.maturity):
                old.support += 1
                continue
            new = _Candidate(target, kind, order, maturity_key, catalogue.products[code], when, via)
            if old is not None:
                new.support = old.support + 1
            found[target.code] = new
    return sorted(found.values(), key=lambda c: (c.order, c.maturity, -c.support, c.product.code))


def product_ideas(
    facts: CustomerFacts, catalogue: Catalogue, today: dt.date, rules: IdeaRules
) -> list[Idea]:
    """repeat, up and cross ideas from the held products, best first, one per product."""
    return [c.idea() for c in candidates(facts, catalogue, today, rules)]


def _offers(source: ProductInfo, catalogue: Catalogue) -> Iterator[Offer]:
    """§8 repeat: the same series at its level or above; up: the series' next level; then
    the matching table's rows keyed by the product's code, then by its category."""
    family = catalogue.by_series.get(source.series, ()) if source.series else ()
    level = source.level
    if level is not None:
        family = [p for p in family if p.level is None or p.level >= level]
    for p in family:
        yield p, "repeat", "series", p.code == source.code
    higher = [p.level for p in family if level is not None and p.level is not None and p.level > level]
    for p in family:
        if higher and p.level == min(higher):
            yield p, "up", "series", False
    for key, via in ((source.code, "code"), (source.category, "category")):
        for row in catalogue.by_held.get(key, ()):
            target = catalogue.products.get(row.recommend)
            if target is None or row.kind not in ("cross", "repeat", "up"):
                continue
            is_self = target.code == source.code
            if is_self and row.kind != "repeat":
                continue
            yield target, row.kind, via, is_self


def tier_upgrade(facts: CustomerFacts) -> Idea | None:
    """§8 up: a card tier upgrade when the qualified tier is above the card held.

    No product, so no suitability check; a customer with no card yet is a signing, not an
    upgrade (`vip screen` and `vip sign` handle those).
    """
    card, qualified = facts.signed_tier, facts.qualified_tier
    if card is None or qualified is None or tier_rank(qualified) <= tier_rank(card):
        return None
    return Idea(None, _("Upgrade to {tier}").format(tier=labels.tier(qualified)), "up",
                _("holds a {card} card but qualifies for {tier}: vip sign {customer} --tier "
                  "{code}").format(card=labels.tier(card), tier=labels.tier(qualified),
                                   customer=facts.customer_id, code=qualified))


def prompt_ideas(facts: CustomerFacts, today: dt.date, rules: IdeaRules) -> list[Idea]:
    """§8 portfolio (value orientation, diagnosis overdue) and circle (activities, referrals)."""
    ideas = []
    if facts.orientation == "value":
        last = facts.last_diagnosis_on
        if last is None:
            ideas.append(Idea(None, None, "portfolio",
                              _("value-oriented customer with no wealth diagnosis on record: "
                                "offer a wealth diagnosis")))
        elif (today - last).days > rules.diagnosis_interval_days:
            ideas.append(Idea(None, None, "portfolio",
                              _("value-oriented customer; last wealth diagnosis on {date}, more "
                                "than {days} days ago: offer a new wealth diagnosis").format(
                                  date=last.isoformat(), days=rules.diagnosis_interval_days)))
    if facts.activities_attended > 0 or facts.referrals >= rules.circle_min_referrals:
        ideas.append(Idea(None, None, "circle",
                          _("attended {activities} client activities and referred {referrals} "
                            "friends: ask for referrals").format(
                              activities=facts.activities_attended, referrals=facts.referrals)))
    return ideas


def rank_ideas(
    facts: CustomerFacts,
    catalogue: Catalogue,
    assessments: list[Assessment],
    today: dt.date,
    rules: IdeaRules,
    *,
    first_only: bool = False,
) -> tuple[list[Idea], list[tuple[Idea, str]]]:
    """(suitable ideas best first, [(held-back idea, reason)]) — §8 suitability filters all.

    first_only stops at the best suitable idea (the morning list needs no more).
    """
    suitability = Suitability(assessments, today)
    ideas: list[Idea] = []
    blocked: list[tuple[Idea, str]] = []
    upgrade = tier_upgrade(facts)
    for cand in candidates(facts, catalogue, today, rules):
        if upgrade is not None and cand.order >= ORDER["up"]:
            # the card upgrade ranks with the up ideas, after the maturing ones (§8)
            ideas.append(upgrade)
            upgrade = None
            if first_only:
                return ideas, blocked
        reason = suitability.blocked_reason(cand.product.risk_rating)
        if reason is None:
            ideas.append(cand.idea())
            if first_only:
                return ideas, blocked
        elif not first_only:
            blocked.append((cand.idea(), reason))
    if upgrade is not None:
        ideas.append(upgrade)
        if first_only:
            return ideas, blocked
    prompts = prompt_ideas(facts, today, rules)
    return ideas + (prompts[:1] if first_only else prompts), blocked
