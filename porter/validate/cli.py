"""`bkport validate`: build a ported app for each board and run its own test suite on QEMU.

The app's recipe (APP/app.toml) names its test driver: `plugin:NAME` hands the run to that app
plug-in (bkport.plugins), `differential` and `expected` to bkport.apps.validate. This module
only reads the options and dispatches; the options every driver takes are
bkport.validate.options.ValidateOptions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from bkport import plugins
from bkport.toolchain.targets import BOARDS
from bkport.validate.options import ValidateOptions

BOARD = click.Choice(sorted(BOARDS))


def _only_aliases() -> list[str]:
    """The plug-ins' own names for --only (`--applets`, say), accepted as aliases."""
    return sorted({f"--{p.only_alias}" for p in plugins.every() if p.only_alias})


def _default_app() -> Path:
    return plugins.default_example().recipe_dir()


def _alias_option(f):
    """--only under the plug-ins' names for it, kept apart so messages can say which was typed."""
    aliases = _only_aliases()
    if not aliases:
        return click.option("--only-alias", "only_alias", multiple=True, hidden=True)(f)
    return click.option(*aliases, "only_alias", multiple=True, metavar="CASES",
                        help="the same as --only, as an app plug-in names its programs")(f)


@click.command()
@click.argument("app", type=click.Path(exists=True, file_okay=False, path_type=Path),
                required=False)
@click.option("--board", "-b", "boards", type=BOARD, multiple=True,
              help="board to validate on (repeatable; default: all of them)")
@click.option("--only", "only", multiple=True, metavar="CASES",
              help="comma-separated programs or cases to test (default: all the recipe's)")
@_alias_option
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=2, show_default=True,
              help="test scripts (or cases) run at once")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="work and results folder (default: the driver's, under build/validate)")
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="the app's build folder, shared by the boards (default: build/NAME)")
@click.option("--results", "results_dir", type=click.Path(file_okay=False, path_type=Path),
              help="also write app-NAME.json here (the file `bkport report --results` reads)")
@click.option("--docs", "docs_file", type=click.Path(dir_okay=False, path_type=Path),
              help="write the per-program, per-board Markdown table to this file")
@click.option("--call-timeout", type=float, default=None,
              help="seconds one call of the app may run on QEMU before it counts as hung "
                   "(default: the recipe's [test] timeout)")
@click.option("--min-pass", type=float, default=None,
              help="fail (exit 1) when a board passes fewer of the cases it ran (default: the "
                   "recipe's [test] min_pass)")
@click.option("--tier", type=click.Choice(["full", "quick"]), default="full", show_default=True,
              help="quick: leave out the tests the recipe marks slow (listed as skipped, with "
                   "why); what CI runs")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--fresh-boot", is_flag=True,
              help="boot a fresh QEMU for every call of the app, instead of resident QEMUs "
                   "that reset between calls (the slow mode, for doubt; docs/resident.md)")
def validate(app: Path | None, boards: tuple[str, ...], only: tuple[str, ...],
             only_alias: tuple[str, ...], jobs: int, out: Path | None, build_dir: Path | None,
             results_dir: Path | None, docs_file: Path | None, call_timeout: float | None,
             min_pass: float | None, tier: str, fmt: str, fresh_boot: bool) -> None:
    """Build APP (an app folder with an app.toml) for each board and run its own test suite
    there (default: the default example, see apps/).

    \b
    The recipe's [test] driver runs the tests: an app plug-in's own (its test suite's scripts
    on the host, every call of the app running the image on the board's QEMU), or bkport's
    `differential` and `expected` drivers (the recipe's cases). Skipped cases are listed with
    the reason. Calls run on resident QEMUs: each boots once and resets between calls (a
    fault or hang replaces it); --fresh-boot boots one QEMU per call instead.

    \b
    Examples:
      bkport validate                                   all boards, every case
      bkport validate apps/NAME --board qemu_riscv64 --only prog1,prog2 --tier quick
      bkport validate --results docs/compliance/0.1.0/results --docs docs/NAME.md
      bkport validate apps/NAME --board qemu_mps2_an385 --fresh-boot   one boot per call

    Exit status: 0 when every board passes at least --min-pass of the cases it ran; 1 when one
    does not; 2 on a build failure or a bad argument (checked before anything is built).
    """
    app = app or _default_app()
    if not plugins.has_recipe(app):
        raise click.UsageError(f"{app}: no {plugins.RECIPE_FILE}: only an app folder with a "
                               "recipe can be validated (see docs/recipe.md)")
    recipe = plugins.load_recipe(app)
    test = recipe.test
    if test is None:
        raise click.UsageError(f"{app}: the recipe has no [test] table: nothing to run")
    spelled = "--only"
    if only_alias and not only:
        plugin = plugins.find(test.plugin) if test.plugin else None
        spelled = f"--{plugin.only_alias}" if plugin and plugin.only_alias else "--only"
    opts = ValidateOptions(
        boards=boards or tuple(sorted(BOARDS)),
        out=out.resolve() if out else None,
        jobs=jobs,
        build_dir=build_dir.resolve() if build_dir else None,
        results_dir=results_dir,
        docs_file=docs_file,
        call_timeout=call_timeout if call_timeout is not None else test.timeout,
        min_pass=min_pass if min_pass is not None else test.min_pass,
        tier=tier,
        fmt=fmt,
        only=only + only_alias,
        only_option=spelled,
    )
    from bkport.toolchain import resident

    resident.set_fresh_boot(fresh_boot or resident.fresh_boot())
    if test.plugin:
        status = plugins.get(test.plugin).validate(recipe, opts)
    elif test.driver in ("differential", "expected"):
        from bkport.apps.validate import validate_recipe

        status = validate_recipe(recipe, opts)
    else:
        raise click.UsageError(f"{app}: unknown test driver {test.driver!r}")
    if status:
        sys.exit(status)

