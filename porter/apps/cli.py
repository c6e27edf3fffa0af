"""`bkport port`: start and inspect app recipes (apps/NAME/app.toml)."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def port() -> None:
    """Start a port of a Linux C application, and see what its recipe builds.

    \b
      bkport port new zlib --debian zlib      fetch, configure, record, analyse, write apps/zlib
      bkport port programs apps/zlib          the programs the recorded host build links
      bkport build apps/zlib --board qemu_riscv64
      bkport validate apps/zlib --board qemu_riscv64
    docs/porting.md walks through a port from `port new` to a validated recipe.
    """


@port.command("new")
@click.argument("name")
@click.option("--debian", "package", required=True, metavar="PKG",
              help="Debian source package to port (fetched with apt-get source)")
@click.option("--apps-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="where the recipe folder goes (default: apps/ of the checkout, else ./apps)")
@click.option("--force", is_flag=True, help="replace an existing recipe folder")
@click.option("--no-analysis", is_flag=True,
              help="skip the analysis and the shims (quicker; the recipe lists programs only)")
def new(name: str, package: str, apps_dir: Path | None, force: bool, no_analysis: bool) -> None:
    """Write a starting recipe apps/NAME/app.toml for Debian source package PKG.

    \b
    What it does, in order:
      1. apt-get source PKG (newest version apt knows) into bkport's cache;
      2. picks the configure step: autotools, CMake, Meson or plain make;
      3. configures and builds on the host with its compiler calls recorded;
      4. lists the programs the build links (each one becomes a [[program]]);
      5. analyses every translation unit with its real compile command (profile bkport) and
         writes analysis.json and the shims it calls for (shims/);
      6. writes app.toml with a first differential case per program, and checks it loads.

    \b
    Exit status: 0 written; 1 the host build or analysis failed; 2 bad usage;
    3 a tool is missing.
    """
    from bkport.apps.new import port_new
    from bkport.paths import checkout_root

    if apps_dir is None:
        root = checkout_root()
        apps_dir = (root / "apps") if root is not None else Path("apps")
    res = port_new(name, package, apps_dir, log=lambda m: click.echo(m, err=True), force=force,
                   analyse=not no_analysis)
    click.echo(f"{res.folder / 'app.toml'}: {len(res.programs)} program(s) "
               f"({', '.join(res.programs)}), configure {res.kind}, "
               f"{len(res.blocking)} blocking API(s), {res.shims} shim(s)")
    for s in res.skipped:
        click.echo(f"  not a program: {s}", err=True)


@port.command("programs")
@click.argument("app", type=click.Path(exists=True, path_type=Path))
def programs(app: Path) -> None:
    """The programs APP's recorded host build links, with their translation units."""
    from bkport.apps.build import program_units
    from bkport.apps.host import prepare
    from bkport.recipe import load_recipe

    recipe = load_recipe(app)
    host = prepare(recipe, None, lambda m: click.echo(m, err=True))
    chosen = {p.name for p in recipe.programs}
    for name, prog in sorted(host.programs.items()):
        n = len(prog.units) + sum(len(us) for us in prog.archives.values())
        mark = "*" if name in chosen else " "
        click.echo(f"{mark} {name:20} {n:5} units  libs: {', '.join(prog.system_libs) or '-'}")
    for pu in program_units(recipe, host):
        n = len(pu.units) + sum(len(us) for _, us in pu.archives)
        click.echo(f"recipe program {pu.name}: {n} units after excludes")
