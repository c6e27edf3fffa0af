"""Build a recipe's programs for a board: each program's translation units, as the recorded host
build compiled them (bkport.apps.host), compiled again for the board with the recipe's flags, the
recipe's shims added, linked with the POSIX layer, picolibc and libgcc into one kernel image per
program.

Flags of a unit, in order (a later -D or -U wins): the board's C flags, the app flags every app
gets, the layer's include folders, the flags the host build used for this unit (defines, include
folders, -std), the recipe's flags (base, then architecture, then board), the program's own.
In-tree archives the host linked (liblua.a, libz.a) are archives again, so the link takes only the
members the program uses, as on the host.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from bkport.appbuild.app import APP_CFLAGS, AppImage, LinkError, explain_undefined, link_app
from bkport.appbuild.layer import archive, build_layer, generate_inputs
from bkport.appbuild.target import c_target
from bkport.apps.host import HostBuild, prepare
from bkport.apps.record import Unit
from bkport.errors import BkportError
from bkport.paths import display, work_dir
from bkport.recipe import Recipe
from bkport.toolchain.clang import clang
from bkport.toolchain.compile import CompileJob, compile_many
from bkport.toolchain.targets import BOARDS


class RecipeBuildError(BkportError):
    exit_code = 1


@dataclass(frozen=True)
class ProgramUnits:
    """What one program is made of, after the recipe's excludes and explicit source lists."""

    name: str
    units: tuple[Unit, ...]
    archives: tuple[tuple[str, tuple[Unit, ...]], ...]  # (archive name, its members)
    system_libs: tuple[str, ...]


def _excluded(unit: Unit, root: Path, patterns: tuple[str, ...]) -> bool:
    try:
        rel = str(unit.source.relative_to(root))
    except ValueError:
        rel = str(unit.source)
    return any(fnmatch(rel, p) or fnmatch(unit.source.name, p) for p in patterns)


def program_units(recipe: Recipe, host: HostBuild) -> list[ProgramUnits]:
    """Each program of the recipe, with its translation units from the recorded build (or the
    recipe's explicit `sources`), excludes applied."""
    out = []
    root = host.src / recipe.source.subdir
    for prog in recipe.programs:
        if prog.sources:
            files = sorted({p for g in prog.sources for p in root.glob(g)})
            if not files:
                raise RecipeBuildError(f"{display(recipe.path_of_toml)}: program {prog.name!r}: "
                                       f"sources {list(prog.sources)} match no file in {root}")
            units = tuple(Unit(f, (), root) for f in files)
            archives: tuple = ()
            libs: tuple[str, ...] = ()
        else:
            p = host.program(prog.name)
            units = tuple(p.units)
            archives = tuple((a.name, tuple(us)) for a, us in p.archives.items())
            libs = tuple(p.system_libs)
        units = tuple(u for u in units if not _excluded(u, root, prog.exclude))
        archives = tuple((a, tuple(u for u in us if not _excluded(u, root, prog.exclude)))
                         for a, us in archives)
        out.append(ProgramUnits(prog.name, units, archives, libs))
    return out


def _obj_name(unit: Unit, root: Path) -> str:
    try:
        rel = unit.source.relative_to(root)
    except ValueError:
        rel = Path("_outside") / unit.source.name
    return str(rel.with_suffix(".o")).replace("/", "__")


def recipe_flags(recipe: Recipe, arch: str, board: str) -> list[str]:
    f = recipe.flags_for(arch, board)
    return ([f"-D{d}" for d in f.defines] + [f"-U{u}" for u in f.undefines]
            + [f"-I{i}" for i in f.include] + list(f.cflags))


def build_recipe(recipe: Recipe, board: str, build_dir: Path | None = None,
                 log: Callable[[str], None] = print, programs: list[str] | None = None,
                 jobs: int | None = None) -> dict[str, AppImage]:
    """Build the recipe's programs (or the named ones) for `board`: one image per program."""
    from bkport.kernel import build as kbuild

    if board not in BOARDS:
        raise BkportError(f"unknown board {board!r}; boards: {', '.join(sorted(BOARDS))}")
    wanted = programs or [p.name for p in recipe.programs]
    unknown = sorted(set(wanted) - {p.name for p in recipe.programs})
    if unknown:
        raise BkportError(f"{recipe.name} has no program {', '.join(unknown)} (programs: "
                          f"{', '.join(p.name for p in recipe.programs)})")
    if board in recipe.unsupported:
        raise BkportError(f"{recipe.name} does not run on {board}: {recipe.unsupported[board]} "
                          f"({display(recipe.path_of_toml)})")
    arch = BOARDS[board].arch.name
    out = Path(build_dir or work_dir() / "apps" / recipe.name).resolve()
    host = prepare(recipe, jobs, log)
    root = host.src / recipe.source.subdir
    inputs = generate_inputs(out / "layer", [arch])
    # the board's C settings (its CPU's, where the board table overrides the arch's) for the
    # layer, every unit and the libraries the link takes
    layer = build_layer(board, out / "layer", inputs)
    base = [clang(), *c_target(board).flags(), *APP_CFLAGS, *inputs.include_flags(arch)]
    rflags = recipe_flags(recipe, arch, board)
    shims = [Unit(s, (), recipe.folder) for s in recipe.build.shims]
    images: dict[str, AppImage] = {}
    for pu in program_units(recipe, host):
        if pu.name not in wanted:
            continue
        pflags = [f"-D{d}" for d in recipe.program(pu.name).defines] \
            + list(recipe.program(pu.name).cflags)
        # programs with the same own flags share objects (zlib's example and minigzip link
        # the same library); a program with defines of its own gets its own
        tag = hashlib.sha256("\0".join(pflags).encode()).hexdigest()[:8] if pflags else "all"
        obj_dir = out / board / "obj" / tag

        def job(u: Unit, pflags: list[str] = pflags, obj_dir: Path = obj_dir) -> CompileJob:
            name = "shim__" + u.source.stem + ".o" if u in shims else _obj_name(u, root)
            return CompileJob(u.source, obj_dir / name,
                              [*base, *u.flags, *rflags, *pflags], u.directory)

        direct = [job(u) for u in (*pu.units, *shims)]
        members = {a: [job(u) for u in us] for a, us in pu.archives}
        # a unit linked directly and through an archive is compiled once
        all_jobs = list({j.target: j for j in [*direct, *(j for js in members.values()
                                                          for j in js)]}.values())
        log(f"{recipe.name}: {pu.name} for {board}: {len(all_jobs)} C files")
        compile_many(all_jobs)
        (out / board / pu.name / "lib").mkdir(parents=True, exist_ok=True)
        libs = [archive(out / board / pu.name / "lib" / a, [j.output for j in js])
                for a, js in members.items()]
        app_obj = out / board / pu.name / f"{pu.name}.o"
        app_obj.parent.mkdir(parents=True, exist_ok=True)
        link_app([j.output for j in direct] + libs, board, layer, app_obj)
        try:
            image = kbuild.build(board, app_obj, out / "kernel")
        except kbuild.UndefinedSymbolsError as e:
            raise LinkError(f"{recipe.name}: {pu.name}", board,
                            [explain_undefined(u.name, u.refs) for u in e.undefined],
                            e.output) from None
        images[pu.name] = AppImage(board, image.path, app_obj, image.sizes)
    return images

