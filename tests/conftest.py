"""Shared fixtures: an isolated data directory, databases on SQLite and PostgreSQL, the CLI.

Tests that take `db_url` run on SQLite always and on PostgreSQL too when
VIP_TEST_PG_URL is set (each test gets its own schema there).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest

PG_URL = os.environ.get("VIP_TEST_PG_URL")
# The suite reads English screens unless a test asks for Chinese (§16's default is zh_CN).
# Set before any test module imports the command tree: help texts are translated when the
# command modules load, and the in-process harness keeps that tree.
os.environ["VIP_LANG"] = "en"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Every test gets its own data directory and no identity, db or rules from outside."""
    home = tmp_path / "viphome"
    monkeypatch.setenv("VIP_HOME", str(home))
    # The suite reads English screens unless a test asks for Chinese (§16 default zh_CN).
    monkeypatch.setenv("VIP_LANG", "en")
    for name in ("VIP_DB", "VIP_USER", "VIP_RULES", "VIP_TODAY", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    yield home
    # A test that ran vip in Chinese leaves that language active in this process: back to
    # English for the next test's direct service calls.
    from vipcli import i18n

    i18n.activate("en")


@pytest.fixture
def chinese(monkeypatch):
    """Simplified Chinese for one test (§16's default; the suite reads English): for the
    commands run in-process (VIP_LANG) and for direct service calls (the active language).
    The autouse fixture above puts English back afterwards."""
    from vipcli import i18n

    monkeypatch.setenv("VIP_LANG", "zh_CN")
    i18n.activate("zh_CN")
    yield


@pytest.fixture
def as_account(monkeypatch):
    """Run as the operating-system account given (§13 identity mode os: the password
    database's answer for the process's user, here replaced)."""
    from vipcli.services.core import context

    def set_account(name: str) -> None:
        monkeypatch.setattr(context, "os_account", lambda: name)

    return set_account


def _pg_schema_url(schema: str) -> str:
    from vipcli.db.engine import resolve_url

    base = resolve_url(PG_URL)
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", "postgresql"] if PG_URL else ["sqlite"])
def db_url(request, tmp_path):
    """A fresh, empty database URL (not yet migrated)."""
    if request.param == "sqlite":
        yield str(tmp_path / "vip.db")
        return
    import sqlalchemy as sa

    from vipcli.db.engine import resolve_url

    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(resolve_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def engine(db_url):
    """A migrated engine on the fresh database; disposed after the test."""
    from vipcli.db.engine import open_engine

    eng = open_engine(db_url)
    yield eng
    eng.dispose()


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        import json

        return json.loads(self.out)


@pytest.fixture
def vip(capsys, db_url):
    """Run the CLI in-process on the test database: vip("--as", "H1", "due", "--json")."""
    from vipcli.cli.app import run

    def invoke(*args: str, db: str | None = None) -> Result:
        capsys.readouterr()
        code = run(["--db", db or db_url, *args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def ctx(engine):
    """A service Context on the migrated test database with default rules."""
    from vipcli.config import load_rules
    from vipcli.services.core.context import Context

    def make(actor_id: str | None = None, rules=None) -> Context:
        loaded = load_rules(None) if rules is None else rules
        return Context(engine, loaded, actor_id)

    return make
