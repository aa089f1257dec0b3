"""The one error family of vip (one place in the CLI renders them).

Every error carries a message a bank clerk understands and the exit code of the
command contract (SPEC §15): 1 for refused input, 2 for an unmet precondition.
"""

from __future__ import annotations

from typing import TypedDict


class ErrorDetail(TypedDict):
    """One invalid row of an import (§15 `errors`): row as in a spreadsheet, column, message."""

    row: int | None
    column: str | None
    message: str


class VipError(Exception):
    """Base of every error a user may see; never shown as a traceback."""

    exit_code = 1

    def __init__(self, message: str, *, details: list[ErrorDetail] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class InvalidInput(VipError):
    """Refused input: a bad option, a malformed row, a date in the future."""


class NotFound(VipError):
    """An unknown customer, staff member, product or request."""


class PermissionDenied(VipError):
    """The acting person may not do this or see this customer."""


class IdentityRequired(VipError):
    """The command needs --as / VIP_USER and none was given."""


class RuleViolation(VipError):
    """A business rule refuses the operation (e.g. signing without a valid risk assessment)."""


class ImportRejected(VipError):
    """An import file has invalid rows; nothing was written."""

    # Set when rows are invalid (every one counted, the first ones listed); unset when the
    # file or its header cannot be read.
    error_count: int


class ConfigError(VipError):
    """The rules file or configuration is invalid."""


class PreconditionFailed(VipError):
    """A precondition is not met (e.g. a missing asset month for screening)."""

    exit_code = 2


class DatabaseTooNew(PreconditionFailed):
    """The database was migrated by a newer vip than this one."""


class StalePlan(VipError):
    """A saved assignment plan no longer matches the book."""
