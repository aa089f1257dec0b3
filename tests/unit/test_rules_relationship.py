"""§18's rules: complaint deadlines, the loss-risk share, model allocations, privileges."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.unit.test_rules_file import write
from vipcli.config import DIAGNOSIS_CATEGORIES, HANDBOOK_FIGURES, load_rules
from vipcli.errors import ConfigError


def test_defaults():
    rules = load_rules(None).rules
    assert (rules.relationship.complaint_ack_days, rules.relationship.complaint_resolve_days) == (1, 5)
    assert rules.relationship.loss_risk_ratio == Decimal("0.5")
    assert (rules.relationship.appointment_clash_minutes, rules.relationship.special_period_care_days,
            rules.relationship.lost_notice_days, rules.relationship.disclosure_from_rating) == (
        60, 7, 7, 3)
    for level in range(1, 6):
        shares = rules.diagnosis.model(level).shares()
        assert tuple(shares) == DIAGNOSIS_CATEGORIES and sum(shares.values()) == 1
    # more risk, more funds; less risk, more deposits
    funds = [rules.diagnosis.model(level).fund for level in range(1, 6)]
    deposits = [rules.diagnosis.model(level).deposit for level in range(1, 6)]
    assert funds == sorted(funds) and deposits == sorted(deposits, reverse=True)
    assert rules.privileges.of("diamond")[0] == "Served before every other customer"
    assert rules.privileges.of(None) == [] and len(rules.privileges.of("gold")) == 3


def test_a_model_allocation_from_the_rules_file_and_its_origin(tmp_path):
    path = write(tmp_path, "[diagnosis.balanced]\ndeposit = 0.4\nwealth = 0.3\nfund = 0.3\n")
    loaded = load_rules(path)
    assert loaded.rules.diagnosis.model(3).shares()["deposit"] == Decimal("0.4")
    assert loaded.rules.diagnosis.model(3).insurance == 0
    sources = {name: source for name, _value, source in loaded.effective()}
    assert sources["diagnosis.balanced.deposit"].startswith("rules file")
    assert sources["diagnosis.balanced.insurance"].startswith("rules file")  # the table is given whole
    assert sources["diagnosis.growth.deposit"] == "default"


def test_shares_must_add_up_to_one(tmp_path):
    with pytest.raises(ConfigError, match=r"diagnosis\.balanced.*add up to 1 \(they add up to 0\.9\)"):
        load_rules(write(tmp_path, "[diagnosis.balanced]\ndeposit = 0.6\nwealth = 0.3\n"))


def test_an_unknown_category_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"diagnosis\.balanced\.stocks: unknown setting"):
        load_rules(write(tmp_path, "[diagnosis.balanced]\ndeposit = 1\nstocks = 0\n"))


def test_privileges_from_the_rules_file_are_shown_as_written(tmp_path):
    loaded = load_rules(write(tmp_path, '[privileges]\ngold = ["免收跨行转账手续费"]\n'))
    assert loaded.rules.privileges.of("gold") == ["免收跨行转账手续费"]
    assert "privileges.gold" in HANDBOOK_FIGURES  # the defaults are the handbook's service standards


def test_complaint_days_bounds(tmp_path):
    with pytest.raises(ConfigError, match="relationship.complaint_resolve_days"):
        load_rules(write(tmp_path, "[relationship]\ncomplaint_resolve_days = 0\n"))
