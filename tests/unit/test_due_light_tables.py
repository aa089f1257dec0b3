"""The morning list names its tables as light Core clauses (no ORM import on its path):
every column it names exists in the models with the same kind of type."""

from __future__ import annotations

import pytest
from sqlalchemy import Date, DateTime

from vipcli.db import models
from vipcli.services.contact import due_facts

LIGHT = [value for name, value in vars(due_facts).items() if name.endswith("_TABLE")]


@pytest.mark.parametrize("light", LIGHT, ids=lambda t: t.name)
def test_every_light_column_is_a_model_column_of_the_same_kind(light):
    real = models.Base.metadata.tables[light.name]
    for col in light.columns:
        assert col.name in real.c, f"{light.name}.{col.name} is not in the models"
        for kind in (DateTime, Date):  # the types that convert values on SQLite
            assert isinstance(col.type, kind) == isinstance(real.c[col.name].type, kind), (
                f"{light.name}.{col.name}: {col.type!r} vs {real.c[col.name].type!r}")
