"""The busybox port as an app plug-in: Debian's busybox 1.35.0 with the recipe in apps/busybox/
(app.toml, applets.txt, config.fragment, patches/, include/, shims/, slow-tests.tsv).

- configure (host.py, config.py, ccrecord.py): a private copy of the source, its Kbuild
  `.config` from the recipe, busybox's generators, and the translation units Kbuild picks,
  recorded by a stand-in compiler;
- build (build.py): every unit cross-compiled for a board, linked into a validation-kernel image;
- validate (validate.py, testsuite.py, report.py): busybox's own testsuite/runtest on QEMU, every
  busybox call it makes booting the image;
- analysis (analysis.py): a busybox tree's host tools, its Kconfig macros, its applet table.

Imports stay inside the hooks: the registry imports this module to ask what it is.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from bkport.plugins import AppPlugin, ConfiguredTree, Log, Programs, Runner

if TYPE_CHECKING:
    from bkport.appbuild.app import AppImage
    from bkport.recipe import Recipe
    from bkport.validate.options import ValidateOptions


class Busybox(AppPlugin):
    name = "busybox"
    unit = "applet"
    only_alias = "applets"
    default_example = True

    def configure(self, recipe: Recipe, root: Path, jobs: int, log: Log) -> ConfiguredTree:
        from bkport.plugins.busybox import host

        return host.prepare(root, jobs, log, recipe.folder)

    def build(self, recipe: Recipe, board: str, build_dir: Path, log: Log) -> AppImage:
        from bkport.plugins.busybox.build import build_busybox

        return build_busybox(board, build_dir, log=log, recipe=recipe.folder)

    def validate(self, recipe: Recipe, opts: ValidateOptions) -> int:
        from bkport.plugins.busybox.validate import run

        return run(recipe, opts)

    def recognizes(self, src: Path) -> bool:
        from bkport.plugins.busybox.analysis import is_busybox

        return is_busybox(src)

    def not_shipped(self, src: Path, file: str) -> str | None:
        from bkport.plugins.busybox.analysis import is_host_tool

        return "busybox host build tool (not shipped)" if is_host_tool(src, file) else None

    def programs(self, src: Path) -> Programs | None:
        from bkport.plugins.busybox.analysis import applets

        table = applets(src)
        # Every applet runs through busybox's `main` (libbb/appletlib.c): its code is theirs.
        return Programs(table, core="main") if table else None

    def configure_recording(self, src: Path, config: Path | None, run: Runner) -> None:
        """`.config` from FILE (`make oldconfig`, defaults for new symbols) or
        `make defconfig`."""
        import shutil

        from bkport.plugins.busybox.config import read_config

        if config is not None:
            read_config(config)  # validate before touching the tree
            shutil.copyfile(config, src / ".config")
            run(["make", "oldconfig"], "\n" * 5000)
        elif not (src / ".config").is_file():
            run(["make", "defconfig"], None)

    def guessed_flags(self, src: Path, scratch: Path) -> list[str]:
        """busybox's Kconfig macros from its `.config`, as its Kbuild's `-include` gives them."""
        from bkport.fsutil import write_if_changed
        from bkport.plugins.busybox.analysis import autoconf_header
        from bkport.plugins.busybox.config import read_config

        if not (src / ".config").is_file():
            return []
        hdr = scratch / "bkport_autoconf.h"
        write_if_changed(hdr, autoconf_header(read_config(src / ".config")))
        return ["-include", str(hdr)]

    def advice(self) -> dict[str, tuple[str, str]]:
        return dict(_advice())


@cache
def _advice() -> tuple[tuple[str, tuple[str, str]], ...]:
    import csv

    path = Path(__file__).with_name("data") / "advice.tsv"
    with path.open(newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
                if r and not r[0].startswith("#")]
    return tuple((api, (action, text)) for api, action, text in rows)


plugin = Busybox()
