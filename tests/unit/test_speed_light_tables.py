"""The light Core tables on the morning list's path (issue 12: `vip due` never loads the
ORM) name real columns: each one exists in vipcli.db.models, with the same kind of type
where SQLite needs the type to convert a value (dates, timestamps, booleans)."""

from __future__ import annotations

import pytest
from sqlalchemy import Boolean, Date, DateTime, Table, TableClause

from vipcli.db import models
from vipcli.services.contact import due_facts
from vipcli.services.core import context
from vipcli.services.lifecycle import risk
from vipcli.services.sales import recommend

LIGHT = [(module.__name__, value) for module in (context, risk, recommend, due_facts)
         for name, value in vars(module).items()
         if name.endswith("_TABLE") and isinstance(value, TableClause)]


def test_every_module_on_the_path_names_its_tables_lightly():
    assert {m for m, _t in LIGHT} == {context.__name__, risk.__name__, recommend.__name__,
                                      due_facts.__name__}
    assert not any(isinstance(t, Table) for _m, t in LIGHT)  # clauses, not metadata tables


@pytest.mark.parametrize("light", [t for _m, t in LIGHT], ids=[f"{m}.{t.name}" for m, t in LIGHT])
def test_every_light_column_is_a_model_column_of_the_same_kind(light):
    real = models.Base.metadata.tables[light.name]
    for col in light.columns:
        assert col.name in real.c, f"{light.name}.{col.name} is not in the models"
        for kind in (DateTime, Date, Boolean):  # the types that convert values on SQLite
            assert isinstance(col.type, kind) == isinstance(real.c[col.name].type, kind), (
                f"{light.name}.{col.name}: {col.type!r} vs {real.c[col.name].type!r}")
