"""The compliance report of a release: collect -> compare -> render (JSON, Markdown, HTML)."""

SCHEMA = "bkport.compliance-report/1"
