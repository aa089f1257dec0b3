"""The contact rules of the morning list (SPEC §5) on plain values.

Every rule answers "when is this customer due, and why" as a `Reason`; the service
gathers the facts, this module decides. Decisions where the spec is silent are in
docs/rules.md "The morning list" and repeated in one-line comments here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from vipcli.config import Rules
from vipcli.domain import labels
from vipcli.domain.money import yuan_to_fen
from vipcli.domain.vocabulary import tier_rank
from vipcli.i18n import N_, _

CALL, MEETING, SMS = "phone", "meeting", "sms"
# §5, §17: an overdue loan is a retention alert like money leaving or assets falling;
# §18: so is the risk of loss (assets below half the card's floor).
RETENTION_KINDS = ("large_outflow", "asset_drop", "downgrade_risk", "loan_overdue", "loss_risk")
# §17: the product information events, for which a message is the suggested channel.
SMS_KINDS = ("nav_move", "dividend", "yield_change", "new_product")
PRIORITIES = ("retention", "overdue", "upcoming")
DEFAULT_CONTENT = N_("regular care")  # §4: no orientation on file yet
# §5: the reasons a phone call or a meeting answers (a message does not count toward the
# cadence; the Gold rule and a first contact ask for a call).
CALL_KINDS = ("cadence", "gold_no_visit", "first_contact")


@dataclass(frozen=True)
class Reason:
    kind: str
    detail: str
    due_date: dt.date
    overdue_days: int  # 0 when due today or upcoming (due_date in the future)
    # §5: the day the event arose; a contact logged on or after it settles the item.
    # None: a standing rule (cadence, quarterly …) that the last contact already moves.
    trigger: dt.date | None = None
    # §17: what to tell the customer, naming the product and the figure ("基金宝 净值较成本
    # +23.4%，建议止盈"); None: the orientation's maintenance content (§4).
    content: str | None = None


def reason(kind: str, detail: str, due: dt.date, as_of: dt.date,
           trigger: dt.date | None = None, content: str | None = None) -> Reason:
    return Reason(kind, detail, due, max(0, (as_of - due).days), trigger, content)


def settled(trigger: dt.date, last_contact: dt.date | None) -> bool:
    """§5: any contact logged after an item's trigger settles it. Contacts and most
    triggers (a transaction, an extract month, a birthday window) carry only a day, so a
    contact on the trigger's own day counts: the list is read in the morning and acted
    on that day, and a call at 15:00 must not bring the alert back the next morning."""
    return last_contact is not None and last_contact >= trigger


def cadence_tier(signed_tier: str | None, qualified_tier: str | None) -> str | None:
    """§5: the higher of the card tier and the tier qualified for at the latest screening
    (根据客户价值分类，确定维护频率); a potential VIP has only the qualified one."""
    return max(signed_tier, qualified_tier, key=tier_rank) if signed_tier or qualified_tier else None


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# --- cadence and the minimum contact rules ------------------------------------------


def calls_per_month(tier: str | None, rules: Rules) -> int | None:
    """§5: Diamond 2, Platinum 4 calls a month; Gold and none have no monthly cadence."""
    return {
        "diamond": rules.contact.diamond_calls_per_month,
        "platinum": rules.contact.platinum_calls_per_month,
    }.get(tier or "")


def interval_days(per_month: int) -> int:
    """§5: interval = 30 / calls-per-month, in whole days (Diamond 15, Platinum 7)."""
    return 30 // per_month


def credits(channel: str, rules: Rules) -> int:
    """§5: a meeting counts as 2 calls, a call as 1; messages count 0 for the cadence."""
    return {CALL: rules.contact.call_credits, MEETING: rules.contact.meeting_credits}.get(
        channel, 0
    )


def last_call_or_meeting(
    last_call: dt.date | None, last_meeting: dt.date | None
) -> tuple[dt.date, str] | None:
    """The latest call or meeting; on the same day the meeting (more credits) wins."""
    if last_meeting and (last_call is None or last_meeting >= last_call):
        return last_meeting, MEETING
    return (last_call, CALL) if last_call else None


def cadence_due(
    tier: str | None,
    last: tuple[dt.date, str] | None,
    start: dt.date,
    rules: Rules,
) -> dt.date | None:
    """Next cadence date: last call/meeting + interval × credits; never contacted → start."""
    per_month = calls_per_month(tier, rules)
    if per_month is None:
        return None
    if last is None:
        return start
    when, channel = last
    return when + days(interval_days(per_month) * credits(channel, rules))


def quarterly_due(last_any: dt.date | None, assigned_on: dt.date | None, as_of: dt.date,
                  rules: Rules) -> dt.date:
    """§5: due once the last contact of any kind is quarterly_contact_days old.
    Never contacted: the quarter runs from the assignment; without one, due today."""
    if last_any is not None:
        return last_any + days(rules.contact.quarterly_contact_days)
    if assigned_on is not None:
        return assigned_on + days(rules.contact.quarterly_contact_days)
    return as_of


def gold_no_visit_due(last_business: dt.date | None, last_call: dt.date | None,
                      rules: Rules, tier_since: dt.date | None = None) -> dt.date | None:
    """§5: a Gold customer without business at the outlet for gold_no_visit_days gets a
    phone follow-up, once per absence (a call or meeting on/after the due day settles it).
    No business on record at all → counted from the day its card was signed (`tier_since`,
    a signed customer only); neither → nothing to count from."""
    since = last_business or tier_since
    if since is None:
        return None
    due = since + days(rules.contact.gold_no_visit_days)
    if last_call is not None and last_call >= due:
        return None
    return due


def first_contact_due(assigned_on: dt.date | None, contacted_since: bool,
                      rules: Rules) -> dt.date | None:
    """§2: the new manager's first contact within first_contact_days of the assignment."""
    if assigned_on is None or contacted_since:
        return None
    return assigned_on + days(rules.allocation.first_contact_days)


