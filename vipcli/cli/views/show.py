"""`vip show`: the one-page profile (一纸通, §11), readable at 80 columns (§16)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from vipcli.cli.output import echo, styled, table
from vipcli.domain import labels
from vipcli.domain.due_rules import percent
from vipcli.domain.money import money_str_display as money
from vipcli.i18n import N_, _, ngettext

BARS = "▁▂▃▄▅▆▇█"
CALENDAR = {"solar": N_("solar calendar"), "lunar": N_("lunar calendar")}


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
    return "—" if person is None else labels.named(person["name"], person["staff_id"])


def _tier(code: str | None) -> str:
    return labels.tier(code) if code else "—"


def render(doc: Mapping[str, Any]) -> None:
    from vipcli.cli.views.customer_file import render_file

    _identity(doc)
    render_file(doc)  # §18: the customer file its manager keeps
    _standing(doc)
    if doc.get("privileges"):  # §18: what the card gives, from the rules file
        echo(_("{tier} privileges:").format(tier=_tier(doc["tier"]["signed"])))
        for privilege in doc["privileges"]:
            echo(f"  · {privilege}")
    if doc["holdings"]:
        _holdings(doc["holdings"])
    if doc.get("loans"):
        echo(table(_("Loans"), [_("Loan"), _("Product"), (_("Balance (CNY)"), "right"),
                                _("Due date"), (_("Overdue (CNY)"), "right")],
                   [[n["loan_id"], n["product"] or "—", money(n["balance"]), n["due_date"] or "—",
                     _overdue(n)] for n in doc["loans"]]))
    if doc.get("cards"):
        echo(table(_("Cards (latest statement)"),
                   [_("Card"), _("Due date"), (_("Amount due (CNY)"), "right"),
                    (_("Paid (CNY)"), "right")],
                   [[c["card_no"], c["due_date"], money(c["amount_due"]), money(c["paid"])]
                    for c in doc["cards"]]))
    if doc["contacts"]:
        echo(table(_("Last contacts"), [_("Time"), _("Staff"), _("Channel"),
                                        _("Summary / next step")],
                   [[str(c["at"])[:16], labels.named(c.get("staff_name"), c["staff_id"]),
                     labels.channel(c["channel"]), _contact_text(c)] for c in doc["contacts"]]))
    if doc["opportunities"]:
        echo(table(_("Open opportunities"),
                   [(_("No."), "right"), _("Product"), _("Stage"), (_("Expected (CNY)"), "right"),
                    _("Next step")],
                   [[o["id"], labels.named(o.get("product_name"), o["product_code"]),
                     labels.stage(o["stage"]), money(o["expected_amount"]),
                     f"{o['next_date'] or ''} {o['next_action'] or ''}".strip()]
                    for o in doc["opportunities"]]))
    if doc["due"]:
        echo(table(_("Due"), [_("Reason"), _("Due date"), _("Detail")],
                   [[labels.reason(r.get("kind")), r.get("due_date"), r.get("detail")]
                    for r in doc["due"]]))
    if doc["ideas"]:
        echo(table(_("Top ideas"), [_("Kind"), _("Product"), _("Why")],
                   [[labels.idea_kind(i.get("kind")), labels.named(i.get("name"), i.get("product_code")),
                     i.get("reason")] for i in doc["ideas"][:3]]))


def _holdings(holdings: Sequence[Mapping[str, Any]]) -> None:
    """§17: a fund's value (units × the latest nav) against its cost beside each holding,
    when any holding has one."""
    heads: list[Any] = [_("Product"), (_("Amount (CNY)"), "right"), _("Start"), _("Maturity")]
    valued = any(h.get("value") is not None for h in holdings)
    if valued:
        heads += [(_("Value (CNY)"), "right"), (_("Vs cost"), "right")]
    rows = []
    for h in holdings:
        row = [labels.named(h["name"], h["product_code"]), money(h["amount"]), h["start_date"],
               h["maturity_date"] or "—"]
        if valued:
            ratio = h.get("value_vs_cost")
            row += [money(h.get("value")), "—" if ratio is None else percent(Decimal(ratio))]
        rows.append(row)
    echo(table(_("Holdings"), heads, rows))


def _overdue(loan: Mapping[str, Any]) -> str:
    if not loan["overdue_days"]:
        return "—"
    return ngettext("{amount}, {days} day", "{amount}, {days} days", loan["overdue_days"]).format(
        amount=money(loan["overdue_amount"]), days=loan["overdue_days"])


def _identity(doc: Mapping[str, Any]) -> None:
    echo(styled((f"{doc['customer_id']} {doc['name']}", "bold"),
                f"  {labels.gender(doc['gender']) if doc['gender'] else ''}"))
    calendar = _(CALENDAR[doc["birthday_calendar"]]) if doc["birthday_calendar"] in CALENDAR \
        else doc["birthday_calendar"]
    echo(_("born {date} ({calendar}) · phone {phone} · ID {id_number}").format(
        date=doc["birth_date"] or "—", calendar=calendar, phone=doc["phone"] or "—",
        id_number=doc["id_number"] or "—"))
    echo(_("status {status} · outlet {outlet} · occupation {occupation} · referrals {referrals}")
         .format(status=labels.status(doc["status"]), outlet=doc["branch_id"],
                 occupation=labels.occupation(doc["occupation"]), referrals=doc["referrals"]))
    echo(_("account manager {manager} · wealth advisor {advisor}").format(
        manager=_who(doc["manager"]), advisor=_who(doc["advisor"])))
    echo(_("orientation {orientation}: {maintenance}").format(
        orientation=labels.orientation(doc["orientation"]), maintenance=doc["maintenance"] or "—"))


def _standing(doc: Mapping[str, Any]) -> None:
    tier = doc["tier"]
    echo(_("signed {signed} since {since} · qualified {qualified}").format(
        signed=_tier(tier["signed"]), since=tier["since"] or "—", qualified=_tier(tier["qualified"])))
    risk = doc["risk"]
    if risk is None:
        echo(_("risk assessment: none on file"))
    else:
        text = (_("risk assessment: {level}, assessed {assessed}, valid until {until}") if risk["valid"]
                else _("risk assessment: {level}, assessed {assessed}, EXPIRED on {until}"))
        echo(text.format(level=labels.risk_level(risk["level"]), assessed=risk["assessed_on"],
                         until=risk["valid_until"]))
    months = doc["months"]
    values = [Decimal(m["avg_daily"]) for m in months]
    echo(_("ADB12 {adb12} CNY (screened {month})").format(
        adb12=money(doc["adb12"]), month=doc["screened_month"] or "—"))
    positive = [v for v in values if v > 0] or [Decimal(0)]
    echo(f"{months[0]['month']} {sparkline(values)} {months[-1]['month']}")
    echo(_("12 months: low {low}, high {high}, last {last}").format(
        low=money(str(min(positive))), high=money(str(max(positive))),
        last=money(months[-1]["avg_daily"])))


def _contact_text(contact: Mapping[str, Any]) -> str:
    text: str = contact["summary"] or contact["purpose"] or ""
    report = contact["report"]
    if report and report["next_plan"]:
        text += f" → {report['next_plan']} ({report['next_date'] or '—'})"
    return text
