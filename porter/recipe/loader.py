"""`apps/<name>/app.toml` -> a checked `Recipe`. Every problem is collected and reported at once.

The document is parsed by tomllib; `locate.py` maps key paths to positions so that each problem is
reported at the key it concerns, and `checks.Reader` does the typed reads. This module is the
schema: which keys each table has, their defaults, and the rules across keys.
"""

from __future__ import annotations

import posixpath
import re
import tomllib
from pathlib import Path, PurePosixPath

from bkport.errors import Diagnostic, InputError, located
from bkport.paths import display, source
from bkport.recipe.checks import Reader, frozen, kind, suggest
from bkport.recipe.locate import KeyPath, locate_keys
from bkport.recipe.model import (
    ARCH_NAMES,
    BOARD_NAMES,
    CONFIGURE_KINDS,
    PLUGIN_DRIVER_PREFIX,
    TEST_DRIVERS,
    TIERS,
    BuildSettings,
    Case,
    Configure,
    Flags,
    Mask,
    Program,
    Recipe,
    RunSettings,
    Source,
    TestSpec,
)

RECIPE_FILE = "app.toml"
DEFAULT_TIMEOUT = 20.0

_APP_NAME = re.compile(r"[a-z0-9][a-z0-9._+-]*")
_DEBIAN_NAME = re.compile(r"[a-z0-9][a-z0-9.+-]+")
_PROGRAM_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*")  # becomes a file name
_CASE_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_PLUGIN_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")

_TOP = ("app", "source", "configure", "program", "build", "run", "test")
_APP = ("name", "version", "summary", "unsupported")
_SOURCE = ("debian", "debian_version", "path", "subdir", "patches")
_CONFIGURE = ("kind", "args", "make_args", "env", "plugin")
_PROGRAM = ("name", "sources", "exclude", "defines", "cflags")
_FLAGS = ("defines", "undefines", "cflags", "include")
_BUILD = (*_FLAGS, "shims", "arch", "board")
_RUN = ("stack", "heap", "cwd", "env", "dirs", "files")
_TEST = ("driver", "timeout", "min_pass", "masks", "case")
_CASE = ("name", "program", "argv", "stdin", "stdin_file", "files", "env", "expected_stdout",
         "expected_status", "masks", "compare_files", "skip", "boards", "timeout", "tier")
_MASK = ("pattern", "replace")

# configure kinds that run a configure step (args) and a host make (make_args)
_HAS_ARGS = ("autotools", "cmake", "meson")
_HAS_MAKE = ("make", "autotools", "cmake")


def apps_dir() -> Path:
    return source("apps")


def find_recipe(name_or_path: str | Path) -> Path:
    """The app.toml of a recipe given as its app.toml, its folder, or an app name of bkport's
    apps/ ("lua" or "apps/lua")."""
    given = Path(name_or_path)
    if given.is_file():
        return given.resolve()
    candidates = [given]
    if not given.is_absolute() and len(given.parts) == 1:
        candidates.append(apps_dir() / given)
    elif given.parts[:1] == ("apps",):
        candidates.append(source(given.as_posix()))  # apps/NAME from outside the checkout root
    for folder in candidates:
        if (folder / RECIPE_FILE).is_file():
            return (folder / RECIPE_FILE).resolve()
    for folder in candidates:
        if folder.is_dir():
            raise InputError(located(display(folder / RECIPE_FILE), None, None, (
                f"no {RECIPE_FILE} in {display(folder)}: a recipe folder holds {RECIPE_FILE}")))
    apps = [p.parent.name for p in apps_dir().glob(f"*/{RECIPE_FILE}")]
    raise InputError(located(str(name_or_path), None, None, (
        f"no recipe here: not an {RECIPE_FILE}, a folder, or an app of "
        f"{display(apps_dir())}/{suggest(given.name, apps)}")))


def load_recipe(path: Path | str) -> Recipe:
    """The recipe of an app folder or its app.toml (or an app name, see `find_recipe`)."""
    toml = find_recipe(path)
    file = display(toml)
    try:
        text = toml.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InputError(located(file, None, None, f"not UTF-8 text: {e.reason}")) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(_syntax_error(file, text, e)) from None
    reader = Reader(file, locate_keys(text), toml.parent)
    recipe = _recipe(reader, doc, toml)
    if reader.diags:
        raise InputError(reader.diags)
    return recipe


