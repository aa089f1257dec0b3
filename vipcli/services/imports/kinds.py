"""The database side of each import kind (SPEC §12): table, key, upsert and references.

References are checked set-based, one query per chunk: a row may refer to rows earlier in
the same file (already inserted inside the open transaction, or remembered for branches)
or to rows already in the database. Unknown references are errors, never orphans.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlalchemy.sql.elements import KeyedColumnElement

from vipcli import clock
from vipcli.db import models
from vipcli.domain.masking import mask_card
from vipcli.domain.rows import RowValues
from vipcli.i18n import _
from vipcli.services.core import sealing
from vipcli.services.core.batching import in_batches
from vipcli.services.imports import staff
from vipcli.services.imports.scope import Problem, Scope, lookup, outside

if TYPE_CHECKING:
    from vipcli.services.core.sealing import Held, Sealed, Sealer


@dataclass(frozen=True)
class KindSpec:
    table: Table
    key: tuple[str, ...]
    renamed: dict[str, str] = field(default_factory=dict)  # field name → column


SPECS: dict[str, KindSpec] = {
    "branches": KindSpec(models.Branch.__table__, ("branch_id",)),
    "staff": KindSpec(models.Staff.__table__, ("staff_id",)),
    "customers": KindSpec(models.Customer.__table__, ("customer_id",), {"tier": "signed_tier"}),
    "assets": KindSpec(models.MonthlyAsset.__table__, ("customer_id", "month"),
                       {"avg_daily_assets": "avg_daily_fen"}),
    "products": KindSpec(models.Product.__table__, ("product_code",)),
    "cross-sell": KindSpec(models.CrossSellRule.__table__, ("held", "recommend")),
    "holdings": KindSpec(models.Holding.__table__, ("customer_id", "product_code", "start_date"),
                         {"amount": "amount_fen"}),
    "transactions": KindSpec(models.Transaction.__table__, ("customer_id", "txn_id"),
                             {"amount": "amount_fen"}),
    "prices": KindSpec(models.Price.__table__, ("product_code", "date"), {"yield": "yield_pct"}),
    "loans": KindSpec(models.Loan.__table__, ("loan_id",),
                      {"principal": "principal_fen", "balance": "balance_fen",
                       "overdue_amount": "overdue_amount_fen"}),
    "cards": KindSpec(models.CardStatement.__table__, ("card_no", "statement_date"),
                      {"amount_due": "amount_due_fen", "min_due": "min_due_fen", "paid": "paid_fen"}),
    "leads": KindSpec(models.Lead.__table__, ("lead_id",), {"est_assets": "est_assets_fen"}),
}
CUSTOMER_EXTRAS = ("status", "created_at")
LEAD_EXTRAS = ("created_at",)  # §18: a lead's phone is sealed like a customer's (lead_rows)
# §12 decision: an empty manager or tier keeps what vip holds (allocation and signing
# happen in vip; an extract without them must not undo them).
KEEP_WHEN_EMPTY = ("manager_id", "signed_tier", "tier_since")
# §18: the customer file its manager keeps (`vip customer edit`): an import fills these only
# where vip holds nothing, so a later extract never overwrites what a manager has kept.
FILL_WHEN_EMPTY = ("orientation", "preferred_channel")


# §13: a customer's phone and ID number are stored sealed, hashed and masked, never in clear.
SEALED_FIELDS = sealing.COLUMNS
FIELDS = sealing.FIELDS
PHONE_AT, ID_NUMBER_AT = 5, 6  # in the customers fields (vipcli.domain.rows.fields_for)
AT = {"phone": PHONE_AT, "id_number": ID_NUMBER_AT}


def db_columns(kind: str, field_names: Iterable[str]) -> list[str]:
    renamed = SPECS[kind].renamed
    if kind == "leads":
        return [column for name in field_names
                for column in SEALED_FIELDS.get(name, (renamed.get(name, name),))] + list(LEAD_EXTRAS)
    if kind != "customers":
        return [renamed.get(name, name) for name in field_names]
    columns: list[str] = []
    for name in field_names:
        columns += SEALED_FIELDS.get(name, (renamed.get(name, name),))
    return columns + list(CUSTOMER_EXTRAS)


Kept = tuple[bool, ...]  # for each personal-data field of the file: its stored columns stay


def customer_rows(
    items: list[RowValues], sealer: Callable[[], Sealer] | None, fields: Sequence[str],
    held: dict[str, dict[str, Held]] | None,
) -> tuple[list[RowValues], list[Kept]]:
    """The customers' rows as stored: their status on insert, 'signed' with a tier, else
    'prospect' (§3), and their phone and ID number sealed, hashed and masked (§13; `sealer`
    gives the key when a row has one). Beside each row, for each of `fields` (the
    personal-data fields the file has, in FIELDS order), whether its stored columns stay:
    `held` (from `held_personal_data`, None on a first load) says what each customer
    holds, and a value equal to it is not encrypted again (Sealer.columns_kept): a kept
    field's columns in the row are not the stored ones and must not be written."""
    now = clock.now()
    blank: Sealed = (None, None, None)
    columns = {name: [blank] * len(items) for name in FIELDS}
    flags: list[list[bool]] = []
    if any(values[AT[name]] for values in items for name in fields):
        if sealer is None:
            raise ValueError("customers with a phone or ID number need the key")
        key = sealer()
        for name in fields:
            at = AT[name]
            columns[name], same = key.columns_kept(
                name, [(values[0], values[at]) for values in items], held.get(name) if held else None)
            flags.append(same)
    elif held:  # not one value in these rows: a field stays where its customer holds none
        for name in fields:
            stored_of = held[name].get
            flags.append([(stored := stored_of(values[0])) is not None and stored[0] is None
                          for values in items])
    kept: list[Kept] = list(zip(*flags, strict=True)) if held and flags else [(False,) * len(fields)] * len(items)
    rows = [(*values[:PHONE_AT], *phone, *id_number, *values[ID_NUMBER_AT + 1:],
             "signed" if values[11] else "prospect", now)
            for values, phone, id_number in zip(items, columns["phone"], columns["id_number"], strict=True)]
    return rows, kept


