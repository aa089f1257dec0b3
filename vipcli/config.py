"""The rules file (SPEC §14): every number of the handbook, as validated data.

Each section mirrors a part of the spec; each default is the handbook's figure.
`load_rules` reads TOML, validates it with pydantic and remembers where every
effective value came from, for `vip config show`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from vipcli.errors import ConfigError
from vipcli.i18n import N_, _

Money = Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)]
Days = Annotated[int, Field(ge=0, le=3660)]
Ratio = Annotated[int, Field(ge=1, le=100_000)]


class _Section(BaseModel):
    # defer_build: pydantic builds a model's validator when it first validates, not when the
    # class is made, so a command without a rules file never builds one (issue 12's figure:
    # the defaults below are made with model_construct, see `default_rules`).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class TierRules(_Section):
    """§1: ADB12 lower bounds in CNY, inclusive."""

    gold: Money = Decimal("100000")
    platinum: Money = Decimal("1000000")
    diamond: Money = Decimal("5000000")

    @model_validator(mode="after")
    def _ordered(self) -> TierRules:
        if not (0 < self.gold < self.platinum < self.diamond):
            raise ValueError(_("tier bounds must satisfy 0 < gold < platinum < diamond"))
        return self


class ScreeningRules(_Section):
    """§1: a signed tier drops after this many consecutive screened months below it."""

    downgrade_after_months: Annotated[int, Field(ge=1, le=24)] = 3


class AllocationRules(_Section):
    """§2: customers per primary manager / advisor, the Gold overflow bands, rebalancing."""

    diamond_per_manager: Ratio = 30
    platinum_per_manager: Ratio = 100
    gold_per_manager: Ratio = 200
    diamond_per_advisor: Ratio = 60
    platinum_per_advisor: Ratio = 400
    lobby_band_min: Money = Decimal("200000")
    lobby_band_max: Money = Decimal("500000")
    teller_band_min: Money = Decimal("100000")
    teller_band_max: Money = Decimal("200000")
    rebalance_tolerance: Annotated[Decimal, Field(ge=0, le=1)] = Decimal("0.10")
    first_contact_days: Days = 7

    @model_validator(mode="after")
    def _bands(self) -> AllocationRules:
        if not self.lobby_band_min < self.lobby_band_max:
            raise ValueError(_("lobby_band_min must be below lobby_band_max"))
        if not self.teller_band_min < self.teller_band_max:
            raise ValueError(_("teller_band_min must be below teller_band_max"))
        return self


class ContactRules(_Section):
    """§5: cadence by tier, quarterly minimum, the weekly rule, the Gold no-visit rule."""

    diamond_calls_per_month: Annotated[int, Field(ge=1, le=31)] = 2
    platinum_calls_per_month: Annotated[int, Field(ge=1, le=31)] = 4
    call_credits: Annotated[int, Field(ge=1, le=10)] = 1
    meeting_credits: Annotated[int, Field(ge=1, le=10)] = 2
    quarterly_contact_days: Annotated[int, Field(ge=1, le=366)] = 90
    weekly_contacts_per_manager: Annotated[int, Field(ge=0, le=1000)] = 10
    gold_no_visit_days: Annotated[int, Field(ge=1, le=366)] = 7
    # §5: the morning list shows this many customers unless --all or --limit (our default).
    due_list_size: Annotated[int, Field(ge=1, le=10_000)] = 15


class EventRules(_Section):
    """§5: contact events that put a customer on the morning list."""

    birthday_lead_days: Days = 3
    anniversary_lead_days: Days = 3
    holiday_lead_days: Days = 3
    large_outflow_amount: Money = Decimal("500000")
    large_outflow_window_days: Annotated[int, Field(ge=1, le=366)] = 7
    asset_drop_ratio: Annotated[Decimal, Field(gt=0, le=1)] = Decimal("0.30")
    maturity_lead_days: Days = 7
    risk_expiry_warning_days: Days = 30
    new_product_days: Days = 30
    activity_lead_days: Days = 7  # §5 external events: an invited activity this close shows


class RiskRules(_Section):
    """§3, §13: a risk assessment is valid this many days."""

    assessment_valid_days: Annotated[int, Field(ge=1, le=3660)] = 365


class RecommendRules(_Section):
    """§8: the wealth-diagnosis interval and the referral count that makes a circle ask."""

    diagnosis_interval_days: Annotated[int, Field(ge=1, le=3660)] = 180
    circle_min_referrals: Annotated[int, Field(ge=1, le=1000)] = 1


class AuditRules(_Section):
    """§13: the audit log is kept at least this many months."""

    retention_months: Annotated[int, Field(ge=6, le=1200)] = 6


class DatabaseRules(_Section):
    """§13: how long a command waits for another's write lock before giving up (SQLite)."""

    busy_timeout_seconds: Annotated[int, Field(ge=1, le=3600)] = 30


class Rules(_Section):
    # §16: the language of the screens ("zh_CN" or "en"); --lang and VIP_LANG come first.
    lang: str = "zh_CN"
    # Each section's defaults, made without validation (they are the handbook's figures, and
    # equal the validated ones: tests/unit/test_speed_rules.py).
    tiers: TierRules = TierRules.model_construct()
    screening: ScreeningRules = ScreeningRules.model_construct()
    allocation: AllocationRules = AllocationRules.model_construct()
    contact: ContactRules = ContactRules.model_construct()
    events: EventRules = EventRules.model_construct()
    risk: RiskRules = RiskRules.model_construct()
    recommend: RecommendRules = RecommendRules.model_construct()
    audit: AuditRules = AuditRules.model_construct()
    database: DatabaseRules = DatabaseRules.model_construct()

    @model_validator(mode="after")
    def _known_language(self) -> Rules:
        from vipcli.i18n import normalise

        if normalise(self.lang) is None:
            raise ValueError(_("lang {lang!r} is not a language vip speaks (zh_CN, en)")
                             .format(lang=self.lang))
        return self


