"""Hostile repositories against the gate and the site's history (issue 18 items 1-3, issue 20 item 8).

Every test builds a real git repository; the promises are CONTRACT's: exit 0/1/2 with one clear
line, nothing read outside the catalog, nothing run that the repository names.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from eventcat.docsite.history import read_history
from eventcat.errors import InputError
from eventcat.git.parse import parse_tree_listing, parse_tree_object
from eventcat.git.reader import GitRepo
from tests.conftest import event_schema
from tests.gate.conftest import EVENT, GateRepo, seeded_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture
def repo(tmp_path: Path) -> GateRepo:
    return seeded_repo(tmp_path / "repo", event_schema())


FORMATS = ("text", "json", "markdown", "github", "junit", "sarif")


def cli(
    repo: GateRepo, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "EVENTCAT_DEBUG")}
    return subprocess.run(
        [sys.executable, "-m", "eventcat.cli", "check", *args],
        cwd=cwd or repo.root,
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        check=False,
        timeout=120,
    )


def add_required(schema: dict[str, Any]) -> None:
    schema["required"] = [*schema["required"], "note"]


def object_id(repo: GateRepo, content: bytes) -> str:
    done = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"],
        cwd=repo.root,
        input=content,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode().strip()


# -- 1. a crafted tree cannot hide an entry ---------------------------------------------------------


def test_decoy_gitlinks_and_odd_names_do_not_hide_a_breaking_change(tmp_path: Path) -> None:
    repo = seeded_repo(tmp_path / "repo", event_schema())
    repo.git("checkout", "-q", "main")
    # A decoy whose *name* ends in " OrderPlaced_v1.schema.json" and whose object id is the blob
    # of the changed file (a gitlink's id is free), behind a gitlink whose id puts a NUL where a
    # byte-searching tree parser looks for the end of the previous entry.
    changed = json.loads((repo.catalog / EVENT).read_text())
    add_required(changed)
    decoy_blob = object_id(repo, (json.dumps(changed, indent=2) + "\n").encode())
    folder = "catalog/orders/"
    entries = [
        ("11" * 8 + "00" + "11" * 11, "0 pad"),
        (decoy_blob, "A 100644 OrderPlaced_v1.schema.json"),
        ("1" * 40, "OrderPlaced_v1.schema.json\t100644 blob " + "2" * 40),
    ]
    for sha, name in entries:
        repo.git("update-index", "--add", "--cacheinfo", f"160000,{sha},{folder}{name}")
    odd = {"Order\nPlaced_v1.schema.json": b"{}", "Order Placed_v1.schema.json\t": b"{}"}
    for name, content in odd.items():
        (repo.catalog / "orders" / name).write_bytes(content)
        repo.git("update-index", "--add", "--", f"{folder}{name}")
    repo.git("commit", "-q", "-m", "decoys")
    listing = parse_tree_listing(repo.git("ls-tree", "-z", "HEAD:catalog/orders").encode())
    names = {e.path for e in listing}
    assert {n for _, n in entries} | set(odd) | {"OrderPlaced_v1.schema.json"} == names
    # The gate reads a folder's tree object through its cat-file process: the same entries.
    git, _ = GitRepo.discover(repo.catalog)
    with git:
        assert git.ls_tree(repo.git("rev-parse", "HEAD:catalog/orders").strip()) == listing
    repo.git("checkout", "-q", "-B", "change")

    repo.write(EVENT, changed)  # the breaking change the decoys tried to hide
    result = repo.check()
    assert result.exit_code == 1, [f.render() for f in result.findings]
    assert any(f.file == EVENT and f.severity == "error" for f in result.findings)


def test_a_tree_listing_a_name_twice_is_refused(tmp_path: Path) -> None:
    repo = seeded_repo(tmp_path / "repo", event_schema())
    real = repo.git("ls-tree", "main:catalog/orders").split()
    blob = real[2]
    decoy = object_id(repo, b'{"type": "object"}\n')
    raw = b"".join(
        b"100644 OrderPlaced_v1.schema.json\0" + bytes.fromhex(sha) for sha in (decoy, blob)
    )
    tree = subprocess.run(
        ["git", "hash-object", "-t", "tree", "-w", "--literally", "--stdin"],
        cwd=repo.root,
        input=raw,
        capture_output=True,
        check=True,
    )
    orders = tree.stdout.decode().strip()
    top = repo.git("ls-tree", "main:catalog").replace(
        repo.git("rev-parse", "main:catalog/orders").strip(), orders
    )
    catalog_tree = (
        subprocess.run(
            ["git", "mktree"], cwd=repo.root, input=top.encode(), capture_output=True, check=True
        )
        .stdout.decode()
        .strip()
    )
    root = (
        subprocess.run(
            ["git", "mktree"],
            cwd=repo.root,
            capture_output=True,
            check=True,
            input=f"040000 tree {catalog_tree}\tcatalog\n".encode(),
        )
        .stdout.decode()
        .strip()
    )
    commit = repo.git("commit-tree", root, "-p", "main", "-m", "duplicate entry").strip()
    repo.git("branch", "-f", "crafted", commit)

    repo.edit(EVENT, add_required)
    done = cli(repo, "--against", "crafted")
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "twice" in lines[0] and "git-tree" in lines[0]


def test_a_gitlink_at_a_changed_path_is_reported_not_skipped(tmp_path: Path) -> None:
    repo = seeded_repo(tmp_path / "repo", event_schema())
    repo.git("checkout", "-q", "main")
    path = "catalog/orders/OrderShipped_v1.schema.json"
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{'3' * 40},{path}")
    repo.git("commit", "-q", "-m", "a submodule where an event will be")
    repo.git("checkout", "-q", "-B", "change")
    repo.git("rm", "-q", "--cached", path)
    (repo.root / path).rmdir() if (repo.root / path).is_dir() else None
    repo.write("orders/OrderShipped_v1.schema.json", event_schema("orders.order_shipped.v1"))
    result = repo.check()
    found = [f for f in result.findings if f.file == "orders/OrderShipped_v1.schema.json"]
    assert any("submodule" in f.message for f in found), [f.render() for f in result.findings]


# -- 3. programs named by configuration never run -----------------------------------------------------


def arm(repo: GateRepo, marker: Path) -> None:
    """Name a program that leaves ``marker`` in every place git could take one from."""
    script = repo.root.parent / "evil.sh"
    script.write_text(f'#!/bin/sh\necho "$0 $*" >> "{marker}"\ncat\n', encoding="utf-8")
    script.chmod(0o755)
    hooks = repo.root.parent / "hooks"
    hooks.mkdir()
    for hook in ("post-checkout", "post-index-change", "reference-transaction", "pre-auto-gc"):
        (hooks / hook).symlink_to(script)
    included = repo.root.parent / "included.cfg"
    included.write_text(f"[core]\n\tfsmonitor = {script}\n", encoding="utf-8")
    (repo.catalog / ".gitattributes").write_text("* filter=evil diff=evil\n", encoding="utf-8")
    settings = {
        "include.path": str(included),
        "core.hooksPath": str(hooks),
        "core.pager": str(script),
        "pager.log": str(script),
        "diff.external": str(script),
        "filter.evil.clean": str(script),
        "filter.evil.smudge": str(script),
        "filter.evil.process": str(script),
        "filter.evil.required": "true",
        "diff.evil.textconv": str(script),
        "diff.evil.command": str(script),
        "log.showSignature": "true",
        "gpg.program": str(script),
        "gpg.ssh.program": str(script),
        "submodule.recurse": "true",
    }
    for key, value in settings.items():
        repo.git("config", key, value)


def signed_commit(repo: GateRepo) -> None:
    """A commit carrying a (fake) signature, so that showing signatures would call gpg."""
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    parent = repo.git("rev-parse", "HEAD").strip()
    body = (
        f"tree {tree}\nparent {parent}\nauthor A <a@x> 1700000000 +0000\n"
        "committer A <a@x> 1700000000 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n"
        " iQ==\n -----END PGP SIGNATURE-----\n\nsigned\n"
    )
    sha = (
        subprocess.run(
            ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
            cwd=repo.root,
            input=body.encode(),
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    repo.git("update-ref", "HEAD", sha)


def test_no_program_from_repository_configuration_ever_runs(tmp_path: Path) -> None:
    repo = seeded_repo(tmp_path / "repo", event_schema())
    repo.edit(EVENT, lambda s: s.update(description="changed"))
    repo.commit("a change on the branch")
    signed_commit(repo)
    marker = tmp_path / "ran"
    arm(repo, marker)
    repo.edit(EVENT, add_required)  # a dirty work tree: diff must hash it (clean filter's chance)

    # The trap is real: plain git runs the programs named above.
    subprocess.run(["git", "log", "-1"], cwd=repo.root, capture_output=True, check=False)
    subprocess.run(
        ["git", "diff", "main", "--stat"], cwd=repo.root, capture_output=True, check=False
    )
    assert marker.exists()
    marker.unlink()

    for output_format in FORMATS:
        done = cli(repo, "--against", "main", "--format", output_format)
        assert done.returncode == 1, done.stderr
    history = read_history(repo.catalog)
    try:
        assert history.available and history.commits
        assert history.read(history.commits[0].sha, EVENT) is not None
    finally:
        history.close()
    from eventcat.docsite.build import Options, build_site

    build_site(Options(catalog=repo.catalog))
    assert not marker.exists(), marker.read_text()


# -- 4. nothing outside the catalog is read ------------------------------------------------------------


SECRET = "TOPSECRET-4f7c19"


def forward_event(ref: str) -> dict[str, Any]:
    schema = event_schema()
    schema["x-eventcat"]["compatibility"] = {"mode": "FORWARD", "evolution": "compatible"}
    schema["properties"]["token"] = {"$ref": ref}
    return schema


def test_a_committed_folder_link_out_of_the_catalog_is_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "runner"
    outside.mkdir()
    (outside / "Token_v1.schema.json").write_text(json.dumps({"type": "string", "const": SECRET}))
    (outside / "plain.txt").write_text(SECRET)
    repo = seeded_repo(tmp_path / "repo", event_schema())
    repo.write("_shared/Token_v1.schema.json", {"type": "string"})
    repo.edit(EVENT, lambda s: s.update(forward_event("../_shared/Token_v1.schema.json")))
    repo.commit("token")
    repo.git("branch", "-f", "main", "HEAD")
    # The pull request: a folder link out of the catalog and a $ref through it.
    (repo.catalog / "_runner").symlink_to(outside, target_is_directory=True)
    repo.edit(
        EVENT, lambda s: s["properties"].update(token={"$ref": "../_runner/Token_v1.schema.json"})
    )
    repo.commit("pull request")
    for output_format in FORMATS:
        done = cli(repo, "--against", "main", "--format", output_format)
        assert SECRET not in done.stdout + done.stderr, output_format
        assert done.returncode == 2, (output_format, done.stdout, done.stderr)
        assert "symbolic link" in done.stdout + done.stderr


def test_a_new_file_link_out_of_the_catalog_fails_the_gate(tmp_path: Path) -> None:
    secret = tmp_path / "passwd"
    secret.write_text(SECRET)
    repo = seeded_repo(tmp_path / "repo", event_schema())
    (repo.catalog / "orders" / "OrderCancelled_v1.schema.json").symlink_to(secret)
    (repo.catalog / "orders" / "notes.txt").symlink_to("/etc/passwd")
    for output_format in FORMATS:
        done = cli(repo, "--against", "main", "--format", output_format)
        assert done.returncode == 2, (output_format, done.stdout, done.stderr)
        assert SECRET not in done.stdout + done.stderr and "root:" not in done.stdout
        assert "symlink-outside" in done.stdout + done.stderr


def test_a_symbolic_link_in_the_baseline_tree_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.schema.json"
    secret.write_text(json.dumps({"type": "string", "const": SECRET}))
    repo = seeded_repo(tmp_path / "repo", event_schema())
    repo.git("checkout", "-q", "main")
    link = repo.catalog / "orders" / "OrderShipped_v1.schema.json"
    link.symlink_to(secret)
    repo.commit("a link in the baseline")
    repo.git("checkout", "-q", "-B", "change")
    link.unlink()
    repo.write("orders/OrderShipped_v1.schema.json", event_schema("orders.order_shipped.v1"))
    done = cli(repo, "--against", "main", "--format", "json")
    assert SECRET not in done.stdout + done.stderr
    document = json.loads(done.stdout)
    assert any("symbolic link" in f["message"] for f in document["findings"]), document


# -- 8. revisions and repositories: one clear line ----------------------------------------------------


@pytest.mark.parametrize(
    ("against", "expected"),
    [
        ("x" * 131_066, "characters long"),
        ("main..HEAD", "ranges are not revisions"),
        ("main...HEAD", "ranges are not revisions"),
        ("^main", "ranges are not revisions"),
        ("--output=/tmp/eventcat-pwned", "is not an option"),
        ("main\n--help", "control characters"),
    ],
)
def test_bad_revisions_are_one_line_exit_2(repo: GateRepo, against: str, expected: str) -> None:
    done = cli(repo, "--against", against)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], lines
    assert not Path("/tmp/eventcat-pwned").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_a_repository_owned_by_another_user_says_so_and_how_to_trust_it(tmp_path: Path) -> None:
    repo = seeded_repo(tmp_path / "repo", event_schema())
    for folder, dirs, files in os.walk(repo.root):
        for name in [*dirs, *files, "."]:
            os.lchown(Path(folder) / name, 4242, 4242)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = cli(repo, "--against", "main", env=env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "owned by another user" in lines[0], lines
    assert f"git config --global --add safe.directory {repo.root}" in lines[0]
    assert "not inside a git repository" not in lines[0]

    subprocess.run(
        ["git", "config", "--global", "--add", "safe.directory", str(repo.root)],
        env={**os.environ, **env},
        check=True,
    )
    assert cli(repo, "--against", "main", env=env).returncode == 0


def test_the_reader_refuses_what_is_not_an_object_id(repo: GateRepo) -> None:
    git, _ = GitRepo.discover(repo.catalog)
    with git, pytest.raises(Exception, match="not an object id"):
        git.ls_tree("--output=/tmp/x")


def test_a_tree_object_record_the_reader_does_not_understand_is_refused() -> None:
    """The cat-file reading of a tree refuses what ``ls-tree`` would print differently (a mode
    git canonicalises, a cut record); ``GitRepo.ls_tree`` then asks ``ls-tree`` itself."""
    sha = bytes.fromhex("11" * 20)
    assert parse_tree_object(b"100644 a.json\0" + sha, 20)[0].path == "a.json"
    for raw in (b"100664 a.json\0" + sha, b"100644 a.json\0" + sha[:5], b"100644 \0" + sha):
        with pytest.raises(InputError, match="tree record"):
            parse_tree_object(raw, 20)
