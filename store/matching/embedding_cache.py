"""Text embeddings kept on disk, so that reopening a store embeds only the texts it has never seen.

One SQLite file per model (`embeddings-<model identity>.sqlite3` in the data directory): the identity
hashes the model's files, so another model, or the same one changed, never reads vectors it didn't
make. Rows are keyed by a hash of the exact text embedded. SQLite writes each batch atomically; a file
that is not a sound cache (half-written, not SQLite, another format, vectors of the wrong size) is
replaced with a one-line warning. Where nothing can be written (a read-only data directory) the cache
reads what it can and stores nothing. Nothing here ever raises: a cache that fails is a cache that
misses.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

_log = logging.getLogger(__name__)

FORMAT = "factbot.embeddings/1"
_CHUNK = 500  # keys per SELECT ... IN (...)
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS embeddings (key BLOB NOT NULL UNIQUE, vector BLOB NOT NULL)",
)


def text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def model_identity(directory: Path, *settings: object) -> str:
    """A hash of every file of the model (and of the settings that change its vectors): the cache's name."""
    digest = hashlib.sha256(FORMAT.encode())
    for setting in settings:
        digest.update(repr(setting).encode())
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and not p.name.startswith(".")):
        digest.update(str(path.relative_to(directory)).encode())
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


class EmbeddingCache:
    """Unit-length float32 vectors of `dim` numbers by text, in one SQLite file; `None` path: no cache."""

    def __init__(self, path: Path | None, dim: int) -> None:
        self.path = path
        self.dim = dim
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()  # the encoding may run in a worker thread (ClaimStore._embed)
        self._write_failed = False
        if path is not None:
            self._db = self._open(path)

    @property
    def enabled(self) -> bool:
        return self._db is not None

    # -- opening ------------------------------------------------------------------------------------------
    def _open(self, path: Path) -> sqlite3.Connection | None:
        try:
            return self._connect(path)
        except (sqlite3.DatabaseError, ValueError) as exc:  # not SQLite, half-written, another format
            if not path.exists():
                _log.warning("embedding cache disabled: can't create %s (%s)", path, exc)
                return None
            _log.warning("embedding cache %s is unreadable (%s): starting a new one", path, exc)
        try:
            for stale in (path, path.with_name(path.name + "-journal")):
                stale.unlink(missing_ok=True)
            return self._connect(path)
        except (OSError, sqlite3.DatabaseError, ValueError) as exc:
            _log.warning("embedding cache disabled: can't replace %s (%s)", path, exc)
            return None

    def _connect(self, path: Path) -> sqlite3.Connection:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise sqlite3.OperationalError(str(exc)) from None
        db = sqlite3.connect(path, timeout=10, check_same_thread=False, isolation_level=None)
        try:
            if db.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise sqlite3.DatabaseError("the file fails SQLite's quick_check")
            meta = dict(db.execute("SELECT name, value FROM meta").fetchall()) if _has_meta(db) else {}
            if not meta and db.execute("SELECT count(*) FROM sqlite_master").fetchone() != (0,):
                raise ValueError("it is some other SQLite database")
            if not meta:
                _create(db, self.dim)
            elif meta != {"format": FORMAT, "dim": str(self.dim)}:
                raise ValueError(f"it holds {meta}, not {FORMAT} vectors of {self.dim}")
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # -- reading and writing --------------------------------------------------------------------------
    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached vector of each text that has a sound one."""
        if self._db is None or not texts:
            return {}
        text_of = {text_key(t): t for t in texts}
        keys = list(text_of)
        rows: list[tuple[bytes, bytes]] = []
        with self._lock:
            try:
                for i in range(0, len(keys), _CHUNK):
                    chunk = keys[i : i + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows += self._db.execute(f"SELECT key, vector FROM embeddings WHERE key IN ({marks})", chunk)
            except sqlite3.Error as exc:
                _log.warning("embedding cache %s can't be read (%s): embedding without it", self.path, exc)
                return {}
        rows = [(k, v) for k, v in rows if len(v) == 4 * self.dim]
        if not rows:
            return {}
        vectors = np.frombuffer(b"".join(v for _, v in rows), dtype=np.float32).reshape(len(rows), self.dim)
        # a vector damaged on disk is embedded again rather than trusted
        sound = np.isfinite(vectors).all(axis=1) & (np.abs(np.einsum("ij,ij->i", vectors, vectors) - 1.0) < 1e-3)
        return {text_of[k]: vectors[i] for i, (k, _) in enumerate(rows) if sound[i]}

    def put(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store the vectors of `texts` in one transaction (all or none)."""
        if self._db is None or not texts:
            return
        data = np.ascontiguousarray(vectors, dtype=np.float32)
        rows = [(text_key(t), data[i].tobytes()) for i, t in enumerate(texts)]
        self._write(lambda db: db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?)", rows))

    def retain(self, texts: Iterable[str]) -> int:
        """Drop every entry but those of `texts` (the ones a full rebuild used); returns how many were dropped.
        The file is compacted when most of it was dropped."""
        if self._db is None:
            return 0
        wanted = {text_key(t) for t in texts}
        with self._lock:
            try:
                known = [k for (k,) in self._db.execute("SELECT key FROM embeddings")]
            except sqlite3.Error:
                return 0
        stale = [(k,) for k in known if k not in wanted]
        if stale:
            self._write(lambda db: db.executemany("DELETE FROM embeddings WHERE key = ?", stale))
            if len(stale) > len(known) - len(stale):
                self._write(lambda db: db.execute("VACUUM"), transaction=False)
        return len(stale)

    def _write(self, action: Callable[[sqlite3.Connection], object], *, transaction: bool = True) -> None:
        with self._lock:
            if self._db is None:
                return
            try:
                with _transaction(self._db) if transaction else contextlib.nullcontext():
                    action(self._db)
            except sqlite3.Error as exc:  # read-only directory, disk full, locked by another process
                if not self._write_failed:
                    _log.warning(
                        "embedding cache %s can't be written (%s): new embeddings are not kept", self.path, exc
                    )
                self._write_failed = True


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN ... COMMIT, or ROLLBACK on any error (the connection is in autocommit mode)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _has_meta(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is not None


def _create(db: sqlite3.Connection, dim: int) -> None:
    with _transaction(db):
        for statement in _SCHEMA:
            db.execute(statement)
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("dim", str(dim))])