# §14: the rules whose default is a figure the handbook (or the regulator) really gives; every
# other default is our decision (docs/rules.md "Configuration").
HANDBOOK_FIGURES = frozenset({
    "tiers.gold", "tiers.platinum", "tiers.diamond",
    "screening.downgrade_after_months",
    "allocation.diamond_per_manager", "allocation.platinum_per_manager",
    "allocation.gold_per_manager", "allocation.diamond_per_advisor",
    "allocation.platinum_per_advisor", "allocation.lobby_band_min", "allocation.lobby_band_max",
    "allocation.teller_band_min", "allocation.teller_band_max", "allocation.first_contact_days",
    "contact.diamond_calls_per_month", "contact.platinum_calls_per_month",
    "contact.call_credits", "contact.meeting_credits", "contact.quarterly_contact_days",
    "contact.weekly_contacts_per_manager", "contact.gold_no_visit_days",
    "risk.assessment_valid_days", "audit.retention_months",
})


@dataclass(frozen=True)
class LoadedRules:
    rules: Rules
    path: Path | None
    overridden: frozenset[str]  # "section.key" names set by the rules file

    def effective(self) -> list[tuple[str, object, str]]:
        """Every rule as (name, value, source) for `vip config show`."""
        source = f"rules file {self.path}" if self.path else ""
        rows: list[tuple[str, object, str]] = []
        rows.append(("lang", self.rules.lang, source if "lang" in self.overridden else "default"))
        for section_name in Rules.model_fields:
            section = getattr(self.rules, section_name)
            if not isinstance(section, _Section):
                continue
            for key in type(section).model_fields:
                name = f"{section_name}.{key}"
                rows.append((name, getattr(section, key), source if name in self.overridden else "default"))
        return rows


def rules_path(explicit: str | None, data_dir: Path) -> Path | None:
    """--rules, then VIP_RULES, then rules.toml in the data directory if present."""
    chosen = explicit or os.environ.get("VIP_RULES")
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_file():
            raise ConfigError(_("rules file {path} does not exist").format(path=path))
        return path
    default = data_dir / "rules.toml"
    return default if default.is_file() else None


def default_rules() -> Rules:
    """Every rule at its default, without building pydantic's validators: what a command
    runs with when there is no rules file, equal to `Rules()` (which validates)."""
    return Rules.model_construct()


def load_rules(path: Path | None) -> LoadedRules:
    if path is None:
        return LoadedRules(default_rules(), None, frozenset())
    import tomllib  # only with a rules file (issue 12: start-up counts every morning)

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_("rules file {path} cannot be read: {problem}")
                          .format(path=path, problem=exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_("rules file {path} is not valid TOML: {problem}")
                          .format(path=path, problem=exc)) from None
    try:
        rules = Rules.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_("rules file {path}: {problems}")
                          .format(path=path, problems=describe_validation_error(exc))) from None
    overridden = frozenset(
        f"{section}.{key}"
        for section, values in data.items()
        if isinstance(values, dict)
        for key in values
    ) | ({"lang"} if "lang" in data else set())
    return LoadedRules(rules, path, overridden)


# What pydantic's usual errors say, in the language of the screens (§16); the others keep
# pydantic's own English words. The {placeholders} are the error's context.
PYDANTIC_MESSAGES = {
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "greater_than": N_("Input should be greater than {gt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "less_than": N_("Input should be less than {lt}"),
    "int_parsing": N_("Input should be a whole number"),
    "int_from_float": N_("Input should be a whole number"),
    "int_type": N_("Input should be a whole number"),
    "decimal_parsing": N_("Input should be a number"),
    "decimal_type": N_("Input should be a number"),
    "decimal_max_places": N_("Input should have no more than {decimal_places} decimal places"),
    "decimal_max_digits": N_("Input should have no more than {max_digits} digits"),
    "string_type": N_("Input should be text"),
    "bool_parsing": N_("Input should be true or false"),
    "model_type": N_("Input should be a section of settings"),
    "missing": N_("a value is required"),
}


def describe_validation_error(exc: ValidationError) -> str:
    """One readable line per pydantic error: `section.key: what was expected (got X)`."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or _("(top level)")
        message = _message(err)
        if err["type"] == "extra_forbidden":
            message = _("unknown setting")
        elif "input" in err and not isinstance(err["input"], dict):
            message = _("{message} (got {input!r})").format(message=message, input=err["input"])
        parts.append(_("{key}: {problem}").format(key=where, problem=message))
    return _("; ").join(parts)


def _message(err: ErrorDetails) -> str:
    """The error in the active language: our own validators' text, or a known pydantic type."""
    context = err.get("ctx") or {}
    if err["type"] == "value_error" and "error" in context:
        return str(context["error"])  # raised by our validators, already translated
    known = PYDANTIC_MESSAGES.get(err["type"])
    if known is None:
        return err["msg"]
    try:
        return _(known).format(**context)
    except (KeyError, IndexError):
        return err["msg"]
