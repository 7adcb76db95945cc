"""Findings and the reporters that render them."""

from eventcat.report.findings import Finding, Severity

__all__ = ["Finding", "Severity"]