def lead_rows(items: list[RowValues], sealer: Callable[[], Sealer] | None) -> list[RowValues]:
    """The leads' rows as stored: the phone (required, at 2) sealed for its lead, hashed and
    masked (§13), and the time of the import as `created_at`."""
    from vipcli.services.core.sealing import seal_lead_phone

    if not items:
        return []
    assert sealer is not None
    key, now = sealer(), clock.now()
    return [(*values[:2], *seal_lead_phone(key, values[0], values[2]), *values[3:], now) for values in items]


def held_personal_data(conn: Connection, items: list[RowValues], fields: Iterable[str]
                       ) -> dict[str, dict[str, Held]]:
    """The file's customers already in the database and what they hold, field → customer →
    (hmac, masked), one indexed query per IN batch. A customer named twice in `items` is
    left out: its rows are sealed and upserted as they come, so the last one wins as it
    always has. The customers read stay as read until the import commits: on PostgreSQL
    they are locked (FOR NO KEY UPDATE: no other transaction changes or deletes them,
    references to them are not blocked); SQLite's import holds the write lock from its
    first statement (BEGIN IMMEDIATE)."""
    fields = [name for name in FIELDS if name in fields]
    held: dict[str, dict[str, Held]] = {name: {} for name in fields}
    if not fields:
        return held
    table = SPECS["customers"].table
    ids = [values[0] for values in items]
    if len(set(ids)) < len(ids):
        ids = [cid for cid, count in Counter(ids).items() if count == 1]
    # The driver's own statement and rows: ≈2.5× faster than Core's IN list of 5,000.
    columns = ", ".join(["customer_id"] + [column for name in fields for column in SEALED_FIELDS[name][1:]])
    sqlite = conn.dialect.name == "sqlite"
    for batch in in_batches(ids):
        if sqlite:
            sql = f"SELECT {columns} FROM {table.name} WHERE customer_id IN ({', '.join('?' * len(batch))})"
            params: tuple[Any, ...] = tuple(batch)
        else:  # psycopg: the ids as one array
            sql = f"SELECT {columns} FROM {table.name} WHERE customer_id = ANY(%s) FOR NO KEY UPDATE"
            params = (list(batch),)
        cursor = conn.connection.cursor()
        try:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        finally:
            cursor.close()
        for index, name in enumerate(fields):
            start = 1 + 2 * index
            held[name].update({row[0]: row[start:start + 2] for row in rows})
    return held


