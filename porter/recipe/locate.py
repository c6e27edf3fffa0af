"""Where each key of a TOML document is written.

tomllib returns values without positions, so a second, small scan of the (already valid) text maps
every key path to the line:col of its key: ("build", "arch", "aarch64", "cflags") for a key in
`[build.arch.aarch64]` or a dotted key, ("test", "case", 2, "argv") for the third `[[test.case]]`,
("test", "masks", 0, "pattern") for a key of an inline table inside an array.
"""

from __future__ import annotations

import bisect
import tomllib

KeyPath = tuple[str | int, ...]
Pos = tuple[int, int]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class KeyPositions:
    """Key path -> (line, col), both 1-based. A path that was never written (a default, a value
    inside a multi-line string) answers with its nearest written ancestor."""

    def __init__(self, found: dict[KeyPath, Pos]):
        self._found = found

    def of(self, path: KeyPath) -> Pos | None:
        for n in range(len(path), -1, -1):
            pos = self._found.get(tuple(path[:n]))
            if pos is not None:
                return pos
        return None

    def __contains__(self, path: KeyPath) -> bool:
        return tuple(path) in self._found


def locate_keys(text: str) -> KeyPositions:
    scanner = _Scanner(text)
    try:
        scanner.document()
    except _Stop:
        pass  # keep what was found: a position is a help for messages, never a requirement
    return KeyPositions(scanner.found)


class _Stop(Exception):
    pass


class _Scanner:
    def __init__(self, text: str):
        self.s = text
        self.i = 0
        self.starts = [0] + [n + 1 for n, c in enumerate(text) if c == "\n"]
        self.found: dict[KeyPath, Pos] = {}
        self.aot: dict[KeyPath, int] = {}  # array-of-tables path -> index of its latest element

    # -- positions and characters ------------------------------------------------------------

    def pos(self, i: int) -> Pos:
        line = bisect.bisect_right(self.starts, i)
        return line, i - self.starts[line - 1] + 1

    def record(self, path: KeyPath, i: int) -> None:
        self.found.setdefault(path, self.pos(i))

    def peek(self, n: int = 1) -> str:
        return self.s[self.i:self.i + n]

    def expect(self, token: str) -> None:
        self.skip_spaces()
        if not self.s.startswith(token, self.i):
            raise _Stop
        self.i += len(token)

    def skip_spaces(self) -> None:
        while self.peek() in (" ", "\t"):
            self.i += 1

    def skip_blank(self) -> None:
        """Spaces, newlines and comments (between lines and inside arrays)."""
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t\r\n":
                self.i += 1
            elif c == "#":
                self.skip_line()
            else:
                return

    def skip_line(self) -> None:
        end = self.s.find("\n", self.i)
        self.i = len(self.s) if end < 0 else end + 1

    # -- grammar -----------------------------------------------------------------------------

    def document(self) -> None:
        table: KeyPath = ()
        while True:
            self.skip_blank()
            if self.i >= len(self.s):
                return
            start = self.i
            if self.peek(2) == "[[":
                self.i += 2
                table = self.array_table(self.key(), start)
                self.expect("]]")
            elif self.peek() == "[":
                self.i += 1
                table = self.resolve(self.key())
                self.expect("]")
            else:
                self.keyval(table)
            self.skip_line()  # rest of the line: spaces and a comment at most

    def resolve(self, keys: list[tuple[str, int]]) -> KeyPath:
        """A table header's path; a segment naming an array of tables means its latest element."""
        path: KeyPath = ()
        for name, at in keys:
            path += (name,)
            self.record(path, at)
            if path in self.aot:
                path += (self.aot[path],)
        return path

    def array_table(self, keys: list[tuple[str, int]], start: int) -> KeyPath:
        path = self.resolve(keys[:-1]) + (keys[-1][0],)
        self.record(path, keys[-1][1])
        index = self.aot.get(path, -1) + 1
        self.aot[path] = index
        path += (index,)
        self.record(path, start)
        return path

    def key(self) -> list[tuple[str, int]]:
        """A possibly dotted key: each segment with the index where it is written."""
        segments = []
        while True:
            self.skip_spaces()
            at = self.i
            c = self.peek()
            if c in ('"', "'"):
                self.string()
                segments.append((tomllib.loads("k = " + self.s[at:self.i])["k"], at))
            else:
                while self.peek() and self.peek() in _BARE:
                    self.i += 1
                if self.i == at:
                    raise _Stop
                segments.append((self.s[at:self.i], at))
            self.skip_spaces()
            if self.peek() != ".":
                return segments
            self.i += 1

    def keyval(self, table: KeyPath) -> None:
        path = table
        for name, at in self.key():
            path += (name,)
            self.record(path, at)
        self.expect("=")
        self.skip_spaces()
        self.value(path)

    def value(self, path: KeyPath) -> None:
        c = self.peek()
        if c in ('"', "'"):
            self.string()
        elif c == "[":
            self.array(path)
        elif c == "{":
            self.inline_table(path)
        else:  # number, boolean or date-time: up to whatever ends a value
            start = self.i
            while self.peek() and self.peek() not in ",]}#\n":
                self.i += 1
            if self.i == start:
                raise _Stop

    def array(self, path: KeyPath) -> None:
        self.i += 1
        index = 0
        while True:
            self.skip_blank()
            if self.peek() == "]":
                self.i += 1
                return
            if not self.peek():
                raise _Stop
            self.record(path + (index,), self.i)
            self.value(path + (index,))
            index += 1
            self.skip_blank()
            if self.peek() == ",":
                self.i += 1

    def inline_table(self, path: KeyPath) -> None:
        self.i += 1
        while True:
            self.skip_blank()
            if self.peek() == "}":
                self.i += 1
                return
            if not self.peek():
                raise _Stop
            self.keyval(path)
            self.skip_blank()
            if self.peek() == ",":
                self.i += 1

    def string(self) -> None:
        quote = self.peek()
        if self.peek(3) == quote * 3:
            end = self.find_close(quote * 3, self.i + 3, escapes=quote == '"')
            # up to two quotes may stand right before the closing three
            while self.s.startswith(quote, end + 3):
                end += 1
            self.i = end + 3
        else:
            self.i = self.find_close(quote, self.i + 1, escapes=quote == '"') + 1

    def find_close(self, token: str, i: int, escapes: bool) -> int:
        while i < len(self.s):
            if escapes and self.s[i] == "\\":
                i += 2
            elif self.s.startswith(token, i):
                return i
            else:
                i += 1
        raise _Stop
