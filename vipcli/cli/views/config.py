"""`vip config show`: every effective rule and where its value came from (§14)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from vipcli.cli.output import echo, table
from vipcli.i18n import N_, _

if TYPE_CHECKING:
    from vipcli.config import LoadedRules

# Where a value came from, as people read it (§14); --json says it as `origin`.
ORIGINS = {
    "handbook": N_("handbook"),
    "default": N_("our default"),
    "rules_file": N_("rules file"),
    "environment": N_("environment (VIP_LANG)"),
    "command_line": N_("command line (--lang)"),
}


def render(loaded: LoadedRules) -> None:
    if loaded.path:
        title = _("Rules — {path}").format(path=loaded.path)
    else:
        title = _("Rules — the handbook's figures and our defaults (no rules file)")
    rows = [[name, _value(value), _(ORIGINS[origin])]
            for name, value, _source, origin in effective_rules(loaded)]
    # the value column wraps (the privileges are sentences), so it is text, not a figure column
    echo(table(title, [(_("rule"), "left"), _("value"), (_("source"), "left")], rows))


def effective_rules(loaded: LoadedRules) -> list[tuple[str, object, str, str]]:
    """Every rule as (name, value, source, origin). `source` is the §14 text scripts read
    ("default", "rules file PATH", "environment VIP_LANG", "command line --lang"); `origin`
    its kind: handbook, default, rules_file, environment or command_line. The language is
    the one in effect, which --lang and VIP_LANG choose before the rules file (§16)."""
    from vipcli import i18n
    from vipcli.config import HANDBOOK_FIGURES

    rows = []
    for name, value, source in loaded.effective():
        origin = "rules_file" if source != "default" else (
            "handbook" if name in HANDBOOK_FIGURES else "default")
        if name == "lang":
            value, source, origin = _language(value, source, origin, i18n)
        rows.append((name, value, source, origin))
    return rows


def _language(value: object, source: str, origin: str, i18n: Any) -> tuple[object, str, str]:
    if any(arg == "--lang" or arg.startswith("--lang=") for arg in sys.argv[1:]):
        return i18n.language(), "command line --lang", "command_line"
    if i18n.normalise(os.environ.get("VIP_LANG")):
        return i18n.language(), "environment VIP_LANG", "environment"
    return value, source, origin


def _value(value: object) -> str:
    if isinstance(value, tuple):  # [privileges]: one line each, in the screens' language
        return "\n".join(_(str(item)) for item in value)
    return str(value)
