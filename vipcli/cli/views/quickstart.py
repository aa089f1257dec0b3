"""`vip quickstart`: the demo outlet's morning, and the commands to try next."""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from vipcli.cli.output import Fit, console, echo, styled, table
from vipcli.domain import labels
from vipcli.i18n import _

if TYPE_CHECKING:
    from vipcli.services.demo import Demo


def _reasons(item: Mapping[str, Any]) -> str:
    parts = []
    for reason in item["reasons"]:
        if reason.get("overdue_days"):
            parts.append(_("{reason} +{days}d").format(reason=labels.reason(reason["kind"]),
                                                       days=reason["overdue_days"]))
        else:
            parts.append(labels.reason(reason["kind"]))
    return _(", ").join(parts)


def _due_table(title: str, document: Mapping[str, Any]) -> Fit:
    rows = [
        [item["customer_id"], item["name"], labels.tier(item["tier"]), _reasons(item),
         labels.channel(item["suggested_channel"])]
        for item in document["items"]
    ]
    week = document.get("week") or {}
    caption = _("{title} — contacted this week {done}/{target}").format(
        title=title, done=week.get("contacted", 0), target=week.get("target", "?"))
    return table(caption, [_("Customer"), _("Name"), _("Tier"), _("Why (days overdue)"),
                           _("Channel")], rows)


def _imported(demo: Demo) -> None:
    loaded = _(", ").join(_("{kind} {rows}").format(kind=r["kind"], rows=r["rows"])
                          for r in demo.imported)
    echo(_("Imported the sample outlet: {files}.").format(files=loaded))


def _screened(screening: Mapping[str, Any]) -> None:
    q = screening["qualified"]
    echo(_("Screened {screened} customers for {month}: {diamond} Diamond, {platinum} Platinum, "
           "{gold} Gold; {new} newly qualified, {warned} downgrade warnings, {down} downgraded.")
         .format(screened=screening["screened"], month=screening["month"], diamond=q["diamond"],
                 platinum=q["platinum"], gold=q["gold"], new=len(screening["newly_qualified"]),
                 warned=len(screening["downgrade_warnings"]), down=len(screening["downgraded"])))


def _tiers(demo: Demo, tiers: Mapping[str, Mapping[str, int]]) -> Fit:
    rows = [
        [labels.tier(t if t != "none" else None), tiers["signed_tier"].get(t, 0),
         tiers["qualified_tier"].get(t, 0)]
        for t in ("diamond", "platinum", "gold", "none")
    ]
    return table(_("Customers of {outlet}").format(outlet=demo.outlet_id),
                 [_("Tier"), (_("Signed"), "right"), (_("Qualified"), "right")], rows)


def _ideas(ideas: Mapping[str, Any]) -> Fit:
    rows = [[labels.idea_kind(i["kind"]), i.get("product_code") or "—", i["reason"]]
            for i in ideas["ideas"][:5]]
    return table(_("Ideas for the first call ({customer})").format(customer=ideas["customer_id"]),
                 [_("Kind"), _("Product"), _("Why")], rows)


def try_next(demo: Demo, program: str) -> list[tuple[str, str]]:
    """The commands the quickstart suggests, spelled with `program` (how to start vip here)."""
    month = (demo.as_of.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")  # last complete
    return [
        (f"{program} --as {demo.manager_id} due", _("the account manager's morning list")),
        (f"{program} --as {demo.manager_id} plan week",
         _("this week's visits and who falls due each day")),
        (f"{program} --as {demo.head_id} customers --unassigned", _("potential VIPs without a manager")),
        (f"{program} --as {demo.head_id} assign --dry-run", _("the branch head's allocation plan")),
        (f"{program} --as {demo.operator_id} screen --month {month}", _("the monthly screening, again")),
        (f"{program} quickstart --force", _("rebuild the demo from scratch")),
    ]


def render(demo: Demo, view: Mapping[str, Any], program: str) -> None:
    console().rule(styled((_("Demo outlet {outlet} — the morning of {day}").format(
        outlet=demo.outlet_id, day=demo.as_of), "bold")))
    if demo.imported:
        _imported(demo)
    if view.get("screening"):
        _screened(view["screening"])
    echo(_tiers(demo, view["tiers"]))
    echo(_due_table(_("Branch head {head}: the outlet's most urgent").format(head=demo.head_id),
                    view["outlet_due"]))
    echo(_due_table(_("Account manager {manager}: today's calls").format(manager=demo.manager_id),
                    view["manager_due"]))
    ideas = view.get("ideas")
    if ideas and ideas.get("ideas"):
        echo(_ideas(ideas))
    echo(styled("\n", (_("Try it yourself"), "bold"),
                _(" (the demo data is dated {day}; VIP_TODAY pins the day):").format(day=demo.as_of)))
    # One line per command, so each can be copied whole; what it shows on the line below.
    lines = [f"  export VIP_DB={shlex.quote(str(demo.path))}", f"  export VIP_TODAY={demo.as_of}"]
    for command, why in try_next(demo, program):
        lines += [f"  {command}", f"      # {why}"]
    for line in lines:
        console().print(styled(line), soft_wrap=True)
