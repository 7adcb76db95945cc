"""The formats CI systems read: a pull-request comment (markdown with collapsible
counterexamples), GitHub annotations, JUnit XML and SARIF 2.1.0.

Formats meant for a CI system (github, junit, sarif) name files from the repository's top level,
so that annotations land on the right file whatever folder the gate ran from.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from xml.etree import ElementTree as ET

from eventcat import __version__
from eventcat.gate.messages import pretty, witness_roles
from eventcat.report.escape import dumps, md_code, md_fence, md_text, xml_text
from eventcat.report.escape import html as _html
from eventcat.report.findings import Finding, Severity
from eventcat.report.render import Result, render_github, render_markdown

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/eventcat/eventcat"


def _repo_relative(result: Result) -> Result:
    prefix = result.run.catalog_path if result.run is not None else None
    return replace(result, base=prefix) if prefix is not None else result


# GitHub refuses comments longer than 65,536 characters; leave room for a bot's own wrapping.
MARKDOWN_LIMIT = 60_000


def render_gate_markdown(result: Result) -> str:
    """A pull-request comment: the shared table, then each breaking change with its
    counterexample in a collapsible block; never longer than ``MARKDOWN_LIMIT`` characters
    (errors first, then a line saying how many findings the full report has)."""
    text = _gate_markdown(result, result.findings)
    if len(text) <= MARKDOWN_LIMIT:
        return text
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    ordered = sorted(result.findings, key=lambda f: rank[f.severity])
    head = "\n\n".join(render_markdown(result).split("\n\n", 2)[:2])
    low, high = 0, len(ordered)  # the largest prefix that fits, by bisection
    while low < high:
        middle = (low + high + 1) // 2
        if len(_truncated(result, ordered, middle, head)) <= MARKDOWN_LIMIT:
            low = middle
        else:
            high = middle - 1
    return _truncated(result, ordered, low, head)


def _truncated(result: Result, ordered: list[Finding], shown: int, head: str) -> str:
    body = _gate_markdown(result, tuple(ordered[:shown])).split("\n\n", 2)
    rest = body[2] if len(body) > 2 else ""
    note = (
        f"**{len(ordered) - shown} of {len(ordered)} findings are not shown here** (a comment "
        "is limited to 65,536 characters): the full report is the output of `eventcat check "
        "--format json` or `--format sarif`; keep it as a build artifact."
    )
    return f"{head}\n\n{note}\n\n{rest}".rstrip("\n") + "\n"


def _without_inline_example(finding: Finding) -> Finding:
    """The finding as the comment's table shows it: its counterexample goes in a collapsible
    block below, pretty-printed, not inline."""
    sentence = dict(finding.details).get("counterexample_text")
    if not sentence or sentence not in finding.message:
        return finding
    message = finding.message.replace(" " + str(sentence), " Counterexample below.")
    return replace(finding, message=message)


def _gate_markdown(result: Result, findings: tuple[Finding, ...]) -> str:
    result = replace(result, findings=tuple(_without_inline_example(f) for f in findings))
    parts = [render_markdown(result).rstrip("\n")]
    blocks = []
    for finding in result.findings:
        if not finding.has_counterexample and "blast_radius" not in dict(finding.details):
            continue
        where = result.path(finding) or ""
        if finding.line is not None:
            where += f":{finding.line}"
        title = (
            f"{finding.severity}: <code>{_html(finding.rule)}</code> in "
            f"{_html(finding.event)}_v{_html(finding.version)} "
            f"at <code>{_html(where)}</code>"
        )
        body = [f"<details><summary>{title}</summary>", ""]
        body.append(_md_quote(finding.message))
        details = dict(finding.details)
        if finding.has_counterexample:
            roles = witness_roles(str(details.get("direction", "backward")))
            shown = details.get("counterexample_shown", details["counterexample"])
            body += [
                "",
                f"Counterexample ({roles}), the properties the break needs:",
                "",
                md_fence(pretty(shown), "json"),
            ]
            if shown != details["counterexample"]:
                body += [
                    "",
                    "<details><summary>The whole instance</summary>",
                    "",
                    md_fence(pretty(details["counterexample"]), "json"),
                    "",
                    "</details>",
                ]
        if finding.locations:
            body += [
                "",
                "Found at: "
                + ", ".join(
                    f"`{_html(result.path(Finding(file=loc.file)) or '')}:{loc.line}`"
                    for loc in finding.locations
                ),
            ]
        if finding.blast_radius:
            body += ["", "Blast radius: " + ", ".join(md_code(e) for e in finding.blast_radius)]
        if finding.consumers:
            label = "Consumers it breaks" if details.get("breaking") else "Consumers reading it"
            body += ["", f"{label}: " + ", ".join(md_code(c) for c in finding.consumers)]
        body += ["", "</details>"]
        blocks.append("\n".join(body))
    if blocks:
        parts += ["", "#### Changes in detail", "", "\n\n".join(blocks)]
    if not result.ok:
        parts += [
            "",
            "Fix: publish a new version file `<EventName>_v<N+1>.schema.json` "
            "(`eventcat bump`), or accept the break in `waivers.yaml` with a reason, an owner "
            "and an expiry date.",
        ]
    return "\n".join(parts) + "\n"


def _md_quote(text: str) -> str:
    return "\n".join("> " + md_text(line) for line in text.split("\n"))


def _spread(finding: Finding) -> list[Finding]:
    """A grouped finding as one finding per place: what annotation consumers expect."""
    if not finding.locations:
        return [finding]
    return [
        replace(finding, file=loc.file, pointer=loc.pointer, line=loc.line, locations=())
        for loc in finding.locations
    ]


def _one_per_location(result: Result) -> Result:
    return replace(result, findings=tuple(f for g in result.findings for f in _spread(g)))


def render_gate_github(result: Result) -> str:
    return render_github(_one_per_location(_repo_relative(result)))


def render_junit(result: Result) -> str:
    """JUnit XML: one test case per judged file, failing with its error findings."""
    result = _repo_relative(result)
    judged = result.run.judged if result.run is not None else ()
    by_file: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_file.setdefault(finding.file or "", []).append(finding)
    cases: list[tuple[str, str, list[Finding]]] = []
    seen: set[int] = set()
    for item in judged:
        path = item.path
        found = [
            f
            for f in result.findings
            if f.file == path
            or path in f.event_files
            or any(loc.file == path for loc in f.locations)
            or (f.file == item.old_path)
        ]
        cases.append((path.split("/")[0], path, found))
        seen.update(id(f) for f in found)
    leftovers = [f for f in result.findings if id(f) not in seen]
    if leftovers or not cases:
        cases.append(("catalog", "catalog", leftovers))
    failures = sum(1 for _, _, fs in cases if any(f.severity is Severity.ERROR for f in fs))
    suite = ET.Element(
        "testsuite",
        {
            "name": "eventcat check",
            "tests": str(len(cases)),
            "failures": str(failures),
            "errors": "0",
            "skipped": "0",
        },
    )
    for classname, path, found in cases:
        shown = result.path(Finding(file=path)) or path
        case = ET.SubElement(
            suite,
            "testcase",
            {"classname": xml_text(classname), "name": xml_text(shown), "file": xml_text(shown)},
        )
        errors = [f for f in found if f.severity is Severity.ERROR]
        for finding in errors:
            failure = ET.SubElement(
                case,
                "failure",
                {"type": xml_text(finding.rule), "message": xml_text(finding.message[:500])},
            )
            failure.text = xml_text(_plain(result, finding))
        others = [f for f in found if f.severity is not Severity.ERROR]
        if others:
            out = ET.SubElement(case, "system-out")
            out.text = xml_text("\n".join(_plain(result, f) for f in others))
    root = ET.Element(
        "testsuites",
        {
            "name": "eventcat",
            "tests": suite.get("tests", "0"),
            "failures": suite.get("failures", "0"),
        },
    )
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def _plain(result: Result, finding: Finding) -> str:
    where = result.path(finding) or "<input>"
    if finding.line is not None:
        where += f":{finding.line}"
    text = f"{where} {finding.pointer}: {finding.severity} [{finding.rule}] {finding.message}"
    if finding.has_counterexample:
        text += "\ncounterexample: " + dumps(finding.counterexample, indent=None)
    return text


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_sarif(result: Result) -> str:
    """SARIF 2.1.0, for GitHub code scanning and other SARIF viewers."""
    from eventcat.rules.registry import find

    result = _repo_relative(result)
    run = result.run
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
    for grouped, finding in ((g, f) for g in result.findings for f in _spread(g)):
        entry: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": _SARIF_LEVEL[finding.severity],
            "message": {"text": finding.message},
        }
        path = result.path(finding)
        if path:
            region = {"startLine": finding.line} if finding.line else {}
            location: dict[str, Any] = {
                "physicalLocation": {
                    "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
                    **({"region": region} if region else {}),
                }
            }
            if finding.pointer:
                location["logicalLocations"] = [
                    {"fullyQualifiedName": f"{path}#{finding.pointer}", "kind": "member"}
                ]
            entry["locations"] = [location]
            related = [
                loc
                for loc in grouped.locations
                if (loc.file, loc.line) != (finding.file, finding.line)
            ]
            if related:
                entry["relatedLocations"] = [
                    {
                        "id": n,
                        "physicalLocation": {
                            "artifactLocation": {
                                "uri": result.path(Finding(file=loc.file)),
                                "uriBaseId": "%SRCROOT%",
                            },
                            **({"region": {"startLine": loc.line}} if loc.line else {}),
                        },
                        "message": {"text": "the same change"},
                    }
                    for n, loc in enumerate(related)
                ]
        waiver = finding.waiver
        if waiver is not None:
            entry["suppressions"] = [
                {
                    "kind": "external",
                    "status": "accepted",
                    "justification": f"{waiver['reason']} (owner {waiver['owner']}, expires {waiver['expires']})",
                }
            ]
        properties = {k: v for k, v in finding.details if k != "waived"}
        if properties:
            entry["properties"] = properties
        results.append(entry)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "eventcat",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {
                    "%SRCROOT%": {"description": {"text": "the repository root"}}
                },
                "automationDetails": {"id": f"eventcat/check/{run.against if run else ''}"},
                "results": results,
                "properties": {
                    "against": run.against if run else None,
                    "commit": run.commit if run else None,
                },
            }
        ],
    }
    return dumps(log)  # SARIF allows no extra top-level keys: values are made valid, no note


def _camel(rule_id: str) -> str:
    parts = rule_id.replace("_", "-").lower().split("-")
    return "".join(p.capitalize() for p in parts if p)
