"""The gate's output formats: the shared text/json/markdown/github reporters, plus collapsible
counterexamples in markdown, JUnit XML and SARIF 2.1.0.

Formats meant for a CI system (github, junit, sarif) name files from the repository's top level,
so that annotations land on the right file whatever folder the gate ran from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any
from xml.etree import ElementTree as ET

from eventcat import __version__
from eventcat.report.escape import dumps, md_code, md_fence, md_text, xml_text
from eventcat.report.escape import html as _html
from eventcat.report.findings import Finding, Severity
from eventcat.report.render import Result, render_github, render_json, render_markdown, render_text

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/eventcat/eventcat"


def _repo_relative(result: Result) -> Result:
    prefix = result.extra.get("catalog_path")
    return replace(result, base=prefix) if isinstance(prefix, str) else result


def _details(finding: Finding) -> dict[str, Any]:
    return dict(finding.details)


def render_gate_markdown(result: Result) -> str:
    """A pull-request comment: the shared table, then each breaking change with its
    counterexample in a collapsible block."""
    parts = [render_markdown(result).rstrip("\n")]
    blocks = []
    for finding in result.findings:
        details = _details(finding)
        if "counterexample" not in details and "blast_radius" not in details:
            continue
        where = result.path(finding) or ""
        if finding.line is not None:
            where += f":{finding.line}"
        title = f"{finding.severity}: <code>{_html(finding.rule)}</code> in " \
                f"{_html(str(details.get('event', '')))}_v{_html(str(details.get('version', '')))} " \
                f"at <code>{_html(where)}</code>"
        body = [f"<details><summary>{title}</summary>", ""]
        body.append(_md_quote(finding.message))
        if "counterexample" in details:
            body += ["", "Counterexample: valid under the old schema, rejected by the new one:", "",
                     md_fence(dumps(details["counterexample"]), "json")]
        if details.get("blast_radius"):
            body += ["", "Blast radius: " + ", ".join(md_code(str(e)) for e in details["blast_radius"])]
        if details.get("consumers"):
            body += ["", "Consumers affected: " + ", ".join(md_code(str(c)) for c in details["consumers"])]
        body += ["", "</details>"]
        blocks.append("\n".join(body))
    if blocks:
        parts += ["", "#### Breaking changes in detail", "", "\n\n".join(blocks)]
    if not result.ok:
        parts += ["", "Fix: publish a new version file `<EventName>_v<N+1>.schema.json` "
                  "(`eventcat bump`), or accept the break in `waivers.yaml` with a reason, an owner "
                  "and an expiry date."]
    return "\n".join(parts) + "\n"


def _md_quote(text: str) -> str:
    return "\n".join("> " + md_text(line) for line in text.split("\n"))


def render_gate_github(result: Result) -> str:
    return render_github(_repo_relative(result))


def render_junit(result: Result) -> str:
    """JUnit XML: one test case per judged file, failing with its error findings."""
    result = _repo_relative(result)
    judged = result.extra.get("judged", [])
    by_file: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_file.setdefault(finding.file or "", []).append(finding)
    cases: list[tuple[str, str, list[Finding]]] = []
    seen: set[int] = set()
    for item in judged:
        path = item["path"]
        found = [f for f in result.findings
                 if f.file == path or _details(f).get("event_file") == path
                 or (f.file == item.get("old_path"))]
        cases.append((path.split("/")[0], path, found))
        seen.update(id(f) for f in found)
    leftovers = [f for f in result.findings if id(f) not in seen]
    if leftovers or not cases:
        cases.append(("catalog", "catalog", leftovers))
    failures = sum(1 for _, _, fs in cases if any(f.severity is Severity.ERROR for f in fs))
    suite = ET.Element("testsuite", {
        "name": "eventcat check", "tests": str(len(cases)), "failures": str(failures),
        "errors": "0", "skipped": "0",
    })
    for classname, path, found in cases:
        shown = result.path(Finding(file=path)) or path
        case = ET.SubElement(suite, "testcase", {"classname": xml_text(classname),
                                                 "name": xml_text(shown), "file": xml_text(shown)})
        errors = [f for f in found if f.severity is Severity.ERROR]
        for finding in errors:
            failure = ET.SubElement(case, "failure", {"type": xml_text(finding.rule),
                                                      "message": xml_text(finding.message[:500])})
            failure.text = xml_text(_plain(result, finding))
        others = [f for f in found if f.severity is not Severity.ERROR]
        if others:
            out = ET.SubElement(case, "system-out")
            out.text = xml_text("\n".join(_plain(result, f) for f in others))
    root = ET.Element("testsuites", {"name": "eventcat", "tests": suite.get("tests", "0"),
                                     "failures": suite.get("failures", "0")})
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _plain(result: Result, finding: Finding) -> str:
    where = result.path(finding) or "<input>"
    if finding.line is not None:
        where += f":{finding.line}"
    text = f"{where} {finding.pointer}: {finding.severity} [{finding.rule}] {finding.message}"
    if "counterexample" in _details(finding):
        text += "\ncounterexample: " + dumps(_details(finding)["counterexample"], indent=None)
    return text


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_sarif(result: Result) -> str:
    """SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""
    from eventcat.rules.registry import find

    result = _repo_relative(result)
    rule_ids = sorted({f.rule for f in result.findings})
    rules = []
    for rule_id in rule_ids:
        rule: dict[str, Any] = {"id": rule_id, "name": _camel(rule_id)}
        known = find(rule_id)
        if known is not None:
            rule["shortDescription"] = {"text": known.summary}
            rule["fullDescription"] = {"text": known.explanation}
            rule["help"] = {"text": known.fix}
            rule["properties"] = {"family": known.family, "level": known.level}
            if known.default_severity is not None:
                rule["defaultConfiguration"] = {"level": _SARIF_LEVEL[known.default_severity]}
        else:  # gate usage errors (unknown revision, …) are not catalog rules
            rule["shortDescription"] = {"text": rule_id.replace("-", " ")}
        rules.append(rule)
    index = {rule_id: n for n, rule_id in enumerate(rule_ids)}
    results = []
    for finding in result.findings:
        details = _details(finding)
        entry: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": _SARIF_LEVEL[finding.severity],
            "message": {"text": finding.message},
        }
        path = result.path(finding)
        if path:
            region = {"startLine": finding.line} if finding.line else {}
            location: dict[str, Any] = {"physicalLocation": {
                "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
                **({"region": region} if region else {}),
            }}
            if finding.pointer:
                location["logicalLocations"] = [{"fullyQualifiedName": f"{path}#{finding.pointer}",
                                                 "kind": "member"}]
            entry["locations"] = [location]
        if "waived" in details:
            waiver = details["waived"]
            entry["suppressions"] = [{
                "kind": "external", "status": "accepted",
                "justification": f"{waiver['reason']} (owner {waiver['owner']}, expires {waiver['expires']})",
            }]
        properties = {k: v for k, v in details.items() if k not in ("waived",)}
        if properties:
            entry["properties"] = properties
        results.append(entry)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "eventcat", "version": __version__,
                                "informationUri": INFORMATION_URI, "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the repository root"}}},
            "automationDetails": {"id": f"eventcat/check/{result.extra.get('against', '')}"},
            "results": results,
            "properties": {"against": result.extra.get("against"), "commit": result.extra.get("commit")},
        }],
    }
    return dumps(log)  # SARIF allows no extra top-level keys: values are made valid, no note


def _camel(rule_id: str) -> str:
    parts = rule_id.replace("_", "-").lower().split("-")
    return "".join(p.capitalize() for p in parts if p)


REPORTERS: dict[str, Callable[[Result], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_gate_markdown,
    "github": render_gate_github,
    "junit": render_junit,
    "sarif": render_sarif,
}


def render(result: Result, output_format: str, *, colour: bool = False) -> str:
    if output_format == "text":
        return render_text(result, colour=colour)
    return REPORTERS[output_format](result)
