"""Masking of personal data in every listing and export (SPEC §13)."""

from __future__ import annotations


def _mask(value: str | None, keep_head: int, keep_tail: int) -> str | None:
    if value is None or value == "":
        return value
    if len(value) <= keep_head + keep_tail:
        return "*" * len(value)
    hidden = len(value) - keep_head - keep_tail
    return value[:keep_head] + "*" * hidden + value[len(value) - keep_tail :]


def mask_phone(phone: str | None) -> str | None:
    """138****5678: first 3 and last 4 digits."""
    return _mask(phone, 3, 4)


def mask_id_number(id_number: str | None) -> str | None:
    """First 3 and last 4 characters of an ID number."""
    return _mask(id_number, 3, 4)


def mask_account(account: str | None) -> str | None:
    """Card or account number: first 6 and last 4 digits."""
    return _mask(account, 6, 4)


def mask_card(card_no: str | None) -> str | None:
    """A card number as every output shows it: first 6 and last 4 digits (622202******1234)."""
    return _mask(card_no, 6, 4)


def mask_name(name: str | None) -> str | None:
    """陈**: the first character only, for a customer the reader may not see (§13, §18 a
    lead linked to a customer)."""
    if not name:
        return name
    return name[0] + "*" * (len(name) - 1)


def mask(field: str, value: str | None) -> str | None:
    """The masked form of a personal-data field ("phone" or "id_number") as stored beside
    its sealed value (§13): listings show it without the key."""
    return mask_phone(value) if field == "phone" else mask_id_number(value)
