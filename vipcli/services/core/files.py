"""Files vip writes (exports, backups, restores) that cannot destroy anything (§12, §13).

- Never over an existing file unless `force`; never over the database or its `-wal`,
  `-shm` or `-journal` even then. Paths are compared resolved (a relative path or a
  symlink to the database is caught) and, for a file that exists, by inode (a hard link).
- Written to a temporary file in the target's folder (the same filesystem, so the rename
  is atomic), fsynced, then renamed into place: a reader, a crash or a `kill -9` sees the
  old file or the complete new one, never a part. Without `force` the file is put in
  place by a hard link, which fails if a file of that name appeared meanwhile.
- Missing folders are created 0700, the file 0600.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from vipcli.errors import InvalidInput
from vipcli.i18n import _

SIDECARS = ("-wal", "-shm", "-journal")


def database_files(database: Path | None) -> list[Path]:
    """The SQLite database and the files SQLite keeps beside it; none for a server."""
    if database is None:
        return []
    return [database, *(database.with_name(database.name + s) for s in SIDECARS)]


def database_file(path: Path, protected: Sequence[Path]) -> Path | None:
    """The file of `protected` that `path` names, resolved or through a hard link."""
    for file in protected:
        if path.resolve() == file.resolve():
            return file
        try:
            if os.path.samefile(path, file):
                return file
        except OSError:  # one of them does not exist
            continue
    return None


def check_target(output: str, *, force: bool, protected: Sequence[Path]) -> Path:
    """The file to write, refused before any work if writing it could destroy something."""
    if not output.strip():
        raise InvalidInput(_("the file to write is empty: give a file name"))
    path = Path(output).expanduser()
    file = database_file(path, protected)
    if file is not None:
        raise InvalidInput(
            _("refusing to write {path}: it is the database file {file} (not even with --force); "
              "choose another file").format(path=path, file=file)
        )
    if path.is_dir():
        raise InvalidInput(_("cannot write {path}: it is a folder; give a file name").format(path=path))
    if path.exists() or path.is_symlink():
        if not force:
            raise _exists(path)
        if not path.is_file():
            raise InvalidInput(_("cannot replace {path}: it is not a regular file").format(path=path))
    return path


def _exists(path: Path) -> InvalidInput:
    return InvalidInput(_("{path} already exists; choose a new file name, or pass --force to "
                          "replace it").format(path=path))


def make_folders(folder: Path) -> None:
    """Create the missing folders of `folder`, each readable by its owner only (0700)."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    if not current.is_dir():
        raise InvalidInput(_("cannot create the folder {folder}: {current} is not a folder")
                               .format(folder=folder, current=current))
    for new in reversed(missing):
        try:
            os.mkdir(new, 0o700)
        except FileExistsError:
            continue
        os.chmod(new, 0o700)  # whatever the umask


@contextmanager
def temporary_beside(path: Path, purpose: str) -> Iterator[Path]:
    """A new empty 0600 file in `path`'s folder, named after it; removed unless placed.
    A process killed before `place` leaves only this hidden `….partial` file."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".{purpose}.partial",
                                dir=path.parent)
    os.close(fd)  # mkstemp creates it 0600
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def write_bytes(path: Path, content: bytes) -> None:
    with open(path, "wb") as file:
        file.write(content)
        file.flush()
        os.fsync(file.fileno())


def fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def place(temporary: Path, path: Path, *, force: bool) -> None:
    """Put the complete, fsynced temporary file at `path` in one step. Without `force` a
    hard link, which never replaces a file that appeared since `check_target`."""
    os.chmod(temporary, 0o600)
    if force:
        os.replace(temporary, path)
    else:
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise _exists(path) from None
        except OSError:  # a filesystem without hard links: check, then rename
            if path.exists() or path.is_symlink():
                raise _exists(path) from None
            os.rename(temporary, path)
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut; a filesystem that cannot sync a
    folder (some network shares) still has the complete file, only maybe not yet named."""
    try:
        fsync(folder)
    except OSError:
        pass
