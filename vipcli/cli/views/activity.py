"""`vip activity list|referrals` (§10)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from vipcli.cli.output import echo, table


def render_list(docs: Sequence[Mapping[str, Any]]) -> None:
    rows = [[d["id"], d["date"], d["kind"], d["title"], d["place"], d["invited"], d["attended"]]
            for d in docs]
    echo(table("Activities", [("id", "right"), "date", "kind", "title", "place",
                              ("invited", "right"), ("attended", "right")], rows))


def render_referrals(docs: Sequence[Mapping[str, Any]]) -> None:
    rows = [[d["customer_id"], d["name"], d["referrals"], ", ".join(d["referred"])] for d in docs]
    echo(table("Referrals", ["customer", "name", ("referrals", "right"), "referred"], rows))
