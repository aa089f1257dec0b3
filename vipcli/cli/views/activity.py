"""`vip activity list|referrals` (§10)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import echo, table
from vipcli.i18n import N_, _

# §10: the kinds of client activity, as the screen names them.
KIND = {
    "salon": N_("Investment salon"),
    "banquet": N_("Banquet"),
    "trip": N_("Short trip"),
    "lecture": N_("Finance lecture"),
    "outlook": N_("Market outlook"),
}


def kind_label(code: str) -> str:
    return _(KIND[code]) if code in KIND else code


def render_list(docs: Sequence[Mapping[str, Any]]) -> None:
    if not docs:
        echo(_("No client activities yet: `vip activity add` creates one."))
        return
    rows = [[d["id"], d["date"], kind_label(d["kind"]), d["title"], d["place"], d["invited"],
             d["attended"]] for d in docs]
    echo(table(_("Activities"), [(_("No."), "right"), _("Date"), _("Kind"), _("Title"), _("Place"),
                                 (_("Invited"), "right"), (_("Attended"), "right")], rows))


def render_referrals(docs: Sequence[Mapping[str, Any]]) -> None:
    if not docs:
        echo(_("No referrals yet."))
        return
    rows = [[d["customer_id"], d["name"], d["referrals"], ", ".join(d["referred"])] for d in docs]
    echo(table(_("Referrals"), [_("Customer no."), _("Name"), (_("Referrals"), "right"),
                                _("Referred")], rows))
