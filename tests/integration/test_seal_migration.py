"""§13: a database from before the sealing (revision 0005) is migrated: 0006 moves the clear
values aside and writes their masks; the first open with the key seals them, audited and
said on stderr, and no clear value remains — not in a table, and on SQLite not in the file."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from tests import factories
from vipcli.config import load_rules
from vipcli.db import models
from vipcli.db.engine import make_engine, open_engine, resolve_url, sqlite_path
from vipcli.db.migrate import upgrade
from vipcli.services.core import sealing

PHONES = [f"1391234{n:04d}" for n in range(50)]
IDS = [f"45010219800101{n:04d}" for n in range(50)]


def _database_at_0005(db_url: str):
    engine = make_engine(resolve_url(db_url))
    upgrade(engine, "0005")
    with engine.begin() as conn:
        for branch_id, name, parent, level in factories.BRANCHES:
            conn.execute(text("INSERT INTO branches (branch_id, name, parent_id, level) "
                              "VALUES (:b, :n, :p, :l)"), dict(b=branch_id, n=name, p=parent, l=level))
        conn.execute(text(
            "INSERT INTO customers (customer_id, name, birthday_calendar, phone, id_number, "
            "occupation, branch_id, status) VALUES (:c, '客户', 'solar', :p, :i, 'other', 'O001', "
            "'prospect')"),
            [dict(c=f"C{n:03d}", p=PHONES[n], i=IDS[n]) for n in range(50)]
            + [dict(c="C999", p=None, i=None)])
    engine.dispose()


def _count(conn, table) -> int:
    return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_migration_moves_clear_values_aside_and_masks_them(db_url):
    _database_at_0005(db_url)
    engine = open_engine(db_url)  # → 0006: no key inside Alembic
    with engine.connect() as conn:
        row = conn.execute(select(models.Customer).where(models.Customer.customer_id == "C007")).one()
        assert (row.phone_masked, row.id_number_masked, row.phone_sealed) == (
            "139****0007", "450***********0007", None)
        assert _count(conn, models.UnsealedCustomerData.__table__) == 50
    engine.dispose()


def test_the_first_open_with_the_key_seals_everything_once(db_url, capsys):
    _database_at_0005(db_url)
    engine = open_engine(db_url)
    loaded = load_rules(None)
    assert sealing.seal_on_open(engine, loaded) == 1
    assert "sealed the phone and ID numbers of 50 customers" in capsys.readouterr().err
    assert sealing.seal_on_open(engine, loaded) == 0  # nothing waits any more
    with engine.connect() as conn:
        assert _count(conn, models.UnsealedCustomerData.__table__) == 0
        audits = conn.execute(select(models.AuditLog.detail).where(
            models.AuditLog.action == "seal_personal_data")).scalars().all()
        values = [str(v) for name in ("customers", "unsealed_customer_data", "audit_log", "db_settings")
                  for r in conn.execute(text(f"SELECT * FROM {name}")) for v in r]
    assert audits == ['{"customers": 50}']
    assert not any(p in v for v in values for p in PHONES + IDS)
    assert factories.revealed(engine, "C042") == PHONES[42]
    assert factories.revealed(engine, "C042", "id_number") == IDS[42]
    assert factories.revealed(engine, "C999") is None
    engine.dispose()
    path = sqlite_path(resolve_url(db_url))
    if path is not None:  # SQLite: the freed pages were overwritten (secure_delete)
        raw = b"".join(Path(str(path) + s).read_bytes() for s in ("", "-wal") if Path(str(path) + s).exists())
        assert not any(p.encode() in raw for p in PHONES + IDS)


def test_without_the_key_the_migrated_database_runs_on_its_masks(db_url, tmp_path, monkeypatch):
    _database_at_0005(db_url)
    monkeypatch.setenv("VIP_KEY_FILE", str(tmp_path / "absent" / "vip.key"))  # cannot be made
    engine = open_engine(db_url)
    assert sealing.seal_on_open(engine, load_rules(None)) == 0
    with engine.connect() as conn:
        assert _count(conn, models.UnsealedCustomerData.__table__) == 50
    engine.dispose()
