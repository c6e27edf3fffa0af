"""`bkport validate apps/NAME` for recipes with a built-in driver (differential or expected):
build every program for each board, run each case on the board (and, differential, on the host
build), and write per case per board the outcome with its reason.

Outputs, for `bkport report` and people:
- `app-<name>.json` (schema bkport.app-results/1): per board, per case PASS / FAIL / UNTESTED,
  and under "reasons" why each case failed or was skipped;
- a Markdown page (`--docs`): per board the figures, then every failing or skipped case with its
  reason.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bkport.apps import cases as C
from bkport.errors import BkportError
from bkport.fsutil import write_if_changed
from bkport.paths import display, work_dir
from bkport.recipe import Recipe
from bkport.validate.options import ValidateOptions

APPS_SCHEMA = "bkport.app-results/1"


@dataclass
class _Outputs:
    """Each side's runs of the cases so far, for the `case:NAME/...` inputs of later ones."""

    host: dict[str, C.Side] = field(default_factory=dict)
    board: dict[str, C.Side] = field(default_factory=dict)

    def reader(self, side: str):
        runs = self.host if side == "host" else self.board
        return lambda ref: C.output_of(runs.get(ref.case), ref, side)


def _run_case(recipe: Recipe, board: str, image: Path | None, host_bin: Path | None,
              case, build_error: str, tier: str, src: Path | None,
              outputs: _Outputs) -> C.CaseResult:
    if case.skip:
        return C.CaseResult(case.name, C.SKIP, case.skip)
    if not case.runs_in(tier):
        return C.CaseResult(case.name, C.SKIP, "full tier only (run with --tier full)")
    if not case.runs_on(board):
        return C.CaseResult(case.name, C.SKIP, f"not run on {board} (the case lists "
                                                  f"{', '.join(case.boards)})")
    if image is None:
        return C.CaseResult(case.name, C.FAIL, build_error)
    program = case.program or recipe.programs[0].name
    try:
        board_side = C.run_board(board, image, program, recipe, case, case.timeout, src,
                                 outputs.reader("board"))
        host_seconds = 0.0
        if recipe.test.driver == "expected":
            why = C.compare_expected(recipe, case, board_side, case.masks, src)
        else:
            if host_bin is None:
                return C.CaseResult(case.name, C.FAIL, f"the host build links no {program}")
            host_side = C.run_host(host_bin, program, recipe, case, case.timeout, src,
                                   outputs.reader("host"))
            outputs.host[case.name] = host_side
            host_seconds = host_side.seconds
            why = C.compare(host_side, board_side, case.masks, case.compare_files)
    except C.MissingOutput as e:
        return C.CaseResult(case.name, C.FAIL if e.ran else C.SKIP, str(e))
    outputs.board[case.name] = board_side
    return C.CaseResult(case.name, C.FAIL if why else C.PASS, why, board_side.seconds,
                        host_seconds, board_side.heap_peak, board_side.stack_peak)


def waves(cases: list) -> list[list]:
    """The cases in rounds: each round's cases read outputs of earlier rounds only, so a round
    runs in parallel. A case whose input case is not among `cases` runs in the first round it
    can (its input is then missing, which its result says)."""
    names = {c.name for c in cases}
    done: set[str] = set()
    rounds: list[list] = []
    left = list(cases)
    while left:
        ready = [c for c in left if all(n in done or n not in names for n in c.needs)]
        if not ready:  # the loader forbids cycles (inputs come from earlier cases only)
            ready = left
        rounds.append(ready)
        done |= {c.name for c in ready}
        left = [c for c in left if c not in ready]
    return rounds


def run_board(recipe: Recipe, board: str, images: dict[str, Path], host_bins: dict[str, Path],
              build_errors: dict[str, str], jobs: int, only: list[str] | None,
              progress: Callable[[str], None], tier: str = "full",
              src: Path | None = None) -> list[C.CaseResult]:
    chosen = [c for c in recipe.test.cases if not only or c.name in only]
    outputs = _Outputs()

    def one(case) -> C.CaseResult:
        prog = case.program or recipe.programs[0].name
        r = _run_case(recipe, board, images.get(prog), host_bins.get(prog), case,
                      build_errors.get(prog, ""), tier, src, outputs)
        progress(f"{board}: {r.status:8} {case.name}" + (f"  ({r.reason})" if r.reason else ""))
        return r

    results: dict[str, C.CaseResult] = {}
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for wave in waves(chosen):
            for case, r in zip(wave, pool.map(one, wave), strict=True):
                results[case.name] = r
    return [results[c.name] for c in chosen]


