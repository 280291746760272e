"""QR codes of the teams' links (segno), for the facilitator's screen and the printed handout."""

from __future__ import annotations

import segno
from markupsafe import Markup

__all__ = ["qr_svg"]


def qr_svg(url: str, scale: int = 4) -> Markup:
    """An inline SVG of ``url``'s QR code (error correction M, for a crumpled sheet)."""
    code = segno.make(url, error="m", micro=False)
    return Markup(code.svg_inline(scale=scale, dark="#000", light="#fff", title=url))
