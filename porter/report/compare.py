"""What changed since the previous release, and which changes are regressions.

Every change has a stable id (`interface/bkport/mmap`, `syscall/Write`,
`conformance/qemu_riscv64/pthread_mutex`, `app/APP/qemu_riscv64/UNIT`). A regression fails the
report unless the waiver file lists its id with a reason:

    # id<TAB>reason
    interface/bkport/mmap	mmap needs an MMU; the Cortex-M board has none
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bkport.errors import InputError, located

INTERFACE_RANK = {"supported": 0, "partial": 1, "stub": 2, "missing": 3}
SYSCALL_RANK = {"full": 0, "partial": 1, "proposed": 2, "fake": 3, "stub": 4,
                "unsupported": 5, "retired": 6}
PASSING = {"PASS"}


@dataclass(frozen=True)
class Change:
    id: str
    kind: str  # "improved" | "regressed" | "changed" | "added" | "removed"
    before: str | None
    after: str | None
    waived_because: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "before": self.before, "after": self.after,
                "waived_because": self.waived_because}


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


def diff(prev: dict[str, Any], cur: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for profile in sorted({p for v in [*prev["interfaces"].values(), *cur["interfaces"].values()]
                           for p in v}):
        for name in sorted(set(prev["interfaces"]) | set(cur["interfaces"])):
            b = prev["interfaces"].get(name, {}).get(profile)
            a = cur["interfaces"].get(name, {}).get(profile)
            if b != a:
                changes.append(_ranked(f"interface/{profile}/{name}", b, a, INTERFACE_RANK))
    pc, cc = prev["syscalls"]["calls"], cur["syscalls"]["calls"]
    for v in sorted(set(pc) | set(cc), key=lambda v: (cc.get(v) or pc.get(v))["number"]):
        b = pc.get(v, {}).get("status")
        a = cc.get(v, {}).get("status")
        if b != a:
            changes.append(_ranked(f"syscall/{v}", b, a, SYSCALL_RANK))
    for board in sorted(set(prev["conformance"]["boards"]) | set(cur["conformance"]["boards"])):
        bt = prev["conformance"]["boards"].get(board, {}).get("tests", {})
        at = cur["conformance"]["boards"].get(board, {}).get("tests", {})
        for t in sorted(set(bt) | set(at)):
            if bt.get(t) != at.get(t):
                changes.append(_verdict(f"conformance/{board}/{t}", bt.get(t), at.get(t)))
    for app in sorted(set(prev["apps"]) | set(cur["apps"])):
        pb = prev["apps"].get(app, {}).get("boards", {})
        cb = cur["apps"].get(app, {}).get("boards", {})
        for board in sorted(set(pb) | set(cb)):
            for unit in sorted(set(pb.get(board, {})) | set(cb.get(board, {}))):
                b, a = pb.get(board, {}).get(unit), cb.get(board, {}).get(unit)
                if b != a:
                    changes.append(_verdict(f"app/{app}/{board}/{unit}", b, a))
    return changes


def apply_waivers(changes: list[Change], waivers: dict[str, str]) -> list[Change]:
    return [Change(c.id, c.kind, c.before, c.after, waivers.get(c.id))
            if c.kind == "regressed" else c for c in changes]


def unwaived(changes: list[Change]) -> list[Change]:
    return [c for c in changes if c.kind == "regressed" and not c.waived_because]


def summary(changes: list[Change]) -> dict[str, Any]:
    kinds = ("improved", "regressed", "changed", "added", "removed")
    return {
        "counts": {k: sum(1 for c in changes if c.kind == k) for k in kinds},
        "unwaived_regressions": [c.id for c in unwaived(changes)],
        "changes": [c.as_dict() for c in changes],
    }
