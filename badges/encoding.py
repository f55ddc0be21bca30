"""Byte encodings used by Data Integrity and JOSE: base58btc, multibase, base64url."""

from __future__ import annotations

import base64

_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58_ALPHABET)}

# multicodec prefixes (varint-encoded)
ED25519_PUB_PREFIX = b"\xed\x01"
ED25519_PRIV_PREFIX = b"\x80\x26"


def b58encode(data: bytes) -> str:
    """Bitcoin base58 encoding (leading zero bytes become '1')."""
    zeros = len(data) - len(data.lstrip(b"\0"))
    num = int.from_bytes(data, "big")
    out = []
    while num:
        num, rem = divmod(num, 58)
        out.append(_B58_ALPHABET[rem])
    return "1" * zeros + "".join(reversed(out))


def b58decode(text: str) -> bytes:
    """Inverse of :func:`b58encode`; raises ``ValueError`` on a foreign character."""
    num = 0
    for char in text:
        if char not in _B58_INDEX:
            raise ValueError(f"caractère base58 invalide : {char!r}")
        num = num * 58 + _B58_INDEX[char]
    zeros = len(text) - len(text.lstrip("1"))
    body = num.to_bytes((num.bit_length() + 7) // 8, "big") if num else b""
    return b"\0" * zeros + body


def multibase_b58_encode(data: bytes) -> str:
    """Multibase base58btc: ``'z' + base58(data)``."""
    return "z" + b58encode(data)


def multibase_decode(text: str) -> bytes:
    """Decode multibase base58btc (``z``) or base64url (``u``) text."""
    if not isinstance(text, str) or not text:
        raise ValueError("valeur multibase vide")
    if text[0] == "z":
        return b58decode(text[1:])
    if text[0] == "u":
        return b64url_decode(text[1:])
    raise ValueError(f"préfixe multibase non pris en charge : {text[0]!r}")


def b64url_encode(data: bytes) -> str:
    """base64url without padding (RFC 7515)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Inverse of :func:`b64url_encode`; padding is optional."""
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
