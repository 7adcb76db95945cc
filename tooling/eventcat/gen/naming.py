"""Python names for catalog things: packages, modules, classes and constants.

Every name produced here is a valid, non-keyword Python identifier, whatever the catalog holds.
"""

from __future__ import annotations

import keyword
import re
import sys

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_IDENT = re.compile(r"[^0-9A-Za-z_]+")

#: Module names the generated package uses for itself; a domain folder never takes one of them.
RESERVED_MODULES = frozenset({"shared", "envelope", "_base", "_envelope", "_registry"})
#: Package names that would shadow what the generated code imports.
FORBIDDEN_PACKAGES = frozenset(
    {
        "pydantic",
        "pydantic_core",
        "typing_extensions",
        "eventcat",
        "email_validator",
        "annotated_types",
    }
)


def snake(name: str) -> str:
    """``AIGenerationJobRequested`` -> ``ai_generation_job_requested``; ``ad-network`` -> ``ad_network``."""
    words = _WORD_BOUNDARY.sub("_", name)
    return identifier(words.lower())


def identifier(text: str, fallback: str = "x") -> str:
    """Any text as a Python identifier: other characters become ``_``, keywords get a ``_``."""
    value = _NOT_IDENT.sub("_", text).strip("_") or fallback
    if value[0].isdigit():
        value = f"{fallback}_{value}"
    if keyword.iskeyword(value) or keyword.issoftkeyword(value):
        value += "_"
    return value


def class_name(name: str, version: int) -> str:
    """``Money``, 1 -> ``MoneyV1`` (the file's name part is PascalCase once the catalog lints)."""
    base = _NOT_IDENT.sub("_", name).strip("_") or "Model"
    if base[0].isdigit():
        base = f"M{base}"
    return f"{base}V{version}"


def constant_name(class_name_: str) -> str:
    """``OrderPlacedV1`` -> ``ORDER_PLACED_V1``."""
    return snake(class_name_).upper()


def domain_module(domain: str) -> str:
    name = identifier(domain.replace("-", "_").lower(), fallback="domain")
    return f"{name}_events" if name in RESERVED_MODULES else name


#: The longest --package accepted (file systems cap a name at 255 bytes; keep well clear).
MAX_PACKAGE_LENGTH = 64
_PEP8_MODULE = re.compile(r"[a-z_][a-z0-9_]*")


def installed_top_level(name: str) -> bool:
    """True when this interpreter imports ``name`` from somewhere other than the current folder.

    That covers site-packages, editable installs and ``PYTHONPATH``; the current folder (often
    where the output goes) does not count. A path search only: nothing is imported, and it is
    much cheaper than ``importlib.metadata.packages_distributions()`` (~1 s with many packages).
    """
    import importlib.machinery
    from pathlib import Path

    here = Path.cwd().resolve()
    folders = [entry for entry in sys.path if entry and Path(entry).resolve() != here]
    return importlib.machinery.PathFinder.find_spec(name, folders) is not None


def check_package_name(name: str, *, allow_shadowing: bool = False) -> str | None:
    """Why ``name`` cannot be the generated package's import name, or None when it can."""
    if not name:
        return "--package is empty; name the package (lowercase letters, digits and _)"
    if len(name) > MAX_PACKAGE_LENGTH:
        return f"--package is {len(name)} characters long; at most {MAX_PACKAGE_LENGTH}"
    if not _PEP8_MODULE.fullmatch(name):
        return (
            f"--package {name!r} is not a Python identifier in PEP 8 module style (lowercase "
            "letters, digits and _, not starting with a digit)"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"--package {name!r} is a Python keyword"
    if name in sys.stdlib_module_names or name in FORBIDDEN_PACKAGES:
        return f"--package {name!r} would shadow the module of that name; pick another"
    if not allow_shadowing and installed_top_level(name):
        return (
            f"--package {name!r} would shadow the installed module of that name; pick "
            "another (or pass --allow-shadowing)"
        )
    return None


def default_package(folder_name: str) -> str:
    """The output folder's name when it makes a valid package name, else ``eventcat_events``."""
    candidate = folder_name.replace("-", "_")
    return candidate if check_package_name(candidate) is None else "eventcat_events"
