"""`vip assign` and `vip handover`: who holds how many customers before → after, each
person's load as a share of capacity, the staffing gap and any overflow (§2); the moves
themselves behind `--details`.

Load (§2, the figure of `loads[].load`): the sum of 1/ratio of the tiers of a person's
customers (a Diamond is 1/30 of a manager) divided by the person's capacity, so 100% is a
full book whatever the capacity. It is shown as a whole percentage rounded half up, except
that a load just above or below capacity never reads as exactly 100% (1.002 → 101%,
0.997 → 99%): a person within capacity never reads as over it, nor the other way round.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from vipcli.cli.output import echo, info, styled, table
from vipcli.domain import labels
from vipcli.domain.balancing import REASONS
from vipcli.domain.money import money_str_display
from vipcli.i18n import _, sentences

if TYPE_CHECKING:
    from rich.text import Text

BAR_CELLS = 10
OVERFLOW_NAMES = 20  # customers named in the overflow sentence; --json lists them all


def load_percent(load: str | None) -> str:
    """A §15 load ("1.047") as the share of capacity people read ("105%")."""
    if load is None:
        return "—"
    share = Decimal(load)
    whole = int((share * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if whole == 100 and share != 1:
        whole = 101 if share > 1 else 99
    return f"{whole}%"


def render_plan(doc: Mapping[str, Any], plan_out: str | None = None, details: bool = False) -> None:
    """A plan, an applied plan or a handover: the per-person summary, then what it means."""
    names = {x["staff_id"]: x.get("name") for x in doc.get("loads") or []}
    if doc.get("handover_from"):
        names.setdefault(doc["handover_from"], doc.get("handover_from_name"))
    echo(_title(doc, names))
    if doc.get("loads"):
        echo(table(_("Per person, before → after this plan (load: customers weighted by the "
                     "§2 ratios ÷ capacity; 100% is a full book)"),
                   [_("staff"), _("role"), (_("customers"), "right"), (_("load"), "right"), ""],
                   [_summary_row(x) for x in doc["loads"]]))
    for moves in _moves_lines(doc, details):
        info(moves)
    if details and doc["assignments"]:
        _print_moves(doc, names)
    for line in staffing_lines(doc, names):
        info(line)
    if plan_out:
        info(_("Plan saved to {file}; review it, then: vip assign --apply {file}").format(file=plan_out))
    elif doc.get("dry_run"):
        info(_("Dry run: nothing was written."))


def _title(doc: Mapping[str, Any], names: Mapping[str, str | None]) -> str:
    if doc.get("handover_from"):
        who = labels.named(names.get(doc["handover_from"]), doc["handover_from"])
        receiver = doc.get("handover_to")
        if receiver:
            return _("Handover at {outlet}: {who}'s book to {receiver}").format(
                outlet=doc["outlet"], who=who, receiver=labels.named(names.get(receiver), receiver))
        return _("Handover at {outlet}: {who}'s book, balanced over eligible staff").format(
            outlet=doc["outlet"], who=who)
    if doc.get("applied_from"):
        return _("Allocation at {outlet}: the plan {file}").format(
            outlet=doc["outlet"], file=doc["applied_from"])
    return _("Allocation at {outlet}").format(outlet=doc["outlet"])


def _summary_row(x: Mapping[str, Any]) -> list[str]:
    return [labels.named(x.get("name"), x["staff_id"]), labels.role(x["role"]),
            _change(x.get("customers_before"), x.get("customers_after")),
            _change(load_percent(x.get("load_before")), load_percent(x["load"])), _bar(x["load"])]


def _change(before: object, after: object) -> str:
    """`13 → 15`, or `13` when nothing changes (or, for an old saved plan, only after)."""
    if before is None or before == "—":
        return "—" if after is None else str(after)
    return str(before) if before == after else f"{before} → {after}"


def _bar(load: str) -> str:
    filled = min(BAR_CELLS, round(float(load) * BAR_CELLS))
    return "█" * filled + "░" * (BAR_CELLS - filled) + ("+" if Decimal(load) > 1 else "")


def _moves_lines(doc: Mapping[str, Any], details: bool) -> list[str]:
    moves = doc["assignments"]
    if not moves:
        return [_("No changes: every customer already has an eligible holder.")]
    primary = sum(1 for m in moves if m["role"] == "primary")
    line = _("Moves: {count} ({primary} to account managers, {advisor} to advisors).").format(
        count=len(moves), primary=primary, advisor=len(moves) - primary)
    leads = sum(1 for m in moves if m.get("lead_id"))
    return [sentences(
        line,
        # §18: leads are allocated with the customers, at Gold load
        _("Of these, {count} are leads (counted at Gold load).").format(count=leads) if leads else "",
        "" if details else _("--details lists them."))]


def _print_moves(doc: Mapping[str, Any], names: Mapping[str, str | None]) -> None:
    """The moves as a table, or on a narrow terminal one line per move."""
    from vipcli.cli.output import console

    roles = {x["staff_id"]: x["role"] for x in doc.get("loads") or []}
    moves = [(_client(m), labels.tier(m.get("tier")) if m.get("customer_id") else _("Lead"),
              money_str_display(m.get("adb12") if m.get("customer_id") else m.get("est_assets")),
              labels.seat(m["role"]), _holder(names, m["previous_staff_id"]),
              _holder(names, m["staff_id"]), _reason(m, roles)) for m in doc["assignments"]]
    full = table(_("Moves"), [_("customer"), _("tier"), ("ADB12", "right"), _("seat"),
                              _("from → to"), _("why")],
                 [[c, t, a, s, f"{before} → {after}", why]
                  for c, t, a, s, before, after, why in moves])
    if full.widths(console().width) is not None:
        echo(full)
        return
    echo(styled((_("Moves"), "table.title")))
    for c, t, a, s, before, after, why in moves:
        echo("  " + _("{customer} {tier} {adb12}: {before} → {after} ({seat}), {why}").format(
            customer=c, tier=t, adb12=a, before=before, after=after, seat=s, why=why))


def _client(move: Mapping[str, Any]) -> str:
    """The customer number, or a lead's id (§18: leads are allocated at Gold load)."""
    return move.get("customer_id") or move.get("lead_id") or "—"


