"""Baking: put a credential into a PNG or SVG image and read it back.

OB 3.0 (§ Baking): PNG ``iTXt`` chunk with keyword ``openbadgecredential``, uncompressed,
before ``IEND``; SVG ``<openbadges:credential>`` first child of ``<svg>``, namespace
``https://purl.imsglobal.org/ob/v3p0``, JSON in CDATA or a JWT in ``verify``. Extraction
also reads Open Badges 2.0 images (PNG keyword ``openbadges``, SVG
``<openbadges:assertion>`` in namespace ``http://openbadges.org``).

Untrusted input: PNG CRCs are checked, sizes bounded; SVG with a DOCTYPE or ENTITY
declaration is refused (no XXE, no entity expansion bombs).
"""

from __future__ import annotations

import re
import struct
import zlib
from xml.etree import ElementTree

from .errors import BakingError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OB3_KEYWORD = "openbadgecredential"
OB2_KEYWORD = "openbadges"
OB3_SVG_NS = "https://purl.imsglobal.org/ob/v3p0"
OB2_SVG_NS = "http://openbadges.org"
SVG_NS = "http://www.w3.org/2000/svg"
MAX_IMAGE_BYTES = 20 * 1024 * 1024


# --- PNG ---------------------------------------------------------------------------


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, after checking signature, CRCs and IEND."""
    if len(png) > MAX_IMAGE_BYTES:
        raise BakingError("Image trop volumineuse.")
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError("Ce n'est pas une image PNG.")
    chunks: list[tuple[bytes, bytes]] = []
    pos = len(PNG_SIGNATURE)
    while pos < len(png):
        if pos + 12 > len(png):
            raise BakingError("Image PNG tronquée.")
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        end = pos + 8 + length
        if length > 0x7FFFFFFF or end + 4 > len(png) or not kind.isalpha():
            raise BakingError("Image PNG corrompue (bloc invalide).")
        data = png[pos + 8 : end]
        (crc,) = struct.unpack(">I", png[end : end + 4])
        if zlib.crc32(kind + data) != crc:
            raise BakingError("Image PNG corrompue (somme de contrôle CRC incorrecte).")
        chunks.append((kind, data))
        pos = end + 4
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise BakingError("Image PNG incomplète (IHDR ou IEND manquant).")
    return chunks


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _itxt(keyword: str, text: str) -> bytes:
    return keyword.encode("latin-1") + b"\0" + b"\0\0" + b"\0" + b"\0" + text.encode("utf-8")


def _parse_text_chunk(kind: bytes, data: bytes) -> tuple[str, str] | None:
    """(keyword, text) of an iTXt / tEXt chunk, or None if malformed."""
    keyword, sep, rest = data.partition(b"\0")
    if not sep:
        return None
    name = keyword.decode("latin-1")
    if kind == b"tEXt":
        return name, rest.decode("latin-1")
    if len(rest) < 2:
        return None
    compressed, method, rest = rest[0], rest[1], rest[2:]
    _lang, sep1, rest = rest.partition(b"\0")
    _translated, sep2, text = rest.partition(b"\0")
    if not (sep1 and sep2):
        return None
    try:
        if compressed:
            if method != 0:
                return None
            decompressor = zlib.decompressobj()
            text = decompressor.decompress(text, MAX_IMAGE_BYTES)
            if decompressor.unconsumed_tail:
                return None
        return name, text.decode("utf-8")
    except (zlib.error, UnicodeDecodeError):
        return None


def bake_png(png: bytes, credential_text: str, keyword: str = OB3_KEYWORD) -> bytes:
    """The PNG with ``credential_text`` (JSON or compact JWS) in an ``iTXt`` chunk.

    An existing chunk with the same keyword is replaced, so there is only ever one.
    """
    out = [PNG_SIGNATURE]
    for kind, data in _chunks(png):
        if kind in (b"iTXt", b"tEXt"):
            parsed = _parse_text_chunk(kind, data)
            if parsed and parsed[0] == keyword:
                continue
        if kind == b"IEND":
            out.append(_chunk(b"iTXt", _itxt(keyword, credential_text)))
        out.append(_chunk(kind, data))
    return b"".join(out)


def extract_png(png: bytes) -> str | None:
    """The baked text (OB 3.0 chunk first, else OB 2.0), or None if there is none."""
    found: dict[str, str] = {}
    for kind, data in _chunks(png):
        if kind in (b"iTXt", b"tEXt"):
            parsed = _parse_text_chunk(kind, data)
            if parsed and parsed[0] in (OB3_KEYWORD, OB2_KEYWORD):
                found.setdefault(parsed[0], parsed[1])
    return found.get(OB3_KEYWORD) or found.get(OB2_KEYWORD)


# --- SVG ---------------------------------------------------------------------------

_FORBIDDEN = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _parse_svg(svg: bytes) -> ElementTree.Element:
    if len(svg) > MAX_IMAGE_BYTES:
        raise BakingError("Image trop volumineuse.")
    if _FORBIDDEN.search(svg):
        raise BakingError("Image SVG refusée : déclarations DOCTYPE/ENTITY interdites.")
    try:
        root = ElementTree.fromstring(svg)  # noqa: S314 - DOCTYPE/ENTITY refused above
    except ElementTree.ParseError as exc:
        raise BakingError(f"Image SVG illisible : {exc}") from exc
    if root.tag not in (f"{{{SVG_NS}}}svg", "svg"):
        raise BakingError("Ce n'est pas une image SVG.")
    return root


def extract_svg(svg: bytes | str) -> str | None:
    """The baked credential text (``verify`` attribute or element text), or None."""
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    root = _parse_svg(data)
    for tag in (f"{{{OB3_SVG_NS}}}credential", f"{{{OB2_SVG_NS}}}assertion"):
        element = root.find(f".//{tag}")
        if element is not None:
            text = element.get("verify") or (element.text or "").strip()
            return text or None
    return None


def _root_start_tag(text: str) -> re.Match[str]:
    match = re.search(r"<svg\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", text)
    if match is None:
        raise BakingError("Balise <svg> introuvable.")
    return match


def bake_svg(svg: bytes | str, credential_text: str) -> bytes:
    """The SVG with ``<openbadges:credential>`` as first child of the root element.

    A compact JWS goes into ``verify``; JSON goes into CDATA. An existing credential
    element is replaced.
    """
    data = svg.encode("utf-8") if isinstance(svg, str) else svg
    _parse_svg(data)
    text = data.decode("utf-8")
    text = re.sub(
        r"<(?P<p>[\w.-]+):credential\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/>|>.*?</(?P=p):credential>)",
        "",
        text,
        flags=re.DOTALL,
    )
    start = _root_start_tag(text)
    tag = start.group(0)
    if "xmlns:openbadges=" not in tag:
        close = -2 if tag.endswith("/>") else -1
        tag = f'{tag[:close]} xmlns:openbadges="{OB3_SVG_NS}"{tag[close:]}'
    elif f'xmlns:openbadges="{OB3_SVG_NS}"' not in tag:
        raise BakingError("Le préfixe openbadges est déjà lié à un autre espace de noms.")
    if _looks_like_jws(credential_text):
        element = f'<openbadges:credential verify="{credential_text}"></openbadges:credential>'
    else:
        body = credential_text.replace("]]>", "]]]]><![CDATA[>")
        element = f"<openbadges:credential><![CDATA[{body}]]></openbadges:credential>"
    if tag.endswith("/>"):
        baked = f"{text[: start.start()]}{tag[:-2]}>{element}</svg>{text[start.end() :]}"
    else:
        baked = f"{text[: start.start()]}{tag}{element}{text[start.end() :]}"
    result = baked.encode("utf-8")
    _parse_svg(result)
    return result


def _looks_like_jws(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", text.strip()))


def detect_image(data: bytes) -> str | None:
    """``"png"``, ``"svg"`` or None from the first bytes."""
    if data.startswith(PNG_SIGNATURE):
        return "png"
    head = data[:2048].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head:
        return "svg"
    return None
