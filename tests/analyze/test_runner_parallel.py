"""The parallel runner: TUs without a cache entry go to the workers first, the parent loads the
others meanwhile; an entry whose headers changed is found stale and parsed too. Same facts as a
-j 1 run, whatever the path."""

from __future__ import annotations

from pathlib import Path

import pytest
from bkport.analyze import compdb
from bkport.analyze.cache import FactCache
from bkport.analyze.pipeline import settings
from bkport.analyze.runner import cache_salt, extract_all


def run(project: Path, cache_root: Path, jobs: int) -> tuple[list[dict], int, int]:
    cmds, _ = compdb.split_sources(compdb.load(project / "compile_commands.json"))
    cache = FactCache(cache_salt(settings()), root=cache_root)  # fresh hashes: a new run
    facts, stats = extract_all(cmds, settings(), cache, jobs)
    return facts, stats.parsed, stats.cached


def test_parallel_runs_parse_what_changed_and_agree_with_serial(project: Path,
                                                               tmp_path: Path) -> None:
    serial, parsed, _ = run(project, tmp_path / "serial", 1)
    assert parsed == 3
    cold, parsed, cached = run(project, tmp_path / "par", 2)
    assert (parsed, cached) == (3, 0) and cold == serial  # in the database's order

    warm, parsed, cached = run(project, tmp_path / "par", 2)
    assert (parsed, cached) == (0, 3) and warm == cold

    with open(project / "scan.c", "a") as f:  # a new key: no entry, straight to a worker
        f.write("\n/* edited */\n")
    one, parsed, cached = run(project, tmp_path / "par", 2)
    assert (parsed, cached) == (1, 2)
    assert [f["file"] for f in one] == [f["file"] for f in cold]

    # util.h changes: every entry still exists but is stale (util.c and main.c include it;
    # scan.c too): found while loading, parsed after the first submissions.
    (project / "util.h").write_text((project / "util.h").read_text() + "int extra(void);\n")
    again, parsed, cached = run(project, tmp_path / "par", 2)
    assert (parsed, cached) == (3, 0)
    assert again == run(project, tmp_path / "serial2", 1)[0]


def test_the_largest_sources_go_to_the_workers_first(project: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Largest first, so that no worker is left alone with a big TU at the end; the facts come
    back in the database's order all the same."""
    from bkport.analyze import runner

    cmds, _ = compdb.split_sources(compdb.load(project / "compile_commands.json"))
    names = [Path(c.file).name for c in cmds]
    assert names == ["main.c", "util.c", "scan.c"]
    (project / "scan.c").write_text((project / "scan.c").read_text() + "/*" + "x" * 9000 + "*/\n")
    order = [names[i] for i in runner._largest_first([0, 1, 2], cmds)]
    assert order == ["scan.c", "main.c", "util.c"]  # by size: scan.c padded, util.c smallest
    submitted: list[str] = []

    class Pool(runner.ProcessPoolExecutor):
        def submit(self, fn, *args):  # type: ignore[no-untyped-def]
            submitted.append(Path(args[0]).name)
            return super().submit(fn, *args)

    monkeypatch.setattr(runner, "ProcessPoolExecutor", Pool)
    facts, parsed, _ = run(project, tmp_path / "c", 2)
    assert submitted == order and parsed == 3
    assert [Path(f["file"]).name for f in facts] == names