def update_set(
    kind: str, table: Table, excluded: ReadOnlyColumnCollection[str, KeyedColumnElement[Any]],
    present: set[str],
) -> dict[str, ColumnElement[Any]]:
    """ON CONFLICT DO UPDATE: only the columns the file has; the key and extras stay."""
    spec = SPECS[kind]
    updates: dict[str, ColumnElement[Any]] = {}
    for column in present - set(spec.key) - ({"created_at"} if kind == "leads" else set()):
        if kind == "customers" and column in KEEP_WHEN_EMPTY:
            updates[column] = func.coalesce(excluded[column], table.c[column])
        elif kind == "customers" and column in FILL_WHEN_EMPTY:
            updates[column] = func.coalesce(table.c[column], excluded[column])
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


def check_references(conn: Connection, kind: str, items: list[RowValues], scope: Scope) -> list[Problem]:
    check = CHECKS.get(kind)
    return check(conn, items, scope) if check else []


def _branches(conn: Connection, items: list[RowValues], scope: Scope) -> list[Problem]:
    seen = scope.branch_levels  # branches earlier in the file, across chunks
    parent_levels: list[int | None] = []
    pending: set[str] = set()
    for branch_id, _name, parent, level in items:
        parent_levels.append(seen.get(parent) if parent else None)
        if parent and parent not in seen:
            pending.add(parent)
        seen[branch_id] = level
    stored = lookup(conn, models.Branch.branch_id, pending, models.Branch.level)
    problems = []
    for index, (_id, _name, parent, level) in enumerate(items):
        if not parent:
            continue
        parent_level = parent_levels[index]
        if parent_level is None and parent in stored:
            parent_level = stored[parent].level
        if parent_level is None:
            problems.append((index, "parent_id", _(
                "unknown branch {branch!r} (neither in the database nor earlier in the file)")
                .format(branch=parent)))
        elif parent_level >= level:
            problems.append((index, "parent_id", _(
                "parent {parent} is at level {parent_level}; expected a level above {level}")
                .format(parent=parent, parent_level=parent_level, level=level)))
    return problems


def _outlet(index: int, branch_id: str, branch: Any, scope: Scope, not_outlet: str,
            held_at: str | None, held: tuple[str, str, str]) -> list[Problem]:
    """A row's outlet: known, an outlet (level 3), inside the importer's scope; and the
    record already held (a customer, a lead) not another outlet's (§13 "before and after")."""
    if branch is None:
        return [(index, "branch_id", _("unknown branch {branch!r}").format(branch=branch_id))]
    if branch.level != 3:
        return [(index, "branch_id", not_outlet.format(branch=branch_id))]
    if message := outside(scope, branch_id):
        return [(index, "branch_id", message)]
    column, text, key = held
    if held_at is not None and (message := outside(scope, held_at)):
        return [(index, column, text.format(key=key, problem=message))]
    return []


