"""Classification against a fake profile, the advice catalog, and the support plan."""

from __future__ import annotations

from dataclasses import dataclass

from bkport.analyze.classify import classify
from bkport.analyze.plan import support_plan


@dataclass(frozen=True)
class Iface:
    option_groups: tuple[str, ...]
    pse: tuple[str, ...]
    header: str


@dataclass(frozen=True)
class Sup:
    status: str
    note: str | None
    provider: str | None
    interface: Iface


class FakeProfile:
    def __init__(self, table: dict[str, str]):
        self.table = table

    def lookup(self, name: str) -> Sup | None:
        st = self.table.get(name)
        if st is None:
            return None
        return Sup(st, "no mapping" if st == "stub" else None, "librs",
                   Iface(("POSIX_DEVICE_IO",), ("PSE51",), "stdio.h"))


PROFILE = FakeProfile({"printf": "supported", "fork": "missing", "mmap": "stub",
                       "sigaction": "partial"})


def test_statuses() -> None:
    assert classify("printf", "call", PROFILE).status == "supported"
    assert classify("fork", "call", PROFILE).status == "unsupported"
    v = classify("mmap", "call", PROFILE)
    assert v.status == "partial" and v.note == "stub: no mapping"
    assert classify("sigaction", "call", PROFILE).status == "partial"
    assert classify("epoll_create1", "call", PROFILE).status == "linux-only"
    assert classify("getopt_long", "call", PROFILE).status == "unknown"
    assert classify("gettid", "syscall", PROFILE).status == "linux-only"
    assert classify("/proc/meminfo", "path", PROFILE).status == "linux-only"
    assert classify("asm", "asm", PROFILE).status == "unknown"
    assert classify("struct stat", "type", PROFILE).status == "info"


def test_interface_facts_and_advice() -> None:
    v = classify("fork", "call", PROFILE)
    assert v.option_group == "POSIX_DEVICE_IO" and v.pse == ("PSE51",)
    assert v.action == "alternative" and "vfork" in v.advice  # from data/advice.tsv
    assert classify("printf", "call", PROFILE).action == "none"
    assert classify("frobnicate", "call", PROFILE).action == "implement"  # default per status


def test_an_app_plugin_advises_over_the_generic_catalog() -> None:
    """A plug-in's advice rows replace the generic ones for its app, and only for it."""
    from bkport import plugins
    from bkport.analyze.classify import advice_catalog

    example = plugins.default_example()
    own = example.advice()
    assert own, "the default example's plug-in gives advice of its own"
    api = sorted(own)[0]
    catalog = {**advice_catalog(), **own}
    assert classify(api, "call", PROFILE, catalog).advice == own[api][1]
    assert classify(api, "call", PROFILE).advice != own[api][1]


def test_support_plan_completes_most_first() -> None:
    missing = {"a": {"x"}, "b": {"x"}, "c": {"y"}, "d": {"x", "z"}, "e": set()}
    plan = support_plan(missing)
    assert [p["api"] for p in plan] == ["x", "y", "z"]
    assert plan[0]["unblocks"] == 2 and plan[0]["completeness_after"] == 0.6
    assert plan[-1]["completeness_after"] == 1.0
