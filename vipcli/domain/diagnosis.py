"""Wealth diagnosis (财富诊断, SPEC §18) on plain values: shares, gaps, products to fill them.

A customer's financial assets are grouped into the categories of the rules file
(deposit, wealth, fund, insurance, precious_metal, other) and compared with the model
allocation of its risk level. Decisions where the spec is silent (docs/rules.md "Wealth
diagnosis", ours):
- a product's category maps to the diagnosis category of the same name (its Chinese
  label is accepted too); bonds and any category vip does not know count as `other`;
- loans, cards, services and e-banking are not assets: they are left out of the total;
- shares are rounded half up to 4 decimals and a gap is the model share minus the
  rounded current share, so the figures shown add up as the customer reads them;
- a gap counts from `gap_threshold` (inclusive), biggest first; positive is under-weight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from vipcli.config import DIAGNOSIS_CATEGORIES as CATEGORIES

SHARE = Decimal("0.0001")
# Product categories that are not financial assets of the customer (§18: left out).
NOT_ASSETS = frozenset({"loan", "card", "credit_card", "service", "e_banking",
                        "贷款", "信用卡", "贷记卡", "服务", "电子银行",
                        "貸款", "貸記卡", "服務", "電子銀行"})  # either script
# Chinese labels an outlet's product list may use for a category (either script).
ALIASES = {
    "存款": "deposit", "理财": "wealth", "基金": "fund", "保险": "insurance",
    "贵金属": "precious_metal",
    "理財": "wealth", "保險": "insurance", "貴金屬": "precious_metal",  # either script
}


def category_of(product_category: str | None) -> str | None:
    """The diagnosis category of a product category; None when it is not an asset."""
    code = (product_category or "").strip()
    code = ALIASES.get(code, code.lower())
    if code in NOT_ASSETS:
        return None
    return code if code in CATEGORIES else "other"


def values_by_category(holdings: Iterable[tuple[str | None, int]]) -> dict[str, int]:
    """Fen per diagnosis category from (product category, value in fen) pairs."""
    totals = dict.fromkeys(CATEGORIES, 0)
    for product_category, fen in holdings:
        category = category_of(product_category)
        if category is not None:
            totals[category] += fen
    return totals


def shares(values: Mapping[str, int]) -> dict[str, Decimal]:
    """Each category's share of the total, 4 decimals; all zero when nothing is held."""
    total = sum(values.values())
    if total <= 0:
        return dict.fromkeys(CATEGORIES, Decimal("0.0000"))
    return {c: (Decimal(values.get(c, 0)) / Decimal(total)).quantize(SHARE, ROUND_HALF_UP)
            for c in CATEGORIES}


@dataclass(frozen=True)
class Gap:
    """Model minus current share of one category: positive under-weight, negative over."""

    category: str
    gap: Decimal

    @property
    def under_weight(self) -> bool:
        return self.gap > 0


def gaps(current: Mapping[str, Decimal], model: Mapping[str, Decimal],
         threshold: Decimal) -> list[Gap]:
    """The categories whose |model − current| reaches `threshold`, biggest first."""
    found = [Gap(c, (model[c] - current[c]).quantize(SHARE)) for c in CATEGORIES]
    found = [g for g in found if abs(g.gap) >= threshold and g.gap != 0]
    return sorted(found, key=lambda g: (-abs(g.gap), CATEGORIES.index(g.category)))


@dataclass(frozen=True)
class Candidate:
    """A product of the list as the diagnosis reads it."""

    product_code: str
    name: str
    category: str | None  # the product's own category
    risk_rating: int | None
    launched_on: dt.date | None = None


def fillers(candidates: Sequence[Candidate], found: Sequence[Gap],
            suitable: Callable[[int | None], bool], held: set[str],
            today: dt.date) -> list[Candidate]:
    """Products that fill the under-weight categories, biggest gap first: suitable for the
    customer (`suitable(risk_rating)`, domain.suitability, §8), launched by today and not
    already held."""
    order = [g.category for g in found if g.under_weight]
    chosen = [p for p in candidates
              if category_of(p.category) in order and p.product_code not in held
              and suitable(p.risk_rating)
              and (p.launched_on is None or p.launched_on <= today)]
    return sorted(chosen, key=lambda p: (order.index(category_of(p.category) or ""),
                                         p.risk_rating or 0, p.product_code))
