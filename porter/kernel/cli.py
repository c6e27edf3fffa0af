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
@click.option("-v", "--verbose", is_flag=True, help="on a link failure, show the linker's output")
@click.option("--app", help="built-in app (ktest, hello, fuzz, bench, c_smoke), a Rust app "
              "directory (main.rs with app_main), a freestanding C file, or an object/archive "
              "providing app_main; default: ktest")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="build directory (default: the bkport work directory's kernel/: "
              "build/kernel in a checkout, $BKPORT_WORK/kernel or $BKPORT_KERNEL_BUILD when set)")
def build_cmd(board: str, app: str | None, out: Path | None, verbose: bool) -> None:
    """Build the image for BOARD; prints its path (stdout) and sizes (stderr).

    Progress lines go to stderr; the first build for a board's architecture also compiles
    Rust's core library (about 2 minutes, cached afterwards).

    \b
    Examples:
      bkport kernel build --board qemu_riscv64                 kernel + ktest, the self-test app
      bkport kernel build --board qemu_mps2_an385 --app hello  a built-in app
      bkport kernel build --board qemu_virt64_aarch64 --app main.c --out /tmp/kb
      bkport run --board qemu_riscv64 "$(bkport kernel build --board qemu_riscv64 --app hello)"

    \b
    Exit status:
      0  built
      2  bad input: options, an app that does not exist or has no main.rs
      3  a tool is missing or failed (rustc, rust-lld, clang)
      4  link failed: undefined symbols (named, one line each)
    """
    import os

    from bkport.kernel.build import UndefinedSymbolsError, build

    try:
        im = build(board, app, out)
    except UndefinedSymbolsError as e:
        from bkport.appbuild.app import explain_undefined

        if verbose or os.environ.get("BKPORT_DEBUG"):
            click.echo(e.output.rstrip("\n"), err=True)
        for u in e.undefined:
            click.echo(f"bkport kernel build: {explain_undefined(u.name, u.refs)}", err=True)
        raise
    s = im.sizes
    click.echo(str(im.path))
    click.echo(f"text {s.text}  data {s.data}  bss {s.bss}  (footprint {s.footprint} bytes; "
               + "  ".join(f"{k[1:]} {v}" for k, v in s.reserved.items()) + " reserved)",
               err=True)


@click.command()
@click.option("--board", "-b", type=BOARD, required=True)
@click.option("--timeout", type=float, default=30.0, show_default=True,
              help="seconds without console output before the run is ended as hung (status 124)")
@click.option("--max-time", type=float, default=600.0, show_default=True,
              help="seconds the whole run may take (status 124)")
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
@click.option("--stack", type=click.IntRange(min=4096, max=64 << 20), default=None, metavar="BYTES",
              help="main thread's stack size (default 65536; BKPORT_STACK in the app's "
              "environment)")
@click.option("--stats", is_flag=True,
              help="after the run, print the app heap's peak and each thread's stack high-water "
              "mark (stderr)")
