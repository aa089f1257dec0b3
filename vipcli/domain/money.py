"""Exact money: integer fen in storage, Decimal in arithmetic, strings in JSON (SPEC §1, §15)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN_PER_YUAN = 100
_CENT = Decimal("0.01")


def parse_yuan(text: str) -> int:
    """'1,000,000.00' → 100000000 fen. At most two decimals; raises ValueError otherwise."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    if cleaned.startswith("¥") or cleaned.startswith("￥"):
        cleaned = cleaned[1:]
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"expected an amount in CNY like 1000000.00, got {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"expected an amount in CNY like 1000000.00, got {text!r}")
    try:
        exact = value == value.quantize(_CENT)
    except InvalidOperation:  # e.g. '1e400': too many digits to hold in fen
        raise ValueError(f"expected an amount in CNY like 1000000.00, got {text!r}") from None
    if not exact:
        raise ValueError(f"expected at most 2 decimals, got {text!r}")
    return yuan_to_fen(value)


def yuan_to_fen(amount: Decimal | int) -> int:
    """An exact amount in yuan (the rules' money, at most two decimals) → integer fen."""
    return int(amount * FEN_PER_YUAN)


def yuan(fen: int | Decimal) -> Decimal:
    """Fen (possibly a fractional mean) → yuan, rounded half-up to the fen for display (§1)."""
    return (Decimal(fen) / FEN_PER_YUAN).quantize(_CENT, rounding=ROUND_HALF_UP)


def money_str(fen: int | Decimal | None) -> str | None:
    """JSON money: a string with two decimals ("1000000.00"), or None."""
    return None if fen is None else format(yuan(fen), "f")


def money_display(fen: int | Decimal | None) -> str:
    """Tables: thousands separators, two decimals."""
    return "—" if fen is None else f"{yuan(fen):,.2f}"


def money_str_display(text: str | None) -> str:
    """A JSON money string ("1000000.00") as a table shows it ("1,000,000.00")."""
    return "—" if text is None else f"{Decimal(text):,.2f}"
