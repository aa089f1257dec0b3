"""The light Core tables (vipcli.db.light) that the morning list's path reads instead of the
ORM (issue 12: `vip due` never loads it) name real columns: each one exists in
vipcli.db.models, with the same kind of type where SQLite needs the type to convert a value
(dates, timestamps, booleans)."""

from __future__ import annotations

import pytest
from sqlalchemy import Boolean, Date, DateTime, Table, TableClause

from vipcli.db import light, models

LIGHT = [value for name, value in vars(light).items()
         if name.endswith("_TABLE") and isinstance(value, TableClause)]


def test_the_light_tables_are_clauses_not_metadata_tables():
    assert LIGHT and not any(isinstance(t, Table) for t in LIGHT)


@pytest.mark.parametrize("light_table", LIGHT, ids=[t.name for t in LIGHT])
def test_every_light_column_is_a_model_column_of_the_same_kind(light_table):
    real = models.Base.metadata.tables[light_table.name]
    for col in light_table.columns:
        assert col.name in real.c, f"{light_table.name}.{col.name} is not in the models"
        for kind in (DateTime, Date, Boolean):  # the types that convert values on SQLite
            assert isinstance(col.type, kind) == isinstance(real.c[col.name].type, kind), (
                f"{light_table.name}.{col.name}: {col.type!r} vs {real.c[col.name].type!r}")
