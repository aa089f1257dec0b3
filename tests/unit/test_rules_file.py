"""The rules file (SPEC §14): handbook defaults, validation naming the key, sources."""

from __future__ import annotations

from decimal import Decimal

import pytest

from vipcli.config import load_rules, rules_path
from vipcli.errors import ConfigError


def write(tmp_path, text: str):
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_handbooks_figures():
    rules = load_rules(None).rules
    assert rules.tiers.gold == Decimal("100000")
    assert rules.tiers.platinum == Decimal("1000000")
    assert rules.tiers.diamond == Decimal("5000000")
    assert rules.screening.downgrade_after_months == 3
    assert (rules.allocation.diamond_per_manager, rules.allocation.platinum_per_manager,
            rules.allocation.gold_per_manager) == (30, 100, 200)
    assert (rules.allocation.diamond_per_advisor, rules.allocation.platinum_per_advisor) == (60, 400)
    assert rules.allocation.first_contact_days == 7
    assert rules.contact.quarterly_contact_days == 90
    assert rules.contact.weekly_contacts_per_manager == 10
    assert rules.contact.meeting_credits == 2
    assert rules.events.birthday_lead_days == 3
    assert rules.events.large_outflow_amount == Decimal("500000")
    assert rules.events.asset_drop_ratio == Decimal("0.30")
    assert rules.events.maturity_lead_days == 7
    assert rules.risk.assessment_valid_days == 365


def test_a_rules_file_overrides_and_says_where_values_came_from(tmp_path):
    path = write(tmp_path, "[screening]\ndowngrade_after_months = 4\n")
    loaded = load_rules(path)
    assert loaded.rules.screening.downgrade_after_months == 4
    sources = {name: source for name, _value, source in loaded.effective()}
    assert sources["screening.downgrade_after_months"] == f"rules file {path}"
    assert sources["tiers.gold"] == "default"


def test_an_out_of_range_value_names_the_key_and_the_range(tmp_path):
    path = write(tmp_path, "[contact]\nweekly_contacts_per_manager = -1\n")
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert "contact.weekly_contacts_per_manager" in err.value.message
    assert "greater than or equal to 0" in err.value.message
    assert "-1" in err.value.message


def test_an_unknown_key_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"tiers\.silver: unknown setting"):
        load_rules(write(tmp_path, "[tiers]\nsilver = 1\n"))


def test_tier_bounds_must_be_ordered(tmp_path):
    with pytest.raises(ConfigError, match="gold < platinum < diamond"):
        load_rules(write(tmp_path, "[tiers]\ngold = 2000000\n"))


def test_invalid_toml_is_one_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_rules(write(tmp_path, "[tiers\n"))


def test_rules_path_prefers_the_explicit_file_then_env(tmp_path, monkeypatch):
    explicit = write(tmp_path, "")
    monkeypatch.setenv("VIP_RULES", str(tmp_path / "missing.toml"))
    assert rules_path(str(explicit), tmp_path) == explicit
    with pytest.raises(ConfigError, match="does not exist"):
        rules_path(None, tmp_path)
