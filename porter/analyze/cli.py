"""`bkport analyze`: the click shell over bkport.analyze.pipeline."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click
from bkport.analyze import report
from bkport.analyze.pipeline import Options
from bkport.analyze.pipeline import analyze as run_analysis

FORMATS = ("text", "json", "sarif", "md", "html", "csv")


@click.command("analyze")
@click.argument("src", required=False, type=click.Path(path_type=Path))
@click.option("--profile", default="blueos", show_default=True,
              help="Platform profile to classify against: blueos or bkport.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write here, not stdout.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes, at least 1 (default: all cores).")
@click.option("--config", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="A Kconfig .config to build with, for an app whose plug-in configures "
                   "its tree (default: the app's own default configuration).")
@click.option("--compdb", type=click.Path(path_type=Path),
              help="Use this compile_commands.json instead of SRC's.")
@click.option("--no-cache", is_flag=True, help="Re-parse every translation unit.")
@click.option("--no-build", is_flag=True, help="Never run a build to record a compile database.")
@click.option("--allow-guess", is_flag=True,
              help="If recording the build fails, guess the flags instead (with a warning in "
                   "every format) rather than stop with exit 1.")
@click.option("--configure-args", "configure_args", default="", metavar="ARGS",
              help="Options for the configure step of a tree that has one and no Makefile "
                   "(./configure, configure.ac, CMakeLists.txt, meson.build), as one "
                   "shell-quoted string: --configure-args='--disable-tls --with-zlib=no'.")
@click.option("--target", "board", metavar="BOARD",
              help="Also compile every file against this board's own headers (the POSIX "
                   "layer's over picolibc, as `bkport build` does) and report the headers, "
                   "macros, types and functions missing there, each at its file:line.")
@click.option("--top", type=click.IntRange(min=0), default=30, show_default=True,
              help="Rows in the text, Markdown and HTML tables (0 or more).")
@click.option("--allow-partial", is_flag=True,
              help="Exit 0 even if some translation units had errors (default: exit 2).")
@click.option("--only", multiple=True, help="Analyse only TUs whose path contains this.")
def analyze(src: Path | None, profile: str, fmt: str, output: Path | None, jobs: int | None,
            config: Path | None, compdb: Path | None, no_cache: bool, no_build: bool,
            allow_guess: bool, configure_args: str, board: str | None, top: int,
            allow_partial: bool, only: tuple[str, ...]) -> None:
    """What a C project needs from the platform, and what to do about it.

    \b
    Examples:
      bkport analyze                         fetch the default example (see apps/) and analyse it
      bkport analyze ./app --config my.config --format json -o app.json
      bkport analyze ./proj --profile bkport --format sarif -o proj.sarif
      bkport analyze ./lighttpd --configure-args='--without-openssl'
      bkport analyze ./sqlite --target qemu_riscv64    what fails to compile on the board

    SRC's compile_commands.json is used when present; otherwise the build is recorded with Bear
    into bkport's cache, never into SRC (an app plug-in that knows the tree configures it
    first, from --config FILE if given). A tree with no Makefile but ./configure, configure.ac,
    CMakeLists.txt or meson.build is copied into the cache, configured there (with
    --configure-args) and built. A failed build is an error (exit 1) unless --allow-guess;
    with nothing to build (or with --no-build) flags are guessed, with a warning in every
    format. Uses are attributed per program (and per library nothing else links) from the
    build's link steps; a program the build runs itself (a generator) is a build tool, not
    analysed.
    Files that did not parse (FILE:LINE:COL of the first error) or were skipped are named in
    every format; the SARIF run's invocation lists them as tool execution notifications.

    \b
    Exit status: 0 done; 1 bad input (missing directory, broken compile database, nothing
    parses, the recorded build failed); 2 partial results (some TUs had errors, listed), or a
    bad option such as -j 0 or --top -1 (refused before anything runs); 3 a required tool is
    missing.
    """
    if src is None:  # the default example: its plug-in fetches the source its recipe names
        from bkport import plugins

        example = plugins.default_example()
        src = example.fetch(example.recipe(), lambda m: click.echo(f"bkport: {m}", err=True))
    if board is not None:
        from bkport.toolchain.targets import ARCHES, BOARDS

        if board not in BOARDS and board not in ARCHES:
            raise click.BadParameter(f"{board!r} is no board or arch; boards: "
                                     f"{', '.join(sorted(BOARDS))}", param_hint="--target")
    try:
        cargs = tuple(shlex.split(configure_args))
    except ValueError as e:
        raise click.BadParameter(f"{configure_args!r}: {e}",
                                 param_hint="--configure-args") from None
    opts = Options(profile=profile, config=config, compdb=compdb, jobs=jobs,
                   use_cache=not no_cache, build=not no_build, allow_guess=allow_guess,
                   only=only, configure_args=cargs, target=board)
    doc = _run_with_progress(src, opts)
    text = report.render(doc, fmt, top=top)
    if output:
        from bkport.fsutil import write_if_changed

        write_if_changed(output, text)
        click.echo(f"bkport: wrote {output}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))
    if doc["partial"]:
        n = len(doc["units"]["with_errors"])
        click.echo(f"bkport: partial results: {n} translation unit(s) had errors", err=True)
        if not allow_partial:
            sys.exit(2)


def _run_with_progress(src: Path, opts: Options) -> dict:
    if not sys.stderr.isatty():  # a log, a pipe, CI: plain lines, and no rich to import
        return run_analysis(src, opts, lambda msg: click.echo(f"bkport: {msg}", err=True))
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = Console(stderr=True)

    def log(msg: str) -> None:
        console.print(f"bkport: {msg}", highlight=False)

    with Progress("parsing", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("parse", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return run_analysis(src, opts, log, progress)


