"""The migration revisions this code knows, so opening a database needs no Alembic import.

Keep in step with migrations/versions (a test checks it): append each new revision.
"""

REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")
HEAD = REVISIONS[-1]