def _syntax_error(file: str, text: str, e: tomllib.TOMLDecodeError) -> Diagnostic:
    # tomllib puts the position only in its message: "... (at line 3, column 5)"
    message = str(e)
    m = re.fullmatch(r"(.*) \(at line (\d+), column (\d+)\)", message, re.S)
    if m:
        return located(file, int(m[2]), int(m[3]), f"invalid TOML: {m[1]}")
    m = re.fullmatch(r"(.*) \(at end of document\)", message, re.S)
    if m:
        lines = text.split("\n")
        return located(file, len(lines), len(lines[-1]) + 1,
                       f"invalid TOML: {m[1]} at the end of the file")
    return located(file, None, None, f"invalid TOML: {message}")


def _unknown(what: str, value: str, choices: tuple[str, ...]) -> str:
    hint = suggest(value, choices) or f"; expected one of: {', '.join(choices)}"
    return f"unknown {what} {value!r}{hint}"


def _recipe(r: Reader, doc: dict, toml: Path) -> Recipe:
    r.check_keys(doc, (), _TOP)
    folder = toml.parent
    p: KeyPath = ("app",)
    app = r.table(doc, (), "app", _APP, required=True)
    has_app = isinstance(doc.get("app"), dict)  # else its keys are not missing one by one
    name = r.string(app, p, "name", required=has_app)
    if name is not None and not _APP_NAME.fullmatch(name):
        r.error(p + ("name",), f"invalid app name {name!r}: lower-case letters, digits and "
                               "'._+-', starting with a letter or digit")
    elif name is not None and name != folder.name:
        r.error(p + ("name",), f"app name {name!r} differs from the recipe folder's name "
                               f"{folder.name!r}")
    version = r.string(app, p, "version", required=has_app)
    if version == "":
        r.error(p + ("version",), "version is empty")
    summary = r.string(app, p, "summary", default="")
    if "\n" in summary:
        r.error(p + ("summary",), "summary is one line")
    unsupported = r.string_map(app, p, "unsupported")
    for board, why in unsupported.items():
        if board not in BOARD_NAMES:
            r.error(p + ("unsupported", board), _unknown("board", board, BOARD_NAMES))
        elif not why.strip():
            r.error(p + ("unsupported", board), "say why the app cannot run on this board")

    configure = _configure(r, doc)
    programs = _programs(r, doc, configure)
    run = _run(r, doc)
    return Recipe(
        name=name or "",
        version=version or "",
        summary=summary,
        folder=folder,
        source=_source(r, doc, version),
        configure=configure,
        programs=programs,
        build=_build(r, doc),
        run=run,
        test=_test(r, doc, programs, configure, run),
        path_of_toml=toml,
        unsupported=frozen(unsupported),
    )


def _source(r: Reader, doc: dict, version: str | None) -> Source:
    p: KeyPath = ("source",)
    t = r.table(doc, (), "source", _SOURCE, required=True)
    debian = r.string(t, p, "debian")
    debian_version = r.string(t, p, "debian_version")
    local = r.string(t, p, "path")
    if "debian" in t and "path" in t:
        r.error(p + ("path",), "give either 'debian' or 'path', not both")
    elif isinstance(doc.get("source"), dict) and "debian" not in t and "path" not in t:
        r.error(p, "[source] needs 'debian' (a Debian source package) or 'path' (a source folder)")
    if debian is not None and not _DEBIAN_NAME.fullmatch(debian):
        r.error(p + ("debian",), f"invalid Debian source package name {debian!r}")
    if debian_version is not None:
        upstream = _upstream(debian_version)
        if "debian" not in t:
            r.error(p + ("debian_version",), "'debian_version' needs 'debian'")
        elif version and not (upstream == version or upstream.startswith((version + "+",
                                                                          version + "~"))):
            r.error(p + ("debian_version",), (
                f"debian_version {debian_version!r} is not of version {version!r} "
                f"(its upstream part is {upstream!r})"))
    folder = None
    if local is not None:
        folder = r.folder / local
        if not folder.is_dir():
            r.error(p + ("path",), f"source folder {local!r} does not exist (paths are relative "
                                   "to the recipe folder)")
    subdir = r.string(t, p, "subdir", default=".")
    if PurePosixPath(subdir).is_absolute() or ".." in PurePosixPath(subdir).parts:
        r.error(p + ("subdir",), f"subdir must be a path inside the source tree, got {subdir!r}")
    return Source(debian, debian_version, folder, subdir, r.globs(t, p, "patches"))


