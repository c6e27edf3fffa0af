"""A valid recipe lands field by field in the model; defaults; flags_for's merge order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bkport.errors import InputError
from bkport.recipe import Flags, Mask, Recipe, find_recipe, load_recipe
from bkport.recipe.checks import parse_size

DEMO = Path(__file__).parent / "apps" / "demo"

MINIMAL = """\
[app]
name = "{name}"
version = "1.0"
[source]
debian = "{name}"
[[program]]
name = "{name}"
"""


def write_recipe(tmp_path: Path, text: str, name: str = "mini") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "app.toml").write_text(text.replace("{name}", name))
    return folder


@pytest.fixture(scope="module")
def demo() -> Recipe:
    return load_recipe(DEMO)


def test_app_source_configure(demo: Recipe):
    assert (demo.name, demo.version, demo.summary) == ("demo", "1.2.3", "a demo app")
    assert demo.folder == DEMO.resolve()
    assert demo.path_of_toml == DEMO.resolve() / "app.toml"
    src = demo.source
    assert (src.debian, src.debian_version, src.path, src.subdir) == (
        "demo", "1:1.2.3+dfsg-4", None, "src")
    # glob by glob, each glob's matches sorted, each file once
    assert [p.name for p in src.patches] == ["02-second.patch", "01-first.patch"]
    cfg = demo.configure
    assert (cfg.kind, cfg.args, cfg.make_args, dict(cfg.env), cfg.plugin) == (
        "autotools", ("--disable-shared",), ("all",), {"CFLAGS": "-O2"}, None)


def test_programs(demo: Recipe):
    assert [p.name for p in demo.programs] == ["demo", "tool"]
    main = demo.program("demo")
    assert (main.sources, main.exclude, main.defines, main.cflags) == (
        ("src/*.c",), ("src/tool.c",), ("MAIN=1",), ("-Wno-unused",))
    tool = demo.program("tool")
    assert (tool.sources, tool.exclude, tool.defines, tool.cflags) == ((), (), (), ())
    with pytest.raises(KeyError, match="no program 'luac'"):
        demo.program("luac")


def test_build_settings(demo: Recipe):
    b = demo.build
    assert b.base == Flags(("BASE",), ("USE_READLINE",), ("-O1",), (DEMO.resolve() / "include",))
    assert b.shims == (DEMO.resolve() / "shims" / "compat.c",)
    assert set(b.arch) == {"aarch64"}
    assert set(b.board) == {"qemu_virt64_aarch64", "qemu_mps3_an547"}


def test_flags_for_merges_base_then_arch_then_board(demo: Recipe):
    f = demo.flags_for("aarch64", "qemu_virt64_aarch64")
    assert f.defines == ("BASE", "ARCH", "BOARD")
    assert f.cflags == ("-O1", "-O2", "-O3")  # the last one wins on a compiler command line
    assert f.undefines == ("USE_READLINE",)
    assert f.include == (DEMO.resolve() / "include", DEMO.resolve() / "include" / "board")
    # an arch or board without a table adds nothing
    assert demo.flags_for("riscv64", "qemu_riscv64") == demo.build.base
    assert demo.flags_for("cortex-m", "qemu_mps3_an547").undefines == ("USE_READLINE", "AN547")
    with pytest.raises(ValueError, match="unknown board"):
        demo.flags_for("aarch64", "qemu_virt")


def test_run_settings(demo: Recipe):
    run = demo.run
    assert (run.stack, run.heap, run.cwd) == (256 * 1024, 4 * 1024 * 1024, "/work")
    assert dict(run.env) == {"HOME": "/tmp"}
    assert run.dirs == ("/work", "/tmp/x")
    assert dict(run.files) == {"/work/in.txt": DEMO.resolve() / "tests" / "in.txt"}


def test_test_spec_and_cases(demo: Recipe):
    t = demo.test
    assert t is not None
    assert (t.driver, t.timeout, t.min_pass, t.plugin) == ("differential", 30.0, 0.95, None)
    addr = Mask("0x[0-9a-f]+", "0xADDR")
    assert t.masks == (addr,)
    hello, skipped = t.cases
    assert (hello.name, hello.program, hello.argv, hello.stdin, hello.stdin_file) == (
        "hello", "demo", ("-e", "print(1)"), "text", None)
    data = DEMO.resolve() / "tests" / "in.txt"
    # relative RAM-fs paths are under run.cwd
    assert dict(hello.files) == {"/work/data/in.txt": data, "/etc/x": data}
    assert dict(hello.env) == {"K": "v"}
    assert hello.masks == (addr, Mask(r"\d+ms", ""))  # test-wide masks first
    assert hello.compare_files == ("out.txt",)
    assert hello.boards == ("qemu_riscv64", "qemu_mps3_an547")
    assert hello.runs_on("qemu_riscv64") and not hello.runs_on("qemu_mps2_an385")
    assert (hello.timeout, hello.skip, hello.expected_stdout, hello.expected_status) == (
        60.0, None, None, 0)
    assert (skipped.program, skipped.stdin_file, skipped.skip, skipped.timeout) == (
        "tool", data, "needs fork", 30.0)
    assert skipped.runs_on("qemu_mps2_an385")
    assert addr.apply("at 0x1f00 and 0xab") == "at 0xADDR and 0xADDR"


def test_model_is_frozen(demo: Recipe):
    with pytest.raises(AttributeError):
        demo.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        demo.run.env["X"] = "y"  # type: ignore[index]


def test_defaults(tmp_path: Path):
    r = load_recipe(write_recipe(tmp_path, MINIMAL) / "app.toml")
    assert r.summary == "" and r.test is None
    assert (r.source.subdir, r.source.patches, r.source.debian_version) == (".", (), None)
    assert (r.configure.kind, r.configure.args, r.configure.plugin) == ("make", (), None)
    assert r.build.shims == () and r.build.arch == {} and r.build.board == {}
    assert (r.run.stack, r.run.heap, r.run.cwd, r.run.dirs) == (None, None, "/", ())
    assert r.flags_for("riscv64", "qemu_riscv64") == Flags()


def test_test_defaults_and_single_program(tmp_path: Path):
    folder = write_recipe(tmp_path, MINIMAL + '[[test.case]]\nname = "a"\n')
    t = load_recipe(folder).test
    assert t is not None
    assert (t.driver, t.timeout, t.min_pass, t.masks) == ("differential", 20.0, 1.0, ())
    assert t.cases[0].program == "mini"  # the only program
    assert t.cases[0].timeout == 20.0


def test_default_shims_are_the_shims_folder(tmp_path: Path):
    folder = write_recipe(tmp_path, MINIMAL)
    (folder / "shims").mkdir()
    for name in ("b.c", "a.c", "note.txt"):
        (folder / "shims" / name).write_text("")
    assert [p.name for p in load_recipe(folder).build.shims] == ["a.c", "b.c"]


def test_local_source_and_expected_driver(tmp_path: Path):
    folder = write_recipe(tmp_path, MINIMAL.replace('debian = "{name}"', 'path = "upstream"') + """
