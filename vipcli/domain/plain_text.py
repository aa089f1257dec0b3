"""Control characters in text that comes in (SPEC §13, output hygiene): plain Python.

NUL, ESC and the other C0 controls, DEL and the C1 controls (0x9b is a one-byte CSI on
some terminals) have no place in a name, a code or a note: an import cell or a free-text
option holding one is refused, naming where. Tab is the one exception, in free text.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")  # everything but tab
_CONTROL_OR_TAB = re.compile("[\x00-\x1f\x7f-\x9f]")
_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "a backspace", 0x09: "a tab", 0x0A: "a line break",
          0x0D: "a carriage return", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI"}


def control_character(text: str, *, free_text: bool = False) -> str | None:
    """None when `text` is clean, else the message refusing it, e.g. 'expected text
    without control characters, found ESC (U+001B) at character 4'. Tab is allowed in
    free text only."""
    found = (_CONTROL if free_text else _CONTROL_OR_TAB).search(text)
    if found is None:
        return None
    code = ord(found.group())
    what = f"{_NAMES.get(code, 'a control character')} (U+{code:04X}) at character {found.start() + 1}"
    if code == 0x09:
        return f"expected no tab here (tabs only in free text such as notes), found {what}"
    return f"expected text without control characters, found {what}"
