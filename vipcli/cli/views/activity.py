"""`vip activity list|referrals` (§10)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import echo, table
from vipcli.domain import labels
from vipcli.i18n import _


def render_list(docs: Sequence[Mapping[str, Any]]) -> None:
    if not docs:
        echo(_("No client activities yet: `vip activity add` creates one."))
        return
    rows = [[d["id"], d["date"], labels.activity_kind(d["kind"]), d["title"], d["place"], d["invited"],
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
