"""QR codes for the printed sheets: each sheet's code leads to its full page.

Made by segno (pure Python, nothing fetched) as small SVG files beside the
sheets, drawn in black on white, 18 mm square in print (hinahon.css).
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

import segno

BORDER = 2
"""Modules of white drawn around the code. The standard's quiet zone is four:
the sheet's white margin and the gap to the foot's text make up the rest,
and every module less leaves the code larger in its 18 mm."""


@dataclass(frozen=True)
class QrCode:
    svg: bytes
    modules: int
    """Its width (and height) in modules, the quiet zone included."""


@functools.lru_cache(maxsize=4096)
def qr_code(url: str) -> QrCode:
    """The QR code of `url`, error correction M (a sheet may get creased or smudged)."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    # No width or height: the sheet's stylesheet sizes it, the viewBox keeps it square.
    code.save(out, kind="svg", border=BORDER, xmldecl=False, omitsize=True,
              dark="#000", light="#fff", title=url)
    return QrCode(out.getvalue(), code.symbol_size(border=BORDER)[0])


def qr_file(sheet_id: str) -> str:
    """The QR code's file name, in the sheets' folder beside the sheet's PDF."""
    return f"{sheet_id}-qr.svg"