[test]
driver = "expected"
[[test.case]]
name = "ok"
expected_stdout = "tests/ok.out"
expected_status = 3
""")
    (folder / "upstream").mkdir()
    (folder / "tests").mkdir()
    (folder / "tests" / "ok.out").write_text("1\n")
    r = load_recipe(folder)
    assert r.source.path == folder / "upstream" and r.source.debian is None
    case = r.test.cases[0]
    assert (case.expected_stdout, case.expected_status) == (folder / "tests" / "ok.out", 3)


def test_plugin_recipe_needs_no_program(tmp_path: Path):
    r = load_recipe(write_recipe(tmp_path, """\
[app]
name = "{name}"
version = "1.35.0"
[source]
debian = "busybox"
debian_version = "1:1.35.0-4"
[configure]
kind = "plugin"
plugin = "busybox"
[test]
driver = "plugin:busybox"
[[test.case]]
name = "seq"
program = "seq"
""", name="busybox"))
    assert r.programs == () and r.configure.plugin == "busybox"
    assert r.test.plugin == "busybox" and r.test.cases[0].program == "seq"


def test_every_problem_is_reported_at_once_sorted(tmp_path: Path):
    folder = write_recipe(tmp_path, """\
[test]
min_pass = 2
[run]
stack = "1G"
[app]
name = "{name}"
version = 1
[source]
[configure]
kind = "mak"
[[program]]
name = "x"
[[program]]
name = "x"
""")
    with pytest.raises(InputError) as exc:
        load_recipe(folder)
    diags = exc.value.diagnostics
    assert [(d.loc.line, d.loc.col) for d in diags] == [
        (2, 1), (4, 1), (7, 1), (8, 2), (10, 1), (14, 1)]
    assert all(d.loc.file == str(folder / "app.toml") for d in diags)
    # the exception's text is every diagnostic, one a line
    assert str(exc.value).splitlines() == [str(d) for d in diags]


def test_syntax_error_at_end_of_document(tmp_path: Path):
    folder = write_recipe(tmp_path, '[app]\nname = "x"\nversion = "1')
    with pytest.raises(InputError) as exc:
        load_recipe(folder)
    (d,) = exc.value.diagnostics
    assert (d.loc.line, d.loc.col) == (3, 13)
    assert d.message.startswith("invalid TOML: ")


@pytest.mark.parametrize("text, size", [("256K", 262144), ("4M", 4 << 20), ("4096", 4096),
                                        ("8k", 8192), ("12Q", None), ("", None), ("1.5M", None)])
def test_parse_size(text: str, size: int | None):
    assert parse_size(text) == size


def test_find_recipe_accepts_folder_file_and_app_name(tmp_path: Path, monkeypatch):
    toml = DEMO.resolve() / "app.toml"
    assert find_recipe(DEMO) == toml
    assert find_recipe(toml) == toml
    assert find_recipe(str(DEMO)) == toml
    monkeypatch.setattr("bkport.recipe.loader.apps_dir", lambda: DEMO.parent)
    monkeypatch.chdir(tmp_path)
    assert find_recipe("demo") == toml


def test_find_recipe_errors_name_the_folder(tmp_path: Path, monkeypatch):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError) as exc:
        find_recipe(tmp_path / "empty")
    assert f"no app.toml in {tmp_path / 'empty'}" in str(exc.value)
    monkeypatch.setattr("bkport.recipe.loader.apps_dir", lambda: DEMO.parent)
    with pytest.raises(InputError, match=r"no recipe here.*did you mean 'demo'"):
        find_recipe(tmp_path / "demi")


def test_name_must_match_the_folder_copied_elsewhere(tmp_path: Path):
    shutil.copytree(DEMO, tmp_path / "other")
    with pytest.raises(InputError, match="differs from the recipe folder's name 'other'"):
        load_recipe(tmp_path / "other")
