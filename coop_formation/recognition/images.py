"""Achievement pictures uploaded by people: PNG or SVG, checked before they are stored.

SVG is refused (not silently cleaned) when it holds anything active or external: a
DOCTYPE or entity, a processing instruction, scripts, foreign objects, event attributes,
links leaving the document, style sheets. Stored SVGs are also served with a sandboxing
Content-Security-Policy.
"""

from __future__ import annotations

import re
import struct
from xml.etree import ElementTree

from flask_babel import gettext as _

import badges
from coop_formation.errors import InvalidInput

MAX_IMAGE_BYTES = 256 * 1024
MAX_DIMENSION = 4096
PNG = "image/png"
SVG = "image/svg+xml"

_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK_NS = "http://www.w3.org/1999/xlink"
_ALLOWED_TAGS = frozenset(
    {
        "svg", "g", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon",
        "text", "tspan", "title", "desc", "defs", "linearGradient", "radialGradient", "stop",
        "clipPath", "mask", "use", "symbol", "pattern", "metadata",
    }
)  # fmt: skip
_URL_IN_STYLE = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
_DANGEROUS_STYLE = re.compile(r"expression\s*\(|@import|javascript:", re.IGNORECASE)


def _refuse(reason: str) -> InvalidInput:
    return InvalidInput(_("Image refusée : %(reason)s", reason=reason), field="image")


def check_png(data: bytes) -> None:
    """A real PNG (signature, IHDR, CRCs) of reasonable dimensions."""
    if not data.startswith(badges.bake.PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise _refuse(_("ce n'est pas une image PNG."))
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_DIMENSION and 0 < height <= MAX_DIMENSION):
        raise _refuse(_("dimensions de l'image invalides."))
    try:
        badges.extract_png(data)  # walks every chunk and checks its CRC
    except badges.BakingError as exc:
        raise _refuse(_("image PNG corrompue.")) from exc


def _local_name(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        ns, _sep, local = name[1:].partition("}")
        return ns, local
    return "", name


def check_svg(data: bytes) -> None:
    """Parse safely and refuse anything active or external (see module docstring)."""
    if re.search(rb"<!\s*(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise _refuse(_("les déclarations DOCTYPE et ENTITY sont interdites."))
    if re.search(rb"<\?(?!xml[\s?])", data):
        raise _refuse(_("les instructions de traitement sont interdites."))
    try:
        root = ElementTree.fromstring(data)  # noqa: S314 - DOCTYPE/ENTITY refused above
    except ElementTree.ParseError as exc:
        raise _refuse(_("SVG illisible.")) from exc
    if _local_name(root.tag) not in ((_SVG_NS, "svg"), ("", "svg")):
        raise _refuse(_("ce n'est pas une image SVG."))
    for element in root.iter():
        ns, tag = _local_name(str(element.tag))
        if ns not in ("", _SVG_NS) and tag != "metadata":
            raise _refuse(_("élément étranger « %(tag)s ».", tag=tag))
        if tag not in _ALLOWED_TAGS:
            raise _refuse(_("élément « %(tag)s » interdit.", tag=tag))
        for name, value in element.attrib.items():
            attr_ns, attr = _local_name(name)
            if attr.lower().startswith("on"):
                raise _refuse(_("attribut d'événement « %(attr)s » interdit.", attr=attr))
            if attr == "href" and attr_ns in ("", _XLINK_NS) and not value.strip().startswith("#"):
                raise _refuse(_("lien vers une ressource extérieure interdit."))
            if _URL_IN_STYLE.search(value) or _DANGEROUS_STYLE.search(value):
                raise _refuse(_("référence extérieure dans un style interdite."))


def check_image(data: bytes) -> str:
    """The media type of an acceptable achievement picture; :class:`InvalidInput` if not."""
    if not data:
        raise _refuse(_("fichier vide."))
    if len(data) > MAX_IMAGE_BYTES:
        raise _refuse(_("fichier trop volumineux (256 Kio au plus)."))
    if data.startswith(badges.bake.PNG_SIGNATURE):
        check_png(data)
        return PNG
    head = data[:1024].lstrip()
    if head.startswith(b"<?xml") or head.startswith(b"<svg"):
        check_svg(data)
        return SVG
    raise _refuse(_("seuls les formats PNG et SVG sont acceptés."))
