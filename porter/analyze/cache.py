"""Per-TU fact cache under `cache_dir()/analyze/tu/`.

An entry is found by a key over (extractor version, settings, libclang version, source path,
arguments, source contents) and is valid only while every file the TU included still has the
content hash recorded with it (the headers are known only after parsing, as in ccache's direct
mode). The platform profile is not part of the key: re-classifying never re-parses.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from bkport.fsutil import write_if_changed
from bkport.paths import cache_dir

FORMAT = 2


class FileHashes:
    """Content hashes, each computed at most once per run (files do not change during one run).
    `stamp` gives (mtime, size, hash); `same` re-hashes only a file whose stat changed."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[int, int, str] | None] = {}
        self._checked: dict[str, tuple[int, int] | None] = {}

    def stamp(self, path: str) -> tuple[int, int, str] | None:
        if path not in self._seen:
            try:
                st = os.stat(path)
                digest = hashlib.sha1(Path(path).read_bytes()).hexdigest()
                self._seen[path] = (st.st_mtime_ns, st.st_size, digest)
            except OSError:
                self._seen[path] = None
        return self._seen[path]

    def get(self, path: str) -> str | None:
        s = self.stamp(path)
        return s[2] if s else None

    def same(self, path: str, recorded: tuple[int, int, str]) -> bool:
        if path not in self._checked:
            try:
                st = os.stat(path)
                self._checked[path] = (st.st_mtime_ns, st.st_size)
            except OSError:
                self._checked[path] = None
        now = self._checked[path]
        if now is None:
            return False
        if now == recorded[:2]:
            return True
        return self.get(path) == recorded[2]


class FactCache:
    def __init__(self, salt: str, root: Path | None = None, enabled: bool = True):
        self.root = root or (cache_dir() / "analyze" / "tu")
        self.salt = salt
        self.enabled = enabled
        self.hashes = FileHashes()
        self.hits = 0
        self.misses = 0
        self._folders: set[Path] = set()

    def key(self, file: str, args: tuple[str, ...]) -> str | None:
        src = self.hashes.get(file)
        if src is None:
            return None
        h = hashlib.sha256()
        for part in (str(FORMAT), self.salt, file, "\0".join(args), src):
            h.update(part.encode())
            h.update(b"\0")
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.pkl"

    def has_entry(self, key: str | None) -> bool:
        """Whether an entry exists for `key` (still to be validated by `get`); False is certain:
        that TU must be parsed."""
        return self.enabled and key is not None and self._path(key).is_file()

    def get(self, key: str | None) -> dict | None:
        if not self.enabled or key is None:
            return None
        p = self._path(key)
        try:
            deps, facts = pickle.loads(p.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            self.misses += 1
            return None
        for path, stamp in deps.items():
            if not self.hashes.same(path, stamp):
                self.misses += 1
                return None
        self.hits += 1
        return facts

    def put(self, key: str | None, facts: dict) -> None:
        if not self.enabled or key is None or facts.get("fatal"):
            return
        deps = {}
        for path in [facts["file"], *facts.get("includes", [])]:
            stamp = self.hashes.stamp(path)
            if stamp is None:
                return  # a header vanished mid-run: do not cache
            deps[path] = stamp
        self._write(self._path(key), pickle.dumps((deps, facts), protocol=5))

    def _write(self, path: Path, data: bytes) -> None:
        """Write an entry atomically (a temporary file renamed into place, so a reader never
        sees half of one). An entry's name is its content's key, so it is never compared with
        what is there; its folder is made once per run: a cold run writes one entry per TU
        while the workers parse, and the parent's time is theirs."""
        folder = path.parent
        if folder not in self._folders:
            folder.mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)
        tmp = folder / f".{path.name}.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def code_fingerprint() -> str:
    """The analyser's own code and data: a new bkport never reuses an old document."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for p in sorted([*here.glob("*.py"), *(here / "data").glob("*")]):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


class DocCache:
    """The whole analysis document, keyed by every TU's fact key (arguments and source contents),
    the profile's inputs and the analyser's code; valid while every file any TU included keeps
    its stamp. A warm re-run with nothing changed loads one file instead of merging again."""

    def __init__(self, root: Path | None = None, enabled: bool = True):
        self.root = root or (cache_dir() / "analyze" / "doc")
        self.enabled = enabled

    def key(self, tu_keys: list[str | None], *parts: object) -> str | None:
        if not self.enabled or any(k is None for k in tu_keys):
            return None
        h = hashlib.sha256(code_fingerprint().encode())
        h.update(repr(parts).encode())
        for k in tu_keys:
            h.update(str(k).encode())
        return h.hexdigest()

    def get(self, key: str | None, hashes: FileHashes) -> dict | None:
        if key is None:
            return None
        try:
            deps, doc = pickle.loads((self.root / f"{key}.pkl").read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            return None
        if all(hashes.same(p, stamp) for p, stamp in deps.items()):
            return doc
        return None

    def put(self, key: str | None, doc: dict, deps: set[str], hashes: FileHashes) -> None:
        if key is None:
            return
        stamps = {}
        for p in sorted(deps):
            stamp = hashes.stamp(p)
            if stamp is None:
                return
            stamps[p] = stamp
        write_if_changed(self.root / f"{key}.pkl", pickle.dumps((stamps, doc), protocol=5))
