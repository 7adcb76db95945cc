"""Inference from samples: structure from genson, refined with formats, required, nullable,
integer vs number and enum candidates."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from eventcat.design import detect_format, infer_schema
from eventcat.errors import InputError
from tests.design.conftest import JOB_REQUESTED, PRODUCT_UPDATED


def _valid(schema: dict[str, Any], instance: Any) -> bool:
    return Draft202012Validator(schema, format_checker=FormatChecker()).is_valid(instance)


def test_seed_000_job_requested_structure_required_and_formats() -> None:
    inference = infer_schema(JOB_REQUESTED)
    schema = inference.schema
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    props = schema["properties"]
    # present in every sample -> required, in sample order; the optional ones are not
    assert schema["required"] == [
        "userId", "projectId", "generationRequestId", "prompt", "outputFormats", "maxSamples",
        "initialResolution",
    ]  # fmt: skip
    for optional in ("styleGuidance", "brandKitId", "customDimensions", "uploadedImageReferences"):
        assert optional in props and optional not in schema["required"]
    assert props["userId"] == {"type": "string", "format": "uuid"}
    assert props["brandKitId"]["format"] == "uuid"
    assert props["maxSamples"] == {"type": "integer"}
    # null in one sample, a string in another, absent in the third
    assert props["styleGuidance"] == {"type": ["string", "null"]}
    items = props["outputFormats"]["items"]
    assert items["type"] == "object" and items["required"] == ["platform", "aspectRatio"]
    assert props["customDimensions"]["properties"]["width"] == {"type": "integer"}
    assert props["uploadedImageReferences"]["items"] == {"type": "string"}
    assert "format" not in props["prompt"] and "format" not in props["initialResolution"]
    notes = {(n.pointer, n.kind) for n in inference.notes}
    assert ("/properties/styleGuidance", "nullable") in notes
    assert ("/properties/brandKitId", "optional") in notes
    for sample in JOB_REQUESTED:
        assert _valid(schema, sample)


def test_seed_001_product_updated_mixed_and_missing_fields() -> None:
    inference = infer_schema(PRODUCT_UPDATED)
    schema = inference.schema
    props = schema["properties"]
    assert schema["required"] == [
        "productId", "merchantId", "operationType", "timestamp", "sourceUrl",
    ]  # fmt: skip
    assert props["timestamp"]["format"] == "date-time"
    assert props["merchantId"]["format"] == "uuid"
    assert props["sourceUrl"]["format"] == "uri"
    assert "format" not in props["productId"]
    # an object in two samples, null in one, missing in one: nullable object, optional
    changed = props["changedAttributes"]
    assert changed["type"] == ["object", "null"]
    assert changed["properties"]["stock"] == {"type": "integer"}
    assert changed["properties"]["price"]["required"] == ["amount", "currency"]
    # operationType: 3 distinct values in 4 samples -> proposed, not applied
    assert inference.enum_candidates["/properties/operationType"] == ("create", "delete", "update")
    assert "enum" not in props["operationType"]
    # productId repeats too ("prod-18273" twice): a candidate the user will reject
    assert "/properties/productId" in inference.enum_candidates
    for sample in PRODUCT_UPDATED:
        assert _valid(schema, sample)


def test_enum_candidates_are_applied_only_on_request() -> None:
    inference = infer_schema(PRODUCT_UPDATED)
    before = copy.deepcopy(inference.schema)
    applied = inference.with_enums("/properties/operationType")
    assert applied["properties"]["operationType"]["enum"] == ["create", "delete", "update"]
    assert "enum" not in applied["properties"]["productId"]
    assert inference.schema == before  # the inference itself is unchanged
    assert not _valid(applied, {**PRODUCT_UPDATED[0], "operationType": "upsert"})
    with pytest.raises(InputError, match="no enum candidate at '/properties/nope'"):
        inference.with_enums("/properties/nope")


def test_nullable_enum_candidate_keeps_null() -> None:
    inference = infer_schema([{"s": "a"}, {"s": "a"}, {"s": None}, {"s": "b"}])
    assert inference.with_enums()["properties"]["s"] == {
        "type": ["string", "null"], "enum": ["a", "b", None],
    }  # fmt: skip


def test_integer_and_decimal_make_number_with_a_note() -> None:
    inference = infer_schema([{"n": 1}, {"n": 2.5}, {"n": 3}])
    assert inference.schema["properties"]["n"] == {"type": "number"}
    assert any(n.kind == "mixed-types" for n in inference.notes)
    assert infer_schema([{"n": 1}, {"n": 2}]).schema["properties"]["n"] == {"type": "integer"}
    assert infer_schema([{"n": True}]).schema["properties"]["n"] == {"type": "boolean"}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["3f1c1c9e-6a43-4c58-9a3f-2b1b8f0f6d11", "A531DB5F-C0DE-4404-8D06-1AFC9EB05DD2"], "uuid"),
        (["2026-11-20T09:15:02Z", "2026-11-20T09:15:02.5+01:00"], "date-time"),
        (["2026-11-20", "2024-02-29"], "date"),
        (["ana@example.com", "b.c+tag@mail.example.org"], "email"),
        (["https://x.example/a?b=1", "s3://bucket/key"], "uri"),
        (["2026-11-20", "2026-11-20T09:15:02Z"], None),  # samples disagree: no format
        (["2023-02-29"], None),  # not a real date
        (["3f1c1c9e-6a43-4c58-9a3f-2b1b8f0f6d11", "not-a-uuid"], None),
        (["2026-11-20 09:15:02"], None),  # a space is not RFC 3339
        (["ana@example"], None),
        ([], None),
    ],
)
def test_format_only_when_every_sample_agrees(values: list[str], expected: str | None) -> None:
    assert detect_format(values) == expected


def test_format_reaches_array_items_and_nested_objects() -> None:
    schema = infer_schema(
        [{"ids": ["3f1c1c9e-6a43-4c58-9a3f-2b1b8f0f6d11"], "at": {"when": "2026-01-01"}}]
    ).schema
    assert schema["properties"]["ids"]["items"]["format"] == "uuid"
    assert schema["properties"]["at"]["properties"]["when"]["format"] == "date"


def test_empty_arrays_leave_items_open_with_a_note() -> None:
    inference = infer_schema([{"tags": []}, {"tags": []}])
    assert inference.schema["properties"]["tags"] == {"type": "array"}
    assert [n.kind for n in inference.notes] == ["empty-array"]


def test_no_samples_give_an_empty_object() -> None:
    schema = infer_schema([]).schema
    assert schema["type"] == "object" and schema["properties"] == {}


def test_samples_as_json_text_bytes_and_files(tmp_path: Any) -> None:
    path = tmp_path / "one.json"
    path.write_text('{"a": 1}', encoding="utf-8")
    schema = infer_schema(['{"a": 2}', b'{"a": 3}', path]).schema
    assert schema["properties"]["a"] == {"type": "integer"} and schema["required"] == ["a"]


def test_every_bad_sample_is_reported_with_its_place() -> None:
    with pytest.raises(InputError) as caught:
        infer_schema(['{"a": 1}', '{"a": 1,}', "[1, 2]", b"\xff\xfe"])
    rendered = [p.render() for p in caught.value.problems]
    assert rendered[0].startswith("sample 2:1: error [json-syntax] invalid JSON")
    assert rendered[1] == (
        "sample 3: error [sample-invalid] a payload sample must be a JSON object, not an array"
    )
    assert rendered[2].startswith("sample 4:1: error [encoding] not UTF-8")
    assert all(p.unreadable for p in caught.value.problems)


def test_missing_sample_file_is_a_located_error(tmp_path: Any) -> None:
    with pytest.raises(InputError, match=r"missing\.json: error \[file-unreadable\] cannot read"):
        infer_schema([tmp_path / "missing.json"])
