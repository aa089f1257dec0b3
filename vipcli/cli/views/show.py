"""`vip show`: the one-page profile (一紙通, §11), readable at 100 columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from vipcli.cli.output import echo, styled, table, tier_label
from vipcli.domain.money import money_str_display as money

BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[Decimal | int]) -> str:
    """One bar per month scaled between the lowest and the highest month with assets (§11 small
    chart), so a drop stands out; a month without assets shows as "·"."""
    positive = [Decimal(v) for v in values if v > 0]
    if not positive:
        return "·" * len(values)
    low, top = min(positive), max(positive)
    span = top - low
    steps = len(BARS) - 1

    def bar(value: Decimal) -> str:
        if value <= 0:
            return "·"
        if span == 0:
            return BARS[steps // 2]
        return BARS[int((value - low) * steps / span + Decimal("0.5"))]

    return "".join(bar(Decimal(v)) for v in values)


def _who(person: Mapping[str, Any] | None) -> str:
    return "—" if person is None else f"{person['staff_id']} {person['name']}"


def render(doc: Mapping[str, Any]) -> None:
    tier = doc["tier"]
    echo(styled((f"{doc['customer_id']} {doc['name']}", "bold"),
                f"  {doc['gender'] or ''}  born {doc['birth_date'] or '—'} ({doc['birthday_calendar']})  "
                f"phone {doc['phone'] or '—'}  ID {doc['id_number'] or '—'}"))
    echo(f"signed {tier_label(tier['signed'])} since {tier['since'] or '—'} · "
         f"qualified {tier_label(tier['qualified'])}")
    echo(f"status {doc['status']} · outlet {doc['branch_id']} · occupation {doc['occupation']} · "
         f"referrals {doc['referrals']}")
    echo(f"manager {_who(doc['manager'])} · advisor {_who(doc['advisor'])}")
    echo(f"orientation {doc['orientation'] or '—'}: {doc['maintenance'] or '—'}")
    risk = doc["risk"]
    echo("risk: none on file" if risk is None else
         f"risk: level {risk['level']} {risk['label']} assessed {risk['assessed_on']}, "
         f"valid until {risk['valid_until']}" + ("" if risk["valid"] else " — EXPIRED"))
    months = doc["months"]
    values = [Decimal(m["avg_daily"]) for m in months]
    echo(f"ADB12 {money(doc['adb12'])} (screened {doc['screened_month'] or '—'})")
    positive = [v for v in values if v > 0] or [Decimal(0)]
    echo(f"12 months {months[0]['month']} {sparkline(values)} {months[-1]['month']}  "
         f"(low {money(str(min(positive)))}, high {money(str(max(positive)))}, "
         f"last {money(months[-1]['avg_daily'])})")
    if doc["holdings"]:
        echo(table("Holdings", ["product", "name", ("amount", "right"), "start", "maturity"],
                   [[h["product_code"], h["name"], money(h["amount"]), h["start_date"],
                     h["maturity_date"] or "—"] for h in doc["holdings"]]))
    if doc["contacts"]:
        echo(table("Last contacts", ["at", "staff", "channel", "summary / next step"],
                   [[str(c["at"])[:16], c["staff_id"], c["channel"], _contact_text(c)]
                    for c in doc["contacts"]]))
    if doc["opportunities"]:
        echo(table("Open opportunities", [("id", "right"), "product", "stage",
                                          ("expected", "right"), "next"],
                   [[o["id"], o["product_code"] or "—", o["stage"], money(o["expected_amount"]),
                     f"{o['next_date'] or ''} {o['next_action'] or ''}".strip()]
                    for o in doc["opportunities"]]))
    if doc["due"]:
        echo(table("Due", ["kind", "due", "detail"],
                   [[r.get("kind"), r.get("due_date"), r.get("detail")] for r in doc["due"]]))
    if doc["ideas"]:
        echo(table("Top ideas", ["kind", "product", "reason"],
                   [[i.get("kind"), i.get("product_code"), i.get("reason")]
                    for i in doc["ideas"][:3]]))


def _contact_text(contact: Mapping[str, Any]) -> str:
    text: str = contact["summary"] or contact["purpose"] or ""
    report = contact["report"]
    if report and report["next_plan"]:
        text += f" → {report['next_plan']} ({report['next_date'] or '—'})"
    return text