def _customers(conn: Connection, items: list[RowValues], scope: Scope) -> list[Problem]:
    branches = lookup(conn, models.Branch.branch_id, {v[10] for v in items}, models.Branch.level)
    managers = lookup(conn, models.Staff.staff_id, {v[13] for v in items}, models.Staff.branch_id)
    # §13: a branch head's import is judged on the customer already held too, so it cannot
    # move another outlet's customer into its own.
    held = (lookup(conn, models.Customer.customer_id, {v[0] for v in items}, models.Customer.branch_id)
            if scope.outlet is not None else {})
    problems = []
    for index, values in enumerate(items):
        branch_id, manager_id = values[10], values[13]
        holder = held.get(values[0])
        problems.extend(_outlet(index, branch_id, branches.get(branch_id), scope, _(
            "{branch} is not an outlet (level 3); customers belong to outlets"),
            None if holder is None else holder.branch_id,
            ("customer_id", _("customer {key} {problem}"), values[0])))
        if manager_id is None:
            continue
        manager = managers.get(manager_id)
        if manager is None:
            problems.append((index, "manager_id", _("unknown staff member {staff!r}").format(staff=manager_id)))
        elif manager.branch_id != branch_id:
            problems.append((index, "manager_id", _(
                "{staff} works at {branch}, not at the customer's outlet {outlet}")
                .format(staff=manager_id, branch=manager.branch_id, outlet=branch_id)))
    return problems


def _customer_refs(column: int) -> Callable[[Connection, list[RowValues], Scope], list[Problem]]:
    def check(conn: Connection, items: list[RowValues], scope: Scope) -> list[Problem]:
        stored = lookup(conn, models.Customer.customer_id, {v[column] for v in items},
                        models.Customer.branch_id)
        problems = []
        for index, values in enumerate(items):
            found = stored.get(values[column])
            if found is None:
                problems.append((index, "customer_id", _("unknown customer {customer!r}")
                                 .format(customer=values[column])))
            elif message := outside(scope, found.branch_id):
                problems.append((index, "customer_id", _("customer {customer} {problem}")
                                 .format(customer=values[column], problem=message)))
        return problems

    return check


def _holdings(conn: Connection, items: list[RowValues], scope: Scope) -> list[Problem]:
    products = lookup(conn, models.Product.product_code, {v[1] for v in items})
    problems = _customer_refs(0)(conn, items, scope)
    problems += [(i, "product_code", _("unknown product {product!r}").format(product=v[1]))
                 for i, v in enumerate(items) if v[1] not in products]
    return problems


def _cross_sell(conn: Connection, items: list[RowValues], scope: Scope) -> list[Problem]:
    codes = lookup(conn, models.Product.product_code, {v[0] for v in items} | {v[1] for v in items})
    categories = lookup(conn, models.Product.category, {v[0] for v in items} - set(codes))
    problems = []
    for index, (held, recommend, _kind) in enumerate(items):
        if held not in codes and held not in categories:
            problems.append((index, "held", _("unknown product code or category {held!r}").format(held=held)))
        if recommend not in codes:
            problems.append((index, "recommend", _("unknown product {product!r}").format(product=recommend)))
    return problems


def _prices(conn: Connection, items: list[RowValues], scope: Scope) -> list[Problem]:
    products = lookup(conn, models.Product.product_code, {v[0] for v in items})
    return [(i, "product_code", _("unknown product {product!r}").format(product=v[0]))
            for i, v in enumerate(items) if v[0] not in products]


def _held_by(table_key: Any, customer_id: Any, ids: set[str]) -> Callable[[Connection], dict[str, str]]:
    def read(conn: Connection) -> dict[str, str]:
        found: dict[str, str] = {}
        for batch in in_batches(sorted(ids)):
            found.update((key, branch) for key, branch in conn.execute(
                select(table_key, models.Customer.branch_id)
                .join(models.Customer, customer_id == models.Customer.customer_id)
                .where(table_key.in_(batch))))
        return found

    return read


