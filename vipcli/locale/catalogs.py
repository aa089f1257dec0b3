"""Extract, update and compile vip's gettext catalogs with Babel (SPEC §16).

    .venv/bin/python vipcli/locale/catalogs.py                  # after changing texts
    .venv/bin/python vipcli/locale/catalogs.py --fill zh.json   # add translations

Extracts every `_()`, `N_()` and `ngettext()` text from vipcli/ and the words Typer and its
vendored Click print themselves (their global-domain `_()`), writes vip.pot, updates
zh_CN/LC_MESSAGES/vip.po and en/LC_MESSAGES/vip.po from it (no fuzzy guesses: a new text
stays untranslated until someone translates it, and tests/unit/test_catalogs.py fails
until then), fills translations from the JSON files given (`{"English": "中文"}`),
gives the English catalog its own text, and compiles both `.mo` files shipped in the wheel.
A maintainer's tool: it needs Babel (the test extra) and is not imported by vip.
"""

from __future__ import annotations

import argparse
import fcntl
import json
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# Typer's and Click's own words that reach a user of vip (usage, help headings, errors).
TYPER_FILES = ("core.py", "main.py", "_click/core.py", "_click/exceptions.py",
               "_click/parser.py", "_click/types.py", "_click/formatting.py",
               "_click/decorators.py", "_click/termui.py")


def template() -> Catalog:
    """Every text vip shows, as a Babel catalog with no translations."""
    import typer

    pot = Catalog(project="vip", domain="vip", charset="utf-8")
    for path in sorted(PACKAGE.rglob("*.py")):
        if "locale" in path.parts:
            continue
        rel = path.relative_to(PACKAGE.parent).as_posix()
        _add(pot, path, rel)
    typer_dir = Path(typer.__file__).parent
    for name in TYPER_FILES:
        path = typer_dir / name
        if path.is_file():
            _add(pot, path, f"typer/{name}")
    return pot


def _add(pot: Catalog, path: Path, rel: str) -> None:
    from babel.messages.extract import extract

    with path.open("rb") as fh:
        for lineno, message, comments, context in extract("python", fh, keywords=KEYWORDS):
            pot.add(message, None, [(rel, lineno)], auto_comments=comments, context=context)


def update(fills: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Update both catalogs from the code; return (translated, total) per language."""
    pot = template()
    with (HERE / "vip.pot").open("wb") as fh:
        write_po(fh, pot, width=100, omit_header=False, sort_output=True)
    coverage = {}
    for lang in ("zh_CN", "en"):
        po_path = HERE / lang / "LC_MESSAGES" / "vip.po"
        po_path.parent.mkdir(parents=True, exist_ok=True)
        if po_path.is_file():
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=lang, domain="vip")
        else:
            catalog = Catalog(locale=lang, domain="vip", project="vip", charset="utf-8")
        catalog.update(pot, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        done = 0
        for message in catalog:
            if not message.id:
                continue
            if lang == "en":
                message.string = _english(message)
            elif isinstance(message.id, str) and message.id in fills:
                message.string = fills[message.id]
            elif isinstance(message.id, tuple) and message.id[0] in fills:
                # Chinese has one plural form: the singular's translation serves every count.
                given = fills[message.id[0]]
                message.string = tuple(given) if isinstance(given, list) else (given,)
            if lang == "en" or (isinstance(message.id, str) and message.id in fills):
                message.flags.discard("fuzzy")
            if message.string and (not isinstance(message.string, tuple) or all(message.string)):
                done += 1
        coverage[lang] = (done, len([m for m in catalog if m.id]))
        with po_path.open("wb") as fh:
            write_po(fh, catalog, width=100, sort_output=True, include_previous=False)
        with po_path.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)
    return coverage


def _english(message) -> str | tuple[str, ...]:
    """The English catalog speaks the code's own English: its text, or both plural forms."""
    if isinstance(message.id, tuple):
        return tuple(message.id[:2])
    return message.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fill", nargs="*", default=[], metavar="JSON",
                        help="translations to add: a JSON object {English: Chinese}")
    args = parser.parse_args()
    fills: dict[str, str] = {}
    for name in args.fill:
        fills.update(json.loads(Path(name).read_text(encoding="utf-8")))
    # One writer at a time: several people (or helpers) may run this at once.
    with (HERE / ".catalogs.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        coverage = update(fills)
    for lang, (done, total) in coverage.items():
        print(f"{lang}: {done}/{total} translated")


if __name__ == "__main__":
    main()
