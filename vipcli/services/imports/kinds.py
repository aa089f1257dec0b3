"""The database side of each import kind (SPEC §12): table, key, upsert and references.

References are checked set-based, one query per chunk: a row may refer to rows earlier in
the same file (already inserted inside the open transaction, or remembered for branches)
or to rows already in the database. Unknown references are errors, never orphans.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Table, and_, case, func, literal_column, or_, select

from vipcli import clock
from vipcli.db import models as m
from vipcli.errors import PermissionDenied
from vipcli.services.core.context import Actor

LOOKUP_BATCH = 500  # ids per IN (...) list: well under every database's parameter limit
Problem = tuple[int, str, str]  # (index in the chunk, column, message)


@dataclass(frozen=True)
class KindSpec:
    table: Table
    key: tuple[str, ...]
    renamed: dict[str, str] = field(default_factory=dict)  # field name → column
    head_may_import: bool = True  # a branch head may import its own outlet's rows (§13)


SPECS: dict[str, KindSpec] = {
    "branches": KindSpec(m.Branch.__table__, ("branch_id",), head_may_import=False),
    "staff": KindSpec(m.Staff.__table__, ("staff_id",)),
    "customers": KindSpec(m.Customer.__table__, ("customer_id",), {"tier": "signed_tier"}),
    "assets": KindSpec(m.MonthlyAsset.__table__, ("customer_id", "month"),
                       {"avg_daily_assets": "avg_daily_fen"}),
    "products": KindSpec(m.Product.__table__, ("product_code",), head_may_import=False),
    "cross-sell": KindSpec(m.CrossSellRule.__table__, ("held", "recommend"), head_may_import=False),
    "holdings": KindSpec(m.Holding.__table__, ("customer_id", "product_code", "start_date"),
                         {"amount": "amount_fen"}),
    "transactions": KindSpec(m.Transaction.__table__, ("customer_id", "txn_id"),
                             {"amount": "amount_fen"}),
}
CUSTOMER_EXTRAS = ("status", "created_at")
# §12 decision: an empty manager or tier keeps what vip holds (allocation and signing
# happen in vip; an extract without them must not undo them).
KEEP_WHEN_EMPTY = ("manager_id", "signed_tier", "tier_since")


@dataclass
class Scope:
    """Who imports: None for the operator and the bootstrap, else the branch head's outlet."""

    outlet: str | None
    branch_levels: dict[str, int] = field(default_factory=dict)  # branches seen in this file


def scope_for(actor: Actor | None, kind: str) -> Scope:
    if actor is None or actor.role != "branch_head":
        return Scope(None)
    if not SPECS[kind].head_may_import:
        raise PermissionDenied(
            f"{actor.describe()} may not import {kind}: the bank-wide {kind} are the operator's"
        )
    return Scope(actor.branch_id)


def db_columns(kind: str, field_names: Iterable[str]) -> list[str]:
    renamed = SPECS[kind].renamed
    columns = [renamed.get(name, name) for name in field_names]
    return columns + list(CUSTOMER_EXTRAS) if kind == "customers" else columns


def db_rows(kind: str, items: list[tuple]) -> list[tuple]:
    """Customers get their status on insert: 'signed' with a tier, else 'prospect' (§3)."""
    if kind != "customers":
        return items
    now = clock.now()
    return [(*values, "signed" if values[11] else "prospect", now) for values in items]


def update_set(kind: str, table: Table, excluded, present: set[str]) -> dict:
    """ON CONFLICT DO UPDATE: only the columns the file has; the key and extras stay."""
    spec = SPECS[kind]
    updates = {}
    for column in present - set(spec.key):
        if kind == "customers" and column in KEEP_WHEN_EMPTY:
            updates[column] = func.coalesce(excluded[column], table.c[column])
        else:
            updates[column] = excluded[column]
    if kind == "customers" and "signed_tier" in present:
        # §3: a card tier in the extract signs a prospect or potential VIP.
        updates["status"] = case(
            (
                and_(
                    excluded.signed_tier.is_not(None),
                    or_(table.c.status == literal_column("'prospect'"),
                        table.c.status == literal_column("'potential'")),
                ),
                literal_column("'signed'"),
            ),
            else_=table.c.status,
        )
    return updates


# -- references --------------------------------------------------------------------------


def lookup(conn: Connection, column, ids: set, *extra) -> dict:
    """id → row (the id and `extra` columns) for those of `ids` present in the database."""
    found: dict = {}
    wanted = sorted(i for i in ids if i is not None)
    for start in range(0, len(wanted), LOOKUP_BATCH):
        part = wanted[start : start + LOOKUP_BATCH]
        for row in conn.execute(select(column, *extra).where(column.in_(part))):
            found[row[0]] = row
    return found


