"""busybox's Kconfig `.config`: the one reader of its lines (the build's recipe and the analysis's
--config both go through `parse`), and the recipe's `.config`.

The recipe in apps/busybox/ gives it: `make allnoconfig`, then every applet of applets.txt and
every line of config.fragment, then `make oldconfig` with default answers for the options those
made visible. The result is checked: a requested value Kconfig refused (an unmet dependency) is
an error, not a silent drop.
"""

from __future__ import annotations

import re
from pathlib import Path

from bkport.errors import BkportError, InputError, located
from bkport.paths import source

LINE_RX = re.compile(r"^(CONFIG_\w+)=(.*)$|^# (CONFIG_\w+) is not set$")
SPECIAL = {"[": "TEST1", "[[": "TEST2"}


def recipe_dir() -> Path:
    return source("apps/busybox")


def applets(recipe: Path | None = None) -> list[str]:
    """The applets of applets.txt, in file order."""
    path = (recipe or recipe_dir()) / "applets.txt"
    out = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip() if not line.startswith("[") else line.strip()
        if line:
            out.append(line)
    return out


def applet_symbol(applet: str) -> str:
    return "CONFIG_" + SPECIAL.get(applet, applet.upper().replace("-", "_"))


def parse(text: str, path: Path | None = None) -> dict[str, str | None]:
    """CONFIG_X -> value, None for `# CONFIG_X is not set`. Other comments and blank lines are
    ignored; any other line is ignored too, unless `path` is given: then it is an error located
    there (a file a user handed in, which should be a .config)."""
    out: dict[str, str | None] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        m = LINE_RX.match(line.strip())
        if m and m.group(1):
            out[m.group(1)] = m.group(2)
        elif m:
            out[m.group(3)] = None
        elif path is not None and line.strip() and not line.startswith("#"):
            raise InputError(located(path, lineno, 1, f"not a Kconfig line: {line[:60]!r}"))
    return out


def read_config(path: Path) -> dict[str, str | None]:
    """The CONFIG_X values of a `.config` file, every line checked."""
    if not path.is_file():
        raise InputError(located(path, None, None, "configuration file not found"))
    return parse(path.read_text(errors="replace"), path)


def wanted(recipe: Path | None = None) -> dict[str, str | None]:
    """Every value the recipe asks for: the applets (=y), then config.fragment."""
    recipe = recipe or recipe_dir()
    want: dict[str, str | None] = {applet_symbol(a): "y" for a in applets(recipe)}
    want.update(parse((recipe / "config.fragment").read_text()))
    return want


def merge(base: str, want: dict[str, str | None]) -> str:
    """`base` (.config text) with the values of `want` replaced or appended."""
    lines, seen = [], set()
    for line in base.splitlines():
        m = LINE_RX.match(line.strip())
        name = m and (m.group(1) or m.group(3))
        if name and name in want:
            seen.add(name)
            line = render(name, want[name])
        lines.append(line)
    lines += [render(n, v) for n, v in want.items() if n not in seen]
    return "\n".join(lines) + "\n"


def render(name: str, value: str | None) -> str:
    return f"# {name} is not set" if value is None else f"{name}={value}"


def check(final: str, want: dict[str, str | None]) -> None:
    got = parse(final)
    bad = [f"{n}: asked {render(n, v)!r}, Kconfig gave {render(n, got.get(n))!r}"
           for n, v in want.items() if got.get(n) != v and not (v is None and n not in got)]
    if bad:
        raise BkportError("busybox configuration does not hold the recipe's values "
                          "(unknown symbol or unmet dependency):\n  " + "\n  ".join(bad))
