"""§13 identity modes on both engines: who acts is bound to the operating-system account
(mode os) once the staff file maps accounts; declared databases and the demo are unaffected;
a rules file may bind more strongly but never loosen what the database asks for."""

from __future__ import annotations

import pwd

import pytest
from sqlalchemy import insert

from tests import factories
from vipcli.config import LoadedRules, Rules
from vipcli.db import models
from vipcli.errors import ConfigError, IdentityRequired, NotFound, PermissionDenied
from vipcli.services.core import context as identity


@pytest.fixture
def org(engine):
    factories.org(engine)
    return engine


def rules(mode: str | None) -> LoadedRules:
    return LoadedRules(Rules(identity=mode), None, frozenset({"identity"}))


def test_without_any_os_user_the_declared_identity_acts(org, ctx, as_account):
    as_account("alice")
    assert ctx("H1").actor().staff_id == "H1"
    with pytest.raises(IdentityRequired):
        ctx(None).actor()


def test_one_os_user_switches_the_database_to_os_mode(org, ctx, as_account):
    factories.map_accounts(org, M1="alice")
    as_account("alice")
    assert ctx("M1").actor().staff_id == "M1"
    assert ctx(None).actor().staff_id == "M1"  # --as may be left out: the mapped one acts


def test_os_mode_refuses_to_act_as_anyone_else(org, ctx, as_account):
    factories.map_accounts(org, M1="alice", H1="bob")
    as_account("alice")
    with pytest.raises(PermissionDenied) as refused:
        ctx("H1").actor()
    assert str(refused.value) == ("the operating-system account alice is staff member 李經理 M1; "
                                  "it may not act as H1")


def test_os_mode_refusal_in_chinese(org, ctx, as_account, chinese):
    factories.map_accounts(org, M1="alice")
    as_account("alice")
    with pytest.raises(PermissionDenied) as refused:
        ctx("H1").actor()
    assert str(refused.value) == "当前系统账号 alice 对应员工 李經理 M1，不能以 H1 身份操作"


def test_an_account_mapped_to_nobody_is_refused(org, ctx, as_account):
    factories.map_accounts(org, M1="alice")
    as_account("mallory")
    with pytest.raises(NotFound, match="account mallory is not mapped to any member of staff"):
        ctx("M1").actor()
    with pytest.raises(NotFound, match="mallory"):
        ctx(None).actor()


def test_a_mapped_but_inactive_member_of_staff_is_refused(org, ctx, as_account):
    factories.map_accounts(org, MX="carol")
    as_account("carol")
    with pytest.raises(PermissionDenied, match="MX is inactive"):
        ctx(None).actor()


def test_a_rules_file_binds_a_declared_database(org, ctx, as_account):
    as_account("alice")  # no staff member has an os_user: os mode knows nobody
    with pytest.raises(NotFound, match="alice is not mapped"):
        ctx("H1", rules("os")).actor()


def test_a_rules_file_may_not_loosen_a_bound_database(org, ctx, as_account):
    factories.map_accounts(org, M1="alice")
    as_account("alice")
    with pytest.raises(ConfigError, match="may not loosen"):
        ctx("H1", rules("declared")).actor()


def test_a_database_marked_declared_stays_declared_with_os_users(org, ctx, as_account):
    """The quickstart demo: its db_settings say declared, whatever its staff file holds."""
    with org.begin() as conn:
        conn.execute(insert(models.DbSetting).values(key="identity_mode", value="declared"))
    factories.map_accounts(org, M1="alice")
    as_account("alice")
    assert ctx("H1").actor().staff_id == "H1"


def test_a_forced_mode_consults_neither_rules_nor_database(org, ctx, as_account):
    factories.map_accounts(org, M1="alice")
    as_account("alice")
    made = ctx("H1", rules("os"))
    made.identity = "declared"
    assert made.actor().staff_id == "H1"


def test_environment_variables_do_not_change_the_os_account(monkeypatch):
    real = pwd.getpwuid(__import__("os").geteuid()).pw_name
    monkeypatch.setenv("USER", "someone_else")
    monkeypatch.setenv("LOGNAME", "someone_else")
    monkeypatch.setenv("LNAME", "someone_else")
    monkeypatch.setenv("USERNAME", "someone_else")
    assert identity.os_account() == real


def test_database_mode_is_refused_on_sqlite(tmp_path):
    from vipcli.db.engine import open_engine

    engine = open_engine(str(tmp_path / "v.db"))
    try:
        factories.org(engine)
        with pytest.raises(ConfigError, match="this database is SQLite"):
            identity.load_actor(engine, "H1", configured="database")
    finally:
        engine.dispose()
