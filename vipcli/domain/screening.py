"""Screening and lifecycle rules (SPEC §1, §3) on plain values.

The screening service runs these rules as set-based SQL; the functions here are
the readable statement of the same rules, and the tests hold the SQL to them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vipcli.domain import labels
from vipcli.domain.address import surname
from vipcli.domain.tiers import shift_month
from vipcli.domain.vocabulary import CLOSED_STATUSES, tier_rank
from vipcli.i18n import N_, _


def default_month(today: dt.date) -> str:
    """§1: the last complete month before today."""
    return shift_month(f"{today.year:04d}-{today.month:02d}", -1)


def is_below(qualified: str | None, signed: str | None) -> bool:
    """A signed customer whose qualified tier is lower than the card it holds."""
    return signed is not None and tier_rank(qualified) < tier_rank(signed)


def months_below(previous: int, qualified: str | None, signed: str | None) -> int:
    """§1: consecutive screened months below the signed tier; a month at or above resets it."""
    return previous + 1 if is_below(qualified, signed) else 0


@dataclass(frozen=True)
class MonthOutcome:
    """One customer's screening of one month."""

    months_below: int  # stored on the month's result (the count that led to any downgrade)
    signed_after: str | None  # the signed tier after this month
    carried_below: int  # the count carried to the next month (0 after a downgrade)
    warning: bool
    downgraded: bool


def screen_month(
    previous_below: int, qualified: str | None, signed: str | None, downgrade_after: int
) -> MonthOutcome:
    """§1: first month below warns; `downgrade_after` consecutive months below lowers the
    signed tier to the qualified one, and the count restarts against the new tier."""
    count = months_below(previous_below, qualified, signed)
    downgraded = count >= downgrade_after
    return MonthOutcome(
        months_below=count,
        signed_after=qualified if downgraded else signed,
        carried_below=0 if downgraded else count,
        warning=count == 1 and not downgraded,
        downgraded=downgraded,
    )


def status_after(status: str, qualified: str | None, signed: str | None) -> str:
    """§3 lifecycle after a screening: declined and lost stay; a card holder is signed;
    a qualified customer without a card is a potential VIP; anyone else a prospect."""
    if status in CLOSED_STATUSES:
        return status
    if signed is not None:
        return "signed"
    return "potential" if qualified is not None else "prospect"


# §3 special admission: who decides a request for each tier (the text names them, with the
# outlet and the people who hold the role; translated where shown).
APPROVER = {
    "gold": ("branch_head", 3, N_("the branch head of {outlet}: {people}")),
    "platinum": ("approver_l2", 2, N_("a second-level branch approver above {outlet}: {people}")),
    "diamond": ("approver_l1", 1, N_("a first-level branch approver above {outlet}: {people}")),
}


def approver_for(tier: str) -> tuple[str, int, str]:
    """(role, branch level the approver sits at, how to name them) for a requested tier."""
    return APPROVER[tier]


def salutation(name: str, gender: str | None) -> str:
    """The letter's salutation: surname + 先生 / 女士 as the lobby says it (§9), "Mr / Ms
    surname" in English; without a known gender the full name + 贵宾 rather than the surname
    alone (never a guess from the name)."""
    honorific = (gender or "").upper()
    if honorific == "M":
        return _("Mr {surname}").format(surname=surname(name))
    if honorific == "F":
        return _("Ms {surname}").format(surname=surname(name))
    return _("valued customer {name}").format(name=name)


def letter_date(day: dt.date) -> str:
    """2026年11月27日, or 2026-11-27 in English."""
    return _("{year}-{month:02d}-{day:02d}").format(year=day.year, month=day.month, day=day.day)


def welcome_letter(
    *,
    customer_name: str,
    gender: str | None,
    tier: str,
    manager_name: str | None,
    outlet_name: str,
    on: dt.date,
) -> str:
    """§3: the short welcome letter (欢迎信) the teller hands over with the VIP card, in the
    language of the screens (§16: Simplified Chinese for a mainland customer)."""
    label = labels.tier(tier)
    if manager_name:
        care = _("Your dedicated account manager {manager} will serve you one to one.").format(
            manager=manager_name)
    else:
        care = _("Whenever you need anything, you are welcome at {outlet}.").format(
            outlet=outlet_name)
    return "\n".join(
        [
            _("Welcome letter"),
            "",
            _("Dear {salutation},").format(salutation=salutation(customer_name, gender)),
            "",
            _("Thank you for your trust and support. From {date} you are a {tier} VIP customer "
              "of our bank, with the priority services reserved for {tier} customers. {care}")
            .format(date=letter_date(on), tier=label, care=care),
            "",
            _("{outlet}, with our best regards").format(outlet=outlet_name),
            letter_date(on),
        ]
    )
