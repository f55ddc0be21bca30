"""JSON-LD contexts shipped with the library, the offline document loader, safe mode
and RDFC-1.0 canonicalisation.

Guarantees:

* no context is ever fetched from the network: :func:`document_loader` maps exact URLs
  to files in ``badges/contexts/`` and raises :class:`ContextNotAvailable` otherwise;
* :func:`check_defined_terms` refuses any term or type that would not expand to an
  absolute IRI (pyld silently drops such terms, leaving them unsigned);
* :func:`canonicalize` is RDFC-1.0 (pyld's ``URDNA2015``), never the old URGNA2012.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from importlib import resources
from typing import Any

from pyld import jsonld

from .errors import ContextNotAvailable, UndefinedTermError

VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DID_V1 = "https://www.w3.org/ns/did/v1"
STATUS_LIST_V1 = "https://www.w3.org/ns/credentials/status/v1"

#: exact URL -> file name in ``badges/contexts/`` (see ``contexts/SOURCES.md``)
CONTEXT_FILES: dict[str, str] = {
    VC_V1: "credentials-v1.jsonld",
    VC_V2: "credentials-v2.jsonld",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json": "ob-v3p0-context-3.0.2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json": "ob-v3p0-context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json": "ob-v3p0-context.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    DID_V1: "did-v1.jsonld",
    STATUS_LIST_V1: "vc-bitstring-status-list-v1.jsonld",
}

Loader = Callable[[str, dict], dict]

_SENTINEL_VOCAB = "urn:x-badges-undefined-term:"
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_KEYWORDS = frozenset(
    {
        "@base", "@container", "@context", "@direction", "@graph", "@id", "@import",
        "@included", "@index", "@json", "@language", "@list", "@nest", "@none", "@prefix",
        "@propagate", "@protected", "@reverse", "@set", "@type", "@value", "@version",
        "@vocab",
    }
)  # fmt: skip


@cache
def load_context(url: str) -> dict[str, Any]:
    """The shipped context document for ``url`` (parsed JSON); raises if not shipped."""
    name = CONTEXT_FILES.get(url)
    if name is None:
        raise ContextNotAvailable(f"Contexte JSON-LD non disponible hors ligne : {url}")
    text = resources.files("badges").joinpath("contexts", name).read_text("utf-8")
    return json.loads(text)


def make_document_loader(extra: Mapping[str, dict] | None = None) -> Loader:
    """A pyld document loader serving the shipped contexts, plus ``extra`` {url: document}.

    Any other URL raises :class:`ContextNotAvailable`; nothing is fetched.
    """
    extra = dict(extra or {})

    def loader(url: str, options: dict | None = None) -> dict:
        document = copy.deepcopy(extra[url] if url in extra else load_context(url))
        remote = {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": document,
        }
        if url not in extra:
            # Shipped contexts never change: "static" lets pyld keep the processed context in
            # its process-wide cache instead of re-processing it for every document.
            remote["tag"] = "static"
        return remote

    return loader


document_loader: Loader = make_document_loader()


def canonicalize(document: Mapping[str, Any], loader: Loader | None = None) -> str:
    """RDFC-1.0 (URDNA2015) canonical N-Quads of ``document``."""
    return jsonld.normalize(
        copy.deepcopy(dict(document)),
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": loader or document_loader,
            "base": None,
        },
    )


def is_absolute_iri(value: Any) -> bool:
    """True for ``scheme:...`` strings (what JSON-LD calls an absolute IRI)."""
    return isinstance(value, str) and bool(_ABSOLUTE_IRI.match(value))


def check_defined_terms(document: Mapping[str, Any], loader: Loader | None = None) -> None:
    """Raise :class:`UndefinedTermError` if any key, at any depth, is not defined by the
    document's contexts, or any ``type`` / ``@id`` value is a relative IRI.

    Works like JSON-LD "safe mode": the document is expanded with an extra sentinel
    ``@vocab``; any term that only the sentinel could expand is undefined.
    """
    terms: list[str] = []
    for _path, key in _walk_keys(document):
        if key.startswith("@") and key not in _KEYWORDS:
            terms.append(key)
    dropped: list[str] = []
    # base None: pyld would otherwise resolve relative IRIs against http://example.org/base/
    # the sentinel @vocab comes *before* the document's contexts, so a @vocab of theirs wins
    options = {
        "documentLoader": loader or document_loader,
        "base": None,
        "expandContext": {"@vocab": _SENTINEL_VOCAB},
    }
    probe = copy.deepcopy(dict(document))
    try:
        expanded = jsonld.expand(probe, options, on_property_dropped=dropped.append)
    except TypeError:  # pyld < 3 has no drop handler; the sentinel still catches most
        expanded = jsonld.expand(probe, options)
    keyword_like = len(terms)  # pyld reports those as dropped ``None`` too
    unnamed = sum(1 for t in dropped if t is None) - keyword_like
    terms.extend(str(t) for t in dropped if t is not None)
    if unnamed > 0:
        terms.append("(terme associé à null)")
    terms.extend(_bad_iris(expanded))
    if terms:
        raise UndefinedTermError(terms, _paths_of(document, set(terms)))


def _bad_iris(node: Any) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _bad_iris(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key.startswith(_SENTINEL_VOCAB):
            yield key[len(_SENTINEL_VOCAB) :]
        elif key == "@type":
            for type_ in value if isinstance(value, list) else [value]:
                yield from _bad_iri(type_, vocab=True)
            continue
        elif key == "@id" and isinstance(value, str):
            yield from _bad_iri(value, vocab=False)
            continue
        elif key == "@value":
            continue
        yield from _bad_iris(value)


def _bad_iri(value: Any, *, vocab: bool) -> Iterator[str]:
    if not isinstance(value, str) or value == "@json":
        return
    if value.startswith(_SENTINEL_VOCAB):
        yield value[len(_SENTINEL_VOCAB) :]
    elif not value.startswith("_:") and not is_absolute_iri(value):
        yield value


def _walk_keys(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk_keys(item, f"{path}[{index}]")
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                continue
            here = f"{path}.{key}" if path else key
            yield here, key
            yield from _walk_keys(value, here)


def _paths_of(document: Any, terms: set[str]) -> list[str]:
    """Where the offending terms occur in the compacted input (keys or string values)."""
    found: list[str] = []

    def visit(node: Any, path: str) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                visit(item, f"{path}[{index}]")
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    continue
                here = f"{path}.{key}" if path else key
                if key in terms:
                    found.append(here)
                visit(value, here)
        elif isinstance(node, str) and node in terms:
            found.append(path)

    visit(document, "")
    return found