def check_references(conn: Connection, kind: str, items: list[tuple], scope: Scope) -> list[Problem]:
    check = CHECKS.get(kind)
    return check(conn, items, scope) if check else []


def _outside(scope: Scope, branch_id: str | None) -> str | None:
    if scope.outlet is not None and branch_id != scope.outlet:
        return f"belongs to outlet {branch_id}, not yours ({scope.outlet}); a branch head imports only its own outlet's rows"
    return None


def _branches(conn: Connection, items: list[tuple], scope: Scope) -> list[Problem]:
    seen = scope.branch_levels  # branches earlier in the file, across chunks
    parent_levels: list[int | None] = []
    pending: set[str] = set()
    for branch_id, _name, parent, level in items:
        parent_levels.append(seen.get(parent) if parent else None)
        if parent and parent not in seen:
            pending.add(parent)
        seen[branch_id] = level
    stored = lookup(conn, m.Branch.branch_id, pending, m.Branch.level)
    problems = []
    for index, (_id, _name, parent, level) in enumerate(items):
        if not parent:
            continue
        parent_level = parent_levels[index]
        if parent_level is None and parent in stored:
            parent_level = stored[parent].level
        if parent_level is None:
            problems.append((index, "parent_id", f"unknown branch {parent!r} (neither in the database nor earlier in the file)"))
        elif parent_level >= level:
            problems.append((index, "parent_id", f"parent {parent} is at level {parent_level}; expected a level above {level}"))
    return problems


def _staff(conn: Connection, items: list[tuple], scope: Scope) -> list[Problem]:
    stored = lookup(conn, m.Branch.branch_id, {v[3] for v in items})
    problems = []
    for index, values in enumerate(items):
        if values[3] not in stored:
            problems.append((index, "branch_id", f"unknown branch {values[3]!r}"))
        elif message := _outside(scope, values[3]):
            problems.append((index, "branch_id", message))
    return problems


def _customers(conn: Connection, items: list[tuple], scope: Scope) -> list[Problem]:
    branches = lookup(conn, m.Branch.branch_id, {v[10] for v in items}, m.Branch.level)
    managers = lookup(conn, m.Staff.staff_id, {v[13] for v in items}, m.Staff.branch_id)
    problems = []
    for index, values in enumerate(items):
        branch_id, manager_id = values[10], values[13]
        branch = branches.get(branch_id)
        if branch is None:
            problems.append((index, "branch_id", f"unknown branch {branch_id!r}"))
        elif branch.level != 3:
            problems.append((index, "branch_id", f"{branch_id} is not an outlet (level 3); customers belong to outlets"))
        elif message := _outside(scope, branch_id):
            problems.append((index, "branch_id", message))
        if manager_id is None:
            continue
        manager = managers.get(manager_id)
        if manager is None:
            problems.append((index, "manager_id", f"unknown staff member {manager_id!r}"))
        elif manager.branch_id != branch_id:
            problems.append((index, "manager_id", f"{manager_id} works at {manager.branch_id}, not at the customer's outlet {branch_id}"))
    return problems


def _customer_refs(column: int) -> Callable[[Connection, list[tuple], Scope], list[Problem]]:
    def check(conn: Connection, items: list[tuple], scope: Scope) -> list[Problem]:
        stored = lookup(conn, m.Customer.customer_id, {v[column] for v in items}, m.Customer.branch_id)
        problems = []
        for index, values in enumerate(items):
            found = stored.get(values[column])
            if found is None:
                problems.append((index, "customer_id", f"unknown customer {values[column]!r}"))
            elif message := _outside(scope, found.branch_id):
                problems.append((index, "customer_id", f"customer {values[column]} {message}"))
        return problems

    return check


def _holdings(conn: Connection, items: list[tuple], scope: Scope) -> list[Problem]:
    products = lookup(conn, m.Product.product_code, {v[1] for v in items})
    problems = _customer_refs(0)(conn, items, scope)
    problems += [(i, "product_code", f"unknown product {v[1]!r}") for i, v in enumerate(items) if v[1] not in products]
    return problems


def _cross_sell(conn: Connection, items: list[tuple], scope: Scope) -> list[Problem]:
    codes = lookup(conn, m.Product.product_code, {v[0] for v in items} | {v[1] for v in items})
    categories = lookup(conn, m.Product.category, {v[0] for v in items} - set(codes))
    problems = []
    for index, (held, recommend, _kind) in enumerate(items):
        if held not in codes and held not in categories:
            problems.append((index, "held", f"unknown product code or category {held!r}"))
        if recommend not in codes:
            problems.append((index, "recommend", f"unknown product {recommend!r}"))
    return problems


CHECKS = {
    "branches": _branches,
    "staff": _staff,
    "customers": _customers,
    "assets": _customer_refs(0),
    "cross-sell": _cross_sell,
    "holdings": _holdings,
    "transactions": _customer_refs(1),
}
