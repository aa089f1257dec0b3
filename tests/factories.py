"""Small builders for test data, inserted with SQLAlchemy Core on a migrated engine.

The standard organisation (`org`):
  B01 first-level branch ─ B0101 second-level branch ─ outlets O001 and O002
  O001: H1 branch head, M1 M2 M3 account managers, MX inactive manager, A1 advisor,
        L1 lobby manager, T1 teller
  O002: H2 branch head, M4 account manager, L2 lobby manager
  AP2 approver_l2 at B0101, AP1 approver_l1 at B01, OP1 operator at B01
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from vipcli.db import models

BRANCHES = [
    ("B01", "廣西分行", None, 1),
    ("B0101", "南寧分行", "B01", 2),
    ("O001", "民族支行", "B0101", 3),
    ("O002", "青秀支行", "B0101", 3),
]
STAFF = [
    ("H1", "王主任", "branch_head", "O001", True),
    ("M1", "李經理", "account_manager", "O001", True),
    ("M2", "張經理", "account_manager", "O001", True),
    ("M3", "劉經理", "account_manager", "O001", True),
    ("MX", "陳經理", "account_manager", "O001", False),
    ("A1", "楊顧問", "advisor", "O001", True),
    ("L1", "黃大堂", "lobby_manager", "O001", True),
    ("T1", "趙柜員", "teller", "O001", True),
    ("H2", "周主任", "branch_head", "O002", True),
    ("M4", "吳經理", "account_manager", "O002", True),
    ("L2", "徐大堂", "lobby_manager", "O002", True),
    ("AP2", "孫審批", "approver_l2", "B0101", True),
    ("AP1", "馬審批", "approver_l1", "B01", True),
    ("OP1", "朱操作", "operator", "B01", True),
]


def org(engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(models.Branch),
            [dict(branch_id=b, name=n, parent_id=p, level=lv) for b, n, p, lv in BRANCHES],
        )
        conn.execute(
            insert(models.Staff),
            [
                dict(staff_id=s, name=n, role=r, branch_id=b, capacity=Decimal(1), active=a)
                for s, n, r, b, a in STAFF
            ],
        )


def customer(engine, customer_id: str, **fields) -> None:
    values = dict(
        customer_id=customer_id,
        name=fields.pop("name", "歐陽明"),
        gender="M",
        birth_date=dt.date(1970, 6, 15),
        birthday_calendar="solar",
        phone="13812345678",
        id_number="110101197006150011",
        occupation="executive",
        orientation="value",
        preferred_channel="phone",
        branch_id="O001",
        status="prospect",
    )
    adb12 = fields.pop("adb12_fen", None)
    month = fields.pop("screened_month", SCREENED)
    below = fields.pop("months_below_signed", 0)
    values.update(fields)
    with engine.begin() as conn:
        sealed(conn, values)
        conn.execute(insert(models.Customer).values(**values))
        if below:
            conn.execute(insert(models.DowngradeCount).values(customer_id=customer_id, months_below=below))
        if adb12 is not None:  # as a screening of `month` would leave it (services.standing)
            screened(conn, month)
            conn.execute(insert(models.ScreeningResult).values(
                month=month, customer_id=customer_id, adb12_fen=adb12,
                qualified_tier=values.get("qualified_tier"), signed_tier=values.get("signed_tier"),
                months_below=below))


def sealed(conn, values: dict) -> None:
    """§13: a customer's phone and ID number as vip stores them — sealed under the test
    home's key (made on first use), hashed and masked — in place of the clear values."""
    from vipcli.config import load_rules
    from vipcli.services.core import sealing

    key = sealing.sealer(conn, load_rules(None))
    for field in sealing.FIELDS:
        values.update(zip(sealing.COLUMNS[field],
                          key.columns(values["customer_id"], field, values.pop(field, None)), strict=True))


def revealed(engine, customer_id: str, field: str = "phone") -> str | None:
    """A customer's phone (or ID number) in clear, opened with the test home's key."""
    from vipcli.config import load_rules
    from vipcli.services.core import sealing

    with engine.begin() as conn:
        sealed = conn.execute(select(getattr(models.Customer, f"{field}_sealed"))
                              .where(models.Customer.customer_id == customer_id)).scalar()
        key = sealing.sealer(conn, load_rules(None))
    return None if sealed is None else key.open(customer_id, field, sealed)


SCREENED = "2026-10"  # the month a customer made with an ADB12 was screened, unless told


def screened(conn, month: str, scope: str = "all") -> None:
    """A screening run of `month` for `scope`, unless there is one."""
    runs = models.ScreeningRun.__table__
    if conn.execute(select(runs.c.id).where(runs.c.month == month, runs.c.scope == scope)).first():
        return
    conn.execute(insert(runs).values(month=month, scope=scope, screened=0,
                                     run_at=dt.datetime(2026, 11, 1, 6, 0)))


def assets(engine, customer_id: str, by_month: dict[str, Decimal | str | int]) -> None:
    """Monthly average daily assets in yuan, e.g. {"2026-10": "100000.00"}."""
    rows = [
        dict(customer_id=customer_id, month=month, avg_daily_fen=int(Decimal(str(v)) * 100))
        for month, v in by_month.items()
    ]
    with engine.begin() as conn:
        conn.execute(insert(models.MonthlyAsset), rows)


def rows(engine, model, *items: dict) -> None:
    with engine.begin() as conn:
        conn.execute(insert(model), list(items))


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8") -> Path:
    """An extract file as the outlet's systems write it (any encoding, e.g. gbk)."""
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@contextmanager
def open_sqlite(database: Path | str, **options: Any) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection, committed and closed on leaving (sqlite3's own context
    manager commits but leaves the connection open, holding the file)."""
    conn = sqlite3.connect(database, **options)
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def map_accounts(engine, **accounts: str | None) -> None:
    """Give members of staff their OS account or database role (§13 `staff.os_user`)."""
    from sqlalchemy import update

    from vipcli.db import models

    with engine.begin() as conn:
        for staff_id, account in accounts.items():
            conn.execute(update(models.Staff).where(models.Staff.staff_id == staff_id)
                         .values(os_user=account))
