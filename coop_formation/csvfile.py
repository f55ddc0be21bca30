"""The one CSV writer of every export: what French spreadsheet software opens right.

UTF-8 with a byte-order mark (Excel otherwise reads Windows-1252), ``;`` between cells
(the comma is the French decimal separator), CRLF line ends, and formulas neutralised:
a text cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab,
carriage return) is prefixed with an apostrophe, while a plain number such as ``-5,00``
or ``12`` stays a number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from flask import Response

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def safe_cell(value: object) -> str:
    """The text of one cell, never a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return BOM + buffer.getvalue()


def csv_download(rows: Iterable[Iterable[object]], filename: str) -> Response:
    """A CSV attachment, never cached."""
    response = Response(csv_text(rows).encode("utf-8"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
