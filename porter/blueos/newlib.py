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
from bkport.errors import InputError, located

FILE = "newlib-members.tsv"
COLUMNS = ("member", "defines", "references")
TITLE = ("newlib's libc.a and libm.a for Cortex-M (thumb/v7-m/nofp): each archive member's "
         "global definitions and undefined references")
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


ARCHIVES = ("libc.a", "libm.a")


def read_install(lib_dir: Path) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """The members of libc.a and libm.a in `lib_dir`, named `libc.a:member.o`."""
    out = {}
    for name in ARCHIVES:
        if not (lib_dir / name).is_file():
            raise InputError(located(str(lib_dir / name), None, None,
                                     "not found: expected a newlib library folder such as "
                                     "/usr/lib/arm-none-eabi/newlib/thumb/v7-m/nofp"))
        out.update({f"{name}:{m}": v for m, v in read_archive(lib_dir / name).items()})
    return out


def snapshot_texts(lib_dir: Path, include: Path, origin: str, today: str) -> dict[str, str]:
    """The two snapshot files for a newlib install, by file name."""
    lib_prov = Provenance("", f"{origin}, {lib_dir}/{{libc.a,libm.a}}",
                          f"{today} by bkport blueos import --newlib")
    inc_prov = Provenance("", f"{origin}, {include}", lib_prov.imported)
    return {FILE: render(read_install(lib_dir), lib_prov),
            HEADERS_FILE: render_headers(read_headers(include), inc_prov)}


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
