"""The migrated schema equals the models, on SQLite and PostgreSQL; versions are refused."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from vipcli.db.engine import open_engine, stored_revision
from vipcli.db.migrate import script_head
from vipcli.db.models import Base
from vipcli.db.schema import HEAD, REVISIONS
from vipcli.errors import DatabaseTooNew


def test_known_head_matches_the_migration_scripts():
    assert script_head() == HEAD
    assert REVISIONS[-1] == HEAD


def test_upgraded_empty_database_equals_the_models(engine):
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diff == []
    assert stored_revision(engine) == HEAD


def test_a_database_newer_than_the_code_is_refused(engine, db_url):
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(DatabaseTooNew, match="newer than this vip"):
        open_engine(db_url)


def test_sqlite_file_is_created_owner_only(tmp_path):
    path = tmp_path / "new.db"
    engine = open_engine(str(path))
    engine.dispose()
    assert path.stat().st_mode & 0o777 == 0o600


def test_sqlite_pragmas(tmp_path):
    engine = open_engine(str(tmp_path / "p.db"))
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    engine.dispose()


def test_a_database_in_a_missing_directory_is_refused_not_created(tmp_path):
    from vipcli.errors import PreconditionFailed

    with pytest.raises(PreconditionFailed, match="does not exist"):
        open_engine(str(tmp_path / "typo" / "vip.db"))
    assert not (tmp_path / "typo").exists()


def test_the_data_directory_is_created_owner_only_on_first_use(tmp_path, monkeypatch):
    home = tmp_path / "home" / "vip"
    monkeypatch.setenv("VIP_HOME", str(home))
    open_engine(str(home / "vip.db")).dispose()
    assert home.stat().st_mode & 0o777 == 0o700


def test_0002_moves_the_figures_off_the_customers_and_back(db_url):
    """0001 → 0002 keeps what the customers carried (ADB12 and month in the results,
    the count in downgrade_counts); a downgrade to 0001 puts them back."""
    from alembic import command

    from vipcli.db import migrate
    from vipcli.db.engine import make_engine, resolve_url

    engine = make_engine(resolve_url(db_url))
    try:
        migrate.upgrade(engine, "0001")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO branches VALUES ('O1', 'x', NULL, 3)"))
            conn.execute(text(
                "INSERT INTO customers (customer_id, name, birthday_calendar, occupation, "
                "branch_id, status, signed_tier, months_below_signed, adb12_fen, screened_month) "
                "VALUES ('C1', 'n', 'solar', 'other', 'O1', 'signed', 'gold', 2, 900, '2026-10')"))
            conn.execute(text("INSERT INTO screening_results VALUES "
                              "('2026-10', 'C1', 900, NULL, 'gold', 2)"))
            conn.execute(text("INSERT INTO screening_runs (month, scope, run_at, screened) "
                              "VALUES ('2026-10', 'all', '2026-11-01 06:00:00', 1)"))
        migrate.upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT * FROM downgrade_counts")).all() == [("C1", 2)]
            assert conn.execute(text("SELECT customer_id, adb12_fen FROM screening_results")).all() \
                == [("C1", 900)]
            with pytest.raises(Exception, match="adb12_fen"):
                conn.execute(text("SELECT adb12_fen FROM customers"))
        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0001")
        with engine.connect() as conn:
            assert conn.execute(text(
                "SELECT adb12_fen, screened_month, months_below_signed FROM customers")).all() \
                == [(900, "2026-10", 2)]
    finally:
        engine.dispose()


def test_0003_adds_the_pending_role_grants_and_takes_them_away(db_url):
    """0002 → 0003 adds role_grants (§13 maker-checker) beside the staff it refers to; a
    downgrade drops it and keeps the staff."""
    from alembic import command
    from sqlalchemy import inspect

    from vipcli.db import migrate
    from vipcli.db.engine import make_engine, resolve_url

    engine = make_engine(resolve_url(db_url))
    try:
        migrate.upgrade(engine, "0002")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO branches VALUES ('B1', 'x', NULL, 1)"))
            conn.execute(text("INSERT INTO staff VALUES ('S1', 'n', 'teller', 'B1', 1, true)"))
            conn.execute(text("INSERT INTO staff VALUES ('OP1', 'o', 'operator', 'B1', 1, true)"))
        assert "role_grants" not in inspect(engine).get_table_names()
        migrate.upgrade(engine, "0003")
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO role_grants (staff_id, role, source, requested_by, requested_at, status) "
                "VALUES ('S1', 'operator', 's.csv', 'OP1', '2026-11-27 09:00:00', 'pending')"))
            with pytest.raises(Exception, match="(?i)foreign key"):
                with conn.begin_nested():
                    conn.execute(text(
                        "INSERT INTO role_grants (staff_id, role, source, requested_by, requested_at, "
                        "status) VALUES ('NOBODY', 'operator', 's.csv', 'OP1', '2026-11-27', 'pending')"))
        with engine.begin() as conn:
            command.downgrade(migrate.alembic_config(conn), "0002")
        assert "role_grants" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM staff")).scalar_one() == 2
    finally:
        engine.dispose()
