"""A small synthetic C project, written per test session, with a compile_commands.json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

MAIN_C = r"""
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <pthread.h>
#include "util.h"

#define BARRIER() __asm__ __volatile__("" ::: "memory")

static void on_int(int sig) { (void)sig; }

static int cmp(const void *a, const void *b) { return strcmp(a, b); }

int main(int argc, char **argv)
{
    struct sigaction sa;
    pthread_mutex_t mu;
    fd_set set;
    struct stat st;
    struct winsize ws;
    char buf[64];
    int n = 0;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_int;
    sigaction(SIGINT, &sa, NULL);
    signal(SIGTERM, on_int);
    qsort(argv, argc, sizeof(char *), cmp);
    pthread_mutex_init(&mu, NULL);
    FD_ZERO(&set);
    FD_SET(0, &set);
    if (stat("/proc/self/status", &st) == 0 && S_ISDIR(st.st_mode))
        n++;
    if (errno == EINTR)
        n++;
    n += (int)syscall(SYS_gettid);
    ioctl(0, TIOCGWINSZ, &ws);
    int fd = open64("/sys/class/net", O_RDONLY);
    n += scan("1");
    if (SIGRTMIN > 0)
        n++;
    __asm__ volatile("nop");
    BARRIER();
    if (0)
        fork();
    n += helper(fd);
    snprintf(buf, sizeof buf, "%d", n);
    return n;
}
"""

UTIL_C = r"""
#include <stdio.h>
#include "util.h"

int helper(int x)
{
    puts("helper");
    return x + 1;
}

int unused_declared_elsewhere(void);
"""

UTIL_H = "int helper(int x);\nint scan(const char *s);\n"

SCAN_C = r"""
#include <stdio.h>
#include "util.h"

int scan(const char *s)
{
    int n = 0;
    sscanf(s, "%d", &n);
    return n;
}
"""


def write_project(root: Path, extra_args: list[str] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "main.c").write_text(MAIN_C)
    (root / "util.c").write_text(UTIL_C)
    (root / "util.h").write_text(UTIL_H)
    (root / "scan.c").write_text(SCAN_C)
    entries = []
    for name in ("main.c", "util.c", "scan.c"):
        # scan.c: strict C99, so glibc redirects sscanf to __isoc99_sscanf
        gnu = [] if name == "scan.c" else ["-D_GNU_SOURCE", "-D_LARGEFILE64_SOURCE"]
        entries.append({
            "directory": str(root),
            "file": name,  # relative on purpose: the normaliser must resolve it
            "arguments": ["gcc", "-std=c99", *gnu, "-I.", "-finline-limit=0", "-Wp,-MD,.x.d",
                          *(extra_args or []), "-c", "-o", name.replace(".c", ".o"), name],
        })
    (root / "compile_commands.json").write_text(json.dumps(entries, indent=1))
    return root


@pytest.fixture()
def cache_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("BKPORT_CACHE", str(cache))
    return cache


@pytest.fixture()
def project(tmp_path: Path, cache_env: Path) -> Path:
    if shutil.which("clang") is None:
        pytest.fail("clang is not installed: run scripts/setup.sh")
    return write_project(tmp_path / "proj")
