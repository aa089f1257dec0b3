"""Products' published prices (§12 prices, §17): the latest nav a holding is valued at."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vipcli.db.models import Price


def latest_navs(session: Session, codes: list[str],
                today: dt.date) -> dict[str, tuple[dt.date, Decimal]]:
    """Each product's latest nav on or before today: code → (its day, nav). `vip show`
    values a fund with it, `vip diagnose` every holding with units (§18)."""
    if not codes:
        return {}
    latest = (select(Price.product_code, func.max(Price.date).label("day"))
              .where(Price.product_code.in_(codes), Price.date <= today, Price.nav.is_not(None))
              .group_by(Price.product_code).subquery())
    rows = session.execute(select(Price.product_code, Price.date, Price.nav).join(
        latest, (latest.c.product_code == Price.product_code) & (latest.c.day == Price.date)))
    return {code: (day, nav) for code, day, nav in rows if nav is not None}
