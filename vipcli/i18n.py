"""The language of every human-facing text (SPEC §16): Simplified Chinese by default.

Texts are written in English in the code, marked `_("…")`, and translated through the
standard gettext catalogs in vipcli/locale (`zh_CN` and `en`; see vipcli/locale/README.md
for the Babel commands that extract, update and compile them). The language comes from,
first to last: `--lang` on the command line, `VIP_LANG`, `lang = "…"` in the rules file,
else Simplified Chinese. JSON keeps its codes and keys in every language (§15).

Typer and its vendored Click translate their own words ("Usage", "Options", "Missing
option") through the standard library's *global* text domain, so `activate` binds that
domain to the same catalogs and sets `LANGUAGE` before Typer is imported
(vipcli/cli/__init__.py). The catalog itself is read on the first `_()` call, once.

Stdlib only: every layer may import this module, and `vip --help` pays ≈ 1 ms for it.
"""

from __future__ import annotations

import gettext as _gettext
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

DOMAIN = "vip"
LOCALE_DIR = Path(__file__).with_name("locale")
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")

# What a user may type for a language: the catalog's name, the usual spellings, or its own name.
_SPELLINGS = {
    "zh_cn": "zh_CN", "zh": "zh_CN", "zh-cn": "zh_CN", "zh_hans": "zh_CN", "zh-hans": "zh_CN",
    "cn": "zh_CN", "chinese": "zh_CN", "中文": "zh_CN", "简体中文": "zh_CN",
    "en": "en", "en_us": "en", "en-us": "en", "en_gb": "en", "en-gb": "en", "english": "en",
}

_language: str | None = None
_catalog: _gettext.NullTranslations | None = None


def normalise(value: str | None) -> str | None:
    """The catalog name for what a user typed ("en", "zh-CN", "中文" …), or None if unknown."""
    if value is None:
        return None
    return _SPELLINGS.get(value.strip().lower().split(".")[0])


def choose(argv: Sequence[str], environ: Mapping[str, str]) -> str:
    """--lang, then VIP_LANG, then the rules file's `lang`, then Simplified Chinese.

    An unknown spelling falls through to the next source here; the command line and the
    rules file then refuse it with a message naming the value (vipcli.cli.app, vipcli.config).
    """
    for given in (_option(argv, "--lang"), environ.get("VIP_LANG"), _rules_language(argv, environ)):
        chosen = normalise(given)
        if chosen:
            return chosen
    return DEFAULT_LANGUAGE


def _option(argv: Sequence[str], name: str) -> str | None:
    """The value of a global option, given as `--name VALUE` or `--name=VALUE`."""
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg[len(name) + 1:]
    return None


def _rules_language(argv: Sequence[str], environ: Mapping[str, str]) -> str | None:
    """`lang` at the top of the rules file that the command will read (§14), if any."""
    import tomllib

    from vipcli import paths

    try:
        explicit = _option(argv, "--rules") or environ.get("VIP_RULES")
        if not explicit:
            explicit = paths.local_config().get("rules")
        path = Path(explicit).expanduser() if explicit else paths.data_dir() / "rules.toml"
        if not path.is_file():
            return None
        value = tomllib.loads(path.read_text(encoding="utf-8")).get("lang")
    except Exception:  # noqa: BLE001 - a broken rules file is reported when the rules load
        return None
    return value if isinstance(value, str) else None


def activate(language: str) -> None:
    """Speak `language` from now on, in vip's texts and in Typer's and Click's own."""
    global _language, _catalog
    _language, _catalog = language, None
    os.environ["LANGUAGE"] = language
    _gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    _gettext.textdomain(DOMAIN)


def language() -> str:
    """The active language, chosen from the command line and environment on first use."""
    if _language is None:
        activate(choose(sys.argv[1:], os.environ))
    assert _language is not None
    return _language


def _translations() -> _gettext.NullTranslations:
    global _catalog
    if _catalog is None:
        _catalog = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language()], fallback=True)
    return _catalog


def _(message: str) -> str:
    """`message` in the active language."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the active language."""
    return _translations().ngettext(singular, plural, count)


def sentences(*parts: str) -> str:
    """Sentences one after another as the language writes them: Chinese runs them on
    (。 ends each), English puts a space between."""
    return ("" if language().startswith("zh") else " ").join(p for p in parts if p)


def N_(message: str) -> str:
    """Mark a text for the catalogs where it is defined; translate it with `_()` where shown."""
    return message
