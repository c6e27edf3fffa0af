"""`bkport build`: a thin shell over bkport.appbuild.app, and over an app folder's recipe.

An app folder (`bkport build apps/NAME`, or `--app apps/NAME`) with an app.toml is built by its
recipe: `[configure] kind = "plugin"` by that app plug-in (bkport.plugins), any other kind by
bkport.apps.build. A folder without one is its *.c, src/*.c and shims/*.c.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from bkport.toolchain.targets import BOARDS

if TYPE_CHECKING:
    from bkport.appbuild.app import AppImage
    from bkport.recipe import Recipe


def app_sources(app: Path) -> tuple[list[Path], list[str]]:
    """An app folder's C sources (top level, src/, shims/) and its include flags."""
    srcs = sorted(p for d in (app, app / "src", app / "shims") for p in d.glob("*.c"))
    incs = [f"-I{d}" for d in (app / "include", app) if d.is_dir()]
    return srcs, incs


@click.command()
@click.option("--board", "-b", type=click.Choice(sorted(BOARDS)), required=True)
@click.option("--app", "app_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="an app folder (apps/NAME), as the positional APP: its recipe (app.toml), or "
                   "without one its *.c, src/*.c and shims/*.c")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="where to write the image (default: printed build path)")
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path),
              help="intermediate files (default: the bkport work directory's app/: build/app "
                   "in a checkout, $BKPORT_WORK/app when set; for an app with a recipe, its "
                   "name: build/NAME)")
@click.option("-v", "--verbose", is_flag=True,
              help="on a link failure, show the linker's full output")
@click.option("-D", "defines", multiple=True, metavar="NAME[=VALUE]", help="preprocessor define")
@click.option("-I", "includes", multiple=True, metavar="DIR", help="include directory")
@click.option("--conformance", is_flag=True,
              help="build and run the layer's conformance programs (tests/conformance/) instead")
@click.option("--results", type=click.Path(file_okay=False, path_type=Path),
              help="with --conformance: folder for conformance-<board>.json "
                   "(default build/conformance)")
@click.argument("sources", nargs=-1, metavar="[APP | SOURCES...]",
                type=click.Path(exists=True, path_type=Path))
def build(board: str, app_dir: Path | None, output: Path | None, build_dir: Path | None,
          verbose: bool, defines: tuple[str, ...], includes: tuple[str, ...], conformance: bool,
          results: Path | None, sources: tuple[Path, ...]) -> None:
    """Compile C SOURCES (or an app folder APP) for BOARD with the POSIX layer and picolibc, and
    link them into a validation-kernel image.

    \b
      bkport build --board qemu_riscv64 hello.c -o hello.elf
      bkport build apps/NAME --board qemu_mps2_an385 -o NAME.elf
      bkport run --board qemu_riscv64 hello.elf
      bkport build --board qemu_riscv64 --conformance --results docs/compliance/0.1.0/results
    Compiler errors are printed as the compiler printed them. A symbol nothing provides
    (e.g. execl) is reported once per symbol with what the support database knows about it.

    \b
    Exit status:
      0  built (the image path on stdout, its sizes on stderr)
      1  the sources did not compile, or a conformance program failed
      2  bad usage (options, missing files)
      3  a tool is missing or failed (clang, lld, rustc, picolibc)
      4  link failed: undefined symbols (functions the platform lacks)
    """
    import os

    from bkport import plugins
    from bkport.appbuild.app import CompileError, LinkError, build_app
    from bkport.errors import BkportError
    from bkport.paths import work_dir

    if conformance:
        run_conformance(board, build_dir or work_dir() / "app", results)
        return

    srcs = list(sources)
    dirs = [p for p in srcs if p.is_dir()]
    if dirs:  # the positional APP: one folder, alone
        if len(srcs) > 1 or app_dir:
            raise click.UsageError("give one APP folder (or --app DIR), or C SOURCES files")
        app_dir, srcs = dirs[0], []
    extra = [f"-D{d}" for d in defines] + [f"-I{i}" for i in includes]
    recipe = None
    if app_dir and plugins.has_recipe(app_dir):
        if srcs or extra:
            raise click.UsageError(f"{app_dir} takes its sources and flags from its recipe: "
                                   "give no SOURCES, -D or -I")
        recipe = plugins.load_recipe(app_dir)
        if output and recipe.configure.kind != "plugin" and len(recipe.programs) != 1:
            raise click.UsageError(f"-o names one image, and {app_dir}'s recipe builds "
                                   f"{len(recipe.programs)} programs: leave -o out")
    elif app_dir:
        more, incs = app_sources(app_dir)
        srcs += more
        extra += incs
    if recipe is None and not srcs:
        raise click.UsageError("give C SOURCES or an APP folder")
    try:
        if recipe is not None:
            im = build_with_recipe(recipe, board, build_dir)
        else:
            im = build_app(board, srcs, build_dir or work_dir() / "app", extra,
                           app_dir.resolve().name if app_dir else None)
    except CompileError as e:
        sys.stderr.write(e.output)
        raise BkportError("compilation failed") from None
    except LinkError as e:
        if verbose or os.environ.get("BKPORT_DEBUG"):
            sys.stderr.write(e.output.rstrip("\n") + "\n")
        for line in e.symbols:
            click.echo(f"bkport build: {line}", err=True)
        raise
    for one in im.values() if isinstance(im, dict) else [im]:
        _report(board, one, output)


def build_with_recipe(recipe: Recipe, board: str,
                      build_dir: Path | None) -> AppImage | dict[str, AppImage]:
    """An app with a recipe: its plug-in builds it (one image) when it configures itself,
    bkport.apps.build otherwise (one image per program); in `build_dir`, default the work
    directory's folder for the app (a plug-in's build/NAME, a recipe's build/apps/NAME, where
    `bkport validate` builds it too)."""
    from bkport import plugins
    from bkport.paths import work_dir

    def log(m: str) -> None:
        click.echo(m, err=True)

    if recipe.configure.kind == "plugin":
        build_dir = (build_dir or work_dir() / recipe.name).resolve()
        return plugins.get(recipe.configure.plugin).build(recipe, board, build_dir, log)
    from bkport.apps.build import build_recipe

    return build_recipe(recipe, board, build_dir.resolve() if build_dir else None, log)


def _report(board: str, im, output: Path | None) -> None:
    path = im.path
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(im.path, output)
        path = output
    s = im.sizes
    click.echo(str(path))
    click.echo(f"{board}: text {s.text}  data {s.data}  bss {s.bss}  "
               f"(image footprint {s.footprint} bytes)", err=True)


def run_conformance(board: str, build_dir: Path, results: Path | None) -> None:
    from bkport.appbuild import conformance as conf
    from bkport.errors import BkportError

    image = conf.build_image(board, build_dir / "conformance" / board)
    rs = conf.run_all(board, image)
    for r in rs:
        v = conf.verdict(r)
        click.echo(f"{v:10} {r.name:16} {len(r.passed)} ok, {len(r.failed)} not ok"
                   + ("" if r.outcome == "exit" else f" ({r.outcome})"))
        for f in r.failed:
            click.echo(f"           not ok - {f}")
    path = conf.save(board, rs, results)
    passed = sum(r.ok for r in rs)
    click.echo(f"{board}: {passed}/{len(rs)} programs pass; results in {path}", err=True)
    if passed != len(rs):
        raise BkportError(f"{len(rs) - passed} conformance program(s) failed on {board}")
