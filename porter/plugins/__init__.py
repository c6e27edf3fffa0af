"""App plug-ins: the apps whose port needs code of its own beside its recipe's data.

A recipe (`apps/NAME/app.toml`) with `[configure] kind = "plugin"` and `plugin = "P"`, or with
`[test] driver = "plugin:P"`, hands that step to the plug-in P: the subpackage `bkport.plugins.P`,
whose attribute `plugin` is an `AppPlugin`. Generic code (analyze, build, validate, report) finds
plug-ins through this registry only, never by name, so a new app with a build system of its own
is one folder here and one under apps/. Plug-ins are found by listing this package and imported
only when asked for, so a plug-in's `__init__` must stay cheap (its heavy modules are imported
inside its hooks).
"""

from __future__ import annotations

import hashlib
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from bkport.errors import BkportError
from bkport.paths import source

if TYPE_CHECKING:
    from bkport.appbuild.app import AppImage
    from bkport.recipe import Recipe
    from bkport.validate.options import ValidateOptions

Log = Callable[[str], None]
# `run(cmd, stdin)`: how the analysis lets a plug-in run a step in the tree it records (logged,
# and an error in the analysis's own terms when it fails).
Runner = Callable[[list[str], str | None], None]
RECIPE_FILE = "app.toml"  # bkport.recipe's too; not imported from there to keep this cheap


@dataclass(frozen=True)
class Unit:
    """One translation unit of a configured tree: the source and the flags that select its code
    and find its headers (-D/-I/-include/-std...), paths absolute."""

    source: Path
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ConfiguredTree:
    """A private, configured copy of an app's source: what the configure step leaves."""

    src: Path
    units: tuple[Unit, ...]
    programs: tuple[str, ...]  # what the app ships, in the recipe's order


@dataclass(frozen=True)
class Programs:
    """What the analysis attributes code to in a tree a plug-in recognises: program name -> its
    entry function, and the function every program runs through (its code counts for all)."""

    entries: dict[str, str]
    core: str | None = None


class AppPlugin:
    """The hooks an app plug-in implements. The defaults are the generic behaviour, so a
    plug-in overrides only what its app does differently."""

    name: str = ""  # as recipes write it: `plugin = "NAME"`, `driver = "plugin:NAME"`
    unit: str = "program"  # what one of the app's programs is called in outputs
    only_alias: str | None = None  # `bkport validate --<alias>`: the plug-in's name for --only
    default_example: bool = False  # `bkport analyze`/`bkport validate` without APP use it

    # -- the recipe and the source ---------------------------------------------------------

    def recipe_dir(self) -> Path:
        """The app folder holding its app.toml and the plug-in's data files."""
        return source(f"apps/{self.name}")

    def recipe(self) -> Recipe:
        return load_recipe(self.recipe_dir())

    def fetch(self, recipe: Recipe, log: Log) -> Path:
        """The upstream source tree (read only: builds copy it), fetched into the cache once."""
        from bkport.analyze.fetch import fetch_debian

        if not recipe.source.debian:
            raise BkportError(f"recipe {recipe.name!r} names no Debian source package")
        return fetch_debian(recipe.source.debian, recipe.version, log,
                            debian_version=recipe.source.debian_version)

    def configure(self, recipe: Recipe, root: Path, jobs: int, log: Log) -> ConfiguredTree:
        """The configured tree under `root` (cached there), shared by every board's build."""
        raise NotImplementedError(f"plug-in {self.name!r} has no configure step")

    # -- build and validate -----------------------------------------------------------------

    def build(self, recipe: Recipe, board: str, build_dir: Path, log: Log) -> AppImage:
        """The app's image for `board`; intermediate files under `build_dir`."""
        raise NotImplementedError(f"plug-in {self.name!r} does not build")

    def validate(self, recipe: Recipe, opts: ValidateOptions) -> int:
        """Build for each of `opts.boards`, run the app's own tests, write the results; the exit
        status (0: every board passes at least `opts.min_pass`)."""
        raise NotImplementedError(f"plug-in {self.name!r} has no test driver")

    # -- analysis of a source tree (bkport analyze) -------------------------------------------

    def recognizes(self, src: Path) -> bool:
        """`src` is this app's source tree: the analysis then asks the hooks below."""
        return False

    def not_shipped(self, src: Path, file: str) -> str | None:
        """Why the translation unit `file` is no part of the app (a host build tool), or None."""
        return None

    def programs(self, src: Path) -> Programs | None:
        """The app's programs and their entry functions; None: attribute to source files."""
        return None

    def configure_recording(self, src: Path, config: Path | None, run: Runner) -> None:
        """Configure the tree before its build is recorded (`config`: analyze's --config)."""

    def guessed_flags(self, src: Path, scratch: Path) -> list[str]:
        """Extra flags when the analysis must guess (no build): e.g. the configuration's macros,
        in a header written under `scratch`."""
        return []

    def advice(self) -> dict[str, tuple[str, str]]:
        """API -> (action, advice) that says more for this app than the generic catalog."""
        return {}


# -- the registry ---------------------------------------------------------------------------


@cache
def names() -> tuple[str, ...]:
    """Every plug-in, by name: the subpackages of this package."""
    return tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if m.ispkg))


@cache
def get(name: str) -> AppPlugin:
    if name not in names():
        raise BkportError(f"no app plug-in {name!r} (plug-ins: {', '.join(names()) or 'none'})")
    plugin = importlib.import_module(f"{__name__}.{name}").plugin
    if not isinstance(plugin, AppPlugin) or plugin.name != name:
        raise BkportError(f"bkport.plugins.{name}.plugin is not the AppPlugin {name!r}")
    return plugin


def find(name: str) -> AppPlugin | None:
    """The plug-in called `name`, if there is one (an app's results may come from either)."""
    return get(name) if name in names() else None


def every() -> list[AppPlugin]:
    return [get(n) for n in names()]


def for_tree(src: Path) -> AppPlugin | None:
    """The plug-in whose app `src` is the source tree of, if any."""
    return next((p for p in every() if p.recognizes(src)), None)


def default_example() -> AppPlugin:
    """The app `bkport analyze` and `bkport validate` use when given none."""
    found = [p for p in every() if p.default_example]
    if len(found) != 1:
        raise BkportError(f"expected one default example among the app plug-ins, found "
                          f"{len(found)}: give the app explicitly")
    return found[0]


def fingerprint(plugin: AppPlugin | None) -> str:
    """Changes whenever the plug-in's code or data does: analysis documents cached with one
    plug-in are not reused with another version of it."""
    if plugin is None:
        return ""
    folder = Path(importlib.import_module(f"{__name__}.{plugin.name}").__file__).parent
    h = hashlib.sha256(plugin.name.encode())
    for p in sorted(q for q in folder.rglob("*") if q.is_file() and "__pycache__" not in q.parts):
        h.update(str(p.relative_to(folder)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:16]


# -- recipes ---------------------------------------------------------------------------------


def has_recipe(folder: Path) -> bool:
    return (folder / RECIPE_FILE).is_file()


def load_recipe(folder: Path) -> Recipe:
    """The checked recipe of the app folder `folder` (its app.toml)."""
    from bkport.recipe import load_recipe as load

    return load(folder / RECIPE_FILE)
