"""The target x API matrix as CSV: one row per applet (or file), one column per API needing work;
a cell is the API's status when the target uses it, empty otherwise.

After the matrix, one row per file the analysis could not take in whole, first cell `#error` (a
translation unit that did not parse cleanly) or `#skipped` (never parsed), then its location
(`file:line:col` of the first error, or the file), the message and the translation unit; then one
row per warning of the document (`#warning`, empty location, the warning); tools that treat `#` as
a comment skip them."""

from __future__ import annotations

import csv
import io

from bkport.analyze.problems import problems


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
    for p in problems(doc):
        w.writerow([f"#{p.kind}", p.location, p.message, p.unit])
    for warning in doc["warnings"]:  # guessed flags and the like: never silent in a spreadsheet
        w.writerow(["#warning", "", warning, ""])
    return buf.getvalue()