def figures(rs: list[C.CaseResult], sizes: dict[str, object], build_seconds: float,
            build_cold: bool = False, rebuild_seconds: float | None = None) -> dict:
    """A board's figures: image footprint per program, the build's time (cold when the board's
    build folder was empty) and an unchanged rebuild's right after it, the suite's time on the
    board beside the same cases on the host, and the memory peaks the kernel recorded."""
    heaps = [r.heap_peak for r in rs if r.heap_peak is not None]
    stacks = [r.stack_peak for r in rs if r.stack_peak is not None]
    return {
        "footprint": {p: {"text": s.text, "data": s.data, "bss": s.bss}
                      for p, s in sorted(sizes.items())},
        "build_seconds": round(build_seconds, 1),
        "build_cold": build_cold,
        "rebuild_seconds": None if rebuild_seconds is None else round(rebuild_seconds, 2),
        "board_seconds": round(sum(r.board_seconds for r in rs), 2),
        "host_seconds": round(sum(r.host_seconds for r in rs), 2),
        "heap_peak": max(heaps) if heaps else None,
        "stack_peak": max(stacks) if stacks else None,
    }


def results_document(recipe: Recipe, per_board: dict[str, list[C.CaseResult]],
                     board_figures: dict[str, dict] | None = None) -> dict:
    return {
        "schema": APPS_SCHEMA,
        "app": recipe.name,
        "generator": "bkport validate (porter/apps)",
        "boards": {b: {r.name: r.status for r in sorted(rs, key=lambda r: r.name)}
                   for b, rs in sorted(per_board.items())},
        "reasons": {b: {r.name: r.reason for r in sorted(rs, key=lambda r: r.name) if r.reason}
                    for b, rs in sorted(per_board.items())},
        "figures": dict(sorted((board_figures or {}).items())),
    }


def build_error_line(message: str, limit: int = 300) -> str:
    """The line of a build failure worth a results table: the compiler's or linker's first
    `error` line rather than the command that failed (rustc's is a kilobyte long)."""
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    line = next((ln for ln in lines if re.match(r"(error|.*: error:|ld\.lld: error)", ln)),
                lines[0] if lines else "build failed")
    return line if len(line) <= limit else line[:limit - 3] + "..."


def load_results(path: Path, app: str) -> dict | None:
    """The results document at `path` for `app`, or None when there is none; a file that is
    not one is an error, not silently replaced."""
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text())
    except json.JSONDecodeError as e:
        raise BkportError(f"{path}:{e.lineno}: not valid JSON ({e.msg}); expected the results "
                          f"of a previous `bkport validate` ({APPS_SCHEMA})") from None
    if not isinstance(doc, dict) or doc.get("schema") != APPS_SCHEMA or doc.get("app") != app:
        raise BkportError(f"{path}: not {app}'s results (expected schema {APPS_SCHEMA}, app "
                          f"{app!r}); move it away or choose another --results folder")
    return doc


def merge_results(previous: dict | None, new: dict, cases: set[str]) -> dict:
    """`new` over `previous`: the boards of the new run replace theirs case by case (a run with
    --only keeps the board's other cases); boards the run did not touch are kept, less any case
    the recipe (`cases`) no longer has."""
    if previous is None:
        return new
    out = {k: new[k] for k in ("schema", "app", "generator")}
    for key in ("boards", "reasons"):
        merged = {b: dict(v) for b, v in previous.get(key, {}).items()}
        for b, ran in new["boards"].items():
            kept = merged.setdefault(b, {})
            if key == "reasons":  # a case run again keeps only its new reason, if any
                for name in ran:
                    kept.pop(name, None)
            kept.update(new[key].get(b, {}))
        out[key] = {b: dict(sorted((c, x) for c, x in v.items() if c in cases))
                    for b, v in sorted(merged.items())}
    figures = dict(previous.get("figures", {}))
    figures.update(new.get("figures", {}))
    out["figures"] = dict(sorted(figures.items()))
    return out


