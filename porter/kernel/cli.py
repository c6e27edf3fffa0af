"""`bkport kernel build` and `bkport run`: thin shells over bkport.kernel.build and
bkport.toolchain.qemu."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from bkport.toolchain.targets import BOARDS

BOARD = click.Choice(sorted(BOARDS))


@click.group()
def kernel() -> None:
    """The validation kernel (BlueKernel ABI, generated syscall table) for QEMU boards.

    \b
      bkport kernel build --board qemu_riscv64               kernel + the self-test app
      bkport kernel build --board qemu_mps2_an385 --app kernel/apps/hello
    """


@kernel.command("build")
@click.option("--board", "-b", type=BOARD, required=True)
@click.option("--app", help="built-in app (ktest, hello, fuzz, bench, c_smoke), a Rust app "
              "directory (main.rs with app_main), a freestanding C file, or an object/archive "
              "providing app_main; default: ktest")
@click.option("--out", type=click.Path(path_type=Path), help="build directory")
def build_cmd(board: str, app: str | None, out: Path | None) -> None:
    """Build the image for BOARD; prints its path and sizes."""
    from bkport.kernel.build import build

    im = build(board, app, out)
    s = im.sizes
    click.echo(str(im.path))
    click.echo(f"text {s.text}  data {s.data}  bss {s.bss}  (footprint {s.footprint} bytes; "
               + "  ".join(f"{k[1:]} {v}" for k, v in s.reserved.items()) + " reserved)",
               err=True)


@click.command()
@click.option("--board", "-b", type=BOARD, required=True)
@click.option("--timeout", type=float, default=30.0, show_default=True,
              help="seconds before a hung run is ended (status 124)")
@click.option("--files", "files_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="directory whose tree becomes the initial files")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="directory receiving the files the app left in its file system")
@click.option("--env", "envs", multiple=True, metavar="NAME=VALUE")
@click.option("--stdin", "stdin_file", type=click.File("rb"), help="file fed to the app's stdin")
@click.option("--cwd", metavar="PATH", help="directory the app starts in (sets PWD; it must "
              "exist in the initial files)")
@click.option("--console", type=click.Choice(["tty", "pipe"]), default="tty", show_default=True,
              help="what the app's console is to fstat/isatty: the board's UART (a terminal), "
              "or a pipe, as for a program whose output is captured")
@click.option("--icount", is_flag=True, help="deterministic instruction counting (-icount)")
@click.argument("image", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("args", nargs=-1)
def run(board: str, timeout: float, files_dir: Path | None, out_dir: Path | None,
        envs: tuple[str, ...], stdin_file, cwd: str | None, console: str, icount: bool, image: Path,
        args: tuple[str, ...]) -> None:
    """Run IMAGE on BOARD's QEMU: bkport run --board B IMAGE [-- args].

    The app's stdout and stderr come out on bkport's stdout and stderr (the kernel's own
    messages on stderr). Exits with the app's status; 124 when the time limit ended a hung run,
    125 when the kernel ended the run on a fault, 126 when QEMU failed.

    \b
      bkport run --board qemu_riscv64 app.elf -- -v input.txt
      bkport run --board qemu_mps2_an385 --files root/ --cwd /work --out after/ app.elf
    """
    from bkport.kernel import cpio
    from bkport.toolchain import qemu

    bad = [e for e in envs if "=" not in e]
    if bad:
        raise click.BadParameter(f"expected NAME=VALUE, got {bad[0]!r}", param_hint="--env")
    env = dict(e.split("=", 1) for e in envs)
    if cwd:
        env["PWD"] = cwd
    if console == "pipe":
        env["BKPORT_CONSOLE"] = "pipe"
    files = cpio.unpack(cpio.pack_dir(files_dir)) if files_dir else {}
    r = qemu.run(board, image, [image.stem, *args], env, files,
                 stdin_file.read() if stdin_file else b"", timeout, icount)
    sys.stdout.buffer.write(r.stdout)
    sys.stdout.flush()
    sys.stderr.buffer.write(r.stderr + r.kernel)
    sys.stderr.flush()
    if out_dir:
        cpio.write_tree(r.files, out_dir)
    if r.outcome != "exit":
        click.echo(f"bkport run: {r.outcome} after {r.seconds:.2f}s (status {r.status})"
                   + (f": {r.qemu_stderr.strip()[-500:]}" if r.outcome == "error" else ""),
                   err=True)
    sys.exit(r.status)
