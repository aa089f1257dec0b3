"""Terminal rendering of the outlet-routine documents (`vip show`, `lobby`, `journal week`,
`segment`, `report retention`). Readable at 100 columns; Rich is imported lazily."""

from __future__ import annotations

from decimal import Decimal

from vipcli.domain.money import money_str_display as _money

BARS = "▁▂▃▄▅▆▇█"
TOP_CONTRIBUTORS = 20


def table(title: str | None, columns: list, rows: list[list]):
    """output.table with every cell taken literally: customer names, summaries and journal
    text may contain square brackets, which Rich would otherwise read as markup."""
    from rich.markup import escape

    from vipcli.cli import output

    return output.table(title, columns, [[None if c is None else escape(str(c)) for c in row]
                                         for row in rows])


def sparkline(values: list[Decimal | int]) -> str:
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


def _tier_label(tier: str | None) -> str:
    from vipcli.domain.vocabulary import TIER_LABELS

    return f"{TIER_LABELS[tier]} {tier}" if tier else "—"


def _who(person: dict | None) -> str:
    return "—" if person is None else f"{person['staff_id']} {person['name']}"


def render_profile(doc: dict) -> None:
    from rich.markup import escape

    from vipcli.cli.output import console

    out = console()
    tier = doc["tier"]
    out.print(f"[bold]{escape(doc['customer_id'])} {escape(doc['name'])}[/bold]  "
              f"{doc['gender'] or ''}  born {doc['birth_date'] or '—'} ({doc['birthday_calendar']})  "
              f"phone {doc['phone'] or '—'}  ID {doc['id_number'] or '—'}", markup=True)
    out.print(f"signed {_tier_label(tier['signed'])} since {tier['since'] or '—'} · "
              f"qualified {_tier_label(tier['qualified'])}", markup=False)
    out.print(f"status {doc['status']} · outlet {doc['branch_id']} · occupation {doc['occupation']} · "
              f"referrals {doc['referrals']}", markup=False)
    out.print(f"manager {_who(doc['manager'])} · advisor {_who(doc['advisor'])}", markup=False)
    out.print(f"orientation {doc['orientation'] or '—'}: {doc['maintenance'] or '—'}", markup=False)
    risk = doc["risk"]
    out.print("risk: none on file" if risk is None else
              f"risk: level {risk['level']} {risk['label']} assessed {risk['assessed_on']}, "
              f"valid until {risk['valid_until']}" + ("" if risk["valid"] else " — EXPIRED"),
              markup=False)
    months = doc["months"]
    values = [Decimal(m["avg_daily"]) for m in months]
    out.print(f"ADB12 {_money(doc['adb12'])} (screened {doc['screened_month'] or '—'})", markup=False)
    positive = [v for v in values if v > 0] or [Decimal(0)]
    out.print(f"12 months {months[0]['month']} {sparkline(values)} {months[-1]['month']}  "
              f"(low {_money(str(min(positive)))}, high {_money(str(max(positive)))}, "
              f"last {_money(months[-1]['avg_daily'])})", markup=False)
    if doc["holdings"]:
        out.print(table("Holdings", ["product", "name", ("amount", "right"), "start", "maturity"],
                        [[h["product_code"], h["name"], _money(h["amount"]), h["start_date"],
                          h["maturity_date"] or "—"] for h in doc["holdings"]]))
    if doc["contacts"]:
        out.print(table("Last contacts", ["at", "staff", "channel", "summary / next step"],
                        [[str(c["at"])[:16], c["staff_id"], c["channel"], _contact_text(c)]
                         for c in doc["contacts"]]))
    if doc["opportunities"]:
        out.print(table("Open opportunities", [("id", "right"), "product", "stage",
                                                ("expected", "right"), "next"],
                        [[o["id"], o["product_code"] or "—", o["stage"], _money(o["expected_amount"]),
                          f"{o['next_date'] or ''} {o['next_action'] or ''}".strip()]
                         for o in doc["opportunities"]]))
    if doc["due"]:
        out.print(table("Due", ["kind", "due", "detail"],
                        [[r.get("kind"), r.get("due_date"), r.get("detail")] for r in doc["due"]]))
    if doc["ideas"]:
        out.print(table("Top ideas", ["kind", "product", "reason"],
                        [[i.get("kind"), i.get("product_code"), i.get("reason")]
                         for i in doc["ideas"][:3]]))


def _contact_text(contact: dict) -> str:
    text = contact["summary"] or contact["purpose"] or ""
    report = contact["report"]
    if report and report["next_plan"]:
        text += f" → {report['next_plan']} ({report['next_date'] or '—'})"
    return text