def markdown(recipe: Recipe, doc: dict) -> str:
    lines = [f"<!-- generated by bkport validate (porter/apps/validate.py) from "
             f"{display(recipe.path_of_toml)}; do not edit -->",
             f"# {recipe.name} {recipe.version} on BlueOS", "",
             f"Driver: `{recipe.test.driver}`; {len(recipe.test.cases)} cases; pass threshold "
             f"{recipe.test.min_pass:.0%} of the cases run.", "",
             "| board | pass | fail | not run | pass rate |", "|---|---|---|---|---|"]
    for b, res in doc["boards"].items():
        n = {s: sum(1 for v in res.values() if v == s) for s in (C.PASS, C.FAIL, C.SKIP)}
        ran = n[C.PASS] + n[C.FAIL]
        rate = f"{n[C.PASS] / ran:.1%}" if ran else "-"
        lines.append(f"| {b} | {n[C.PASS]} | {n[C.FAIL]} | {n[C.SKIP]} | {rate} |")
    if doc.get("figures"):
        lines += ["", "## Figures", "",
                  "Suite time: the cases run one after another on the board's QEMU and on the "
                  "host build; memory: the highest app heap peak and "
                  "thread stack high-water mark the kernel recorded over the cases.", "",
                  "Build: this run's build of the board's images (cold: from an empty build "
                  "folder; warm: what changed) and an unchanged rebuild right after it.", "",
                  "| board | image text / data / bss (largest program) | build s | rebuild s "
                  "| suite s (board) | suite s (host) | heap peak | stack peak |",
                  "|---|---|---|---|---|---|---|---|"]
        for b, f in doc["figures"].items():
            big = max(f["footprint"].items(), key=lambda kv: kv[1]["text"], default=None)
            foot = (f"{big[1]['text']} / {big[1]['data']} / {big[1]['bss']} ({big[0]})"
                    if big else "-")
            cold = {True: " (cold)", False: " (warm)"}.get(f.get("build_cold"), "")
            rebuild = f.get("rebuild_seconds")
            lines.append(f"| {b} | {foot} | {f['build_seconds']}{cold} | "
                         f"{'-' if rebuild is None else rebuild} | {f['board_seconds']} | "
                         f"{f['host_seconds']} | {f['heap_peak'] or '-'} | "
                         f"{f['stack_peak'] or '-'} |")
    for b, reasons in doc["reasons"].items():
        if not reasons:
            continue
        lines += ["", f"## {b}: cases not passed", "", "| case | outcome | reason |",
                  "|---|---|---|"]
        for name, why in reasons.items():
            why = why.replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {name} | {doc['boards'][b][name]} | {why} |")
    analysis = readme_section(recipe.folder / "README.md", ANALYSIS_HEADING)
    if analysis:
        lines += ["", f"## {ANALYSIS_HEADING}", "",
                  f"<!-- from {display(recipe.folder / 'README.md')} -->", "", analysis]
    return "\n".join(lines) + "\n"


# The recipe README's section comparing `bkport analyze`'s prediction with what the port hit;
# the app's page carries it beside the results.
ANALYSIS_HEADING = "The analyser checked against reality"


def readme_section(readme: Path, heading: str) -> str | None:
    """The body of the `## heading` section of a Markdown file (to the next `## `), or None."""
    if not readme.is_file():
        return None
    body, inside = [], False
    for line in readme.read_text().splitlines():
        if line.startswith("## "):
            if inside:
                break
            inside = line[3:].strip() == heading
            continue
        if inside:
            body.append(line)
    text = "\n".join(body).strip("\n")
    return text or None


