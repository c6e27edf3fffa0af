"""Where a test file's bytes come from: a file of the recipe folder, a file of the app's own source
tree (`source:testdata/testinput1`: an app's test data, never copied into the recipe), or data
generated on the spot (`generated:text:1M:7`: deterministic, so host and board get the same
bytes, and no megabyte of test data is committed)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SOURCE_PREFIX = "source:"
CASE_PREFIX = "case:"
GENERATED_PREFIX = "generated:"
GENERATED_KINDS = ("text", "random", "zeros")
_WORDS = ("alpha", "beta", "gamma", "delta", "port", "kernel", "board", "file", "line", "data",
          "lorem", "ipsum", "zlib", "deflate", "stream", "block", "the", "of", "and", "to")


@dataclass(frozen=True)
class SourceFile:
    """A file of the app's source tree, relative to its root (resolved when the case runs)."""

    rel: str

    def __str__(self) -> str:
        return SOURCE_PREFIX + self.rel


@dataclass(frozen=True)
class GeneratedFile:
    kind: str  # one of GENERATED_KINDS
    size: int  # bytes
    seed: int

    def __str__(self) -> str:
        return f"{GENERATED_PREFIX}{self.kind}:{self.size}:{self.seed}"

    def data(self) -> bytes:
        rng = random.Random(self.seed)
        if self.kind == "zeros":
            return bytes(self.size)
        if self.kind == "random":
            return rng.randbytes(self.size)
        out = bytearray()
        while len(out) < self.size:  # compressible text: words, spaces, lines of 60-80 bytes
            line = []
            while sum(len(w) + 1 for w in line) < rng.randint(60, 80):
                line.append(rng.choice(_WORDS))
            out += (" ".join(line) + "\n").encode()
        return bytes(out[:self.size])


@dataclass(frozen=True)
class CaseOutput:
    """What an earlier case produced on the same side (`case:NAME/stdout` or
    `case:NAME/FILE`, FILE one of its compare_files): the host run reads the host's output, the
    board run the board's, so a chain (compress, then decompress what was compressed; write a
    database, then read it in a second run) is run on both sides and compared at each step."""

    case: str
    what: str  # "stdout" or a path the case wrote (one of its compare_files)

    def __str__(self) -> str:
        return f"{CASE_PREFIX}{self.case}/{self.what}"


FileRef = Path | SourceFile | GeneratedFile | CaseOutput


def read_ref(ref: FileRef, source_root: Path | None,
             outputs: Callable[[CaseOutput], bytes] | None = None) -> bytes:
    """The bytes of `ref`; a SourceFile needs the app's source tree (`source_root`), a
    CaseOutput the side's earlier results (`outputs`)."""
    if isinstance(ref, CaseOutput):
        if outputs is None:
            raise FileNotFoundError(f"{ref}: no earlier case outputs here")
        return outputs(ref)
    if isinstance(ref, GeneratedFile):
        return ref.data()
    if isinstance(ref, SourceFile):
        if source_root is None:
            raise FileNotFoundError(f"{ref}: the app's source tree is not known here")
        return (source_root / ref.rel).read_bytes()
    return Path(ref).read_bytes()