def render_lobby(doc: dict) -> None:
    from vipcli.cli.output import console

    out = console()
    route = doc["route_to"]
    out.print(f"{doc['address_as']}  ({doc['customer_id']})  {_tier_label(doc['tier'])}  "
              f"priority {doc['priority']}"
              + ("" if doc["own_outlet"] else "  — customer of another outlet"), markup=False)
    out.print("hand to: " + ("nobody available — serve at the counter" if route is None
                             else f"{route['staff_id']} {route['name']} ({route['role']})"))
    out.print(f"place: {doc['place']}")
    out.print("service:")
    for item in doc["service"]:
        out.print(f"  • {item}")


def render_week(doc: dict) -> None:
    from vipcli.cli.output import console

    out = console()
    rule = doc["weekly_rule"]
    out.print(f"Week {doc['week']} ({doc['from']} – {doc['to']}) · {doc['staff_id']} {doc['name']}",
              markup=False)
    visits, contacts, sales = doc["visits"], doc["contacts"], doc["sales"]
    out.print(f"visits {visits['total']} (meetings {visits['meetings']}, lobby {visits['lobby']})",
              markup=False)
    out.print(f"contacts {contacts['total']} with {contacts['customers']} customers "
              f"(weekly rule {rule['target']}: {'met' if rule['met'] else 'NOT met'})", markup=False)
    out.print(f"sales {sales['won']} won, {_money(sales['amount'])}", markup=False)
    if contacts["by_channel"]:
        out.print("by channel: " + ", ".join(f"{k} {v}" for k, v in contacts["by_channel"].items()))
    if sales["items"]:
        out.print(table("Sales", [("opportunity", "right"), "customer", "product", ("amount", "right")],
                        [[s["opportunity_id"], s["customer_id"], s["product_code"] or "—",
                          _money(s["amount"])] for s in sales["items"]]))
    if not doc["entries"]:
        out.print("no journal entries this week")
        return
    out.print(table("Journal", ["date", "kind", "text"],
                    [[e["date"], e["kind"], e["text"]] for e in doc["entries"]]))


def render_segment(doc: dict) -> None:
    from vipcli.cli.output import console

    out = console()
    out.print(table(f"Segments ({doc['total']} customers)",
                    [*doc["by"], ("count", "right")],
                    [[*(c[f] for f in doc["by"]), c["count"]] for c in doc["counts"]]))
    shown = doc["customers"][:50]
    out.print(table("Customers" + (f" (first {len(shown)})" if len(shown) < doc["total"] else ""),
                    ["customer", "name", "signed", "qualified", "occupation", "orientation", "phone"],
                    [[c["customer_id"], c["name"], c["signed_tier"] or "—", c["qualified_tier"] or "—",
                      c["occupation"], c["orientation"] or "—", c["phone"] or "—"] for c in shown]))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def render_retention(doc: dict) -> None:
    from vipcli.cli.output import console

    out = console()
    rows = [[_tier_label(t), f["start"], f["retained"], f["downgraded"], f["lost"], _pct(f["rate"])]
            for t, f in doc["by_tier"].items()]
    total = doc["total"]
    rows.append(["total", total["start"], total["retained"], total["downgraded"], total["lost"],
                 _pct(total["rate"])])
    out.print(table(f"Retention {doc['from']} → {doc['to']}",
                    ["tier", ("at start", "right"), ("retained", "right"), ("downgraded", "right"),
                     ("lost", "right"), ("rate", "right")], rows))
    losses = [("lost", r) for r in doc["lost"]] + [("downgraded", r) for r in doc["downgraded"]]
    if losses:
        out.print(table(f"Lost or downgraded — assets lost {_money(doc['assets_lost'])}",
                        ["customer", "name", "what", "from", "to", ("assets drop", "right")],
                        [[r["customer_id"], r["name"], what, r["from_tier"], r["to_tier"] or "—",
                          _money(r["assets_drop"])] for what, r in losses]))
    shown = doc["customers"][:TOP_CONTRIBUTORS]
    title = "Contribution and loyalty (§11)" + (
        f" — top {len(shown)} of {len(doc['customers'])}; --json for all"
        if len(shown) < len(doc["customers"]) else "")
    out.print(table(title,
                    ["customer", "name", "tier", ("ADB12", "right"), ("share", "right"),
                     ("held", "right"), ("prod", "right"), ("months", "right"), ("ct/mo", "right")],
                    [[c["customer_id"], c["name"], c["tier"], _money(c["adb12"]), _pct(c["adb12_share"]),
                      c["holdings"], c["products"], "—" if c["tenure_months"] is None
                      else c["tenure_months"], c["contacts_per_month"]] for c in shown]))
    out.print("held: current holdings · prod: distinct products · months: tenure at the signed "
              "tier · ct/mo: contacts a month over the last 12 months", markup=False)
