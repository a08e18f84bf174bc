"""Opening an index folder this process must not or cannot write: through a folder of links.

tantivy takes a lock file in the index folder before it opens a reader
(``.tantivy-meta.lock``, created when missing), so an index on a read-only mount cannot
be opened in place at all, and a folder without that file (an index copied without its
hidden files) would gain one. Such a folder is opened through a private temporary folder
holding one symbolic link per index file and lock files of its own. A process that can
write the real folder may commit there meanwhile: :meth:`LinkedFolder.sync` links the
files of the new version before each reload.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from pathlib import Path

META_LOCK = ".tantivy-meta.lock"
LOCKS = frozenset({META_LOCK, ".tantivy-writer.lock"})  # this process's own, never linked


def opens_in_place(folder: Path) -> bool:
    """True when opening ``folder`` for reading writes nothing there: its lock file exists
    and this process may open it for writing (tantivy does, to lock it)."""
    return os.access(folder, os.W_OK) and os.access(folder / META_LOCK, os.W_OK)


class LinkedFolder:
    """A temporary folder of links to an index folder's files, removed on :meth:`close`
    (or when the object is collected, or at exit)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(os.path.abspath(folder))
        self.path = Path(tempfile.mkdtemp(prefix="policykb-index-"))
        self._remove = weakref.finalize(self, shutil.rmtree, str(self.path), ignore_errors=True)
        try:
            self.sync()
        except OSError:
            self.close()
            raise

    def sync(self) -> None:
        """Link the folder's files that are new, and unlink those that are gone (a reader
        that opened them keeps its mapping)."""
        wanted = {entry.name for entry in os.scandir(self.folder) if entry.name not in LOCKS}
        linked = {entry.name for entry in os.scandir(self.path) if entry.name not in LOCKS}
        for name in linked - wanted:
            os.unlink(self.path / name)
        for name in wanted - linked:
            os.symlink(self.folder / name, self.path / name)

    def close(self) -> None:
        self._remove()
