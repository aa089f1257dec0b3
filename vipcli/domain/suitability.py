"""Suitability (风险披露制度, SPEC §8, §13) on plain values: may this product be offered?

A product's risk rating (PR1–PR5 as 1–5) must never exceed the customer's valid
assessed level; a product with a risk rating may not be offered at all while the
assessment is missing, invalidated or expired (it must be redone before the next
sale). Products without a risk rating (deposits, cards, e-banking) are always suitable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vipcli.domain import labels
from vipcli.i18n import _


@dataclass(frozen=True)
class Assessment:
    """One risk assessment (风险测评) as the suitability rule needs it."""

    level: int
    assessed_on: dt.date
    valid_until: dt.date
    invalidated_on: dt.date | None = None
    seq: int = 0  # order of recording (the row id): a same-day re-assessment comes later (§3)

    def valid_on(self, day: dt.date) -> bool:
        """As `services.risk.valid_risk_assessment`: made by `day`, not invalidated, not expired."""
        return self.invalidated_on is None and self.assessed_on <= day <= self.valid_until


def _recorded_order(a: Assessment) -> tuple[dt.date, int]:
    """§3: by date, then by order of recording."""
    return a.assessed_on, a.seq


def current_assessment(assessments: list[Assessment], today: dt.date) -> Assessment | None:
    """The assessment recorded last (by date, then order of recording) if still valid today.

    §3: a re-assessment replaces the earlier one, even on the same day; an earlier,
    higher level never comes back because the last one expired or is lower.
    """
    live = [a for a in assessments if a.invalidated_on is None and a.assessed_on <= today]
    last = max(live, key=_recorded_order, default=None)
    return last if last is not None and last.valid_on(today) else None


def latest_assessment(assessments: list[Assessment]) -> Assessment | None:
    """The most recent assessment of any state, to explain why none is valid."""
    return max(assessments, key=_recorded_order, default=None)


def level_label(level: int) -> str:
    """`3 稳健型`: the level beside its name, in the active language (§16)."""
    return labels.risk_level(level)


def missing_reason(assessments: list[Assessment], today: dt.date) -> str:
    """Why there is no valid assessment: none on file, invalidated, or expired on a date."""
    latest = latest_assessment(assessments)
    if latest is None:
        return _("no risk assessment on file")
    live = [a for a in assessments if a.invalidated_on is None]
    newest_live = latest_assessment(live)
    if newest_live is not None and newest_live.valid_until < today:
        return _("risk assessment expired on {date}").format(date=newest_live.valid_until.isoformat())
    if latest.invalidated_on is not None:
        return _("risk assessment invalidated on {date}; redo it").format(
            date=latest.invalidated_on.isoformat())
    return _("risk assessment expired on {date}").format(date=latest.valid_until.isoformat())


class Suitability:
    """One customer's suitability on one day, worked out once for all its products."""

    def __init__(self, assessments: list[Assessment], today: dt.date) -> None:
        self.valid = current_assessment(assessments, today)
        self.missing = None if self.valid else missing_reason(assessments, today)

    def blocked_reason(self, risk_rating: int | None) -> str | None:
        """None when the product may be offered, else the reason it is held back."""
        if risk_rating is None:
            return None
        if self.valid is None:
            return self.missing
        if risk_rating > self.valid.level:
            return _("PR{rating} exceeds assessed level {level}").format(
                rating=risk_rating, level=level_label(self.valid.level))
        return None


def blocked_reason(
    risk_rating: int | None, assessments: list[Assessment], today: dt.date
) -> str | None:
    """None when the product may be offered, else the reason it is held back."""
    return Suitability(assessments, today).blocked_reason(risk_rating)
