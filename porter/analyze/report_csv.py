"""The target x API matrix as CSV: one row per applet (or file), one column per API needing work;
a cell is the API's status when the target uses it, empty otherwise."""

from __future__ import annotations

import csv
import io


def matrix(doc: dict) -> str:
    apis = [a for a in doc["apis"] if a["status"] not in ("supported", "info")]
    keys = [a["key"] for a in apis]
    status = {a["key"]: a["status"] for a in apis}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([doc["targets"]["kind"], "blocking_apis", *keys])
    for target, used in doc["matrix"].items():
        uses = set(used)
        w.writerow([target, sum(1 for k in keys if k in uses),
                    *[status[k] if k in uses else "" for k in keys]])
    return buf.getvalue()
