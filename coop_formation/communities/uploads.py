"""Safe document uploads: size limit, allowed extensions, content checked by magic bytes.

A file is accepted only when its extension is allowed AND its first bytes prove the same
type (a renamed HTML page stays refused). Files are stored under random names outside the
static folder and are only ever served as attachments.
"""

from __future__ import annotations

import contextlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from coop_formation.errors import InvalidInput

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# extension -> served content type
ALLOWED_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}

_MARKUP_STARTS = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body")


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    extension: str
    content_type: str
    data: bytes


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def safe_filename(filename: str) -> str:
    """A display name without path parts or control characters (kept for the download)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>:|?*')
    return name.strip().strip(".")[:200] or "document"


def _zip_names(data: bytes) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return []


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    head = text.lstrip("\ufeff \t\r\n")[:64].lower().encode()
    return not head.startswith(_MARKUP_STARTS)


def content_matches(extension: str, data: bytes) -> bool:
    """True when the bytes really are a file of ``extension`` (magic bytes, zip layout)."""
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if extension == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if extension in ("odt", "docx", "xlsx"):
        if not data.startswith(b"PK\x03\x04"):
            return False
        if extension == "odt":
            return (
                data[30:38] == b"mimetype"
                and b"application/vnd.oasis.opendocument.text" in (data[38:120])
            )
        names = _zip_names(data)
        folder = "word/" if extension == "docx" else "xl/"
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
    if extension in ("txt", "csv"):
        return _is_text(data)
    return False


def check_upload(filename: str, data: bytes) -> CheckedFile:
    """Refuse (InvalidInput on field ``document``) anything too large, empty or not allowed."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(
            _("Le fichier dépasse la taille autorisée (5 Mo au plus)."), field="document"
        )
    if not data:
        raise InvalidInput(_("Le fichier est vide."), field="document")
    name = safe_filename(filename)
    extension = _extension(name)
    if extension not in ALLOWED_TYPES:
        raise InvalidInput(
            _(
                "Ce type de fichier n'est pas accepté. Types acceptés : "
                "PDF, PNG, JPG, ODT, DOCX, XLSX, TXT, CSV."
            ),
            field="document",
        )
    if not content_matches(extension, data):
        raise InvalidInput(
            _("Le contenu du fichier ne correspond pas à son extension .%(ext)s.", ext=extension),
            field="document",
        )
    return CheckedFile(name, extension, ALLOWED_TYPES[extension], data)


def upload_folder(instance_path: str) -> Path:
    return Path(instance_path) / "uploads" / "communities"


def store(instance_path: str, data: bytes) -> str:
    """Write ``data`` under a new random key (no extension, never guessable) and return it."""
    folder = upload_folder(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(16)
    (folder / key).write_bytes(data)
    return key


def path_of(instance_path: str, key: str) -> Path:
    """The stored file of ``key``; keys are hex only, so no path can escape the folder."""
    if not key or any(ch not in "0123456789abcdef" for ch in key):
        raise ValueError("invalid storage key")
    return upload_folder(instance_path) / key


def remove(instance_path: str, key: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        path_of(instance_path, key).unlink(missing_ok=True)
