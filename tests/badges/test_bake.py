"""Baked PNG and SVG images carry the credential and verify."""

from __future__ import annotations

import json
import struct
import zlib

import pytest

import badges
from badges.bake import OB2_KEYWORD, _chunks, _itxt
from badges.image import default_badge_png, default_badge_svg

from .conftest import NOW, Issuer

PNG = default_badge_png("Soudure TIG", size=64)
SVG = default_badge_svg("Soudure TIG")


def _text_chunks(png: bytes) -> list[bytes]:
    return [data for kind, data in _chunks(png) if kind == b"iTXt"]


def test_png_round_trip_and_baked_credential_verifies(
    issuer: Issuer, signed_credential: dict
) -> None:
    text = json.dumps(signed_credential, ensure_ascii=False)
    baked = badges.bake_png(PNG, text)
    assert badges.extract_png(baked) == text
    chunks = _chunks(baked)
    assert chunks[-2][0] == b"iTXt" and chunks[-1][0] == b"IEND"
    assert chunks[-2][1].startswith(b"openbadgecredential\0\0\0")
    report = badges.verify(baked, resolver=issuer.resolver, now=NOW)
    assert report.valid, report.failures


def test_png_rebaking_replaces_the_chunk(issuer: Issuer) -> None:
    first = badges.bake_png(PNG, "a.b.c")
    token = badges.sign_jwt(issuer.credential(), issuer.key)
    second = badges.bake_png(first, token)
    assert len(_text_chunks(second)) == 1
    assert badges.extract_png(second) == token
    assert badges.verify(second, resolver=issuer.resolver, now=NOW).valid


def test_tampered_png_chunk_fails(issuer: Issuer, signed_credential: dict) -> None:
    text = json.dumps(signed_credential, ensure_ascii=False)
    baked = badges.bake_png(PNG, text)
    forged_text = text.replace("Soudure TIG", "Soudure TIX", 1).encode("utf-8")
    # a careful forger recomputes the CRC: the signature still fails
    start = baked.index(b"openbadgecredential")
    data = _text_chunks(baked)[0].replace(text.encode("utf-8"), forged_text)
    chunk = struct.pack(">I", len(data)) + b"iTXt" + data
    chunk += struct.pack(">I", zlib.crc32(b"iTXt" + data))
    forged = baked[: start - 8] + chunk + baked[start - 8 + 12 + len(_text_chunks(baked)[0]) :]
    report = badges.verify(forged, resolver=issuer.resolver, now=NOW)
    assert not report.valid and not report.check("signature").ok
    # a careless one breaks the CRC: the image is refused as unusable
    careless = baked.replace(b"Soudure TIG", b"Soudure TIX", 1)
    with pytest.raises(badges.UnusableInput, match="CRC"):
        badges.verify(careless, resolver=issuer.resolver, now=NOW)


def test_png_without_credential_is_unusable() -> None:
    with pytest.raises(badges.UnusableInput):
        badges.verify(PNG)


def test_png_ob2_keyword_is_read() -> None:
    chunks = _chunks(PNG)
    body = b"".join(
        struct.pack(">I", len(d)) + k + d + struct.pack(">I", zlib.crc32(k + d))
        for k, d in [
            *chunks[:-1],
            (b"iTXt", _itxt(OB2_KEYWORD, "https://x.example/a/1")),
            chunks[-1],
        ]
    )
    assert badges.extract_png(b"\x89PNG\r\n\x1a\n" + body) == "https://x.example/a/1"


def test_not_a_png_is_refused() -> None:
    with pytest.raises(badges.BakingError):
        badges.bake_png(b"GIF89a....", "x")


def test_svg_round_trip_with_json_in_cdata(issuer: Issuer, signed_credential: dict) -> None:
    text = json.dumps(signed_credential, ensure_ascii=False)
    baked = badges.bake_svg(SVG, text)
    assert b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in baked
    assert b"<openbadges:credential><![CDATA[" in baked
    assert badges.extract_svg(baked) == text
    report = badges.verify(baked, resolver=issuer.resolver, now=NOW)
    assert report.valid, report.failures


def test_svg_with_jwt_in_verify_attribute_and_rebaking(issuer: Issuer) -> None:
    token = badges.sign_jwt(issuer.credential(), issuer.key)
    baked = badges.bake_svg(badges.bake_svg(SVG, '{"x": "]]>"}'), token)
    assert baked.count(b"<openbadges:credential") == 1
    assert f'verify="{token}"'.encode() in baked
    assert badges.extract_svg(baked) == token
    assert badges.verify(baked, resolver=issuer.resolver, now=NOW).valid


@pytest.mark.parametrize(
    "hostile",
    [
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
        b'<!DOCTYPE svg SYSTEM "file:///etc/passwd"><svg xmlns="http://www.w3.org/2000/svg"/>',
    ],
)
def test_svg_with_doctype_or_entities_is_refused(hostile: bytes) -> None:
    with pytest.raises(badges.BakingError):
        badges.extract_svg(hostile)
    with pytest.raises(badges.UnusableInput):
        badges.verify(hostile)


def test_svg_without_credential_is_unusable() -> None:
    with pytest.raises(badges.UnusableInput):
        badges.verify(SVG.encode())
