"""The generated package's ``_base.py``: base models and the string-keeping format types.

Fixed text (no catalog input reaches it); :mod:`eventcat.gen.safety` checks it as a template.
"""

BASE = """\
\"\"\"The base classes of every generated model, and the types of JSON values they keep as sent.

Models are strict: a JSON value of the wrong type is refused, never converted (``"5"`` is not
the integer 5, ``"true"`` is not a boolean, ``null`` is refused where the schema does not allow
it). Strings with a ``format`` stay the text that was sent, checked against the format, and
numbers keep their JSON type, so ``to_json()`` gives back the JSON a message carried.
\"\"\"

from __future__ import annotations

import re
from datetime import date
from ipaddress import IPv4Address, IPv6Address
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, RootModel

# The checks below are written out rather than delegated to pydantic's types on purpose: those
# types normalise what they parse (``+00:00`` becomes ``Z``, a slash is added to a URL), and a
# model must hand back the text it was given.

_DATE = r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
_TIME = r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.[0-9]+)?(?:[Zz]|[+-]([0-9]{2}):([0-9]{2}))"
_DURATION = (
    r"P(?:(?:[0-9]+Y(?:[0-9]+M(?:[0-9]+D)?)?|[0-9]+M(?:[0-9]+D)?|[0-9]+D)(?:T(?:[0-9]+H"
    r"(?:[0-9]+M(?:[0-9]+S)?)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S))?|T(?:[0-9]+H(?:[0-9]+M(?:[0-9]+S)?)?"
    r"|[0-9]+M(?:[0-9]+S)?|[0-9]+S)|[0-9]+W)"
)
_URI_CHAR = r"(?:[A-Za-z0-9._~:/?@!$&'()*+,;=-]|%[0-9A-Fa-f]{2})"
_URI = r"[A-Za-z][A-Za-z0-9+.-]*:(?:" + _URI_CHAR + r"|[\\[\\]])*(?:#" + _URI_CHAR + r"*)?"
_EMAIL = r'(?:[^@\\s"]+|"[^"]*")@(?:[^@\\s\\[\\]]+|\\[[^\\]]+\\])'
_UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"


def _valid_date(found: re.Match[str], first: int) -> bool:
    try:
        date(int(found[first]), int(found[first + 1]), int(found[first + 2]))
    except ValueError:
        return False
    return True


def _valid_time(found: re.Match[str], first: int, leap: bool) -> bool:
    hour, minute, second = int(found[first]), int(found[first + 1]), int(found[first + 2])
    offset = int(found[first + 3] or 0) < 24 and int(found[first + 4] or 0) < 60
    return hour < 24 and minute < 60 and second < (61 if leap else 60) and offset


def _date_time(value: str) -> str:
    found = re.fullmatch(_DATE + "[Tt]" + _TIME, value)
    if not found or not (_valid_date(found, 1) and _valid_time(found, 4, leap=False)):
        raise ValueError("not an RFC 3339 date-time (e.g. 2026-01-31T10:42:17.512Z)")
    return value


def _date(value: str) -> str:
    found = re.fullmatch(_DATE, value)
    if not found or not _valid_date(found, 1):
        raise ValueError("not an RFC 3339 full-date (e.g. 2026-01-31)")
    return value


def _time(value: str) -> str:
    found = re.fullmatch(_TIME, value)
    if not found or not _valid_time(found, 1, leap=True):
        raise ValueError("not an RFC 3339 full-time with an offset (e.g. 10:42:17Z)")
    return value


def _matching(pattern: str, what: str) -> Any:
    def check(value: str) -> str:
        if not re.fullmatch(pattern, value):
            raise ValueError(f"not {what}")
        return value

    return check


def _ipv4(value: str) -> str:
    try:
        IPv4Address(value)
    except ValueError:
        raise ValueError("not an IPv4 address") from None
    return value


def _ipv6(value: str) -> str:
    try:
        IPv6Address(value)
    except ValueError:
        raise ValueError("not an IPv6 address") from None
    if "%" in value:
        raise ValueError("not an IPv6 address (a zone index is not allowed)")
    return value


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("null is not allowed here (the property may be left out instead)")
    return value


#: ``format: date-time``: RFC 3339 text, kept as sent (``2026-01-31T10:42:17.000-04:00``).
DateTime = Annotated[str, AfterValidator(_date_time)]
#: ``format: date``: an RFC 3339 full-date (``2026-01-31``).
Date = Annotated[str, AfterValidator(_date)]
#: ``format: time``: an RFC 3339 full-time with its offset (``10:42:17Z``).
Time = Annotated[str, AfterValidator(_time)]
#: ``format: duration``: an ISO 8601 duration (``P1DT2H``).
Duration = Annotated[str, AfterValidator(_matching(_DURATION, "an ISO 8601 duration"))]
#: ``format: uri``: an absolute URI (a scheme, then RFC 3986 characters), kept as sent.
Uri = Annotated[str, AfterValidator(_matching(_URI, "an absolute URI"))]
#: ``format: email``: an e-mail address (a local part, ``@``, a domain), kept as sent.
Email = Annotated[str, AfterValidator(_matching(_EMAIL, "an e-mail address"))]
#: ``format: uuid``: a UUID in its hyphenated form, kept as sent (case included).
Uuid = Annotated[str, AfterValidator(_matching(_UUID, "a hyphenated UUID"))]
#: ``format: ipv4`` and ``format: ipv6``: an address, kept as sent.
IPv4 = Annotated[str, AfterValidator(_ipv4)]
IPv6 = Annotated[str, AfterValidator(_ipv6)]
#: ``type: number``: a JSON number keeps its type (``5`` stays ``5``, ``5.0`` stays ``5.0``).
Number = int | float
#: A property that may be left out but, when present, is not ``null`` (the schema says so).
NotNull = AfterValidator(_not_null)

_CONFIG = ConfigDict(
    frozen=True,
    strict=True,  # no coercion: a JSON value of the wrong type is refused
    validate_by_name=True,
    validate_by_alias=True,
    serialize_by_alias=True,
    protected_namespaces=(),  # a JSON property may be called model_dump; it gets a new name
    regex_engine="rust-regex",  # linear time; gen refuses patterns that would need Python's re
)


class EventModel(BaseModel):
    \"\"\"A model generated from a JSON Schema of the catalog.

    Instances are immutable and strict (no JSON value is converted to another type). JSON names
    are accepted and written back (``model_dump()`` uses them); Python names work too where they
    differ. Properties a schema does not declare are kept (tolerant reader), unless the schema
    closes the object with ``additionalProperties: false``.
    \"\"\"

    model_config = ConfigDict(**_CONFIG, extra="allow")

    def to_json(self) -> dict[str, Any]:
        \"\"\"The JSON value of this model: JSON names, no defaults that were not given.\"\"\"
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


_T = TypeVar("_T")


class EventRootModel(RootModel[_T], Generic[_T]):
    \"\"\"A model whose schema is not one object (``oneOf`` at the root, an array, ...).

    The same API as :class:`EventModel`: ``model_validate``, ``to_json()``, strict and immutable.
    \"\"\"

    model_config = _CONFIG

    def to_json(self) -> Any:
        \"\"\"The JSON value of this model, as :meth:`EventModel.to_json`.\"\"\"
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
"""
