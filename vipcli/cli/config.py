"""`vip config show`: the rules file and configuration (SPEC §14)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from vipcli.cli.options import json_option
from vipcli.cli.state import CURRENT
from vipcli.i18n import _

if TYPE_CHECKING:
    from vipcli.config import LoadedRules

app = typer.Typer(help=_("The rules file and configuration."), no_args_is_help=True,
                  rich_markup_mode=None)


@app.command("show", help=_(
    "Print every effective rule and where its value came from: the handbook, our default, "
    "the rules file, or the environment.\n\n"
    "Example: vip --rules outlet-rules.toml config show"))
def show(as_json: bool = json_option()) -> None:
    from vipcli.cli.output import present
    from vipcli.cli.views import config as view

    present(CURRENT.loaded_rules(), as_json=as_json, render=view.render, document=_document)


def _document(loaded: LoadedRules) -> dict[str, Any]:
    from vipcli.cli.views.config import effective_rules

    return {
        "rules_file": str(loaded.path) if loaded.path else None,
        "rules": [{"name": n, "value": v, "source": s, "origin": o}
                  for n, v, s, o in effective_rules(loaded)],
    }
