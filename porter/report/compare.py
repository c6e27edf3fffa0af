"""What changed since the previous release, and which changes are regressions.

Every change has a stable id (`interface/bkport/mmap`, `syscall/Write`,
`conformance/qemu_riscv64/pthread_mutex`, `conformance/qemu_riscv64/interface/fopen`,
`conformance/qemu_riscv64` for a whole board, `app/APP/qemu_riscv64/UNIT`, `app/APP/qemu_riscv64`
for a whole board). A regression, or a board or app run before and not now (`not-run`), fails the
report unless the waiver file lists its id with a reason:

    # id<TAB>reason
    interface/bkport/mmap	mmap needs an MMU; the Cortex-M board has none

A change of the `blueos` profile while one of its recorded inputs changed (bkport.report.inputs)
is `input-changed`, with the input's change as its reason: BlueOS's facts moved, not the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bkport.errors import InputError, located
from bkport.report.inputs import Declared, changed

INTERFACE_RANK = {"supported": 0, "partial": 1, "stub": 2, "missing": 3}
SYSCALL_RANK = {"full": 0, "partial": 1, "proposed": 2, "fake": 3, "stub": 4,
                "unsupported": 5, "retired": 6}
PASSING = {"PASS"}


@dataclass(frozen=True)
class Change:
    id: str
    kind: str  # one of KINDS
    before: str | None
    after: str | None
    waived_because: str | None = None
    reason: str | None = None  # why an input-changed change is one

    def as_dict(self, reason: int | None) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "before": self.before, "after": self.after,
                "waived_because": self.waived_because, "reason": reason}


KINDS = ("improved", "regressed", "not-run", "input-changed", "changed", "added", "removed")
BLOCKING = ("regressed", "not-run")  # fail the report unless waived


def read_waivers(path: Path | None) -> dict[str, str]:
    if path is None or not path.exists():
        return {}
    waivers: dict[str, str] = {}
    problems = []
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        wid, sep, reason = line.partition("\t")
        if not sep or not reason.strip() or "/" not in wid:
            problems.append(
                located(path, i, 1, "expected 'ID<TAB>REASON' (a waiver needs a reason)"))
            continue
        waivers[wid.strip()] = reason.strip()
    if problems:
        raise InputError(problems)
    return waivers


def _ranked(cid: str, before: str | None, after: str | None, rank: dict[str, int]) -> Change:
    if before is None:
        return Change(cid, "added", None, after)
    if after is None:
        return Change(cid, "removed", before, None)
    rb, ra = rank.get(before, len(rank)), rank.get(after, len(rank))
    kind = "improved" if ra < rb else "regressed" if ra > rb else "changed"
    return Change(cid, kind, before, after)


def _verdict(cid: str, before: str | None, after: str | None) -> Change:
    if before is None:
        return Change(cid, "added", None, after)
    if after is None:
        # A test that no longer runs is no proof of anything: treat it like a failure.
        return Change(cid, "regressed" if before in PASSING else "removed", before, None)
    if before in PASSING and after not in PASSING:
        return Change(cid, "regressed", before, after)
    if after in PASSING and before not in PASSING:
        return Change(cid, "improved", before, after)
    return Change(cid, "changed", before, after)


def _checks(counts: dict[str, int] | None) -> str | None:
    if counts is None:
        return None
    total = sum(counts.values())
    extra = [f"{counts[k]} {k}" for k in ("fail", "xfail", "xpass") if counts.get(k)]
    return f"{counts.get('pass', 0)}/{total} pass" + (f" ({', '.join(extra)})" if extra else "")


def _interface_checks(cid: str, b: dict[str, int] | None, a: dict[str, int] | None) -> Change:
    """An interface's checks on a board: regressed when fewer pass (a check that passed fails,
    becomes a known gap or disappears) or more fail; improved when more pass or fewer fail."""
    if b is None:
        return Change(cid, "added", None, _checks(a))
    if a is None:
        return Change(cid, "regressed" if b.get("pass") else "removed", _checks(b), None)
    bp, ap, bf, af = b.get("pass", 0), a.get("pass", 0), b.get("fail", 0), a.get("fail", 0)
    if ap < bp or af > bf:
        kind = "regressed"
    elif ap > bp or af < bf:
        kind = "improved"
    else:
        kind = "changed"
    return Change(cid, kind, _checks(b), _checks(a))


def _conformance(prev: dict[str, Any], cur: dict[str, Any], notes: list[str]) -> list[Change]:
    changes: list[Change] = []
    pb, cb = prev["conformance"]["boards"], cur["conformance"]["boards"]
    for board in sorted(set(pb) | set(cb)):
        b, a = pb.get(board, {}), cb.get(board, {})
        bt, at = b.get("tests", {}), a.get("tests", {})
        if bt and not a.get("ran"):
            # One line, not one per test: the board's results are missing, which is a lack of
            # evidence to waive or fix as a whole (docs/report.md).
            changes.append(Change(f"conformance/{board}", "not-run", f"{len(bt)} tests",
                                  "not run"))
            continue
        if at and not b.get("ran"):
            changes.append(Change(f"conformance/{board}", "added", "not run", f"{len(at)} tests"))
            continue
        for t in sorted(set(bt) | set(at)):
            if bt.get(t) != at.get(t):
                changes.append(_verdict(f"conformance/{board}/{t}", bt.get(t), at.get(t)))
        bi, ai = b.get("interfaces"), a.get("interfaces")
        if bi is None and ai is not None:
            notes.append(f"conformance/{board}: {prev['release']} has no per-check results "
                         "(results schema /1); per-interface changes start with this release")
            continue
        if bi is None or ai is None:
            continue
        for i in sorted(set(bi) | set(ai)):
            if bi.get(i) != ai.get(i):
                changes.append(_interface_checks(f"conformance/{board}/interface/{i}",
                                                 bi.get(i), ai.get(i)))
    return changes


def _apps(prev: dict[str, Any], cur: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for app in sorted(set(prev["apps"]) | set(cur["apps"])):
        pb = prev["apps"].get(app, {}).get("boards", {})
        cb = cur["apps"].get(app, {}).get("boards", {})
        for board in sorted(set(pb) | set(cb)):
            before, after = pb.get(board), cb.get(board)
            if before and not after:
                changes.append(Change(f"app/{app}/{board}", "not-run", f"{len(before)} cases",
                                      "not run"))
                continue
            if after and not before:
                changes.append(Change(f"app/{app}/{board}", "added", "not run",
                                      f"{len(after)} cases"))
                continue
            for unit in sorted(set(before or {}) | set(after or {})):
                b, a = (before or {}).get(unit), (after or {}).get(unit)
                if b != a:
                    c = _verdict(f"app/{app}/{board}/{unit}", b, a)
                    if c.kind == "removed":
                        c = Change(c.id, c.kind, b, a, reason=_split_into(unit, before, after))
                    changes.append(c)
    return changes


def _split_into(unit: str, before: dict[str, str], after: dict[str, str]) -> str | None:
    """Why a unit that never passed is gone: its group (`applet/`) now reports cases it did not
    report before, as when a whole script skipped at once (`md5sum/md5sum.tests`) now runs case
    by case."""
    group, sep, _ = unit.rpartition("/")
    if not sep:
        return None
    new = sorted(u for u in after if u.startswith(group + "/") and u not in before)
    if not new:
        return None
    passed = sum(1 for u in new if after[u] in PASSING)
    return f"run case by case now: {len(new)} new case(s) under {group}/, {passed} passing"


def diff(prev: dict[str, Any], cur: dict[str, Any],
         declared: dict[tuple[str, str], Declared] | None = None,
         notes: list[str] | None = None) -> list[Change]:
    """Every difference between two reports; `notes` collects what could not be compared."""
    notes = notes if notes is not None else []
    inputs, unknown = changed(prev, cur, declared or {})
    by_profile: dict[str, list[str]] = {}
    for c in inputs:
        by_profile.setdefault(c.profile, []).append(c.text())
        notes.append(f"input changed: {c.text()}")
    if unknown:
        notes.append(f"{prev['release']} recorded no digest of {len(unknown)} input(s) and "
                     f"inputs.tsv declares none ({', '.join(unknown)}): a change of their "
                     "profile is classified as if no input had changed")
    changes: list[Change] = []
    for profile in sorted({p for v in [*prev["interfaces"].values(), *cur["interfaces"].values()]
                           for p in v}):
        because = "; ".join(by_profile.get(profile, [])) or None
        for name in sorted(set(prev["interfaces"]) | set(cur["interfaces"])):
            b = prev["interfaces"].get(name, {}).get(profile)
            a = cur["interfaces"].get(name, {}).get(profile)
            if b != a:
                c = _ranked(f"interface/{profile}/{name}", b, a, INTERFACE_RANK)
                if because and c.kind in ("improved", "regressed", "changed"):
                    c = Change(c.id, "input-changed", b, a, reason=because)
                changes.append(c)
    pc, cc = prev["syscalls"]["calls"], cur["syscalls"]["calls"]
    for v in sorted(set(pc) | set(cc), key=lambda v: (cc.get(v) or pc.get(v))["number"]):
        b = pc.get(v, {}).get("status")
        a = cc.get(v, {}).get("status")
        if b != a:
            changes.append(_ranked(f"syscall/{v}", b, a, SYSCALL_RANK))
    changes += _conformance(prev, cur, notes)
    changes += _apps(prev, cur)
    return changes


def apply_waivers(changes: list[Change], waivers: dict[str, str]) -> list[Change]:
    return [Change(c.id, c.kind, c.before, c.after, waivers.get(c.id), c.reason)
            if c.kind in BLOCKING else c for c in changes]


def unwaived(changes: list[Change]) -> list[Change]:
    return [c for c in changes if c.kind in BLOCKING and not c.waived_because]


def summary(changes: list[Change], notes: list[str] | None = None) -> dict[str, Any]:
    """The comparison as report.json holds it. A reason is written once in `reasons` and each
    change names it by index: every input-changed change of a profile shares the one text of
    its inputs' changes (576 of them in 0.2.0, 1.5 KB each)."""
    reasons = list(dict.fromkeys(c.reason for c in changes if c.reason))
    index = {r: i for i, r in enumerate(reasons)}
    return {
        "counts": {k: sum(1 for c in changes if c.kind == k) for k in KINDS},
        "unwaived_regressions": [c.id for c in unwaived(changes)],
        "notes": list(notes or []),
        "reasons": reasons,
        "changes": [c.as_dict(index.get(c.reason) if c.reason else None) for c in changes],
    }


def change_reason(compare: dict[str, Any], change: dict[str, Any]) -> str | None:
    """A change's reason text from report.json's comparison (`summary`)."""
    i = change.get("reason")
    return None if i is None else compare["reasons"][i]
