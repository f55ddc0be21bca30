"""1EdTech JSON schemas for OB 3.0 (VC 2.0 variant) and the normalisation that lets
JSON-LD compacted forms (``proof: {...}``, ``type: "Profile"``) pass them.

The schemas (``badges/schemas/``, see ``SOURCE.md``) want every collection as an
array; JSON-LD compaction writes one-element collections as a single value. Both are
the same credential, so before validating we wrap single values wherever the schema
expects an array (1EdTech openbadges-specification issue #473).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft201909Validator

SCHEMA_FILES = {
    "OpenBadgeCredential": "achievementcredential.json",
    "AchievementCredential": "achievementcredential.json",
    "EndorsementCredential": "endorsementcredential.json",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """A shipped schema by file name."""
    text = resources.files("badges").joinpath("schemas", name).read_text("utf-8")
    return json.loads(text)


@cache
def _validator(name: str) -> Draft201909Validator:
    return Draft201909Validator(load_schema(name))


def schema_for(credential: dict[str, Any]) -> str | None:
    """The schema file that applies to this credential's type, if any."""
    types = credential.get("type")
    types = types if isinstance(types, list) else [types]
    for type_ in types:
        if isinstance(type_, str) and type_ in SCHEMA_FILES:
            return SCHEMA_FILES[type_]
    return None


def to_array_form(credential: dict[str, Any], schema_name: str | None = None) -> dict[str, Any]:
    """A copy where every single value the schema expects as an array is wrapped."""
    schema_name = schema_name or schema_for(credential)
    if schema_name is None:
        return copy.deepcopy(credential)
    schema = load_schema(schema_name)
    return _coerce(copy.deepcopy(credential), schema, schema, depth=0)


def validate(credential: dict[str, Any]) -> list[str]:
    """Schema errors (empty list when valid), after :func:`to_array_form`."""
    name = schema_for(credential)
    if name is None:
        return ["Type de justificatif inconnu (OpenBadgeCredential ou EndorsementCredential)."]
    document = to_array_form(credential, name)
    errors = sorted(_validator(name).iter_errors(document), key=lambda e: list(e.path))
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(racine)'} : {e.message}" for e in errors
    ]


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while isinstance(schema, dict) and "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/"):
            return {}
        node: Any = root
        for part in ref[2:].split("/"):
            node = node.get(part, {})
        schema = node
    return schema if isinstance(schema, dict) else {}


def _is_array_schema(schema: dict[str, Any], root: dict[str, Any]) -> bool:
    if schema.get("type") == "array":
        return True
    return any(_is_array_schema(_resolve(s, root), root) for s in schema.get("allOf", []))


def _coerce(value: Any, schema: dict[str, Any], root: dict[str, Any], depth: int) -> Any:
    schema = _resolve(schema, root)
    if depth > 40 or not schema:
        return value
    if _is_array_schema(schema, root) and not isinstance(value, list):
        value = [value]
    for sub in schema.get("allOf", []):
        value = _coerce(value, sub, root, depth + 1)
    if isinstance(value, list):
        items = schema.get("items")
        if isinstance(items, dict):
            value = [_coerce(v, items, root, depth + 1) for v in value]
        return value
    if isinstance(value, dict):
        for alternative in schema.get("oneOf", []) + schema.get("anyOf", []):
            alt = _resolve(alternative, root)
            if alt.get("type") == "object" or "properties" in alt:
                value = _coerce(value, alt, root, depth + 1)
                break
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                value[key] = _coerce(value[key], sub, root, depth + 1)
    return value
