"""Screening and lifecycle rules (SPEC §1, §3) on plain values.

The screening service runs these rules as set-based SQL; the functions here are
the readable statement of the same rules, and the tests hold the SQL to them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vipcli.domain.tiers import shift_month
from vipcli.domain.vocabulary import TIER_LABELS, tier_rank

# Statuses a screening never changes: the customer said no, or left (§3).
FINAL_STATUSES = ("declined", "lost")

COMPOUND_SURNAMES = (
    "歐陽", "欧阳", "司馬", "司马", "諸葛", "诸葛", "上官", "東方", "东方", "皇甫",
    "尉遲", "尉迟", "公孫", "公孙", "令狐", "慕容", "夏侯", "長孫", "长孙", "宇文",
    "司徒", "端木", "澹臺", "澹台", "軒轅", "轩辕", "呼延", "聞人", "闻人", "南宮", "南宫",
)


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
    if status in FINAL_STATUSES:
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


def surname(name: str) -> str:
    """The family name; compound surnames (歐陽, 司馬 …) kept whole."""
    for compound in COMPOUND_SURNAMES:
        if name.startswith(compound) and len(name) > len(compound):
            return compound
    return name[:1]


def address_as(name: str, gender: str | None) -> str:
    """Surname + 先生 / 女士 (§9); without a known gender, the full name + 貴賓."""
    if gender == "M":
        return surname(name) + "先生"
    if gender == "F":
        return surname(name) + "女士"
    return name + "貴賓"


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
            f"尊敬的{address_as(customer_name, gender)}：",
            "",
            f"衷心感謝您對我行的信任與支持！自{chinese_date(on)}起，您正式成為我行"
            f"{label}貴賓客戶，將享有{label}客戶專屬的優先服務。{care}",
            "",
            f"{outlet_name} 敬上",
            chinese_date(on),
        ]
    )
