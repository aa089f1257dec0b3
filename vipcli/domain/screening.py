"""Screening and lifecycle rules (SPEC §1, §3) on plain values.

The screening service runs these rules as set-based SQL; the functions here are
the readable statement of the same rules, and the tests hold the SQL to them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vipcli.domain.address import HONORIFIC, NEUTRAL_HONORIFIC, address_as
from vipcli.domain.tiers import shift_month
from vipcli.domain.vocabulary import CLOSED_STATUSES, TIER_LABELS, tier_rank


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


# §3 special admission: who decides a request for each tier.
APPROVER = {
    "gold": ("branch_head", 3, "the branch head of"),
    "platinum": ("approver_l2", 2, "a second-level branch approver above"),
    "diamond": ("approver_l1", 1, "a first-level branch approver above"),
}


def approver_for(tier: str) -> tuple[str, int, str]:
    """(role, branch level the approver sits at, how to name them) for a requested tier."""
    return APPROVER[tier]


def salutation(name: str, gender: str | None) -> str:
    """The letter's salutation: surname + 先生 / 女士 as the lobby says it (§9); without a
    known gender a letter uses the full name + 貴賓 rather than the surname alone."""
    if (gender or "").upper() in HONORIFIC:
        return address_as(name, gender)
    return name + NEUTRAL_HONORIFIC


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def welcome_letter(
    *,
    customer_name: str,
    gender: str | None,
    tier: str,
    manager_name: str | None,
    outlet_name: str,
    on: dt.date,
) -> str:
    """§3: the short welcome letter (歡迎信) the teller hands over with the VIP card."""
    label = TIER_LABELS[tier]
    if manager_name:
        care = f"您的專屬客戶經理{manager_name}將竭誠為您提供一對一的服務。"
    else:
        care = f"如有任何需要，歡迎隨時蒞臨{outlet_name}。"
    return "\n".join(
        [
            "歡迎信",
            "",
            f"尊敬的{salutation(customer_name, gender)}：",
            "",
            f"衷心感謝您對我行的信任與支持！自{chinese_date(on)}起，您正式成為我行"
            f"{label}貴賓客戶，將享有{label}客戶專屬的優先服務。{care}",
            "",
            f"{outlet_name} 敬上",
            chinese_date(on),
        ]
    )