def _upstream(debian_version: str) -> str:
    """The upstream part of a Debian version: without the epoch and the Debian revision."""
    v = debian_version.split(":", 1)[-1]
    return v.rsplit("-", 1)[0] if "-" in v else v


def _configure(r: Reader, doc: dict) -> Configure:
    p: KeyPath = ("configure",)
    t = r.table(doc, (), "configure", _CONFIGURE)
    kind_ = r.string(t, p, "kind", default="make")
    known = kind_ in CONFIGURE_KINDS
    if not known:
        r.error(p + ("kind",), _unknown("configure kind", kind_, CONFIGURE_KINDS))
    plugin = r.string(t, p, "plugin")
    if kind_ == "plugin" and "plugin" not in t:
        r.error(p + ("kind",), "kind = \"plugin\" needs 'plugin' (the plug-in's name)")
    elif known and kind_ != "plugin" and "plugin" in t:
        r.error(p + ("plugin",), f"'plugin' is only for kind = \"plugin\" (kind is {kind_!r})")
    elif plugin is not None and not _PLUGIN_NAME.fullmatch(plugin):
        r.error(p + ("plugin",), f"invalid plug-in name {plugin!r}")
    if known and "args" in t and kind_ not in _HAS_ARGS:
        r.error(p + ("args",), f"'args' is only for kind {', '.join(_HAS_ARGS)} "
                               f"(kind is {kind_!r})")
    if known and "make_args" in t and kind_ not in _HAS_MAKE:
        r.error(p + ("make_args",), f"'make_args' is only for kind {', '.join(_HAS_MAKE)} "
                                    f"(kind is {kind_!r})")
    return Configure(kind_, r.strings(t, p, "args"), r.strings(t, p, "make_args"),
                     frozen(r.string_map(t, p, "env")), plugin)


def _programs(r: Reader, doc: dict, configure: Configure) -> tuple[Program, ...]:
    out: list[Program] = []
    first: dict[str, KeyPath] = {}
    for n, t in enumerate(r.tables(doc, (), "program", _PROGRAM)):
        p: KeyPath = ("program", n)
        name = r.string(t, p, "name", required=True)
        if name is not None and not _PROGRAM_NAME.fullmatch(name):
            r.error(p + ("name",), f"invalid program name {name!r}")
        elif name in first:
            line = (r.positions.of(first[name]) or (None,))[0]
            r.error(p + ("name",), f"duplicate program name {name!r} (first at line {line})")
        elif name is not None:
            first[name] = p + ("name",)
        out.append(Program(name or "", r.strings(t, p, "sources"), r.strings(t, p, "exclude"),
                           r.strings(t, p, "defines"), r.strings(t, p, "cflags")))
    if "program" not in doc and configure.kind != "plugin":
        r.error((), "no [[program]]: a recipe builds at least one program "
                    "(unless configure.kind = \"plugin\")")
    return tuple(out)


def _flags(r: Reader, t: dict, p: KeyPath) -> Flags:
    return Flags(r.strings(t, p, "defines"), r.strings(t, p, "undefines"),
                 r.strings(t, p, "cflags"), r.folders(t, p, "include"))


def _named_flags(r: Reader, t: dict, p: KeyPath, key: str, what: str,
                 names: tuple[str, ...]) -> dict[str, Flags]:
    """[build.arch.NAME] / [build.board.NAME] tables."""
    sub = t.get(key)
    if sub is None:
        return {}
    if not isinstance(sub, dict):
        r.error(p + (key,), f"expected a table, got {kind(sub)}")
        return {}
    out = {}
    for name, value in sub.items():
        at = p + (key, name)
        if name not in names:
            r.error(at, _unknown(what, name, names))
        elif not isinstance(value, dict):
            r.error(at, f"expected a table, got {kind(value)}")
        else:
            r.check_keys(value, at, _FLAGS)
            out[name] = _flags(r, value, at)
    return out


def _build(r: Reader, doc: dict) -> BuildSettings:
    p: KeyPath = ("build",)
    t = r.table(doc, (), "build", _BUILD)
    if "shims" in t:
        shims = r.globs(t, p, "shims")
    else:  # the conventional folder, if the recipe has one
        shims = tuple(sorted(f for f in (r.folder / "shims").glob("*.c") if f.is_file()))
    return BuildSettings(
        base=_flags(r, t, p),
        shims=shims,
        arch=frozen(_named_flags(r, t, p, "arch", "arch", ARCH_NAMES)),
        board=frozen(_named_flags(r, t, p, "board", "board", BOARD_NAMES)),
    )


