"""JSON sent to the platform, read strictly: the one parser of request bodies.

Refused as unusable (``ValueError``, which the callers answer with a 400): a body that is
not UTF-8, an object with the same key twice (ambiguous: parsers disagree on which one
wins), and nesting deeper than ``MAX_DEPTH`` (a crafted body would otherwise exhaust the
parser's recursion and end in a 500).
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32


class UnusableJSON(ValueError):
    """The body cannot be read safely as JSON; ``reason`` says why, in French."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise UnusableJSON(f"la clé « {key[:40]} » apparaît deux fois")
        result[key] = value
    return result


def _check_depth(text: str, limit: int) -> None:
    depth = 0
    in_string = False
    escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                raise UnusableJSON(f"plus de {limit} niveaux d'imbrication")
        elif char in "]}":
            depth -= 1


def loads(data: str | bytes, **kwargs: Any) -> Any:
    """``json.loads``, refusing duplicate keys and deep nesting (:class:`UnusableJSON`)."""
    if isinstance(data, bytes | bytearray):
        try:
            data = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UnusableJSON("le texte n'est pas en UTF-8") from exc
    _check_depth(data, MAX_DEPTH)
    kwargs.setdefault("object_pairs_hook", _no_duplicate_keys)
    try:
        return json.loads(data, **kwargs)
    except UnusableJSON:
        raise
    except (ValueError, RecursionError) as exc:
        raise UnusableJSON("ce n'est pas du JSON valide") from exc
