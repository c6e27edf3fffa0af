"""newlib, the C library BlueOS's C apps link (arm-none-eabi GCC + newlib, its OS hooks retargeted
to the kernel by librs's `_read`/`_write`/... set): the archive's members as data, and what each
function reaches that neither newlib nor librs defines.

The snapshot (`data/newlib-members.tsv`) is made from Debian's libnewlib-arm-none-eabi by
`bkport blueos import --newlib ARCHIVE`, so the blueos profile needs no toolchain at run time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from bkport.blueos.facts import DATA, Provenance, read_tsv, render_tsv

FILE = "newlib-members.tsv"
COLUMNS = ("member", "defines", "references")
TITLE = ("newlib's libc.a for Cortex-M (thumb/v7-m/nofp): each archive member's global "
         "definitions and undefined references")
HEADERS_FILE = "newlib-headers.tsv"
HEADERS_TITLE = "the headers newlib installs for arm-none-eabi (relative to its include folder)"


@dataclass(frozen=True)
class NewlibArchive:
    members: dict[str, tuple[frozenset[str], frozenset[str]]]  # member -> (defines, references)
    headers: frozenset[str]  # "sys/stat.h", ...
    provenance: Provenance

    @cached_property
    def owner(self) -> dict[str, str]:
        return {s: m for m, (defs, _) in self.members.items() for s in defs}

    def defines(self, name: str) -> bool:
        return name in self.owner

    def needs(self, name: str, provided: frozenset[str]) -> frozenset[str]:
        """The symbols outside newlib that linking `name` from newlib pulls in, following newlib's
        own references; a symbol in `provided` (librs's exports) is taken from there instead and
        not followed, as the linker would."""
        from bkport.posixspec.picolibc import NOT_HOOKS

        owner = self.owner
        out: set[str] = set()
        start = owner.get(name)
        if start is None:
            return frozenset()
        seen, stack = {start}, [start]
        while stack:
            for ref in self.members[stack.pop()][1]:
                if ref in provided or NOT_HOOKS.fullmatch(ref):
                    continue
                m = owner.get(ref)
                if m is None:
                    out.add(ref)
                elif m not in seen:
                    seen.add(m)
                    stack.append(m)
        return frozenset(out)


def read_archive(archive: Path) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Members of a static library, by llvm-nm."""
    from bkport.posixspec.picolibc import _analyse, _nm

    _, defs, undefs = _analyse(_nm(archive))
    return {m: (frozenset(defs[m]), frozenset(undefs.get(m, ()))) for m in sorted(defs)
            if defs[m] or undefs.get(m)}


def read_headers(include: Path) -> frozenset[str]:
    return frozenset(p.relative_to(include).as_posix() for p in include.rglob("*.h"))


def render(members: dict[str, tuple[frozenset[str], frozenset[str]]], prov: Provenance) -> str:
    rows = [(m, " ".join(sorted(d)), " ".join(sorted(r))) for m, (d, r) in sorted(members.items())]
    return render_tsv(TITLE, prov, COLUMNS, rows)


def render_headers(headers: frozenset[str], prov: Provenance) -> str:
    return render_tsv(HEADERS_TITLE, prov, ("header",), [(h,) for h in sorted(headers)])


@cache
def load_newlib(root: Path | None = None) -> NewlibArchive:
    prov, rows = read_tsv((root or DATA) / FILE, COLUMNS)
    members = {r["member"]: (frozenset(r["defines"].split()), frozenset(r["references"].split()))
               for r in rows}
    _, hrows = read_tsv((root or DATA) / HEADERS_FILE, ("header",))
    return NewlibArchive(members, frozenset(r["header"] for r in hrows), prov)