def _ram_files(r: Reader, t: dict, p: KeyPath, cwd: str | None) -> dict:
    """RAM-fs path -> recipe file; relative RAM-fs paths are under `cwd`, or not allowed."""
    out = {}
    for target, rel in r.string_map(t, p, "files").items():
        if cwd is None and not target.startswith("/"):
            r.error(p + ("files", target), f"RAM file system path {target!r} must be absolute")
            continue
        f = r.file_ref(rel, p + ("files", target))
        if f is not None:
            out[posixpath.normpath(posixpath.join(cwd or "/", target))] = f
    return out


def _run(r: Reader, doc: dict) -> RunSettings:
    p: KeyPath = ("run",)
    t = r.table(doc, (), "run", _RUN)
    cwd = r.string(t, p, "cwd", default="/")
    if not cwd.startswith("/"):
        r.error(p + ("cwd",), f"cwd must be an absolute path, got {cwd!r}")
    dirs = r.strings(t, p, "dirs")
    for d in dirs:
        if not d.startswith("/"):
            r.error(p + ("dirs",), f"dirs must be absolute paths, got {d!r}")
    return RunSettings(
        stack=r.size(t, p, "stack"),
        heap=r.size(t, p, "heap"),
        cwd=posixpath.normpath(cwd),
        env=frozen(r.string_map(t, p, "env")),
        dirs=tuple(posixpath.normpath(d) for d in dirs),
        files=frozen(_ram_files(r, t, p, None)),
    )


def _masks(r: Reader, t: dict, p: KeyPath) -> tuple[Mask, ...]:
    out = []
    for n, m in enumerate(r.tables(t, p, "masks", _MASK)):
        mp = p + ("masks", n)
        pattern = r.string(m, mp, "pattern", required=True)
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as e:
                r.error(mp + ("pattern",), f"invalid regular expression {pattern!r}: {e}")
        out.append(Mask(pattern or "", r.string(m, mp, "replace", default="")))
    return tuple(out)


def _positive(r: Reader, at: KeyPath, value: float | None) -> None:
    if value is not None and value <= 0:
        r.error(at, f"{at[-1]} must be positive, got {value:g}")


def _test(r: Reader, doc: dict, programs: tuple[Program, ...], configure: Configure,
          run: RunSettings) -> TestSpec | None:
    if "test" not in doc:
        return None
    p: KeyPath = ("test",)
    t = r.table(doc, (), "test", _TEST)
    driver = r.string(t, p, "driver", default="differential")
    if driver.startswith(PLUGIN_DRIVER_PREFIX):
        if not _PLUGIN_NAME.fullmatch(driver[len(PLUGIN_DRIVER_PREFIX):]):
            r.error(p + ("driver",), f"invalid plug-in driver {driver!r}: write plugin:NAME")
    elif driver not in TEST_DRIVERS:
        r.error(p + ("driver",), _unknown("test driver", driver,
                                          (*TEST_DRIVERS, PLUGIN_DRIVER_PREFIX + "NAME")))
    timeout = r.number(t, p, "timeout", DEFAULT_TIMEOUT)
    _positive(r, p + ("timeout",), timeout)
    min_pass = r.number(t, p, "min_pass", 1.0)
    if not 0 <= min_pass <= 1:
        r.error(p + ("min_pass",), f"min_pass must be between 0 and 1, got {min_pass:g}")
    masks = _masks(r, t, p)
    context = _CaseContext(driver, masks, timeout or DEFAULT_TIMEOUT, programs, configure, run)
    cases: list[Case] = []
    first: dict[str, KeyPath] = {}
    for n, c in enumerate(r.tables(t, p, "case", _CASE)):
        case = _case(r, c, p + ("case", n), context)
        if case.name in first:
            line = (r.positions.of(first[case.name]) or (None,))[0]
            r.error(p + ("case", n, "name"),
                    f"duplicate case name {case.name!r} (first at line {line})")
        elif case.name:
            first[case.name] = p + ("case", n, "name")
            context.earlier[case.name] = case
        cases.append(case)
    return TestSpec(driver, timeout or DEFAULT_TIMEOUT, min_pass, masks, tuple(cases))


