"""Dispatch a document to its format. Each renderer is a pure function document -> str."""

from __future__ import annotations

import json

from bkport.errors import BkportError


def render(doc: dict, fmt: str, top: int = 30) -> str:
    if fmt == "text":
        from bkport.analyze.report_text import render as text

        return text(doc, top=top)
    if fmt == "json":
        return json.dumps(doc, separators=(",", ":")) + "\n"  # the C encoder: big documents
    if fmt == "sarif":
        from bkport.analyze.report_sarif import render as sarif

        return json.dumps(sarif(doc), indent=1) + "\n"
    if fmt == "md":
        from bkport.analyze.report_md import markdown

        return markdown(doc, top=top)
    if fmt == "html":
        from bkport.analyze.report_html import render as html

        return html(doc, top=top)
    if fmt == "csv":
        from bkport.analyze.report_csv import matrix

        return matrix(doc)
    raise BkportError(f"unknown format {fmt!r}")