def _owned_rows(key: str, label: str) -> Callable[[Connection, list[RowValues], Scope], list[Problem]]:
    """The customer's references; and for a branch head, a loan or card already held must
    belong to its outlet (it cannot move another outlet's loan or card to its customer)."""
    table = SPECS[key].table

    def check(conn: Connection, items: list[RowValues], scope: Scope) -> list[Problem]:
        problems = _customer_refs(1)(conn, items, scope)
        if scope.outlet is None:
            return problems
        column = table.c[SPECS[key].key[0]]
        held = _held_by(column, table.c.customer_id, {v[0] for v in items})(conn)
        for index, values in enumerate(items):
            branch = held.get(values[0])
            if branch is not None and (message := outside(scope, branch)):
                shown = mask_card(values[0]) if key == "cards" else values[0]
                text = (_("loan {loan} {problem}") if label == "loan" else _("card {card} {problem}"))
                problems.append((index, column.name, text.format(loan=shown, card=shown, problem=message)))
        return problems

    return check


def _leads(conn: Connection, items: list[RowValues], scope: Scope) -> list[Problem]:
    """The outlet, the recorder (staff of that outlet), a lead already held of another
    outlet (a branch head's import), and one lead per phone per outlet (§18)."""
    branches = lookup(conn, models.Branch.branch_id, {v[5] for v in items}, models.Branch.level)
    recorders = lookup(conn, models.Staff.staff_id, {v[4] for v in items}, models.Staff.branch_id)
    held = lookup(conn, models.Lead.lead_id, {v[0] for v in items}, models.Lead.branch_id)
    problems: list[Problem] = []
    for index, values in enumerate(items):
        branch_id, recorder = values[5], recorders.get(values[4])
        lead = held.get(values[0])
        problems.extend(_outlet(index, branch_id, branches.get(branch_id), scope, _(
            "{branch} is not an outlet (level 3); leads belong to outlets"),
            None if lead is None else lead.branch_id,
            ("lead_id", _("lead {key} {problem}"), values[0])))
        if recorder is None:
            problems.append((index, "recorded_by", _("unknown staff member {staff!r}").format(staff=values[4])))
        elif recorder.branch_id != branch_id:
            problems.append((index, "recorded_by", _(
                "{staff} works at {branch}, not at the lead's outlet {outlet}")
                .format(staff=values[4], branch=recorder.branch_id, outlet=branch_id)))
    return problems + _lead_phones(conn, items, scope)


def _lead_phones(conn: Connection, items: list[RowValues], scope: Scope) -> list[Problem]:
    """A phone that is another lead's of the same outlet, earlier in the file or stored."""
    if scope.phone_digest is None:
        return []
    digests = [scope.phone_digest(values[2]) for values in items]
    stored: dict[tuple[str, bytes], str] = {}
    table = models.Lead.__table__
    for batch in in_batches(sorted(set(digests))):
        stored.update(((branch, bytes(digest)), lead) for lead, branch, digest in conn.execute(
            select(table.c.lead_id, table.c.branch_id, table.c.phone_hmac)
            .where(table.c.phone_hmac.in_(batch))))
    file_ids = {values[0] for values in items}
    problems: list[Problem] = []
    for index, (values, digest) in enumerate(zip(items, digests, strict=True)):
        key = (values[5], digest)
        other = scope.lead_phones.get(key) or stored.get(key)
        if other is not None and other != values[0] and (other not in file_ids or key in scope.lead_phones):
            problems.append((index, "phone", _(
                "this phone is already lead {lead} of outlet {outlet}; one lead per phone "
                "per outlet").format(lead=other, outlet=values[5])))
        else:
            scope.lead_phones.setdefault(key, values[0])
    return problems


CHECKS = {
    "branches": _branches,
    "staff": staff.check,
    "customers": _customers,
    "assets": _customer_refs(0),
    "cross-sell": _cross_sell,
    "holdings": _holdings,
    "transactions": _customer_refs(1),
    "prices": _prices,
    "loans": _owned_rows("loans", "loan"),
    "cards": _owned_rows("cards", "card"),
    "leads": _leads,
}
