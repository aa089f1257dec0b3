"""`vip audit`: the audit log, newest first (§13)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import echo, table
from vipcli.domain import labels
from vipcli.i18n import _, ngettext


def render(entries: Sequence[Mapping[str, Any]]) -> None:
    rows = [[_when(e["at"]), labels.named(e.get("actor_name"), e["actor_id"]), e["action"],
             e["customer_id"], e["detail"]] for e in entries]
    echo(table(_("Audit log"), [(_("at"), "left"), _("who"), (_("action"), "left"),
                                (_("customer"), "left"), _("detail")], rows))


def _when(at: str) -> str:
    """2026-11-27 09:12:33: the second is enough on a screen; --json keeps the full time."""
    return at.replace("T", " ")[:19]


def render_verify(result: Mapping[str, Any]) -> None:
    """Sound: the count, then the latest hash alone on its line (to copy or write down).
    Broken: one line on stderr naming the first bad entry."""
    from vipcli.cli.output import info

    if not result["ok"]:
        info(_("audit log broken: {problem}").format(problem=result["message"]))
        return
    count = result["entries"]
    echo(ngettext("audit log sound: {count} entry, hash chain unbroken; latest hash:",
                  "audit log sound: {count} entries, hash chain unbroken; latest hash:", count)
         .format(count=f"{count:,}"))
    echo(result["latest_hash"], soft_wrap=True)
