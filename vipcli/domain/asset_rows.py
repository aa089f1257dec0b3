"""The hot path of the monthly asset extract (12M rows, SPEC §12): plain Python, no database.

Clean chunks are converted column-wise, without a per-row parser; anything unusual falls
back to `rows.convert`, which says what is wrong. Both paths agree on every row they
accept (tested with hypothesis in tests/unit/test_rows.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_AMOUNTS = re.compile(r"(?:[0-9]{1,15}(?:\.[0-9]{2})?\n)*[0-9]{1,15}(?:\.[0-9]{2})?")


def clean_chunk(positions: Sequence[int], last_month: str, block: list[list[str]]) -> bool:
    """True when every row of the chunk is plain: exactly the three columns, ids of letters
    and digits, months up to `last_month`, amounts with exactly 2 decimals. Such a chunk
    may go to the database as it is, the amount turned into fen by dropping its point.
    Ids and months are checked once per distinct value, amounts with one regex."""
    widths = set(map(len, block))
    if len(widths) != 1 or widths.pop() <= max(positions):
        return False
    columns = list(zip(*block, strict=True))
    ids, months, amounts = (columns[p] for p in positions)
    if not all(0 < len(i) <= 32 and i.isalnum() for i in set(ids)):
        return False
    if not all(_plain_month(m, last_month) for m in set(months)):
        return False
    joined = "\n".join(amounts)
    return joined.count(".") == len(amounts) and _AMOUNTS.fullmatch(joined) is not None


def fast_assets_chunk(
    positions: Sequence[int], last_month: str, block: list[list[str]]
) -> list[tuple[str, str, int]] | None:
    """A clean chunk (see `clean_chunk`) as (customer_id, month, fen) tuples; None when any
    row is not clean, and the caller goes row by row (`fast_assets`, then `convert`)."""
    if not clean_chunk(positions, last_month, block):
        return None
    ci, mi, ai = positions
    return [(row[ci], row[mi], int(row[ai].replace(".", ""))) for row in block]


def _plain_month(month: str, last_month: str) -> bool:
    return (
        len(month) == 7
        and month.isascii()
        and month[4] == "-"
        and month[:4].isdigit()
        and month[5:].isdigit()
        and "01" <= month[5:] <= "12"
        and "1900-01" <= month <= last_month
    )


def fast_assets(
    positions: Sequence[int], last_month: str, rows: list[tuple[int, list[str]]]
) -> tuple[list[tuple[str, str, int]], list[int], list[tuple[int, list[str]]]]:
    """The hot path of the asset extract (12M rows): clean cells become (customer_id, month,
    fen) tuples by hand, with their row numbers; anything unusual is returned for `convert`,
    which says what is wrong.

    Agrees with `convert` on every row it accepts (tested with hypothesis)."""
    ci, mi, ai = positions
    good: list[tuple[str, str, int]] = []
    numbers: list[int] = []
    slow: list[tuple[int, list[str]]] = []
    append = good.append
    number = numbers.append
    for item in rows:
        cells = item[1]
        try:
            cid = cells[ci]
            month = cells[mi]
            amount = cells[ai]
        except IndexError:
            slow.append(item)
            continue
        whole, dot, frac = amount.partition(".")
        if (
            0 < len(cid) <= 32
            and cid.isalnum()
            and len(month) == 7
            and month[4] == "-"
            and month.isascii()
            and "1900-01" <= month <= last_month
            and month[:4].isdigit()
            and month[5:].isdigit()
            and "01" <= month[5:] <= "12"
            and 0 < len(whole) <= 15
            and whole.isascii()
            and whole.isdigit()
            and (not dot or (0 < len(frac) <= 2 and frac.isascii() and frac.isdigit()))
        ):
            number(item[0])
            if not frac:
                append((cid, month, int(whole) * 100))
            elif len(frac) == 2:
                append((cid, month, int(whole) * 100 + int(frac)))
            else:
                append((cid, month, int(whole) * 100 + int(frac) * 10))
        else:
            slow.append(item)
    return good, numbers, slow

