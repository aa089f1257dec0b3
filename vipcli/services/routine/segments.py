"""`vip segment`: filtered lists and cross-tab counts (SPEC §4).

Tier here is the *signed* tier (the card the customer holds and is served by, §1);
`qualified_tier` may be asked for as a cross-tab field. `none` stands for no tier / no
orientation both as a filter value and as a count key. Lists are masked (§13).
"""

from __future__ import annotations

from typing import TypedDict, cast

from sqlalchemy import ColumnElement, SQLColumnExpression, func, select

from vipcli.db.models import Customer
from vipcli.domain.money import money_str
from vipcli.domain.vocabulary import ENUM_LABELS, OCCUPATIONS, ORIENTATIONS, TIERS
from vipcli.errors import InvalidInput
from vipcli.i18n import N_, _
from vipcli.services.core import standing
from vipcli.services.core.access import visible_clause
from vipcli.services.core.context import Context

NONE = "none"
FIELDS = {
    "tier": Customer.signed_tier,
    "qualified_tier": Customer.qualified_tier,
    "occupation": Customer.occupation,
    "orientation": Customer.orientation,
    "gender": Customer.gender,
    "status": Customer.status,
}
DEFAULT_BY = ("tier", "occupation", "orientation")
# One message per filter (§16: no sentence glued from a translated word).
UNKNOWN = {
    "tier": N_("unknown tier {value!r}; expected one of {allowed}"),
    "occupation": N_("unknown occupation {value!r}; expected one of {allowed}"),
    "orientation": N_("unknown orientation {value!r}; expected one of {allowed}"),
}


class SegmentFilters(TypedDict):
    """The filters a segment was asked with, as given (None = not filtered)."""

    tier: str | None
    occupation: str | None
    orientation: str | None


class SegmentCustomer(TypedDict):
    """One customer of the segment, masked (§13), in the shape of `vip customers`."""

    customer_id: str
    name: str
    signed_tier: str | None
    qualified_tier: str | None
    adb12: str | None
    manager_id: str | None
    occupation: str | None
    orientation: str | None
    phone: str | None


class Segment(TypedDict):
    """`vip segment --json`: the filters, the cross-tab fields, counts and the customers."""

    filters: SegmentFilters
    by: list[str]
    total: int
    counts: list[dict[str, str | int]]  # {field of `by`: value or "none", …, "count": n}
    customers: list[SegmentCustomer]


def _match(column: SQLColumnExpression[str | None], value: str, allowed: tuple[str, ...],
           what: str) -> ColumnElement[bool]:
    # Chinese labels are accepted as on import (钻石卡, 价值取向, 企业高管 …); 普通/无 = none
    value = ENUM_LABELS.get(what, {}).get(value.strip(), value.strip()) or NONE
    if value == NONE:
        return column.is_(None)
    if value not in allowed:
        raise InvalidInput(_(UNKNOWN[what]).format(value=value, allowed=", ".join((*allowed, NONE))))
    return column == value


def segment_clauses(tier: str | None, occupation: str | None,
                    orientation: str | None) -> list[ColumnElement[bool]]:
    """WHERE clauses for a segment filter (shared with `vip activity invite`)."""
    clauses = []
    if tier:
        clauses.append(_match(Customer.signed_tier, tier, TIERS, "tier"))
    if occupation:
        clauses.append(_match(Customer.occupation, occupation, OCCUPATIONS, "occupation"))
    if orientation:
        clauses.append(_match(Customer.orientation, orientation, ORIENTATIONS, "orientation"))
    return clauses


def parse_by(text: str | None) -> list[str]:
    fields = [f.strip() for f in (text or "").split(",") if f.strip()] or list(DEFAULT_BY)
    unknown = [f for f in fields if f not in FIELDS]
    if unknown:
        raise InvalidInput(_("cannot cross-tabulate by {unknown}; fields: {fields}").format(
            unknown=", ".join(unknown), fields=", ".join(FIELDS)))
    return list(dict.fromkeys(fields))


def segment(ctx: Context, *, tier: str | None = None, occupation: str | None = None,
            orientation: str | None = None, by: str | None = None,
            limit: int | None = None) -> Segment:
    actor = ctx.actor()
    fields = parse_by(by)
    # §18: a lost customer leaves the lists
    where = [visible_clause(actor), Customer.status != "lost",
             *segment_clauses(tier, occupation, orientation)]
    cols = [FIELDS[f] for f in fields]
    latest, on = standing.latest_result_join(Customer.customer_id, Customer.branch_id)
    with ctx.session(write=False) as session:
        counts = session.execute(
            select(*cols, func.count()).where(*where).group_by(*cols).order_by(*cols)
        ).all()
        query = (
            select(Customer.customer_id, Customer.name, Customer.signed_tier, Customer.qualified_tier,
                   latest.c.adb12_fen, Customer.manager_id, Customer.occupation, Customer.orientation,
                   Customer.phone_masked)
            .outerjoin(latest, on)
            .where(*where)
            .order_by(Customer.customer_id)
        )
        listed = session.execute(query.limit(limit) if limit else query).all()
    # (the values of the `by` fields, the count), in the vocabularies' order
    cells: list[tuple[list[str], int]] = [
        ([v if v is not None else NONE for v in row[:-1]], cast(int, row[-1])) for row in counts
    ]
    cells.sort(key=lambda cell: tuple(_order(f, v) for f, v in zip(fields, cell[0], strict=True)))
    return {
        "filters": {"tier": tier, "occupation": occupation, "orientation": orientation},
        "by": fields,
        "total": sum(n for _, n in cells),
        "counts": [{**dict(zip(fields, values, strict=True)), "count": n}
                   for values, n in cells],
        "customers": [
            {"customer_id": r.customer_id, "name": r.name, "signed_tier": r.signed_tier,
             "qualified_tier": r.qualified_tier, "adb12": money_str(r.adb12_fen),
             "manager_id": r.manager_id, "occupation": r.occupation, "orientation": r.orientation,
             "phone": r.phone_masked}  # §13: stored masked beside the sealed value
            for r in listed
        ],
    }


def _order(field: str, value: str) -> tuple[int, str]:
    """Tiers highest first and the vocabularies in their spec order; `none` last."""
    order = {"tier": TIERS, "qualified_tier": TIERS, "occupation": OCCUPATIONS,
             "orientation": ORIENTATIONS}.get(field, ())
    return (order.index(value) if value in order else len(order) + (value == NONE), value)
