"""§13 `identity = "database"` on PostgreSQL: each member of staff connects as its own role,
and the staff member acting is the one whose os_user is the session user. Runs only when
VIP_TEST_PG_URL names a server (trust authentication on 127.0.0.1 for the new roles)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from tests import factories
from tests.conftest import PG_URL, _pg_schema_url
from vipcli.db import models
from vipcli.errors import ConfigError, NotFound, PermissionDenied
from vipcli.services.core.context import load_actor

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs VIP_TEST_PG_URL (PostgreSQL)")


@pytest.fixture
def outlet_db():
    """A migrated schema with the standard organisation, and two login roles with access to it;
    yields (schema URL, connect-as-role function)."""
    from vipcli.db.engine import open_engine, resolve_url

    suffix = uuid.uuid4().hex[:10]
    schema, roles = f"t_{suffix}", [f"vip_head_{suffix}", f"vip_stranger_{suffix}"]
    admin = sa.create_engine(resolve_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        for role in roles:
            conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
    url = _pg_schema_url(schema)
    engine = open_engine(url)
    factories.org(engine)
    with engine.begin() as conn:
        conn.execute(sa.update(models.Staff).where(models.Staff.staff_id == "H1")
                     .values(os_user=roles[0]))
        for role in roles:
            conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
            conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA {schema} TO {role}")
            conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}")
    engine.dispose()
    opened: list[sa.Engine] = []

    def connect_as(role: str) -> sa.Engine:
        as_role = sa.make_url(url).set(username=role).render_as_string(hide_password=False)
        made = sa.create_engine(as_role)
        opened.append(made)
        return made

    try:
        yield roles, connect_as
    finally:
        for made in opened:
            made.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            for role in roles:
                conn.exec_driver_sql(f"DROP OWNED BY {role}")
                conn.exec_driver_sql(f"DROP ROLE {role}")
        admin.dispose()


def test_the_session_user_is_the_acting_staff_member(outlet_db):
    (head, _stranger), connect_as = outlet_db
    engine = connect_as(head)
    assert load_actor(engine, None, configured="database").staff_id == "H1"
    assert load_actor(engine, "H1", configured="database").staff_id == "H1"


def test_a_role_may_not_act_as_another_member_of_staff(outlet_db):
    (head, _stranger), connect_as = outlet_db
    with pytest.raises(PermissionDenied) as refused:
        load_actor(connect_as(head), "M1", configured="database")
    assert str(refused.value) == (f"the database user {head} is staff member 王主任 H1; it may not "
                                  "act as M1")


def test_a_role_mapped_to_nobody_is_refused(outlet_db):
    (_head, stranger), connect_as = outlet_db
    with pytest.raises(NotFound, match=f"database user {stranger} is not mapped"):
        load_actor(connect_as(stranger), "H1", configured="database")


def test_a_database_set_to_database_mode_refuses_a_looser_rules_file(outlet_db):
    (head, _stranger), connect_as = outlet_db
    engine = connect_as(head)
    with engine.begin() as conn:
        conn.execute(sa.insert(models.DbSetting).values(key="identity_mode", value="database"))
    assert load_actor(engine, None).staff_id == "H1"  # no rules file: the database's mode
    with pytest.raises(ConfigError, match="may not loosen"):
        load_actor(engine, "M1", configured="os")
