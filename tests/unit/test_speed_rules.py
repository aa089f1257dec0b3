"""The rules without a rules file cost no pydantic (issue 12's figure: `vip due` runs every
morning): the sections are plain frozen dataclasses whose defaults equal what pydantic's
validation of an empty file gives, and a rules file is still checked by pydantic, with the
same messages (§14)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from decimal import Decimal

import pytest

from vipcli import config
from vipcli.config import LoadedRules, Rules, load_rules, validate_rules
from vipcli.errors import ConfigError


def test_the_defaults_equal_the_validated_defaults():
    made, validated = Rules(), validate_rules({})
    assert made == validated
    for section in fields(Rules):
        a, b = getattr(made, section.name), getattr(validated, section.name)
        assert a == b and type(a) is type(b)
        if section.name not in ("lang", "identity", "key_file"):  # the top-level settings
            for key in fields(a):
                assert type(getattr(a, key.name)) is type(getattr(b, key.name)), key.name
    assert load_rules(None).rules == validated


def test_every_rule_is_listed_with_its_source():
    rows = LoadedRules(Rules(), None, frozenset()).effective()
    assert rows[0] == ("lang", "zh_CN", "default")
    assert ("tiers.gold", Decimal("100000"), "default") in rows
    assert ("contact.due_list_size", 15, "default") in rows
    assert config.HANDBOOK_FIGURES <= {name for name, _v, _s in rows}


def test_no_rules_file_imports_no_pydantic():
    probe = ("import sys\n"
             "from vipcli.config import load_rules\n"
             "assert load_rules(None).rules.contact.due_list_size == 15\n"
             "print(sorted(m for m in sys.modules if m.startswith('pydantic')))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(("toml", "message"), [
    ("surprise = 1\n", "surprise: unknown setting"),
    ("[tiers]\nsilver = 1\n", "tiers.silver: unknown setting"),
    ("tiers = 5\n", "tiers: Input should be a section of settings (got 5)"),
    ("[tiers]\ngold = -1\n", "tiers.gold: Input should be greater than or equal to 0 (got -1)"),
    ("[tiers]\ngold = 1.234\n", "tiers.gold: Input should have no more than 2 decimal places"),
    ("[tiers]\ngold = 2000000\n",
     "tiers: tier bounds must satisfy 0 < gold < platinum < diamond"),
    ("[contact]\ndue_list_size = 15.5\n", "contact.due_list_size: Input should be a whole number"),
    ("[events]\nasset_drop_ratio = 0\n",
     "events.asset_drop_ratio: Input should be greater than 0 (got 0)"),
    ("[allocation]\nlobby_band_min = 600000\n",
     "allocation: lobby_band_min must be below lobby_band_max"),
    ('lang = "fr"\n', "(top level): lang 'fr' is not a language vip speaks (zh_CN, en)"),
])
def test_a_rules_file_is_still_checked_by_pydantic(tmp_path, toml, message):
    path = tmp_path / "rules.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert message in err.value.message


def test_a_rules_file_sets_values_as_before(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text('lang = "en"\n[tiers]\ngold = "150000.50"\n[contact]\ndue_list_size = "20"\n',
                    encoding="utf-8")
    loaded = load_rules(path)
    assert loaded.rules.tiers.gold == Decimal("150000.50")
    assert loaded.rules.contact.due_list_size == 20 and loaded.rules.lang == "en"
    assert loaded.rules.tiers.platinum == Rules().tiers.platinum
    assert loaded.overridden == {"lang", "tiers.gold", "contact.due_list_size"}
