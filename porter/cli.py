"""The `bkport` command: a thin shell over the library.

Subcommands live next to the code they drive and are imported lazily, so `bkport --help` stays fast
and a broken optional dependency (libclang, say) only affects the command that needs it.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from pathlib import Path

import click
from bkport import __version__
from bkport.errors import BkportError, InputError

INTERNAL_ERROR = 70  # EX_SOFTWARE

# name -> "module:attribute" of a click command or group.
SUBCOMMANDS: dict[str, str] = {
    "build": "bkport.appbuild.cli:build",
    "posix": "bkport.posixspec.cli:posix",
    "report": "bkport.report.cli:report",
    "report-results": "bkport.report.results:report_results",
    "shim": "bkport.shim.cli:shim",
    "syscalls": "bkport.syscalls.cli:syscalls",
    "kernel": "bkport.kernel.cli:kernel",
    "run": "bkport.kernel.cli:run",
    "analyze": "bkport.analyze.cli:analyze",
    "blueos": "bkport.blueos.cli:blueos",
    "validate": "bkport.validate.cli:validate",
    "port": "bkport.apps.cli:port",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(name)
        if target is None:
            return None
        module, attr = target.split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bkport")
@click.option("--table", "table_path", type=click.Path(exists=True, path_type=Path),
              help="syscall table (.bksys file or folder) every subcommand uses: generated "
                   "headers, kernel, shims, report (default: bkport's syscalls/table/)")
@click.option("--lock", "lock_path", type=click.Path(exists=True, dir_okay=False,
                                                     path_type=Path),
              help="ABI lock checked with --table (default: none for a --table of your own)")
@click.option("--spec", "spec_dir", type=click.Path(exists=True, file_okay=False,
                                                    path_type=Path),
              help="POSIX spec folder (*.h.spec) every subcommand uses (default: posix/spec/)")
@click.pass_context
def cli(ctx: click.Context, table_path: Path | None, lock_path: Path | None,
        spec_dir: Path | None) -> None:
    """bkport: port Linux C applications to BlueOS's BlueKernel, and keep its ABI honest.

    \b
    A porter's session (the default example of apps/, fetched from Debian's source package):
      bkport analyze                      what it needs that BlueOS lacks, ranked
      bkport analyze --format json -o app.json && bkport shim app.json --out shims/
      bkport validate --board qemu_riscv64  build it and run its own testsuite on QEMU
    \b
    A maintainer's:
      bkport syscalls check               validate the syscall table and its lock
      bkport syscalls gen --arch all --out build/gen
      bkport posix coverage --by pse      who provides each POSIX interface
      bkport report --release 0.1.0       the release's compliance report
    Every command has --help with examples. Set BKPORT_DEBUG=1 for tracebacks.
    """
    from bkport.workspace import Workspace, using

    # one workspace for the whole command: each model is loaded once, on first use
    ctx.obj = ctx.with_resource(using(Workspace(table_path, lock_path, spec_dir)))


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except InputError as e:
        if os.environ.get("BKPORT_DEBUG"):
            traceback.print_exc()
        for d in e.diagnostics:
            click.echo(f"{d}", err=True)
        n = len(e.diagnostics)
        click.echo(f"bkport: {n} problem{'s' if n != 1 else ''} found", err=True)
        sys.exit(e.exit_code)
    except BkportError as e:
        if os.environ.get("BKPORT_DEBUG"):
            traceback.print_exc()
        click.echo(f"bkport: error: {e}", err=True)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except Exception as e:  # a bug: say so in one line; the traceback is for BKPORT_DEBUG=1
        if os.environ.get("BKPORT_DEBUG"):
            traceback.print_exc()
        click.echo(f"bkport: internal error: {type(e).__name__}: {e} "
                   f"(BKPORT_DEBUG=1 shows the traceback; please report it)", err=True)
        sys.exit(INTERNAL_ERROR)


if __name__ == "__main__":
    main()