# --- behaviour events ----------------------------------------------------------------


def is_large_outflow(amount_fen: int, rules: Rules) -> bool:
    """§5: one transaction of at least large_outflow_amount going out (amount ≤ −X)."""
    return amount_fen <= large_outflow_fen(rules)


def large_outflow_fen(rules: Rules) -> int:
    """§5: the (negative) amount in fen at or below which a transaction is a large outflow."""
    return -yuan_to_fen(rules.events.large_outflow_amount)


def outflow_window_start(as_of: dt.date, rules: Rules) -> dt.date:
    """§5 'in the last 7 days': as_of and the 6 days before it."""
    return as_of - days(rules.events.large_outflow_window_days - 1)


def asset_drop(previous_fen: int | None, last_fen: int | None, rules: Rules) -> Decimal | None:
    """§5: month-over-month drop of the monthly average ≥ asset_drop_ratio, else None."""
    if not previous_fen or previous_fen <= 0:
        return None
    drop = Decimal(previous_fen - (last_fen or 0)) / Decimal(previous_fen)
    return drop if drop >= rules.events.asset_drop_ratio else None


def risk_assessment_due(valid_until: dt.date | None, signed: bool, as_of: dt.date,
                        rules: Rules) -> dt.date | None:
    """§3: expired, or expiring within risk_expiry_warning_days; none on file for a
    signed customer is due today."""
    if valid_until is None:
        return as_of if signed else None
    if valid_until <= as_of + days(rules.events.risk_expiry_warning_days):
        return valid_until
    return None


# --- ordering and content ------------------------------------------------------------


def priority(reasons: list[Reason], as_of: dt.date) -> str:
    """§5's three ranks. Decided in issue 16 (§18 is silent): a complaint past its deadline
    ranks with the retention alerts — an unanswered complaint is how customers are lost
    (抱怨投诉，悉心处理显真诚) — whatever the customer's tier."""
    if any(r.kind in RETENTION_KINDS or (r.kind == "complaint" and r.due_date < as_of)
           for r in reasons):
        return "retention"
    if any(r.due_date <= as_of for r in reasons):
        return "overdue"
    return "upcoming"


def sort_key(
    prio: str, tier: str | None, reasons: list[Reason], customer_id: str
) -> tuple[int, dt.date | int, int, dt.date | int, str]:
    """§5: retention alerts, then overdue by tier (Diamond first) and days overdue, then
    upcoming by date; the customer id breaks ties so the order is stable."""
    most_overdue = max(r.overdue_days for r in reasons)
    earliest = min(r.due_date for r in reasons)
    if prio == "upcoming":
        return (2, earliest, -tier_rank(tier), 0, customer_id)
    return (PRIORITIES.index(prio), -tier_rank(tier), -most_overdue, earliest, customer_id)


def suggested_content(orientation: str | None, reasons: Sequence[Reason] = ()) -> str:
    """§17: the most urgent reason that names a product and a figure says what to tell the
    customer; otherwise §4's maintenance content by orientation, in the active language.
    A row with a retention alert is about keeping the customer: that alert's own content
    (an overdue loan) or the orientation's, never product news."""
    retention = [r for r in reasons if r.kind in RETENTION_KINDS]
    for r in retention[:1] or reasons:
        if r.content:
            return r.content
    if orientation in labels.MAINTENANCE:
        return labels.maintenance(orientation)
    return _(DEFAULT_CONTENT)


def suggested_channel(kinds: list[str], preferred: str | None) -> str:
    """§5 says: the customer's preferred channel. Decided where the reasons ask more:
    - a retention alert (money leaving, assets falling, a downgrade ahead) is worth a
      meeting: keeping a customer is done face to face, not by message;
    - a reason that only a call or meeting answers (the cadence, the Gold phone
      follow-up, a first contact) gets the preferred channel if it is a call or a
      meeting, else a call;
    - anything else (greetings, reminders, the quarterly minimum, which messages
      satisfy) gets the preferred channel, a call when none is recorded.
    §17: a message (SMS) for the product information events (nav move, dividend, yield
    change, new product) when they are all the row has; any other reason on the same row
    asks for more, so its channel wins (a retention alert — an overdue loan too — still
    gets a meeting, §5 as decided in issue 12)."""
    if any(k in RETENTION_KINDS for k in kinds) or "appointment" in kinds:  # §18: a visit
        return MEETING
    if any(k in CALL_KINDS for k in kinds):
        return preferred if preferred in (CALL, MEETING) else CALL
    if kinds and all(k in SMS_KINDS for k in kinds):
        return SMS
    return preferred or CALL
