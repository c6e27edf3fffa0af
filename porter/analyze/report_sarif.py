"""SARIF 2.1.0 for code-scanning tools: one rule per API that needs work, one result per live use.
Supported and informational APIs are left out (they need no action); dead uses are left out too.
The run's invocation says whether it was complete (`executionSuccessful` is false for partial
results) and carries one tool execution notification per translation unit that did not parse
cleanly (level error, at its first error) and per file skipped (level warning), and one per
warning of the document (descriptor `bkport/warning`: e.g. flags guessed because no build could be
recorded), so code scanning never shows guessed results as if they came from the real build.
"""

from __future__ import annotations

import os
from urllib.parse import quote

from bkport import __version__
from bkport.analyze.problems import problems
from bkport.analyze.project import api_key

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"unsupported": "error", "linux-only": "error", "unknown": "warning", "partial": "note"}


def _uri(path: str, root: str) -> tuple[str, str | None]:
    if root and os.path.isabs(path) and path.startswith(root.rstrip("/") + "/"):
        return quote(os.path.relpath(path, root)), "SRCROOT"
    return ("file://" + quote(path) if os.path.isabs(path) else quote(path)), None


def render(doc: dict) -> dict:
    rules, index = [], {}
    for a in doc["apis"]:
        if a["status"] not in LEVEL:
            continue
        index[a["key"]] = len(rules)
        text = f"{a['key']} is {a['status']} on profile {doc['profile']}"
        if a["note"]:
            text += f" ({a['note']})"
        rules.append({
            "id": a["key"],
            "name": a["api"],
            "shortDescription": {"text": text},
            "fullDescription": {"text": f"{a['action']}: {a['advice']}" if a["advice"]
                                else a["action"]},
            "defaultConfiguration": {"level": LEVEL[a["status"]]},
            "properties": {"status": a["status"], "option_group": a["option_group"] or "",
                           "targets_blocked": a["targets_blocked"], "kinds": a["kinds"]},
        })
    statuses = {a["key"]: a for a in doc["apis"]}
    results = []
    for f in doc["findings"]:
        key = api_key(f["kind"], f["api"])
        if not f["live"] or key not in index:
            continue
        a = statuses[key]
        uri, base = _uri(f["file"], doc["source"])
        art = {"uri": uri}
        if base:
            art["uriBaseId"] = base
        where = f" in {f['function']}" if f["function"] else ""
        results.append({
            "ruleId": key,
            "ruleIndex": index[key],
            "level": LEVEL[a["status"]],
            "message": {"text": f"{f['kind']} of {f['api']}{where}: {a['status']}"
                                f"{' - ' + a['action'] if a['action'] != 'none' else ''}"},
            "locations": [{"physicalLocation": {
                "artifactLocation": art,
                "region": {"startLine": max(1, f["line"]), "startColumn": max(1, f["col"])},
            }}],
        })
    notifications = []
    for p in problems(doc):
        uri, base = _uri(p.file, doc["source"])
        art = {"uri": uri, **({"uriBaseId": base} if base else {})}
        phys: dict = {"artifactLocation": art}
        if p.line:
            phys["region"] = {"startLine": p.line, **({"startColumn": p.col} if p.col else {})}
        notifications.append({
            "descriptor": {"id": "bkport/tu-error" if p.kind == "error" else "bkport/skipped"},
            "level": "error" if p.kind == "error" else "warning",
            "message": {"text": p.describe()},
            "locations": [{"physicalLocation": phys}],
        })
    notifications += [{"descriptor": {"id": "bkport/warning"}, "level": "warning",
                       "message": {"text": w}} for w in doc["warnings"]]
    run = {
        "invocations": [{"executionSuccessful": not doc["partial"],
                         "toolExecutionNotifications": notifications}],
        "tool": {"driver": {"name": "bkport-analyze", "version": __version__,
                            "informationUri": "https://github.com/vivoblueos", "rules": rules}},
        "originalUriBaseIds": {"SRCROOT": {"uri": "file://" + quote(doc["source"].rstrip("/"))
                                           + "/"}},
        "results": results,
        "properties": {"profile": doc["profile"], "partial": doc["partial"],
                       "weighted_completeness": doc["targets"]["weighted_completeness"]},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
