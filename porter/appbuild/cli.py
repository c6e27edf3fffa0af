"""`bkport build`: a thin shell over bkport.appbuild.app."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click
from bkport.toolchain.targets import BOARDS


def app_sources(app: Path) -> tuple[list[Path], list[str]]:
    """An app folder's C sources (top level, src/, shims/) and its include flags."""
    srcs = sorted(p for d in (app, app / "src", app / "shims") for p in d.glob("*.c"))
    incs = [f"-I{d}" for d in (app / "include", app) if d.is_dir()]
    return srcs, incs


@click.command()
@click.option("--board", "-b", type=click.Choice(sorted(BOARDS)), required=True)
@click.option("--app", "app_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="an app folder (apps/NAME): its *.c, src/*.c and shims/*.c")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="where to write the image (default: printed build path)")
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path),
              help="intermediate files (default: the bkport work directory's app/: build/app "
                   "in a checkout, $BKPORT_WORK/app when set)")
@click.option("-v", "--verbose", is_flag=True,
              help="on a link failure, show the linker's full output")
@click.option("-D", "defines", multiple=True, metavar="NAME[=VALUE]", help="preprocessor define")
@click.option("-I", "includes", multiple=True, metavar="DIR", help="include directory")
@click.option("--conformance", is_flag=True,
              help="build and run the layer's conformance programs (tests/conformance/) instead")
@click.option("--results", type=click.Path(file_okay=False, path_type=Path),
              help="with --conformance: folder for conformance-<board>.json "
                   "(default build/conformance)")
@click.argument("sources", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def build(board: str, app_dir: Path | None, output: Path | None, build_dir: Path | None,
          verbose: bool, defines: tuple[str, ...], includes: tuple[str, ...], conformance: bool,
          results: Path | None, sources: tuple[Path, ...]) -> None:
    """Compile C SOURCES (or an app folder) for BOARD with the POSIX layer and picolibc, and
    link them into a validation-kernel image.

    \b
      bkport build --board qemu_riscv64 hello.c -o hello.elf
      bkport build --board qemu_mps2_an385 --app apps/busybox -o busybox.elf
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

    from bkport.appbuild.app import CompileError, LinkError, build_app
    from bkport.errors import BkportError
    from bkport.paths import work_dir

    if build_dir is None:
        build_dir = work_dir() / "app"

    if conformance:
        run_conformance(board, build_dir, results)
        return

    srcs = list(sources)
    extra = [f"-D{d}" for d in defines] + [f"-I{i}" for i in includes]
    name = None
    if app_dir and (app_dir / "applets.txt").is_file() and app_dir.resolve().name == "busybox":
        # busybox has a recipe of its own (Kbuild, a .config): porter/busybox builds it.
        if srcs or extra:
            raise click.UsageError("--app apps/busybox takes its sources and flags from the "
                                   "recipe: give no SOURCES, -D or -I")
        from bkport.busybox.build import build_busybox

        im = build_busybox(board, log=lambda m: click.echo(m, err=True))
        _report(board, im, output)
        return
    if app_dir:
        more, incs = app_sources(app_dir)
        srcs += more
        extra += incs
        name = app_dir.resolve().name
    if not srcs:
        raise click.UsageError("give C SOURCES or --app DIR")
    try:
        im = build_app(board, srcs, build_dir, extra, name)
    except CompileError as e:
        sys.stderr.write(e.output)
        raise BkportError("compilation failed") from None
    except LinkError as e:
        if verbose or os.environ.get("BKPORT_DEBUG"):
            sys.stderr.write(e.output.rstrip("\n") + "\n")
        for line in e.symbols:
            click.echo(f"bkport build: {line}", err=True)
        raise
    _report(board, im, output)


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