class _CaseContext:
    """What a [[test.case]] is checked against: the rest of the recipe."""

    def __init__(self, driver: str, masks: tuple[Mask, ...], timeout: float,
                 programs: tuple[Program, ...], configure: Configure, run: RunSettings):
        self.driver = driver
        self.masks = masks
        self.timeout = timeout
        self.programs = tuple(pr.name for pr in programs)
        self.plugin_build = configure.kind == "plugin"
        self.cwd = run.cwd
        self.earlier: dict[str, Case] = {}  # the cases before the one being read


def _check_case_outputs(r: Reader, c: dict, p: KeyPath, ctx: _CaseContext,
                        program: str | None) -> None:
    """`case:NAME/...` inputs name an earlier case, and a file it compares."""
    refs = [(p + ("files", k), v) for k, v in (c.get("files") or {}).items()
            if isinstance(v, str)]
    if isinstance(c.get("stdin_file"), str):
        refs.append((p + ("stdin_file",), c["stdin_file"]))
    for at, v in refs:
        if not v.startswith("case:"):
            continue
        name, _, what = v[len("case:"):].partition("/")
        if not name or not what:
            continue  # file_ref reports the form
        if ctx.driver != "differential":
            r.error(at, f"{v!r}: case outputs are for driver \"differential\"")
        elif name not in ctx.earlier:
            r.error(at, f"{v!r}: {name!r} is not a case before this one"
                        f"{suggest(name, tuple(ctx.earlier))}")
        elif what != "stdout" and what not in ctx.earlier[name].compare_files:
            r.error(at, f"{v!r}: case {name!r} does not compare a file {what!r} (its "
                        f"compare_files: {', '.join(ctx.earlier[name].compare_files) or 'none'})")


def _case(r: Reader, c: dict, p: KeyPath, ctx: _CaseContext) -> Case:
    name = r.string(c, p, "name", required=True)
    if name is not None and not _CASE_NAME.fullmatch(name):
        r.error(p + ("name",), f"invalid case name {name!r}: letters, digits and '_.-'")
    program = r.string(c, p, "program")
    if program is not None:
        # a plug-in build's programs are the plug-in's to know
        if not ctx.plugin_build and program not in ctx.programs:
            r.error(p + ("program",), _unknown("program", program, ctx.programs))
    elif len(ctx.programs) == 1:
        program = ctx.programs[0]
    elif ctx.programs:
        r.error(p, f"case {name!r} must name its program (the recipe builds "
                   f"{', '.join(ctx.programs)})")

    if "stdin" in c and "stdin_file" in c:
        r.error(p + ("stdin_file",), "give either 'stdin' or 'stdin_file', not both")
    skip = r.string(c, p, "skip")
    if skip == "":
        r.error(p + ("skip",), "skip needs a reason")
    for key, only in (("expected_stdout", "expected"), ("expected_status", "expected"),
                      ("compare_files", "differential")):
        if key in c and ctx.driver in TEST_DRIVERS and ctx.driver != only:
            r.error(p + (key,), f"'{key}' is only for driver \"{only}\"")
    if ctx.driver == "expected" and "expected_stdout" not in c and skip is None:
        r.error(p, f"case {name!r} needs 'expected_stdout' (driver \"expected\")")
    boards = r.strings(c, p, "boards")
    for board in boards:
        if board not in BOARD_NAMES:
            r.error(p + ("boards",), _unknown("board", board, BOARD_NAMES))
    timeout = r.number(c, p, "timeout", None)
    _positive(r, p + ("timeout",), timeout)
    _check_case_outputs(r, c, p, ctx, program)
    tier = r.string(c, p, "tier", default="quick")
    if tier not in TIERS:
        r.error(p + ("tier",), _unknown("tier", tier, TIERS) + " ('quick' cases run in both "
                               "tiers, 'full' ones only in the full tier)")
    return Case(
        name=name or "",
        program=program,
        argv=r.strings(c, p, "argv"),
        stdin=r.string(c, p, "stdin"),
        stdin_file=r.file_ref(r.string(c, p, "stdin_file"), p + ("stdin_file",)),
        files=frozen(_ram_files(r, c, p, ctx.cwd)),
        env=frozen(r.string_map(c, p, "env")),
        expected_stdout=r.file_ref(r.string(c, p, "expected_stdout"), p + ("expected_stdout",)),
        expected_status=r.integer(c, p, "expected_status", 0),
        masks=ctx.masks + _masks(r, c, p),
        compare_files=r.strings(c, p, "compare_files"),
        skip=skip,
        boards=boards,
        timeout=timeout if timeout is not None and timeout > 0 else ctx.timeout,
        tier=tier,
    )

