"""Where vip keeps its files: the user data directory and the local config file.

VIP_HOME overrides the directory (tests point it at a temp dir); otherwise
$XDG_DATA_HOME/vip or ~/.local/share/vip. Nothing here touches the disk at import.
"""

from __future__ import annotations

import os
import tomllib
from gettext import gettext as _
from pathlib import Path
from typing import Any

from vipcli.errors import ConfigError

# vipcli.i18n reads this module (the rules file's `lang`): importing it back would be a
# cycle, so these texts go through the global gettext domain that i18n.activate binds
# to the same catalogs.


def data_dir() -> Path:
    home = os.environ.get("VIP_HOME")
    if home:
        return Path(home).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return base / "vip"


def default_db_path() -> Path:
    return data_dir() / "vip.db"


def demo_db_path() -> Path:
    return data_dir() / "demo.db"


def local_config_path() -> Path:
    return data_dir() / "config.toml"


def local_config() -> dict[str, Any]:
    """The optional local config file: `user = "S001"`, `db = "…"`, `rules = "…"`."""
    path = local_config_path()
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(_("config file {path} cannot be read: {problem}").format(path=path, problem=exc)) from None
    unknown = set(data) - {"user", "db", "rules"}
    if unknown:
        raise ConfigError(_("config file {path}: unknown setting {name!r} (allowed: user, db, rules)")
                          .format(path=path, name=sorted(unknown)[0]))
    return data
