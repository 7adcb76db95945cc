"""GitHub's webhook payload schemas (npm ``@octokit/webhooks-schemas``, MIT) as eventcat catalogs.

Each published version of the package is one bundled draft-07 ``schema.json``: ``definitions``
holds one schema per webhook action (``check_run$completed``), one ``oneOf`` union per webhook
(``check_run_event``) and the shared definitions (``user``, ``repository``, …). The converter makes
a catalog of it: one event file per action, ``<domain>/<EventName>_v1.schema.json`` with valid
``x-eventcat`` metadata, and the shared definitions as ``_shared/`` fragments referenced with
relative ``$ref``s. Used by ``bench/bench_realworld.py`` and by the regression test of verdicts.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import tarfile
from pathlib import Path
from typing import Any

PACKAGE = "@octokit/webhooks-schemas"
# A real history of schema changes: consecutive published versions, oldest first.
VERSIONS = (
    "6.7.0",
    "6.10.0",
    "6.11.0",
    "7.0.2",
    "7.0.3",
    "7.1.0",
    "7.3.1",
    "7.4.0",
    "7.5.0",
    "7.5.1",
    "7.6.1",
)
CACHE = Path.home() / ".cache" / "eventcat-bench"
DRAFT7 = "http://json-schema.org/draft-07/schema#"


def tarball(version: str, cache: Path = CACHE) -> Path:
    """The package tarball of ``version``, fetched once with ``npm pack`` into ``cache``."""
    path = cache / f"octokit-webhooks-schemas-{version}.tgz"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "pack", "--silent", f"{PACKAGE}@{version}", "--pack-destination", str(cache)],
            check=True,
            capture_output=True,
        )
    return path


def bundle(path: Path) -> dict[str, Any]:
    """The bundled ``schema.json`` of a package tarball."""
    with tarfile.open(path) as archive:
        member = archive.extractfile("package/schema.json")
        if member is None:
            raise ValueError(f"{path}: no package/schema.json")
        data: dict[str, Any] = json.load(io.TextIOWrapper(member, encoding="utf-8"))
    return data


def _pascal(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", text) if part)


def _snake(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def layout(definitions: dict[str, Any]) -> dict[str, str]:
    """Catalog path of every definition that gets a file (unions of actions get none)."""
    paths: dict[str, str] = {}
    for name in definitions:
        if "$" in name:
            webhook, action = name.split("$", 1)
            domain = webhook.replace("_", "-")
            paths[name] = f"{domain}/{_pascal(webhook)}{_pascal(action)}_v1.schema.json"
        elif not name.endswith("_event"):
            paths[name] = f"_shared/{_pascal(name)}_v1.schema.json"
    return paths


def _relative(source: str, target: str) -> str:
    up = "../" if "/" in source and source.split("/")[0] != target.split("/")[0] else ""
    return up + (target.split("/", 1)[1] if not up else target)


def _rewrite(value: Any, here: str, paths: dict[str, str]) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, sub in value.items():
            if key == "$ref" and isinstance(sub, str) and sub.startswith("#/definitions/"):
                out[key] = _relative(here, paths[sub.removeprefix("#/definitions/")])
            elif key == "$schema":
                continue
            else:
                out[key] = _rewrite(sub, here, paths)
        return out
    if isinstance(value, list):
        return [_rewrite(v, here, paths) for v in value]
    return value


def convert(schema: dict[str, Any]) -> dict[str, Any]:
    """The catalog of one bundled schema: relative path -> file content (JSON or YAML text)."""
    definitions: dict[str, Any] = schema["definitions"]
    paths = layout(definitions)
    files: dict[str, Any] = {}
    domains: set[str] = set()
    for name, path in paths.items():
        body = _rewrite(definitions[name], path, paths)
        content: dict[str, Any] = {"$schema": DRAFT7, **body}
        if "$" in name:
            webhook, action = name.split("$", 1)
            domains.add(path.split("/")[0])
            content["x-eventcat"] = {
                "eventType": f"github.{_snake(webhook)}.{_snake(action)}.v1",
                "kind": "integration",
                "owner": "github",
                "producers": ["github"],
                "consumers": [
                    {
                        "service": "webhook-consumer",
                        "handler": "handle",
                        "fields": ["action"] if "action" in body.get("properties", {}) else [],
                    }
                ],
            }
        files[path] = content
    lines = [
        "name: GitHub webhooks (converted from @octokit/webhooks-schemas)",
        "compatibility:",
        "  mode: BACKWARD",
        "  policy: LENIENT",
        "  rules: sound",
        "  evolution: additive",
        "teams:",
        "  github:",
        "    name: GitHub",
        "services:",
        "  github:",
        "    name: GitHub",
        "    owner: github",
        "  webhook-consumer:",
        "    name: A webhook consumer",
        "    owner: github",
        "domains:",
    ]
    for domain in sorted(domains):
        lines += [f"  {domain}:", f"    name: {domain}", "    owner: github"]
    files["catalog.yaml"] = "\n".join(lines) + "\n"
    return files


def _refs(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["$ref"]} if isinstance(value.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_refs(v) for v in value))
    return set()


def versioned(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The catalog ``new`` (both made by :func:`convert`) in which every event whose own file
    changed since ``old`` has two versions: ``_v1`` as ``old`` had it, ``_v2`` as ``new`` has it
    (its eventType ending in ``.v2``), so the site can compare real versions of a real payload.
    One catalog has one ``_shared/`` folder: both versions reference ``new``'s fragments, and an
    event whose old file references a fragment ``new`` no longer has keeps its one version."""
    files = dict(new)
    for path, content in new.items():
        before = old.get(path)
        if (
            not isinstance(content, dict)
            or "x-eventcat" not in content
            or before in (None, content)
        ):
            continue
        folder = path.rsplit("/", 1)[0]
        targets = {
            ref.removeprefix("../") if ref.startswith("../") else f"{folder}/{ref}"
            for ref in _refs(before)
            if not ref.startswith("#")
        }
        if not targets <= set(new):
            continue
        later = json.loads(json.dumps(content))
        later["x-eventcat"]["eventType"] = content["x-eventcat"]["eventType"][: -len("v1")] + "v2"
        files[path] = before
        files[path.replace("_v1.schema.json", "_v2.schema.json")] = later
    return files


def write(files: dict[str, Any], root: Path) -> None:
    """Replace the catalog at ``root`` with ``files`` (deleted definitions disappear)."""
    if root.exists():
        for old in root.rglob("*.schema.json"):
            old.unlink()
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content, indent=2) + "\n"
        target.write_text(text, encoding="utf-8")
