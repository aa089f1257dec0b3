"""The gettext catalogs (§16): every text vip shows has a Simplified Chinese and an English
translation, Simplified means Simplified, placeholders survive, the .mo files are compiled
from the .po files, and the catalogs hold exactly what the code marks."""

from __future__ import annotations

import io
import re
import string
from pathlib import Path

import pytest

babel = pytest.importorskip("babel")

from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

LOCALE = Path(__file__).resolve().parents[2] / "vipcli" / "locale"


def _catalog(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "vip.po").open("rb") as fh:
        return read_po(fh, locale=lang, domain="vip")


def _messages(lang: str):
    return [m for m in _catalog(lang) if m.id]


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def _ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_text_has_a_translation(lang):
    missing = [m.id for m in _messages(lang) if not all(_strings(m)) or m.fuzzy]
    assert not missing, f"{len(missing)} texts untranslated in {lang}, e.g. {missing[:5]}"


def test_the_catalogs_hold_exactly_what_the_code_marks():
    import sys

    sys.path.insert(0, str(LOCALE))
    try:
        from catalogs import template
    finally:
        sys.path.pop(0)
    marked = {m.id for m in template() if m.id}
    for lang in ("zh_CN", "en"):
        held = {m.id for m in _messages(lang)}
        assert marked - held == set(), f"{lang} lacks {sorted(marked - held, key=str)[:5]}: " \
            "run vipcli/locale/catalogs.py and translate"
        assert held - marked == set(), f"{lang} holds texts no longer in the code"


def test_simplified_chinese_has_no_traditional_only_characters():
    from opencc_purepy import OpenCC

    t2s = OpenCC("t2s")
    traditional = [s for m in _messages("zh_CN") for s in _strings(m) if t2s.convert(s) != s]
    assert not traditional, f"Traditional characters in zh_CN: {traditional[:5]}"


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_translations_keep_every_placeholder(lang):
    wrong = []
    for message in _messages(lang):
        for msgid, msgstr in zip(_ids(message), _strings(message), strict=False):
            try:
                if _fields(msgid) != _fields(msgstr):
                    wrong.append((msgid, msgstr))
            except ValueError:  # not a format string: compare % placeholders instead
                if sorted(re.findall(r"%\(?\w*\)?[sd]", msgid)) != sorted(
                        re.findall(r"%\(?\w*\)?[sd]", msgstr)):
                    wrong.append((msgid, msgstr))
    assert not wrong, f"placeholders differ: {wrong[:5]}"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_compiled_catalogs_match_their_sources(lang):
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(lang))
    shipped = (LOCALE / lang / "LC_MESSAGES" / "vip.mo").read_bytes()
    assert compiled.getvalue() == shipped, "run vipcli/locale/catalogs.py to recompile"