@click.argument("image", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("args", nargs=-1)
def run(board: str, timeout: float, max_time: float, files_dir: Path | None, out_dir: Path | None,
        envs: tuple[str, ...], stdin_file, cwd: str | None, console: str, icount: bool,
        stack: int | None, stats: bool, image: Path,
        args: tuple[str, ...]) -> None:
    """Run IMAGE on BOARD's QEMU: bkport run --board B IMAGE [-- args].

    The app's stdout and stderr come out on bkport's stdout and stderr (the kernel's own
    messages on stderr). After a fault, each code address of the kernel's message (mepc=, pc=,
    elr=) is shown as function+offset (file:line when the image has debug information).

    \b
    Examples:
      bkport run --board qemu_riscv64 app.elf -- -v input.txt
      bkport run --board qemu_mps2_an385 --files root/ --cwd /work --out after/ app.elf
      bkport run --board qemu_riscv64 --timeout 5 --max-time 60 app.elf
      bkport run --board qemu_mps2_an385 --stats app.elf   heap peak, stack high-water marks
      bkport run --board qemu_riscv64 --stack 262144 lua.elf -- deep.lua

    \b
    Exit status:
      0-255  the app's own status
      2      bad input: IMAGE is not an ELF image linked for BOARD, or bad options
      124    timeout: no output for --timeout seconds, or the run took --max-time
             seconds (stderr says how many bytes of output were delivered)
      125    the kernel ended the run on a fault (app or kernel), deadlock or self-check
      126    QEMU itself failed
    """
    from bkport.kernel import cpio
    from bkport.toolchain import qemu

    bad = [e for e in envs if "=" not in e]
    if bad:
        raise click.BadParameter(f"expected NAME=VALUE, got {bad[0]!r}", param_hint="--env")
    env = dict(e.split("=", 1) for e in envs)
    if stack is not None:
        env["BKPORT_STACK"] = str(stack)
    if cwd:
        env["PWD"] = cwd
    if console == "pipe":
        env["BKPORT_CONSOLE"] = "pipe"
    files = cpio.unpack(cpio.pack_dir(files_dir)) if files_dir else {}
    closed = set()

    def show(stream: str, data: bytes) -> None:  # the console, as it arrives
        f = sys.stdout if stream == "stdout" else sys.stderr
        if f in closed:
            return
        try:
            f.buffer.write(data)
            f.flush()
        except BrokenPipeError:  # `bkport run ... | head`: keep the run, drop the rest
            closed.add(f)

    r = qemu.run(board, image, [image.stem, *args], env, files,
                 stdin_file.read() if stdin_file else b"", timeout, icount, max_time, show)
    if out_dir:
        cpio.write_tree(r.files, out_dir)
    if stats:
        for line in stats_lines(r.record):
            click.echo(f"bkport run: {line}", err=True)
    if r.outcome == "fault":
        for line in fault_lines(image, r.kernel.decode(errors="replace")):
            click.echo(f"bkport run: {line}", err=True)
    if r.outcome == "timeout":
        click.echo(f"bkport run: timeout after {r.seconds:.2f}s ({r.limit}); output cut: "
                   f"{len(r.stdout)} bytes of stdout and {len(r.stderr)} of stderr delivered "
                   f"(status {r.status})", err=True)
    elif r.outcome != "exit":
        click.echo(f"bkport run: {r.outcome} after {r.seconds:.2f}s (status {r.status})"
                   + (f": {r.qemu_stderr.strip()[-500:]}" if r.outcome == "error" else ""),
                   err=True)
    sys.exit(r.status)


def stats_lines(record: dict[str, str]) -> list[str]:
    """The heap peak and stack high-water marks of a run's record (`exit.rs`), for people."""
    if "uheap_peak" not in record:
        return ["no statistics: the run did not end normally (or the image predates them)"]
    peak, size = (int(v) for v in record["uheap_peak"].split())
    out = [f"app heap peak {peak} bytes of {size} ({100 * peak / size:.1f}%)"]
    marks = sorted((int(k.split("_", 1)[1]), *map(int, v.split()))
                   for k, v in record.items() if k.startswith("stack_"))
    for tid, used, total in marks:
        main = " (main)" if tid == 1 else ""
        out.append(f"thread {tid}{main} stack high-water {used} bytes of {total} "
                   f"({100 * used / total:.1f}%)")
    return out


def fault_lines(image: Path, kernel_text: str) -> list[str]:
    """`mepc=0x8000b8d2 is in main+0x12 (fault.c:12)` for each code address of a fault."""
    from bkport.kernel.elfimage import Symbolizer, fault_addresses

    addrs = fault_addresses(kernel_text)
    if not addrs:
        return []
    try:
        sym = Symbolizer(image)
    except Exception as e:  # a damaged image or DWARF pyelftools cannot read: say so
        return [f"cannot read symbols of {image}: {e}"]
    out = []
    for reg, addr in addrs:
        loc = sym.lookup(addr)
        out.append(f"{reg}={addr:#x} is in {loc}" if loc
                   else f"{reg}={addr:#x} is in no known function")
    return out
