"""`vip report …`: the communication reports, compliance, weekly review and retention.

80 columns (§16): tables go through `output.table`, which prints the full table when it
fits and one block per record otherwise. Two reports read badly as generic blocks and
have their own narrow layout: one report (`show`, always a block of aligned fields) and
the weekly review (one short block per person: opportunities, contacts, targets).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from vipcli import clock
from vipcli.cli.output import Column, console, echo, info, styled, table, wrapped
from vipcli.cli.views.opp import render_conversion
from vipcli.domain import labels
from vipcli.domain.money import money_str_display as money
from vipcli.i18n import _

if TYPE_CHECKING:
    from rich.text import Text

    from vipcli.services.contact.contacts import ReportList

TOP_CONTRIBUTORS = 20
_INDENT = "  "


def _when(at: str | None) -> str:
    """An ISO time as people read it: `2026-11-26 15:30`."""
    return "—" if not at else at[:16].replace("T", " ")


def _fields(pairs: Sequence[tuple[str, str | None]], width: int) -> list[Text]:
    """'  heading: value' lines, values aligned and wrapped under themselves, never cut;
    an empty value is left out."""
    from rich.cells import cell_len
    from rich.text import Text

    shown = [(_("{heading}:").format(heading=h), v) for h, v in pairs if v]
    label_width = max((cell_len(h) for h, _v in shown), default=0)
    value_width = max(width - len(_INDENT) - label_width - 1, 10)
    lines: list[Text] = []
    for heading, value in shown:
        for i, part in enumerate(wrapped(str(value), value_width)):
            head = heading if i == 0 else ""
            pad = " " * (label_width - cell_len(head) + 1)
            lines.append(Text(_INDENT) + Text(head, style="dim") + Text(pad) + part)
    return lines


# ---- communication reports (§6) ------------------------------------------------------

def _next_step(r: Mapping[str, Any]) -> str | None:
    if not r["next_plan"]:
        return None
    step = _("{plan} (by {day})").format(plan=r["next_plan"], day=r["next_date"])
    if r.get("follow_up_done_at"):
        step += " " + _("— done {day}").format(day=r["follow_up_done_at"][:10])
    return step


def _review(r: Mapping[str, Any]) -> str:
    if not r["reviewed_by"]:
        return _("Not reviewed")
    return _("{who} on {day}: {comment}").format(
        who=labels.named(r.get("reviewer_name"), r["reviewed_by"]),
        day=(r["reviewed_at"] or "")[:10], comment=r["review_comment"] or "")


def render_reports(found: ReportList) -> None:
    rows = found.rows
    if found.total == len(rows):
        title = _("Communication reports: {count}").format(count=found.total)
    else:
        title = _("Communication reports: the {shown} newest of {total}").format(
            shown=len(rows), total=found.total)
    body = [[r["report_id"], labels.named(r["name"], r["customer_id"]), _when(r["at"]),
             labels.named(r.get("staff_name"), r["staff_id"]), labels.channel(r["channel"]),
             r["needs"], _next_step(r), r["key_points"] or r["summary"], _review(r)]
            for r in rows]
    echo(table(title, [(_("id"), "right"), _("customer"), _("when"), _("by"), _("channel"),
                       _("needs"), _("next step"), _("key points"), _("review")], body))
    if rows:
        info(_("`vip report show ID` shows one report whole."))


def render_report(r: Mapping[str, Any]) -> None:
    """One whole report: every field, untruncated, wrapped for the terminal."""
    from rich.text import Text

    width = console().width
    tier = labels.tier(r.get("signed_tier"))
    lines = [*wrapped(Text(_("Communication report {id}").format(id=r["report_id"]), style="bold"),
                      width)]
    lines += _fields([
        (_("Customer"), f"{labels.named(r['name'], r['customer_id'])} · {tier}"),
        (_("By"), labels.named(r.get("staff_name"), r["staff_id"])),
        (_("When"), f"{_when(r['at'])} · {labels.channel(r['channel'])}"),
        (_("Purpose"), r["purpose"]),
        (_("Summary"), r["summary"]),
        (_("Key points"), r["key_points"]),
        (_("Needs"), r["needs"]),
        (_("Next step"), _next_step(r)),
        (_("Review"), _review(r)),
    ], width)
    for line in lines:
        echo(line)


def render_reviewed(doc: Mapping[str, Any]) -> None:
    info(_("Report {id} reviewed by {who} on {day}").format(
        id=doc["report_id"], who=doc["reviewed_by"], day=doc["reviewed_at"][:10]))


# ---- compliance (§5) -----------------------------------------------------------------

def _week_cell(week: Mapping[str, Any]) -> str:
    if week["target"] is None:
        return str(week["contacted"])
    if not week.get("ended", True):
        # a week still running is neither met nor missed (§5); one ahead shows nothing yet
        year, number = week["week"].split("-W")
        monday = dt.date.fromisocalendar(int(year), int(number), 1)
        if monday > clock.today():
            return "—"
        return f"{week['contacted']} " + _("not ended")
    return f"{week['contacted']} " + ("✓" if week["met"] else "✗")


def render_compliance(doc: Mapping[str, Any]) -> None:
    rows = []
    for mgr in doc["managers"]:
        for t in mgr["tiers"]:
            if not t["customers"]:
                continue
            monthly = "—" if t["monthly_met"] is None else f"{t['monthly_met']}/{t['customers']}"
            rows.append([labels.named(mgr["name"], mgr["staff_id"]), labels.tier(t["tier"]),
                         t["customers"], monthly, f"{t['quarterly_met']}/{t['customers']}"])
    echo(table(_("Contact compliance {month} (quarter {first} – {last}): customers meeting "
                 "the monthly cadence and the quarterly minimum").format(
                     month=doc["month"], first=doc["quarter"][0], last=doc["quarter"][1]),
               [_("staff"), _("tier"), (_("customers"), "right"), (_("monthly"), "right"),
                (_("quarterly"), "right")], rows))
    managers = doc["managers"]
    weeks = max(managers, key=lambda m: len(m["weeks"]))["weeks"] if managers else []
    target = next((w["target"] for m in managers for w in m["weeks"] if w["target"]), None)
    rows = [[labels.named(mgr["name"], mgr["staff_id"]), *(_week_cell(w) for w in mgr["weeks"]),
             "—" if mgr["weeks_met"] is None else
             f"{mgr['weeks_met']}/{mgr.get('weeks_ended', len(mgr['weeks']))}"]
            for mgr in managers]
    title = (_("Weekly rule: distinct customers contacted per ISO week (an account manager "
               "at least {target})").format(target=target) if target is not None else
             _("Distinct customers contacted per ISO week"))
    echo(table(title, [_("staff"), *[(w["week"][5:], "right") for w in weeks],
                       (_("weeks met"), "right")], rows))


# ---- weekly review (§7) ------------------------------------------------------------

def _targets(p: Mapping[str, Any]) -> str:
    names = {"contacts": _("Customers contacted"), "signings": _("Signings"),
             "opps_won": _("Won"), "won_amount": _("Won amount")}
    return _("; ").join(
        f"{names.get(k, k)} {t['actual']}/{t['target']}" + ("" if t["met"] else " ✗")
        for k, t in p["targets"].items())


def _weekly_people(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    people = [dict(p, who=labels.named(p["name"], p["staff_id"]),
                   rule=(f"{p['contacts']}/{p['contact_rule']}" +
                         (" ✓" if p["contact_rule_met"] else " ✗")) if p["contact_rule"]
                   else str(p["contacts"])) for p in doc["managers"]]
    if doc["outlet"]:
        people.append(dict(doc["outlet"], who=_("Outlet {outlet} in all").format(
            outlet=doc["outlet"]["branch_id"]), rule=str(doc["outlet"]["contacts"])))
    return people


def render_weekly(doc: Mapping[str, Any]) -> None:
    title = _("Weekly review {week} ({first} – {last})").format(
        week=doc["week"], first=doc["from"], last=doc["to"])
    people = _weekly_people(doc)
    cols: list[Column] = [_("staff"), (_("opened"), "right"), (_("amount"), "right"),
            (_("advanced"), "right"), (labels.stage("won"), "right"), (_("won amount"), "right"),
            (labels.stage("lost"), "right"), (_("lost amount"), "right"), (_("contacted"), "right"),
            (_("signings"), "right"), (_("overdue"), "right"), _("targets")]
    rows = [[p["who"], p["opened"], money(p["opened_amount"]), p["advanced"], p["won"],
             money(p["won_amount"]), p["lost"], money(p["lost_amount"]), p["rule"],
             p["signings"], p["overdue_followups"], _targets(p)] for p in people]
    full = table(title, cols, rows)
    if full.widths(console().width) is not None:
        echo(full)
    else:
        _weekly_blocks(title, people)
    render_conversion(doc["conversion_by_kind"])


def _counted(text: str, count: int, amount: str | None) -> str:
    """`won 2 (1,500,000.00)`: the amount only when there is one."""
    line = text.format(count=count)
    return line + _(" ({amount})").format(amount=money(amount)) if count else line


def _weekly_blocks(title: str, people: Sequence[Mapping[str, Any]]) -> None:
    """80 columns: one short block per person, each figure named once."""
    from rich.text import Text

    width = console().width
    echo(Text(title, style="table.title"))
    for n, p in enumerate(people):
        if n:
            echo("")
        echo(Text(p["who"], style="bold"))
        opportunities = _("; ").join([
            _counted(_("opened {count}"), p["opened"], p["opened_amount"]),
            _("advanced {count}").format(count=p["advanced"]),
            _counted(_("won {count}"), p["won"], p["won_amount"]),
            _counted(_("lost {count}"), p["lost"], p["lost_amount"])])
        work = _("contacted {contacted}, signings {signings}, overdue follow-ups {overdue}").format(
            contacted=p["rule"], signings=p["signings"], overdue=p["overdue_followups"])
        for line in _fields([(_("Opportunities"), opportunities), (_("Work"), work),
                             (_("Targets"), _targets(p) or None)], width):
            echo(line)


# ---- retention (§11) ---------------------------------------------------------------

def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _month_losses(doc: Mapping[str, Any]) -> None:
    """§18: the month's recorded losses one by one, and the six months' retention as bars."""
    from decimal import Decimal

    from vipcli.cli.views.charts import BarChart

    if "losses" not in doc:
        return
    from vipcli.i18n import ngettext

    count = doc["lost_in_month"]
    title = ngettext("Lost in {month}: {count} customer, assets lost {amount} (ADB12)",
                     "Lost in {month}: {count} customers, assets lost {amount} (ADB12)",
                     count).format(month=doc["month"], count=count,
                                   amount=money(doc["assets_lost_in_month"]))
    if doc["losses"]:
        echo(table(title, [_("customer"), _("manager"), _("date"), _("reason"),
                           ("ADB12", "right")],
                   [[labels.named(r["name"], r["customer_id"]),
                     labels.named(r["manager_name"], r["manager_id"]) if r["manager_id"] else "—",
                     r["lost_on"], r["reason"] or "—", money(r["adb12"])] for r in doc["losses"]]))
    else:
        echo(styled((title, "bold")))
    if doc["trend"]:
        echo(BarChart(_("Retention rate, last {count} months").format(count=len(doc["trend"])),
                      [_("rate")],
                      # a month without a cohort has no rate: below zero draws no bar, shows —
                      [(p["month"], [Decimal(-1) if p["rate"] is None else Decimal(str(p["rate"]))])
                       for p in doc["trend"]],
                      show=lambda v: "—" if v < 0 else f"{v * 100:.1f}%"))


def render_retention(doc: Mapping[str, Any]) -> None:
    rows = [[labels.tier(t), f["start"], f["retained"], f["downgraded"], f["lost"], _pct(f["rate"])]
            for t, f in doc["by_tier"].items()]
    total = doc["total"]
    rows.append([_("All tiers"), total["start"], total["retained"], total["downgraded"],
                 total["lost"], _pct(total["rate"])])
    echo(table(_("Retention {first} → {last}").format(first=doc["from"], last=doc["to"]),
               [_("tier"), (_("at start"), "right"), (_("retained"), "right"),
                (_("downgraded"), "right"), (_("lost customers"), "right"),
                (_("rate"), "right")], rows))
    losses = [(_("Lost"), r) for r in doc["lost"]] + [(_("Downgraded"), r) for r in doc["downgraded"]]
    if losses:
        echo(table(_("Lost or downgraded — assets lost {amount}").format(
                       amount=money(doc["assets_lost"])),
                   [_("customer"), _("what"), _("from → to"), (_("assets drop"), "right")],
                   [[labels.named(r["name"], r["customer_id"]), what,
                     f"{labels.tier(r['from_tier'])} → "
                     f"{labels.tier(r['to_tier']) if r['to_tier'] else '—'}",
                     money(r["assets_drop"])] for what, r in losses]))
    _month_losses(doc)
    shown = doc["customers"][:TOP_CONTRIBUTORS]
    if len(shown) < len(doc["customers"]):
        title = _("Contribution and loyalty (§11): the top {shown} of {total}; --json lists "
                  "all").format(shown=len(shown), total=len(doc["customers"]))
    else:
        title = _("Contribution and loyalty (§11)")
    heads: list[Any] = [("ADB12", "right"), (_("share"), "right"), (_("held"), "right"),
                        (_("prod"), "right"), (_("months"), "right"),
                        (_("ct/mo"), "right")]
    figures = [[money(c["adb12"]), _pct(c["adb12_share"]), c["holdings"], c["products"],
                "—" if c["tenure_months"] is None else c["tenure_months"],
                c["contacts_per_month"]] for c in shown]
    who = [labels.named(c["name"], c["customer_id"]) for c in shown]
    tiers = [labels.tier(c["tier"]) for c in shown]
    full = table(title, [_("customer"), _("tier"), *heads],
                 [[w, t, *f] for w, t, f in zip(who, tiers, figures, strict=True)])
    if full.widths(console().width) is None:  # 80 columns: the tier under the name
        full = table(title, [_("customer"), *heads],
                     [[f"{w}\n{t}", *f] for w, t, f in zip(who, tiers, figures, strict=True)])
    echo(full)
    echo(styled((_("share: of the outlet's ADB12 · held: current holdings · prod: distinct "
                   "products · months: at the signed tier · ct/mo: contacts a month over the "
                   "last 12 months"), "dim")))


# ---- satisfaction (§18) ------------------------------------------------------------

def render_satisfaction(doc: Mapping[str, Any]) -> None:
    """The month's averages (outlet, each staff member), then the trend as bars."""
    from decimal import Decimal

    from vipcli.cli.views.charts import BarChart

    def average(r: Mapping[str, Any]) -> str:
        return "—" if r["average"] is None else r["average"]

    whole = (labels.named(doc["branch_name"], doc["branch_id"]) if doc["scope"] == "outlet"
             else _("Your ratings"))
    rows = [[whole, average(doc["outlet"]), doc["outlet"]["count"]]]
    rows += [[labels.named(m["name"], m["staff_id"]), average(m), m["count"]]
             for m in doc["by_manager"]]
    echo(table(_("Customer satisfaction {month} (ratings 1–5)").format(month=doc["month"]),
               [_("staff"), (_("average"), "right"), (_("ratings"), "right")], rows))
    echo(BarChart(_("Trend: average rating per month (ratings in brackets)"), [_("average")],
                  [(f"{t['month']} ({t['count']})", [Decimal(t["average"] or 0)])
                   for t in doc["trend"]],
                  show=lambda v: "—" if not v else f"{v:.2f}"))