def validate_recipe(recipe: Recipe, opts: ValidateOptions) -> int:
    """Build, run and compare; returns the exit status (0: every board at or above min_pass)."""
    import click
    from bkport.appbuild.app import LinkError
    from bkport.apps.build import build_recipe
    from bkport.apps.host import prepare
    from bkport.toolchain.targets import BOARDS

    if recipe.test is None or not recipe.test.cases:
        raise BkportError(f"{recipe.name}: the recipe has no [test] cases to validate with")
    boards = list(opts.boards) or sorted(BOARDS)
    # --only a,b or --only a --only b
    only = [n for o in (opts.only or ()) for n in o.split(",") if n.strip()] or None
    if only:
        known = {c.name for c in recipe.test.cases}
        unknown = [c for c in only if c not in known]
        if unknown:
            raise BkportError(f"{recipe.name} has no case {', '.join(unknown)}")
    out = Path(opts.out or work_dir() / "validate" / recipe.name)

    def say(msg: str) -> None:
        click.echo(msg, err=True)

    host = prepare(recipe, None, say)
    host_bins = {p.name: host.programs[p.name].output for p in recipe.programs
                 if p.name in host.programs}
    min_pass = opts.min_pass if opts.min_pass is not None else recipe.test.min_pass
    per_board: dict[str, list[C.CaseResult]] = {}
    board_figures: dict[str, dict] = {}
    failed_boards = []
    for board in boards:
        if board in recipe.unsupported:
            why = f"{recipe.name} does not run on {board}: {recipe.unsupported[board]}"
            say(why)
            per_board[board] = [C.CaseResult(c.name, C.SKIP, why) for c in recipe.test.cases
                                if not only or c.name in only]
            continue
        images: dict[str, Path] = {}
        sizes: dict[str, object] = {}
        errors: dict[str, str] = {}
        board_dir = Path(opts.build_dir or work_dir() / "apps" / recipe.name) / board
        cold = not board_dir.exists()
        t0 = time.monotonic()
        for prog in recipe.programs:
            try:
                built = build_recipe(recipe, board, opts.build_dir, say, [prog.name])
                images[prog.name] = built[prog.name].path
                sizes[prog.name] = built[prog.name].sizes
            except LinkError as e:
                errors[prog.name] = f"not built: {e} ({'; '.join(e.symbols[:3])})"
            except BkportError as e:
                errors[prog.name] = f"not built: {build_error_line(str(e))}"
        build_seconds = time.monotonic() - t0
        # the edit-test loop's figure: nothing changed, so nothing may be rebuilt
        t0 = time.monotonic()
        if images:
            build_recipe(recipe, board, opts.build_dir, lambda _m: None, list(images))
        rebuild_seconds = time.monotonic() - t0 if images else None
        rs = run_board(recipe, board, images, host_bins, errors, opts.jobs, only, say,
                       opts.tier, host.src)
        per_board[board] = rs
        board_figures[board] = figures(rs, sizes, build_seconds, cold, rebuild_seconds)
        ran = [r for r in rs if r.status != C.SKIP]
        passed = sum(r.status == C.PASS for r in rs)
        rate = passed / len(ran) if ran else 0.0
        say(f"{board}: {passed}/{len(ran)} cases pass ({rate:.1%}), "
            f"{len(rs) - len(ran)} not run")
        if rate < min_pass:
            failed_boards.append(board)
    doc = results_document(recipe, per_board, board_figures)
    text = json.dumps(doc, indent=1, sort_keys=False) + "\n"
    write_if_changed(out / f"app-{recipe.name}.json", text)
    if opts.results_dir:
        # A run on some boards or cases updates those in the committed results and keeps the
        # rest, so one board can be revalidated without rerunning the others.
        dest = Path(opts.results_dir) / f"app-{recipe.name}.json"
        doc = merge_results(load_results(dest, recipe.name), doc,
                            {c.name for c in recipe.test.cases})
        text = json.dumps(doc, indent=1, sort_keys=False) + "\n"
        write_if_changed(dest, text)
    if opts.docs_file:
        write_if_changed(Path(opts.docs_file), markdown(recipe, doc))
    if opts.fmt == "json":
        click.echo(text, nl=False)
    if failed_boards:
        say(f"below the pass threshold ({min_pass:.0%}) on: {', '.join(failed_boards)}")
        return 1
    return 0