def _holder(names: Mapping[str, str | None], staff_id: str | None) -> str:
    return labels.named(names.get(staff_id), staff_id) if staff_id else _("(none)")


def _reason(move: Mapping[str, Any], roles: Mapping[str, str]) -> str:
    kind = move.get("reason_kind")
    if kind not in REASONS:  # a plan saved before reasons had kinds
        return move.get("reason") or ""
    holder = move["previous_staff_id"]
    return _(REASONS[kind]).format(holder=holder, role=labels.role(roles.get(holder)),
                                   tier=labels.tier(move.get("tier")))


def staffing_lines(doc: Mapping[str, Any], names: Mapping[str, str | None]) -> list[Text]:
    """§2: the staffing the ratios call for, and what the plan could not place within capacity."""
    lines = []
    texts = {
        "account_managers": _("Staffing (§2 ratios): {required} account managers needed, "
                              "{available} active with a capacity of {capacity} in all."),
        "advisors": _("Staffing (§2 ratios): {required} wealth advisors needed, "
                      "{available} active with a capacity of {capacity} in all."),
    }
    for key, gap in (doc.get("staffing") or {}).items():
        line = texts[key].format(required=gap["required"], available=gap["available"],
                                 capacity=gap.get("capacity", "—"))
        if gap.get("understaffed"):
            short = _(" Understaffed: {missing} more needed.").format(
                missing=max(gap["required"] - gap["available"], 1))
            lines.append(styled(line, (short, "red")))
        else:
            lines.append(styled(line))
    lines.extend(_overflow_lines(doc, names))
    return lines


def _overflow_lines(doc: Mapping[str, Any], names: Mapping[str, str | None]) -> list[Text]:
    lines = []
    placed = doc.get("over_capacity") or []
    if placed:
        lines.append(styled((_(
            "Customers that could not be placed within anyone's capacity: {count}; each went "
            "to the eligible person with the lowest load.").format(count=len(placed)), "red")))
    loads = {x["staff_id"]: x["load"] for x in doc.get("loads") or []}
    over = doc.get("overflow") or []
    if over:
        people = _list_sep().join(f"{labels.named(names.get(s), s)} {load_percent(loads.get(s))}"
                                  for s in over)
        lines.append(styled((_("Above capacity after this plan: {people}.").format(people=people),
                             "red")))
    unplaced = doc.get("unassigned") or []
    if unplaced:
        ids = _list_sep().join(f"{u['customer_id']} ({labels.seat(u['role'])})"
                               for u in unplaced[:OVERFLOW_NAMES])
        more = len(unplaced) - OVERFLOW_NAMES
        text = _("No active eligible staff for: {customers}.").format(customers=ids)
        if more > 0:
            text += " " + _("And {count} more (--json lists them all).").format(count=more)
        lines.append(styled((text, "red")))
    return lines


def _list_sep() -> str:
    return _(", ")

